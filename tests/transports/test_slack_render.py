"""How the core's words look in Slack, and how Slack's text reaches the core."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from slackfake import AMINA, ROOM, FakeSlack

from bot.transports import slack_blocks
from bot.transports.base import Refused
from bot.transports.slack_blocks import mrkdwn, plain, render, strip_mention
from handlers.events import Post, Reply, Update, mention

BOT = "UPNBOT001"


def stamp(*args) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())


def test_a_utc_moment_becomes_a_date_token_with_the_cores_text_as_fallback():
    assert mrkdwn("the meeting of Tue 8 Dec 2026, 13:00 UTC.") == (
        f"the meeting of <!date^{stamp(2026, 12, 8, 13)}^{{date_long_pretty}} at {{time}}"
        "|Tue 8 Dec 2026, 13:00 UTC>."
    )


@pytest.mark.parametrize(
    "written",
    [
        "Tue 8 Dec 2026, 13:00 UTC (14:00 Europe/Paris)",
        "Tue 8 Dec 2026, 13:00 UTC (Wed 9 Dec, 02:00 Pacific/Auckland)",
        "Tue 8 Dec 2026, 13:00 UTC (08:00 America/Argentina/Buenos_Aires)",
    ],
)
def test_the_readers_own_zone_part_is_replaced_by_the_token_and_kept_in_the_fallback(written):
    assert mrkdwn(written) == (
        f"<!date^{stamp(2026, 12, 8, 13)}^{{date_long_pretty}} at {{time}}|{written}>"
    )


def test_code_spans_are_left_as_written_but_escaped():
    text = f"To object: `object 4 <reason>`; by {mention('UAMINA001')} on Tue 8 Dec 2026, 13:00 UTC & more"

    shown = mrkdwn(text)

    assert shown.startswith("To object: `object 4 &lt;reason&gt;`; by <@UAMINA001> on <!date^")
    assert shown.endswith("|Tue 8 Dec 2026, 13:00 UTC> &amp; more")
    assert mrkdwn("`member show @UAMINA001`") == "`member show @UAMINA001`"
    assert mrkdwn(f"`member show {mention('UAMINA001')}`") == "`member show @UAMINA001`"


def test_only_the_cores_marked_slack_user_ids_become_mentions():
    written = f"{mention('UAMINA001')}, {mention('amina')}, ana@UEXAMPLE01.org, @UBRUNO001"
    assert mrkdwn(written) == "<@UAMINA001>, @amina, ana@UEXAMPLE01.org, @UBRUNO001"


def test_a_marked_handle_without_its_closing_mark_is_text():
    assert mrkdwn("\ufdd0@UAMINA001 and @UBRUNO001\ufdd1") == "@UAMINA001 and @UBRUNO001"


def test_slack_markup_in_what_people_write_is_read_as_they_typed_it():
    written = (
        "I'll present at <https://rightscon.org|RightsCon> in <#C0GENERAL|general>, "
        "<!here> &lt;soon&gt; &amp; <@UAMINA001|amina>"
    )

    assert plain(written) == (
        "I'll present at https://rightscon.org in #general, @here <soon> & <@UAMINA001|amina>"
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (f"<@{BOT}> roster", ("roster", True)),
        (f"<@{BOT}|pnbot>: away next", ("away next", True)),
        (f"apologies <@{BOT}> for Tuesday", ("apologies for Tuesday", True)),
        ("<@UAMINA001> hello", ("<@UAMINA001> hello", False)),
    ],
)
def test_the_bots_own_mention_is_taken_out(written, expected):
    assert strip_mention(written, BOT) == expected


def test_long_text_is_split_at_line_ends_into_sections_slack_accepts():
    lines = [f"{i:04d} " + "x" * 95 for i in range(100)]

    text, blocks = render(Reply(text="\n".join(lines)))

    pieces = [b["text"]["text"] for b in blocks]
    assert all(len(p) <= slack_blocks.SECTION_LIMIT for p in pieces)
    assert len(pieces) == 4
    assert "\n".join(pieces) == text == "\n".join(lines)


def test_many_buttons_are_spread_over_actions_blocks_with_distinct_ids():
    actions = [
        {"label": f"option {i}", "action": "poll.vote", "value": f"1:{i}"} for i in range(30)
    ]

    _, blocks = render(Post(transport="slack", room=ROOM, text="Poll 1", data={"actions": actions}))

    groups = [b["elements"] for b in blocks if b["type"] == "actions"]
    assert [len(g) for g in groups] == [25, 5]
    ids = [e["action_id"] for g in groups for e in g]
    assert len(set(ids)) == 30
    assert {slack_blocks.action_name(i) for i in ids} == {"poll.vote"}


def test_an_update_edits_the_message_with_chat_update(bolt, fake: FakeSlack):
    bolt.out.deliver(
        Update(transport="slack", room=ROOM, message_id="1800000000.000001", text="Poll 1: closed")
    )

    [edit] = fake.to("chat.update")
    assert (edit.body["channel"], edit.body["ts"], edit.text()) == (
        ROOM,
        "1800000000.000001",
        "Poll 1: closed",
    )


def test_a_message_for_another_transport_is_refused_without_calling_slack(bolt, fake):
    matrix = Post(transport="matrix", room="!room:example.org", text="hello")

    with pytest.raises(Refused):
        bolt.out.deliver(matrix)  # the delivery loop hands Slack only Slack's messages
    assert fake.web_api() == []


def test_a_slash_command_where_the_bot_is_not_a_member_is_answered_by_its_response_url(
    driver, fake
):
    fake.answers["chat.postEphemeral"] = {"ok": False, "error": "not_in_channel"}

    driver.command("help", user=AMINA)

    [hook] = fake.to("response_url")
    assert hook.body["response_type"] == "ephemeral"
    assert hook.body["text"].startswith("Commands")
