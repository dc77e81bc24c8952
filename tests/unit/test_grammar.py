"""The command grammar: words, "quoted words", mentions and key=value options."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers import grammar
from handlers.base import Param, UserError, parse_usage
from handlers.registry import REGISTRY

MEMBER_ADD = REGISTRY["member add"]
ADD_OPTIONS = ["group=civil-society", "region=africa", "gender=woman", "org=Data Rights Lab"]


def refusal(spec, tokens) -> str:
    with pytest.raises(UserError) as caught:
        grammar.bind(spec, tokens)
    return str(caught.value)


# tokenize -----------------------------------------------------------------------------------


def test_tokenize_keeps_apostrophes_inside_words():
    assert grammar.tokenize("I can't make it, it's Anna's day") == [
        "I",
        "can't",
        "make",
        "it,",
        "it's",
        "Anna's",
        "day",
    ]


def test_tokenize_groups_double_quoted_words():
    assert grammar.tokenize('member add @uma org="Data Rights Lab" name="Uma A"') == [
        "member",
        "add",
        "@uma",
        "org=Data Rights Lab",
        "name=Uma A",
    ]


def test_tokenize_groups_typographic_quotes_too():
    assert grammar.tokenize("say \u201cgood morning all\u201d and \u201eguten Tag\u201d") == [
        "say",
        "good morning all",
        "and",
        "guten Tag",
    ]


def test_tokenize_keeps_an_apostrophe_inside_quotes():
    assert grammar.tokenize('note "we can\'t agree"') == ["note", "we can't agree"]


def test_tokenize_refuses_an_unclosed_quote():
    with pytest.raises(UserError, match="A quote is not closed"):
        grammar.tokenize('org="Data Rights Lab')


# handle_of ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "handle"),
    [
        ("@alice", "alice"),
        ("@alice.b-c", "alice.b-c"),
        ("<@U012AB>", "U012AB"),
        ("<@U012AB|alice>", "U012AB"),
    ],
)
def test_handle_of_reads_console_and_slack_mentions(token, handle):
    assert grammar.handle_of(token) == handle


@pytest.mark.parametrize("token", ["alice", "@", "", "<@>", "<@U012AB", "@<script>", "a@b"])
def test_handle_of_rejects_what_is_not_a_mention(token):
    assert grammar.handle_of(token) is None


# command ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "rest"),
    [
        ("group", "group", []),
        ("group create pn-ai target=20", "group create", ["pn-ai", "target=20"]),
        ("group bind pn-ai", "group bind", ["pn-ai"]),
        ("member show @amina", "member show", ["@amina"]),
        ("help member add", "help", ["member", "add"]),
        ("MEMBER Show @amina", "member show", ["@amina"]),
    ],
)
def test_command_picks_the_longest_registered_name(text, name, rest):
    spec, tokens = grammar.command(text, REGISTRY)

    assert (spec.name, tokens) == (name, rest)


def test_command_prefers_three_words_over_one_in_any_registry():
    registry = {"poll": REGISTRY["roster"], "poll close now": REGISTRY["balance"]}

    spec, tokens = grammar.command("poll close now please", registry)

    assert (spec.name, tokens) == ("balance", ["please"])


def test_command_of_an_unknown_word_suggests_a_close_one():
    with pytest.raises(UserError, match=r"`membr`\. Did you mean `member`\?"):
        grammar.command("membr add", REGISTRY)


def test_command_of_nothing_says_to_type_a_command():
    with pytest.raises(UserError, match="Type a command"):
        grammar.command("   ", REGISTRY)


def test_command_refuses_text_over_the_limit_before_reading_it():
    with pytest.raises(UserError, match=f"{grammar.MAX_COMMAND_LENGTH} at most"):
        grammar.command('roster "' + "x" * grammar.MAX_COMMAND_LENGTH, REGISTRY)


# bind ---------------------------------------------------------------------------------------


def test_bind_reads_the_person_and_the_options():
    args = grammar.bind(MEMBER_ADD, ["<@U012AB|uma>", *ADD_OPTIONS, "tz=Africa/Kampala"])

    assert args.words == ["U012AB"]
    assert args.options == {
        "group": "civil-society",
        "region": "africa",
        "gender": "woman",
        "org": "Data Rights Lab",
        "tz": "Africa/Kampala",
    }


def test_bind_accepts_a_bare_handle_for_a_person():
    assert grammar.bind(REGISTRY["member show"], ["amina"]).words == ["amina"]


def test_bind_reports_a_missing_option_with_the_usage():
    message = refusal(MEMBER_ADD, ["@uma", *ADD_OPTIONS[:3]])

    assert "`member add` needs `org=`." in message
    assert message.endswith(f"Usage: `{MEMBER_ADD.usage}`")


def test_bind_reports_a_missing_person_with_the_usage():
    message = refusal(REGISTRY["member remove"], [])

    assert (
        message == "`member remove` is missing `@user`.\nUsage: `member remove @user [<reason...>]`"
    )


def test_bind_reports_an_unknown_option_with_the_usage():
    message = refusal(MEMBER_ADD, ["@uma", *ADD_OPTIONS, "colour=blue"])

    assert "`member add` has no option `colour=`." in message
    assert message.endswith(f"Usage: `{MEMBER_ADD.usage}`")


def test_bind_reports_a_duplicate_option_with_the_usage():
    message = refusal(MEMBER_ADD, ["@uma", "region=asia-pacific", *ADD_OPTIONS])

    assert "`region=` is given twice." in message
    assert message.endswith(f"Usage: `{MEMBER_ADD.usage}`")


def test_bind_reports_an_unexpected_word_with_the_usage():
    message = refusal(REGISTRY["roster"], ["please"])

    assert message == "I did not expect `please` there.\nUsage: `roster`"


def test_bind_reports_a_word_that_is_no_person():
    message = refusal(REGISTRY["member show"], ["Amina Odhiambo"])

    assert "`Amina Odhiambo` is not a person: mention them, like `@alice`." in message


def test_bind_reads_option_keys_whatever_their_case():
    args = grammar.bind(
        MEMBER_ADD, ["@uma", "GROUP=civil-society", "Region=africa", "gender=woman", "ORG=Lab"]
    )

    assert args.options == {
        "group": "civil-society",
        "region": "africa",
        "gender": "woman",
        "org": "Lab",
    }


def test_bind_gives_free_text_to_a_command_that_takes_the_rest():
    args = grammar.bind(REGISTRY["help"], ["member", "add"])

    assert (args.words, args.rest) == ([], "member add")


# parse_usage --------------------------------------------------------------------------------


def test_parse_usage_reads_member_add_from_its_docstring():
    assert MEMBER_ADD.params == (
        Param("user", optional=False, is_mention=True),
        Param("group", optional=False, is_option=True),
        Param("region", optional=False, is_option=True),
        Param("gender", optional=False, is_option=True),
        Param("org", optional=False, is_option=True),
        Param("capacity", optional=True, is_option=True),
        Param("role", optional=True, is_option=True),
        Param("tz", optional=True, is_option=True),
        Param("name", optional=True, is_option=True),
        Param("email", optional=True, is_option=True),
    )


def test_parse_usage_reads_optional_words_and_free_text():
    assert parse_usage("member show [@user]", "member show") == (
        Param("user", optional=True, is_mention=True),
    )
    assert parse_usage("help [<command...>]", "help") == (
        Param("command", optional=True, is_rest=True),
    )
    assert parse_usage("group create <name> [target=<size>]", "group create") == (
        Param("name", optional=False),
        Param("target", optional=True, is_option=True),
    )


# any text at all ----------------------------------------------------------------------------

_tricky = st.sampled_from(['"', "\u201c", "\u201d", "'", "=", "@", "<@", ">", "|", " ", "\\"])
_text = st.lists(st.one_of(st.text(max_size=12), _tricky), max_size=12).map("".join)


@given(
    st.one_of(
        _text,
        st.builds(lambda name, tail: f"{name} {tail}", st.sampled_from(sorted(REGISTRY)), _text),
    )
)
def test_any_text_is_either_a_command_or_a_user_error(text):
    try:
        spec, tokens = grammar.command(text, REGISTRY)
        grammar.bind(spec, tokens)
    except UserError:
        pass
