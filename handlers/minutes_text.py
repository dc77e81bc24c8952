"""Reading a tagged line of a meeting, as MeetBot does: `#topic`, `#info`, `#link`, `#idea`,
`#action`, `#agreed`, `#undo`, with French and Spanish aliases.

Pure and cheap: one look at the first word, one pass over at most MAX_LINE characters; no
date is parsed here (the caller reads `due=` with the group's date reader).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from handlers.grammar import handle_of

MAX_LINE = 2000
MAX_OWNERS = 20
# Every spelling of a tag, accents and case aside (they are folded before the lookup).
TAGS = {
    "topic": ("topic", "sujet", "tema"),
    "info": ("info", "information", "informacion"),
    "link": ("link", "lien", "enlace"),
    "idea": ("idea", "idee"),
    "action": ("action", "accion"),
    "agreed": ("agreed", "accord", "acuerdo", "decision"),
    "undo": ("undo", "annuler", "deshacer"),
}
_ALIAS = {alias: kind for kind, aliases in TAGS.items() for alias in aliases}
_FIRST = re.compile(r"#(\S{1,20})(?:\s+|$)")
_URL = re.compile(r"https?://\S{1,490}", re.IGNORECASE)
_DUE = re.compile(r"(?:^|\s)due=(\S.{0,40}?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Tagged:
    """A tagged line: its kind, its text, and what the kind carries."""

    kind: str
    text: str = ""
    url: str | None = None
    owners: tuple[str, ...] = ()
    due: str | None = None


class TagError(ValueError):
    """A tagged line that cannot be taken as it stands; the message says how to write it."""


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tag_of(text: str) -> str | None:
    """The kind of tag `text` starts with (`#acuerdo` → agreed), or None."""
    found = _FIRST.match(text[:40].lstrip())
    return _ALIAS.get(_fold(found.group(1))) if found else None


def read(text: str) -> Tagged | None:
    """The tagged line `text` holds; None when it starts with no tag; TagError when it does
    but cannot be read (a link without an address, an action without a person)."""
    text = text.strip()
    kind = tag_of(text)
    if kind is None:
        return None
    if len(text) > MAX_LINE:
        raise TagError(
            f"Keep a tagged line under {MAX_LINE} characters (this one has {len(text)})."
        )
    body = " ".join(text.split()[1:])
    if kind == "undo":
        return Tagged("undo")
    if kind == "topic":
        return Tagged("topic", body)
    if not body:
        raise TagError(_EXAMPLES[kind])
    if kind == "link":
        url = _URL.match(body)
        if not url:
            raise TagError(_EXAMPLES["link"])
        return Tagged("link", body[url.end() :].strip(), url=url.group())
    if kind == "action":
        return _action(body)
    return Tagged(kind, body)


def _action(body: str) -> Tagged:
    due = None
    found = _DUE.search(body)
    if found:
        due, body = found.group(1).strip(), body[: found.start()].strip()
    words = body.split()
    count = _owner_words(words)
    owners = list(dict.fromkeys(handle_of(w.rstrip(",:")) for w in words[:count]))
    if not owners:
        raise TagError(_EXAMPLES["action"])
    if len(owners) > MAX_OWNERS:
        raise TagError(f"An action goes to {MAX_OWNERS} people at most.")
    rest = " ".join(words[count:])
    if not rest:
        raise TagError("Say what is to be done after the people: " + _EXAMPLES["action"])
    return Tagged("action", rest, owners=tuple(owners), due=due)


def _owner_words(words: list[str]) -> int:
    """How many words at the start name people."""
    count = 0
    for word in words[: MAX_OWNERS + 1]:
        if handle_of(word.rstrip(",:")) is None:
            break
        count += 1
    return count


_EXAMPLES = {
    "info": "Say what to note: `#info The consultation closes on 15 January`.",
    "idea": "Say the idea: `#idea Invite the regional IGFs to comment`.",
    "agreed": "Say what was agreed: `#agreed The outline goes to public comment`.",
    "link": "A link starts with its address: `#link https://example.org/draft The draft`.",
    "action": (
        "An action names who does it, then what: "
        "`#action @amina @bruno Draft the summary due=2026-12-20`."
    ),
}
