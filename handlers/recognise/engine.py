"""What the three recognisers share: finding cues cheaply, and the stretches of text around them.

Each kind of notice is read the same way, cheapest first:

1. Parts. A long message is read at its head and its tail only (`read_bounds`), and one
   dateparser budget serves the whole message (`date_phrases.Budget`).
2. Prefilter. One precompiled regex, the union of every language's cue expressions for the kind
   (accepting ’ for '), is searched; most chat messages contain none and stop there. The
   prefilter looks ahead for the first character a cue may start with, so the regex engine
   dismisses most positions at once (unit tests check it never hides a cue).
3. Cues. Each expression finds at most `MAX_CUES` matches; the first `MAX_CUES` of all, in
   text order, are read one by one by the kind's own reader until one is a notice.
4. Spans. A cue is read within its clause and its sentence, each at most `WINDOW` characters
   either side of it, so no reading walks a long message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from itertools import islice
from typing import TypeVar

from handlers import date_phrases, read_bounds

# A sentence ends at ! ? ; a newline, or a full stop followed by a capital (so "Dec. 9" and
# "9 déc. en raison de" stay whole) or by the end. Clauses also end at commas, colons, dashes.
SENTENCE_END = re.compile(r"[!?;\n]|\.(?=\s+[A-ZÀ-ÖØ-Þ¿¡]|\s*$)")
# Outreach cuts at any full stop followed by a space: an event's name never runs on past one
# (which loses a rare "Dec. 9").
NAME_SENTENCE_END = re.compile(r"[!?;\n]|\.(?=\s|$)")
CLAUSE_END = re.compile(r"[,;:.!?\n()—–]|\s-\s")
WINDOW = 400  # characters read around a cue for its clause and sentence
# A notice says so early; a message repeating cue words thousands of times is read only this
# far, so it cannot cost seconds.
MAX_CUES = 20

Reading = TypeVar("Reading")
Cue = tuple[object, str, re.Pattern[str]]  # (the language's table, the cue's kind, its regex)


def apostrophes(source: str) -> str:
    """A regex source that accepts the typographic apostrophe wherever it has "'"."""
    # phones and macOS type "can’t": the prefilter sees raw text, so accept both apostrophes
    # (expression sources therefore never put an apostrophe inside a [character class])
    return source.replace("'", "['’]")


def normalise(text: str) -> str:
    """One character for one, so positions found here hold in the original text."""
    return text.replace("\u2019", "'").replace("\u00a0", " ")


def prefilter(sources: Iterable[str], first: str) -> re.Pattern[str]:
    """The union of `sources`, looking ahead for one of the characters in `first`."""
    return re.compile(
        rf"(?={first})(?:" + "|".join(f"(?:{apostrophes(s)})" for s in sources) + ")",
        re.IGNORECASE,
    )


def cues(text: str, expressions: Iterable[Cue]) -> list[tuple[object, str, re.Match[str]]]:
    """The first `MAX_CUES` matches of `expressions` in text order (earlier tables first on a
    tie); the first few matches of each hold the first few of all, so none scans further."""
    found = sorted(
        (
            (match.start(), table, kind, match)
            for table, kind, rx in expressions
            for match in islice(rx.finditer(text), MAX_CUES)
        ),
        key=lambda item: item[0],
    )
    return [(table, kind, match) for _, table, kind, match in found[:MAX_CUES]]


def span(boundary: re.Pattern[str], text: str, start: int, end: int) -> tuple[int, int]:
    """The stretch of text around [start, end) that no boundary interrupts."""
    # clauses and sentences in chat are short; a bounded window keeps a long message linear
    left = max(0, start - WINDOW)
    for found in boundary.finditer(text, left, start):
        left = found.end()
    right_limit = min(len(text), end + WINDOW)
    right_match = boundary.search(text, end, right_limit)
    return left, right_match.start() if right_match else right_limit


def read_message(
    text: str,
    at: datetime | None,
    tz: str | None,
    read_part: Callable[[str, datetime | None, date_phrases.Budget], Reading | None],
) -> Reading | None:
    """`read_part` on each part of `text` capture reads, with one dateparser budget; the first
    reading found."""
    budget = date_phrases.Budget()
    base = date_phrases.local_base(at, tz) if at is not None and tz else None
    for part in read_bounds.parts(text):
        reading = read_part(part, base, budget)
        if reading is not None:
            return reading
    return None
