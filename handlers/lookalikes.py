"""Text that looks like something it is not: bidi controls that reorder what is shown, and
handles that mix scripts or read the same as another (`@аmina` with a Cyrillic а).

The standard library is enough here: NFKC folds compatibility forms, the character names give
each letter's script, and a short table folds the Cyrillic and Greek letters drawn like Latin
ones, which is how a lookalike handle is made in practice.
"""

from __future__ import annotations

import re
import unicodedata

from handlers.events import mention

# Embeddings, overrides, isolates and marks that change the order text is displayed in.
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# Letters of other scripts drawn like Latin ones (Unicode's confusables, the common part).
_LATIN_LOOKALIKES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
        "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d",
        "ԛ": "q", "ԝ": "w", "ѡ": "w", "һ": "h", "ɡ": "g", "ο": "o", "α": "a", "ν": "v",
        "ι": "i", "κ": "k", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "β": "b", "ε": "e",
        "ӏ": "l",
    }
)  # fmt: skip


def bidi_error(text: str, what: str) -> str | None:
    """Why `text` may not be stored (a bidi control in it), or None."""
    found = BIDI.search(text)
    if found is None:
        return None
    return (
        f"The {what} holds an invisible direction control (U+{ord(found.group()):04X}) that "
        "would show it in a different order than it reads; type it again without it."
    )


def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else None


def scripts(handle: str) -> set[str]:
    """The writing systems the letters of `handle` come from (LATIN, CYRILLIC, ...)."""
    found = {_script(c) for c in unicodedata.normalize("NFKC", handle)}
    found.discard(None)
    return found


def skeleton(handle: str) -> str:
    """What `handle` looks like: compatibility forms, case and lookalike letters folded."""
    folded = unicodedata.normalize("NFKC", handle).casefold()
    return folded.translate(_LATIN_LOOKALIKES)


def handle_error(handle: str, others) -> str | None:
    """Why `handle` may not join beside the handles `others`, or None."""
    mixed = scripts(handle)
    if len(mixed) > 1:
        return (
            f"`{handle}` mixes letters of several scripts ({', '.join(sorted(mixed)).lower()}), "
            "so it could pass for another handle; use the person's handle as the platform gives it."
        )
    mine = skeleton(handle)
    for other in others:
        if other != handle and skeleton(other) == mine:
            return f"`{handle}` looks like {mention(other)}, who is already on the roster; use a handle that reads differently."
    return None
