"""The cheapest first test of capture: words a cue cannot match without, found in one pass.

Every cue expression (a regex from the phrase files) is read once, at import, for a set of
literal strings one of which each of its matches must contain ("can't make it" needs "can't",
"can’t" or "cannot"...). All of a reader's literals go into one Aho-Corasick automaton
(pyahocorasick), which finds any of them in a message's lowered text in a single pass whatever
their number: a message with none holds no cue, and costs that pass alone. A literal that the
expression puts at a word start ("\\bmiss") counts only there, so "dismiss" does not wake the
regexes up.

The literals are worked out from the parsed expression, never listed by hand, so a new phrase
can never be hidden by this test (`tests/unit/test_capture_prefilters.py` checks it on the
corpora too). An expression with no usable literal (it may start anywhere with anything)
makes the gate always open: slower, never wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from re import _constants as sre
from re import _parser as sre_parse

import ahocorasick

_MAX_SET = 48  # literal alternatives carried at once; beyond this a set is cut where it is
_MAX_CLASS = 4  # a character class of at most this many characters is spelled out
_SPACE = frozenset(" \t\n\r\f\v")
_WORD = re.compile(r"\w")

Found = frozenset[tuple[str, bool]]  # (literal, whether it starts where a word starts)

# Words so frequent in chat that a cue found by them alone would wake the regexes up for most
# messages: a set of literals holding one is chosen only when the cue offers nothing rarer.
# (Only speed depends on this list, never what is found.)
_COMMON_WORDS = """'ll a able an and are at be can do for get got have i in is it make must need
no not of on or out the this time to we will with won you de des du en est et il je la le les
nous pas pour que qui suis un une y con el es las lo los me mi por se voy"""
COMMON = frozenset(_COMMON_WORDS.split())


def required(source: str) -> set[tuple[str, bool]] | None:
    """(literal, at_word_start) pairs, lowercase, one of which every match of `source`
    (compiled case-insensitive) contains; None when there is no such set worth having."""
    tree = sre_parse.parse(source, re.IGNORECASE)
    found = _necessary(list(tree), at_word_start=True)
    if found is None:
        return None
    return {(literal, at_start and bool(_WORD.match(literal[:1]))) for literal, at_start in found}


def _chars(op, av) -> frozenset[str] | None:
    """The characters one LITERAL or small IN item matches, lowercase; None otherwise."""
    if op is sre.LITERAL:
        return frozenset({chr(av).lower()})
    if op is sre.IN:
        out: set[str] = set()
        for kind, value in av:
            if kind is sre.LITERAL:
                out.add(chr(value).lower())
            elif kind is sre.RANGE and value[1] - value[0] < _MAX_CLASS:
                out.update(chr(c).lower() for c in range(value[0], value[1] + 1))
            else:
                return None
        return frozenset(out) if len(out) <= _MAX_CLASS else None
    return None


def _optional(op, av) -> frozenset[str] | None:
    """The strings of an optional item with few ("'?", "(?:ne\\s)?" is not one), "" included."""
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
        body = _finite(av[2])
        return body | {""} if body is not None else None
    return None


def _finite(items) -> frozenset[str] | None:
    """Every string a parsed sequence matches, if they are few; else None."""
    strings = {""}
    for op, av in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue
        chars = _chars(op, av)
        if chars is None:
            chars = _optional(op, av)
        if chars is None and op is sre.SUBPATTERN:
            chars = _finite(av[3])
        elif chars is None and op is sre.BRANCH:
            found: set[str] = set()
            for alternative in av[1]:
                strings_of = _finite(alternative)
                if strings_of is None:
                    return None
                found |= strings_of
            chars = frozenset(found)
        if chars is None or len(strings) * len(chars) > _MAX_SET:
            return None
        strings = {s + c for s in strings for c in chars}
    return frozenset(strings)


def _is_space(op, av) -> bool:
    """One consumed item that matches only white space (a literal space, \\s, \\s+)."""
    if op is sre.LITERAL:
        return chr(av) in _SPACE
    if op is sre.IN:
        return all(
            (kind is sre.CATEGORY and value is sre.CATEGORY_SPACE)
            or (kind is sre.LITERAL and chr(value) in _SPACE)
            for kind, value in av
        )
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        return av[0] >= 1 and len(av[2]) == 1 and _is_space(*av[2][0])
    return False


def _score(found: Found) -> tuple[bool, int, int, int]:
    # no everyday word; then the longest shortest literal is the rarest in text, and a word
    # start makes it rarer still
    common = any(s.strip(" '’") in COMMON for s, _ in found)
    loose = sum(not at_start for _, at_start in found)
    return (not common, min(len(s) for s, _ in found), -loose, -len(found))


def _ends_with_space(items) -> bool:
    consumed = [(op, av) for op, av in items if op not in (sre.AT, sre.ASSERT, sre.ASSERT_NOT)]
    return bool(consumed) and _is_space(*consumed[-1])


def _necessary(items, at_word_start: bool) -> Found | None:
    """The best set of literals one of which every match of the sequence contains."""
    candidates: list[Found] = []
    running: set[str] = {""}
    running_start = at_word_start  # whether `running` begins where a word starts
    boundary = at_word_start  # whether the next consumed item begins at a word start

    def close() -> None:
        nonlocal running
        if running and all(running):
            candidates.append(frozenset((s, running_start) for s in running))
        running = {""}

    for op, av in items:
        if op is sre.AT:
            boundary = boundary or av in (sre.AT_BOUNDARY, sre.AT_BEGINNING)
            if running == {""}:
                running_start = boundary
            continue
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            continue  # look-arounds consume nothing
        chars = _chars(op, av)
        if chars is None and op in (sre.SUBPATTERN, sre.BRANCH):
            chars = _finite([(op, av)])
        optional = _optional(op, av) if chars is None else None
        if optional is not None and len(running) * len(optional) <= _MAX_SET and running != {""}:
            running = {s + c for s in running for c in optional}
            continue
        if chars is not None and chars and len(running) * len(chars) <= _MAX_SET:
            if running == {""}:
                running_start = boundary
            running = {s + c for s in running for c in chars}
            boundary = False
            continue
        close()
        inner: Found | None = None
        if op is sre.SUBPATTERN:
            inner = _necessary(av[3], boundary)
        elif op is sre.BRANCH:
            parts = [_necessary(alternative, boundary) for alternative in av[1]]
            if all(parts):
                inner = frozenset().union(*parts)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
            inner = _necessary(av[2], boundary)
        if inner is None and chars:
            inner = frozenset((c, boundary) for c in chars)
        if inner and all(s for s, _ in inner):
            candidates.append(inner)
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] == 0:
            # skipped, or ending in white space after white space: still at a word start
            boundary = boundary and _ends_with_space(av[2])
        else:
            boundary = _is_space(op, av)
        running_start = boundary
    close()
    return max(candidates, key=_score) if candidates else None


class Gate:
    """Whether a text may hold a match of any of the sources it was built from."""

    def __init__(self, sources: Iterable[str]) -> None:
        self.open = False  # True: some source has no literal, so every text passes
        self.literals: set[tuple[str, bool]] = set()
        for source in sources:
            found = required(source)
            if found is None:
                self.open = True
            else:
                self.literals |= found
        self._automaton = ahocorasick.Automaton()
        wanted: dict[str, bool] = {}
        for literal, at_start in self.literals:
            # a literal wanted both anywhere and at a word start is wanted anywhere
            wanted[literal] = wanted.get(literal, True) and at_start
        for literal, at_start in wanted.items():
            self._automaton.add_word(literal, (len(literal), at_start))
        if wanted:
            self._automaton.make_automaton()

    def __call__(self, text: str) -> bool:
        if self.open:
            return True
        if not self.literals:
            return False
        lowered = text.lower()
        for end, (length, at_start) in self._automaton.iter(lowered):
            start = end + 1 - length
            # a word-start literal counts only where no word character comes before it
            if not at_start or start == 0 or not _WORD.match(lowered[start - 1]):
                return True
        return False
