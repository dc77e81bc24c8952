"""What the three recognisers share: finding cues cheaply, and the stretches of text around them.

Each kind of notice is read the same way, cheapest first:

1. Parts. A long message is read at its head and its tail only (`read_bounds`), and one
   dateparser budget serves the whole message (`date_phrases.Budget`).
   Lines quoted from another message ("> ...") are blanked out: they are not the writer's.
2. Prefilter. First the kind's `literals.Gate`: one Aho-Corasick pass over the message for
   the literal words its cues cannot match without; ordinary chat stops there. Then one
   precompiled regex, the union of every language's cue expressions for the kind
   (accepting ’ for '), is searched; most chat messages contain none and stop there. The
   prefilter looks ahead for the first character a cue may start with, so the regex engine
   dismisses most positions at once, and holds the alternatives grouped by that character, so
   a position enters only the ones that may start there (`tables.union`; unit tests check it
   never hides a cue).
3. Cues. Each expression finds at most `MAX_CUES` matches; the first `MAX_CUES` of all, in
   text order, are read one by one by the kind's own reader until one is a notice.
4. Spans. A cue is read within its clause and its sentence, each at most `WINDOW` characters
   either side of it, so no reading walks a long message.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from functools import lru_cache
from itertools import islice
from typing import TypeVar

from handlers import date_phrases, read_bounds

# A sentence ends at ! ? ; a newline, an emoji, or a full stop followed by a capital (so "Dec. 9" and
# "9 déc. en raison de" stay whole) or by the end. Clauses also end at commas, colons, dashes.
# An emoji ends a sentence as a full stop does ("can't do the 8th 😞 maybe next month?").
EMOJI = "\u2600-\u27bf\U0001f300-\U0001faff"
SENTENCE_END = re.compile(rf"[!?;\n{EMOJI}]|\.(?=\s+[A-ZÀ-ÖØ-Þ¿¡]|\s*$)")
# Outreach cuts at any full stop followed by a space: an event's name never runs on past one
# (which loses a rare "Dec. 9").
NAME_SENTENCE_END = re.compile(r"[!?;\n]|\.(?=\s|$)")
# A line quoted from another message (mail's "> ...", chat's block quote) is someone else's
# words: never a notice of the writer's.
QUOTED_LINE = re.compile(r"^[ \t]*>[^\n]*", re.MULTILINE)
CLAUSE_END = re.compile(rf"[,;:.!?\n()—–{EMOJI}]|\s-\s")
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


def unquoted(text: str) -> str:
    """`text` with its quoted lines blanked out, one space for one character (so positions hold
    and no sentence joins across them)."""
    if ">" not in text:
        return text
    return QUOTED_LINE.sub(lambda line: " " * len(line.group(0)), text)


def cues(
    text: str,
    expressions: Sequence[Cue],
    budget: date_phrases.Budget | None = None,
    union: re.Pattern[str] | None = None,
) -> Iterator[tuple[object, str, re.Match[str]]]:
    """The first `MAX_CUES` matches of `expressions` in text order (earlier tables first on a
    tie). With `union` (the expressions' prefilter) only the places it finds are tried, each
    expression anchored there, so no expression scans the whole text. No more come once
    `budget` has no characters left to read their sentences with."""
    if union is None:
        places = sorted(
            (
                (match.start(), table, kind, match)
                for table, kind, rx in expressions
                for match in islice(rx.finditer(text), MAX_CUES)
            ),
            key=lambda item: item[0],
        )
        candidates: Iterable = ((t, k, m) for _, t, k, m in places)
    else:
        candidates = _anchored(text, expressions, union)
    for table, kind, match in islice(candidates, MAX_CUES):
        if budget is not None and budget.spent:
            return
        yield table, kind, match


def _anchored(text: str, expressions: Sequence[Cue], union: re.Pattern[str]):
    """Every expression's match at each place the union matches, in text order; a place is
    searched for again one character on, so a cue inside another is found too."""
    pos = 0
    for _ in range(MAX_CUES):
        place = union.search(text, pos)
        if place is None:
            return
        start = place.start()
        for table, kind, rx in expressions:
            match = rx.match(text, start)
            if match is not None:
                yield table, kind, match
        pos = start + 1


def inside_quotes(text: str, pos: int) -> bool:
    """Whether `pos` lies inside a quotation opened in the `WINDOW` characters before it: the
    words there are someone else's ('and said, "I'm giving a talk at…"', 'says "No, don't go"')."""
    before = text[max(0, pos - WINDOW) : pos]
    if before.count('"') % 2:
        return True
    return before.rfind("“") > before.rfind("”") or before.rfind("«") > before.rfind("»")


def span(boundary: re.Pattern[str], text: str, start: int, end: int) -> tuple[int, int]:
    """The stretch of text around [start, end) that no boundary interrupts."""
    # clauses and sentences in chat are short; a bounded window keeps a long message linear,
    # and the boundaries of a text are found once for all its cues
    starts, ends = _boundaries(boundary, text)
    left = max(0, start - WINDOW)
    # the last boundary that ends before the cue starts, if it lies in the window
    i = bisect_right(ends, start) - 1
    while i >= 0 and starts[i] >= left:
        if ends[i] <= start:
            left = ends[i]
            break
        i -= 1
    right_limit = min(len(text), end + WINDOW)
    j = bisect_left(starts, end)
    right = starts[j] if j < len(starts) and ends[j] <= right_limit else right_limit
    return left, right


@lru_cache(maxsize=16)
def _boundaries(boundary: re.Pattern[str], text: str) -> tuple[list[int], list[int]]:
    found = list(boundary.finditer(text))
    return [m.start() for m in found], [m.end() for m in found]


def read_message(
    text: str,
    at: datetime | None,
    tz: str | None,
    read_part: Callable[[str, datetime | None, date_phrases.Budget], Reading | None],
    gate: Callable[[str], bool] | None = None,
) -> Reading | None:
    """`read_part` on each part of `text` capture reads, with one dateparser budget; the first
    reading found. A `gate` (`literals.Gate`) that finds no cue's literal in `text` ends it
    before anything else is done."""
    if gate is not None and not gate(text):
        return None
    text = unquoted(text)
    budget = date_phrases.Budget()
    base = date_phrases.local_base(at, tz) if at is not None and tz else None
    for part in read_bounds.parts(text):
        budget.chars_left = date_phrases.MAX_READ_CHARS  # each part reads its own sentences
        reading = read_part(part, base, budget)
        if reading is not None:
            return reading
    return None
