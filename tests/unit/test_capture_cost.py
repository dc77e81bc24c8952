"""Capture's cost is bounded by what it reads, counted as work rather than timed: the characters
every regex call may scan, and the calls to dateparser. (`bench/capture_worst.py` times it.)

Every compiled pattern the recognisers use is swapped for a counting wrapper that adds up, for
each call, the stretch of text the call goes through: a search up to its match (or the end of
its stretch), an anchored match as far as it matches, a scan of all matches its whole stretch. A scan
that restarts at every word and runs to the end of the message (what "Big In Big In …" did to
the place reading after "in") makes that sum grow with the square of the length, which the
ratios below catch.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from datetime import UTC, datetime

import dateparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers import capture, date_phrases, read_bounds
from handlers.recognise import absence, engine
from handlers.recognise import objection as objection_reader
from handlers.recognise import outreach as outreach_reader

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class Counted:
    """A compiled pattern that adds the stretch each call may scan to a shared tally."""

    def __init__(self, pattern: re.Pattern[str], tally: list[int]) -> None:
        self._pattern = pattern
        self._tally = tally
        self.pattern = pattern.pattern
        self.flags = pattern.flags

    def _span(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> None:
        self._tally[0] += max(0, min(endpos, len(string)) - pos)

    def search(self, string, pos=0, endpos=sys.maxsize):
        found = self._pattern.search(string, pos, endpos)
        # a search goes as far as its match, or to the end of its stretch
        self._span(string, pos, found.end() if found else endpos)
        return found

    def match(self, string, pos=0, endpos=sys.maxsize):
        found = self._pattern.match(string, pos, endpos)
        # an anchored match goes as far as it matches (a failure stops near its start)
        self._tally[0] += (found.end() - pos) if found else 1
        return found

    def fullmatch(self, string, pos=0, endpos=sys.maxsize):
        self._span(string, pos, endpos)
        return self._pattern.fullmatch(string, pos, endpos)

    def finditer(self, string, pos=0, endpos=sys.maxsize):
        self._span(string, pos, endpos)
        return self._pattern.finditer(string, pos, endpos)

    def findall(self, string, pos=0, endpos=sys.maxsize):
        self._span(string, pos, endpos)
        return self._pattern.findall(string, pos, endpos)

    def sub(self, repl, string, count=0):
        self._span(string)
        return self._pattern.sub(repl, string, count)


def _count_table(table, tally):
    changes = {
        field.name: Counted(getattr(table, field.name), tally)
        for field in dataclasses.fields(table)
        if isinstance(getattr(table, field.name), re.Pattern)
    }
    if hasattr(table, "synonyms"):
        changes["synonyms"] = tuple((Counted(p, tally), r) for p, r in table.synonyms)
    return dataclasses.replace(table, **changes)


@pytest.fixture
def counted_capture(monkeypatch):
    """Capture with every pattern counted; yields the tally."""
    tally = [0]
    readers = (absence, outreach_reader, objection_reader)
    for module in (*readers, engine, date_phrases, read_bounds):
        for name, value in list(vars(module).items()):
            if isinstance(value, re.Pattern):
                monkeypatch.setattr(module, name, Counted(value, tally))
    for module, attribute in (
        (absence, "EXPRESSIONS"),
        (outreach_reader, "TRIGGERS"),
        (objection_reader, "EXPRESSIONS"),
    ):
        counted = {id(t): _count_table(t, tally) for t in module.TABLES}
        cues = tuple(
            (counted[id(table)], kind, Counted(rx, tally))
            for table, kind, rx in getattr(module, attribute)
        )
        monkeypatch.setattr(module, attribute, cues)
        monkeypatch.setattr(module, "TABLES", tuple(counted[id(t)] for t in module.TABLES))
    return tally


@pytest.fixture
def parses(monkeypatch):
    """The number of dateparser calls, counted on their way to dateparser itself."""
    calls = [0]
    real = dateparser.parse

    def counting(*args, **kwargs):
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(dateparser, "parse", counting)
    return calls


# the worst shapes known: capitalised words with "In" after an outreach trigger; impossible
# d/m numbers after an absence expression; and expressions repeated everywhere
SHAPES = {
    "capitalised In": ("I'll present at ", "Big In "),
    "capitalised In, event words, triggers": ("", "I'll Present At Big In Forum "),
    "impossible d/m": ("I can't make the call on ", "31/45 "),
    "changing d/m": ("I can't make ", "12/13 31/45 9/12 30/11 "),
    "absence repeated": ("", "I can't make the call on 9 December, "),
    "triggers repeated": ("", "I'll present at Big In Forum on 5 May "),
    "objections repeated": ("", "I object, -1 "),
    "plain words": ("", "hello world "),
    "cues in one long sentence": ("", "I can't make, at, at, le 15, "),
    "every kind of cue": (
        "",
        "on a panel at. (. je ne pourrai pas assister à. I object. I can't make. ",
    ),
}


def _message(shape: str, length: int) -> str:
    lead, unit = SHAPES[shape]
    return lead + (unit * (length // len(unit) + 1))[: length - len(lead)]


def _work(tally: list[int], text: str) -> int:
    tally[0] = 0
    capture.read(text, AT, "Europe/Paris")
    return tally[0]


# Each character read is gone through by this many regex calls at most. Ordinary words cost
# 6, the worst shapes known about 17; reading the rest of the message after every "in" (the
# bug this guards against) costs several times more.
PER_CHARACTER = 25


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_regex_work_grows_linearly_with_what_capture_reads(counted_capture, shape):
    small = _work(counted_capture, _message(shape, 700))
    large = _work(counted_capture, _message(shape, 2800))
    if shape == "plain words":
        # no cue's literal in it: the gates (one Aho-Corasick pass) end it before any regex
        assert small == large == 0, (shape, small, large)
        return
    assert 0 < small <= PER_CHARACTER * 700, (shape, small)
    assert large <= PER_CHARACTER * 2800, (shape, large)
    # four times the text: four times the work, with room for sentences cut differently
    assert large <= 5 * small, (shape, small, large)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_40000_character_message_costs_what_its_head_and_tail_cost(counted_capture, shape):
    read = _work(counted_capture, _message(shape, read_bounds.HEAD + read_bounds.TAIL))
    huge = _work(counted_capture, _message(shape, 40_000))
    assert huge <= 1.5 * read, (shape, read, huge)
    assert huge <= PER_CHARACTER * (read_bounds.HEAD + read_bounds.TAIL)


def test_the_parts_read_of_a_long_message_are_its_head_and_a_tail_of_whole_sentences():
    pasted = "Maria will present at the IGF on 9/12. " * 2000
    head, tail = read_bounds.parts(pasted + "\nI can't make Thursday's call.")
    assert len(head) <= read_bounds.HEAD and pasted.startswith(head)
    assert len(tail) <= read_bounds.TAIL
    assert tail.startswith("Maria") or tail.startswith("I can't")
    assert read_bounds.parts("short") == ("short",)
    # a tail that is all one sentence begun before it is not read at all
    assert len(read_bounds.parts("word " * 2000)) == 1


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_dateparser_is_asked_a_bounded_number_of_times(parses, shape):
    for length in (3_000, 40_000):
        parses[0] = 0
        capture.read(_message(shape, length), AT, "Europe/Paris")
        # availability and outreach each have one budget per message
        assert parses[0] <= 2 * date_phrases.MAX_PARSES, (shape, length, parses[0])


def test_impossible_day_month_numbers_never_reach_dateparser(parses):
    parses[0] = 0
    assert capture.read("I can't make the call on 31/45", AT, "UTC").kind == "availability"
    assert parses[0] == 0
    assert date_phrases.resolve("45/31", "en", datetime(2026, 12, 1)) == (None, False)
    assert parses[0] == 0


def test_a_spent_budget_makes_the_reading_ambiguous_rather_than_asking_more():
    budget = date_phrases.Budget(parses=0)
    reading = absence.TABLES[0]
    text = "I can't make the call on 9 December"
    got = date_phrases.read(text, 0, len(text), datetime(2026, 12, 1), reading, budget=budget)
    assert got == (None, True, False)
    assert budget.calls == 0


@settings(max_examples=40, deadline=None, database=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "31/45",
                "12/13",
                "9/12",
                "9 December",
                "Tuesday",
                "the 8th",
                "le 15",
                "el 8",
                "next Tuesday",
                "tomorrow",
                "2026-12-09",
                "I can't make",
                "apologies for",
                "I'll present at",
                "Big",
                "In",
                ",",
                ".",
                "call",
                "\n",
            ]
        ),
        min_size=1,
        max_size=8,
    )
)
def test_no_shape_of_dates_asks_dateparser_more_than_the_budget(pieces):
    calls = [0]
    real = dateparser.parse

    def counting(*args, **kwargs):
        calls[0] += 1
        return real(*args, **kwargs)

    unit = " ".join(pieces) + " "
    text = (unit * (6_000 // len(unit) + 1))[:6_000]
    dateparser.parse = counting
    try:
        capture.read(text, AT, "UTC")
    finally:
        dateparser.parse = real
    assert calls[0] <= 2 * date_phrases.MAX_PARSES
