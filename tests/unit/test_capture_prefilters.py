"""The capture prefilters look ahead for the first character of what they search for (so the
regex engine skips most positions at once): that look-ahead must never hide a match. Checked
from the parsed expressions themselves, so a new trigger or expression that starts otherwise
fails here instead of silently never matching."""

from __future__ import annotations

import json
import re
from pathlib import Path
from re import _constants as sre
from re import _parser as sre_parse

from handlers.recognise import absence, engine
from handlers.recognise import objection as objection_reader
from handlers.recognise import outreach as outreach_reader
from handlers.recognise.tables import first_chars

HERE = Path(__file__).parent


def starts_at_word_boundary(items) -> bool:
    for op, av in items:
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            continue
        if op is sre.AT:
            return av is sre.AT_BOUNDARY
        if op is sre.BRANCH:
            return all(starts_at_word_boundary(alternative) for alternative in av[1])
        if op is sre.SUBPATTERN:
            return starts_at_word_boundary(av[3])
        return False
    return False


def parsed(source: str):
    return sre_parse.parse(source, re.IGNORECASE)


def lower(chars: set[str]) -> set[str]:
    return {c.lower() for c in chars}


def test_every_outreach_trigger_starts_at_a_word_boundary():
    for lang in outreach_reader.TABLES:
        for kind, source in lang.triggers.items():
            tree = parsed(engine.apostrophes(source))
            assert starts_at_word_boundary(tree), (lang.code, kind)


def test_every_expression_starts_with_a_known_character():
    """Else the look-ahead is empty: still right, but every position is tried."""
    sources = [
        *(s for lang in absence.TABLES for s in lang.expressions.values()),
        *(s for lang in outreach_reader.TABLES for s in lang.triggers.values()),
        *(table.expressions for table in objection_reader.TABLES),
    ]
    for source in sources:
        chars, may_be_empty = first_chars(parsed(engine.apostrophes(source)))
        assert chars is not None and not may_be_empty, source[:60]
    for reader in (absence, outreach_reader, objection_reader):
        assert not reader.PREFILTER.pattern.startswith("(?=)"), reader.__name__


def test_the_look_ahead_lists_where_every_expression_may_start():
    for reader, sources in (
        (absence, [s for lang in absence.TABLES for s in lang.expressions.values()]),
        (outreach_reader, [s for lang in outreach_reader.TABLES for s in lang.triggers.values()]),
        (objection_reader, [t.expressions for t in objection_reader.TABLES]),
    ):
        look_ahead = reader.PREFILTER.pattern.split(")(?:", 1)[0] + ")"
        for source in sources:
            chars, _ = first_chars(parsed(engine.apostrophes(source)))
            for char in lower(chars):
                assert re.match(look_ahead, char, re.IGNORECASE), (reader.__name__, char)


def test_the_prefilters_find_every_message_the_expressions_find():
    texts = [
        json.loads(line)["text"]
        for path in sorted(HERE.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    expressions = [rx for _, _, rx in absence.EXPRESSIONS]
    triggers = [rx for _, _, rx in outreach_reader.TRIGGERS]
    objections = [rx for _, _, rx in objection_reader.EXPRESSIONS]
    for text in texts:
        assert absence.might_be_notice(text) == any(rx.search(text) for rx in expressions), text
        assert outreach_reader.might_be_outreach(text) == any(rx.search(text) for rx in triggers)
        assert objection_reader.might_be_objection(text) == any(
            rx.search(text) for rx in objections
        ), text


def test_the_literal_gates_pass_every_message_a_cue_matches():
    """The gates (`literals.Gate`) are worked out from the expressions: a cue they hid would
    never be read. Every corpus message any cue or looser cue matches passes its reader's gate,
    and so do the cue words themselves written with capitals, accents and ’."""
    texts = [
        json.loads(line)["text"]
        for path in sorted([*HERE.glob("*.jsonl"), *HERE.parent.parent.glob("bench/data/*.jsonl")])
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    readers = (
        (absence, [rx for _, _, rx in (*absence.EXPRESSIONS, *absence.UNSURE)]),
        (
            outreach_reader,
            [rx for _, _, rx in (*outreach_reader.TRIGGERS, *outreach_reader.UNSURE)],
        ),
        (
            objection_reader,
            [rx for _, _, rx in (*objection_reader.EXPRESSIONS, *objection_reader.UNSURE)],
        ),
    )
    for reader, cues in readers:
        assert not reader.GATE.open, reader.__name__
        for text in texts + [t.upper() for t in texts] + [t.replace("'", "’") for t in texts]:
            # (the same as "a text a cue matches passes the gate", searched only where it fails)
            if not reader.GATE(text):
                assert not any(rx.search(text) for rx in cues), (reader.__name__, text)


def test_a_gate_literal_at_a_word_start_is_not_found_inside_a_word():
    from handlers.recognise import literals

    gate = literals.Gate([r"\bmiss(?:ing)?\b", r"(?<![\w+\-−])[-−]1(?!\d)"])
    assert gate("I'll miss Tuesday") and gate("MISSING the call") and gate("ok -1")
    assert not gate("dismissed as planned") and not gate("nothing here")
    # "make" is an everyday word: the rarer literals are chosen
    assert literals.required(r"\b(?:can'?t|cannot)\s+make\b") == {
        ("can't", True),
        ("cant", True),
        ("cannot", True),
    }


def _starts(rx: re.Pattern[str], text: str) -> set[int]:
    """Every position where `rx` matches (not only where non-overlapping matches start)."""
    found, pos = set(), 0
    while (match := rx.search(text, pos)) is not None:
        found.add(match.start())
        pos = match.start() + 1
    return found


def test_the_grouped_prefilters_match_exactly_where_their_cues_do():
    """`tables.union` regroups the cues' alternatives by their first character: it must match at
    every position one of the cues matches, and nowhere else (on every message the reader's
    literal gate lets through; the others are never searched)."""
    texts = [
        json.loads(line)["text"]
        for path in sorted([*HERE.glob("*.jsonl"), *HERE.parent.parent.glob("bench/data/*.jsonl")])
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for reader in (absence, outreach_reader, objection_reader):
        sure = getattr(reader, "EXPRESSIONS", None) or reader.TRIGGERS
        passed = [text for text in texts if reader.GATE(text)]
        for union, cues in ((reader.PREFILTER, sure), (reader.UNSURE_PREFILTER, reader.UNSURE)):
            for text in passed:
                expected = set().union(*(_starts(rx, text) for _, _, rx in cues))
                assert _starts(union, text) == expected, (reader.__name__, text)


def test_alternatives_are_split_only_at_the_top_level():
    from handlers.recognise.tables import alternatives

    assert alternatives(r"a|b(?:c|d)|[|\]]x|\|y|[^]|]z") == [
        "a",
        "b(?:c|d)",
        r"[|\]]x",
        r"\|y",
        "[^]|]z",
    ]
