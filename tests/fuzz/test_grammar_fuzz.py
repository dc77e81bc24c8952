"""The command parser on hostile text: it names a use case and binds its arguments, or says
no with a clear reply (a `UserError`); it never fails any other way."""

from __future__ import annotations

from hostile_text import CONTROLS, FUZZ, INJECTIONS, any_text, dense_phrase, oversized
from hypothesis import example, given
from hypothesis import strategies as st

from handlers import grammar
from handlers.base import UserError
from handlers.lookalikes import BIDI
from handlers.registry import REGISTRY

NAMES = sorted(REGISTRY)


def parse(text: str):
    """The spec and arguments `text` binds to, or the refusal's text."""
    try:
        spec, tokens = grammar.command(text, REGISTRY)
        return spec, grammar.bind(spec, tokens)
    except UserError as refusal:
        return str(refusal)


def test_any_text_parses_or_is_refused_in_words(tally):
    @FUZZ
    @given(st.one_of(any_text, st.tuples(st.sampled_from(NAMES), any_text).map(" ".join)))
    @example("member add @uma group=civil-society\x00")
    @example('poll "unclosed')
    @example("")
    @example("x" * 40_000)
    def check(text):
        tally.add("grammar: any text")
        result = parse(text)
        if isinstance(result, str):
            assert result.strip(), text
            assert "Traceback" not in result
            assert len(result) < 1000, "a refusal quotes only a short part of the input"

    check()


def test_a_control_character_is_refused_by_name(tally):
    @FUZZ
    @given(st.sampled_from(NAMES), dense_phrase(), st.sampled_from(CONTROLS), st.data())
    def check(name, words, control, data):
        tally.add("grammar: control characters")
        text = f"{name} {words}"
        at = data.draw(st.integers(0, len(text)))
        result = parse(text[:at] + control + text[at:])
        assert result == (
            f"The command holds an invisible control character (U+{ord(control):04X}); "
            "type it again without it."
        )

    check()


def test_an_oversized_command_is_refused_with_its_length(tally):
    @FUZZ
    @given(st.sampled_from(NAMES), oversized())
    def check(name, body):
        tally.add("grammar: oversized")
        text = f"{name} {body}"[:40_000]
        assert parse(text) == (
            f"That command is too long (40000 characters; {grammar.MAX_COMMAND_LENGTH} at most)."
        )

    check()


def test_hostile_words_reach_a_text_argument_unchanged(tally):
    """Mention and markup injection, SQL-looking strings and mixed scripts are only text:
    the words after `agenda add` are the item, exactly as typed."""

    @FUZZ
    @given(dense_phrase(40))
    @example(" ".join(INJECTIONS[:10]).replace('"', ""))
    def check(phrase):
        tally.add("grammar: verbatim text")
        result = parse(f"agenda add {phrase}")
        if BIDI.search(phrase):  # refused: it would show in another order than it reads
            assert isinstance(result, str) and "invisible direction control" in result
            return
        assert not isinstance(result, str), result
        spec, args = result
        assert spec.name == "agenda add"
        assert args.rest == phrase

    check()


def test_the_longest_command_name_wins(tally):
    @FUZZ
    @given(st.sampled_from(NAMES), st.lists(st.sampled_from(["1", "#2", "@amina"]), max_size=3))
    def check(name, words):
        tally.add("grammar: command names")
        spec, tokens = grammar.command(" ".join([name.upper(), *words]), REGISTRY)
        assert spec.name == name
        assert tokens == words

    check()
