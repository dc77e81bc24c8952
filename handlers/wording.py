"""Counts and lists in words, as a person writes them: "1 supporter", "2 supporters",
"civil-society and government"."""

from __future__ import annotations


def plural(n: int, one: str, many: str | None = None) -> str:
    """`n` with the word in the number it takes: 1 block, 0 blocks, 2 meetings."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def listing(items, last: str = "and") -> str:
    """Items joined as in a sentence: a; a and b; a, b and c."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"
