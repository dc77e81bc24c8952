"""How Matrix events become the event model and the core's words become Matrix messages:
the `!pn` prefix, mentions, replies and threads, reactions, buttons, and escaped HTML.
(No homeserver needed: these are the transport's pure translations.)"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot import config
from bot.transports import matrix_render as render
from bot.transports.matrix import Me, button_action, parse_message, parse_reaction
from handlers.events import Action, Command, Edited, Message, Post, Reaction, Reply

ME = Me("@pnbot:example.org", "PN Bot")
AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def event(content: dict, sender: str = "@amina:example.org", kind: str = "m.room.message"):
    return {
        "type": kind,
        "sender": sender,
        "event_id": "$e1",
        "origin_server_ts": int(AT.timestamp() * 1000),
        "content": content,
    }


def text(body: str, **extra) -> dict:
    return event({"msgtype": "m.text", "body": body, **extra})


def test_the_prefix_makes_a_command_and_people_are_named_without_their_at():
    parsed = parse_message("!room:example.org", text("!pn vote 1 agree"), ME, False)
    assert parsed == Command(
        transport="matrix",
        room="!room:example.org",
        user="amina:example.org",
        key="$e1",
        at=AT,
        message_id="$e1",
        text="vote 1 agree",
    )


@pytest.mark.parametrize(
    ("body", "extra"),
    [
        ("PN Bot: help", {}),
        ("pnbot, help", {}),
        ("@pnbot:example.org help", {}),
        ("help", {"m.mentions": {"user_ids": ["@pnbot:example.org"]}}),
    ],
)
def test_a_mention_by_name_id_or_pill_addresses_the_bot(body, extra):
    parsed = parse_message("!r:x", text(body, **extra), ME, False)
    assert isinstance(parsed, Message)
    assert (parsed.text, parsed.mentions_bot) == ("help", True)


def test_a_reply_is_in_the_thread_of_the_message_it_answers_without_the_quote():
    body = "> <@bruno:example.org> Outreach 1: ...\n> more\n\nI object: a vendor sponsors it"
    reply = text(body, **{"m.relates_to": {"m.in_reply_to": {"event_id": "$post"}}})
    parsed = parse_message("!r:x", reply, ME, False)
    assert (parsed.text, parsed.thread) == ("I object: a vendor sponsors it", "$post")

    threaded = text("I object", **{"m.relates_to": {"rel_type": "m.thread", "event_id": "$root"}})
    assert parse_message("!r:x", threaded, ME, False).thread == "$root"


@pytest.mark.parametrize(
    "content",
    [
        {"msgtype": "m.notice", "body": "another bot"},
        {"msgtype": "m.text", "body": "* fixed", "m.relates_to": {"rel_type": "m.replace"}},
        {"msgtype": "m.image", "body": "photo.png"},
        {"msgtype": "m.text"},
    ],
)
def test_notices_edits_files_and_bodiless_messages_are_not_read(content):
    assert parse_message("!r:x", event(content), ME, False) is None


def test_the_bots_own_messages_and_reactions_are_ignored():
    mine = event({"msgtype": "m.text", "body": "!pn help"}, sender=ME.user_id)
    assert parse_message("!r:x", mine, ME, False) is None
    own = event(
        {"m.relates_to": {"rel_type": "m.annotation", "event_id": "$p", "key": "\u26d4"}},
        sender=ME.user_id,
        kind="m.reaction",
    )
    assert parse_reaction("!r:x", own, ME, False) is None


@pytest.mark.parametrize(("key", "name"), [("\u26d4", "no_entry"), ("\u26d4\ufe0f", "no_entry")])
def test_the_no_entry_reaction_is_the_cores_objection(key, name):
    reaction = event(
        {"m.relates_to": {"rel_type": "m.annotation", "event_id": "$post", "key": key}},
        kind="m.reaction",
    )
    parsed = parse_reaction("!r:x", reaction, ME, False)
    assert isinstance(parsed, Reaction)
    assert (parsed.name, parsed.target, parsed.added) == (name, "$post", True)


def test_a_number_presses_the_button_it_names_and_no_other():
    buttons = [{"label": "agree", "action": "poll.vote", "value": "1:agree"}] * 2
    pressed = parse_message("!r:x", text("2"), ME, False)
    assert render.button_number("2") == 2
    assert render.button_number("2\ufe0f\u20e3") == render.button_number("2\u20e3") == 2
    assert render.button_number("11") is None and render.button_number("yes") is None
    action = button_action(pressed, 2, "$poll", buttons)
    assert isinstance(action, Action)
    assert (action.action, action.value, action.target, action.key) == (
        "poll.vote",
        "1:agree",
        "$poll",
        "$e1",
    )
    assert button_action(pressed, 3, "$poll", buttons) is None


def test_user_text_is_escaped_in_the_html_and_kept_in_the_plain_body():
    said = render.content(Reply(text="You wrote <script>alert(1)</script> & `a<b`"))
    assert said["body"] == "You wrote <script>alert(1)</script> & `a<b`"
    assert said["formatted_body"] == (
        "You wrote &lt;script&gt;alert(1)&lt;/script&gt; &amp; <code>a&lt;b</code>"
    )
    assert said["msgtype"] == "m.notice" and said["format"] == "org.matrix.custom.html"


def test_room_mentions_and_names_in_echoed_text_notify_no_one():
    said = render.content(Reply(text="Noted: @room listen, @bruno:example.org <!channel>"))
    assert said["m.mentions"] == {}
    assert said["body"] == "Noted: @room listen, @bruno:example.org <!channel>"


def test_handles_become_mentions_emoji_codes_emoji_and_buttons_numbered_lines():
    post = Post(
        transport="matrix",
        room="!r:x",
        text="Outreach 1 by @amina:example.org: react with :no_entry:\nsecond line",
        data={"actions": [{"label": "Undo", "action": "outreach.withdraw", "value": "1"}]},
    )
    said = render.content(post)
    assert said["body"].startswith("Outreach 1 by @amina:example.org: react with \u26d4\n")
    assert (
        '<a href="https://matrix.to/#/@amina:example.org">@amina:example.org</a>'
        in (said["formatted_body"])
    )
    assert "<br>second line" in said["formatted_body"]
    assert said["body"].endswith("1\ufe0f\u20e3 Undo")
    assert said[render.ACTIONS_KEY] == [
        {"label": "Undo", "action": "outreach.withdraw", "value": "1"}
    ]


def test_the_matrix_settings_are_checked_and_picked_automatically():
    env = {
        "MATRIX_HOMESERVER": "https://matrix.example.org/",
        "MATRIX_USER_ID": "@pnbot:example.org",
        "MATRIX_ACCESS_TOKEN": "syt_token",
        "MATRIX_ROOMS": "!a:example.org, !b:example.org",
    }
    settings = config.load(env, dotenv_path=None)
    assert settings.transport == "matrix"
    assert settings.matrix_homeserver == "https://matrix.example.org"
    assert settings.matrix_rooms == {"!a:example.org", "!b:example.org"}
    problems = {
        "MATRIX_USER_ID": {**env, "MATRIX_USER_ID": "pnbot"},
        "MATRIX_ACCESS_TOKEN": {**env, "MATRIX_ACCESS_TOKEN": ""},
        "MATRIX_HOMESERVER": {**env, "MATRIX_HOMESERVER": "matrix.example.org"},
        "MATRIX_ROOMS": {**env, "MATRIX_ROOMS": "#general:example.org"},
    }
    for variable, bad in problems.items():
        with pytest.raises(config.ConfigError) as error:
            config.load(bad, dotenv_path=None)
        assert error.value.variable == variable
    assert config.load({**env, "MATRIX_PASSWORD": "pw", "MATRIX_ACCESS_TOKEN": ""}, None)


def test_an_edit_names_the_original_message_and_carries_the_new_text():
    edit = text(
        "* sorry, I will miss the call on 16 December",
        **{
            "m.new_content": {"msgtype": "m.text", "body": "sorry, I will miss it on 16 December"},
            "m.relates_to": {"rel_type": "m.replace", "event_id": "$first"},
        },
    )
    parsed = parse_message("!r:x", edit, ME, False)
    assert isinstance(parsed, Edited)
    assert (parsed.message_id, parsed.text, parsed.key) == (
        "$first",
        "sorry, I will miss it on 16 December",
        "$e1",
    )
