"""The slash command's name is configurable (PNBOT_SLASH_COMMAND, default /pn), for a
workspace where another app has /pn: the listener answers that name only, and the help and
the Home tab shown on Slack tell people to type it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from slack_bolt.request import BoltRequest
from slackfake import AMINA, BOT_TOKEN, ROOM, Clock, Driver, Inline, Sent

from bot.config import ConfigError, load
from bot.transports import slack


def test_the_slash_command_defaults_to_pn_and_can_be_renamed():
    assert load({}, dotenv_path=None).slack_command == "/pn"
    assert load({"PNBOT_SLASH_COMMAND": "/wg"}, dotenv_path=None).slack_command == "/wg"


@pytest.mark.parametrize("value", ["wg", "/WG", "/w g", "/" + "x" * 32, "/wg;"])
def test_a_name_slack_would_refuse_is_refused_early(value):
    with pytest.raises(ConfigError, match="PNBOT_SLASH_COMMAND"):
        load({"PNBOT_SLASH_COMMAND": value}, dotenv_path=None)


@pytest.fixture
def renamed(core, fake):
    """The bot's Bolt app with its slash command renamed /wg, and a driver for it."""
    core = replace(core, settings=replace(core.settings, slack_command="/wg"))
    clock = Clock()
    app, out = slack.build_app(
        core,
        client=slack.make_client(BOT_TOKEN, fake.url),
        clock=clock,
        inline=True,
        process_before_response=True,
        listener_executor=Inline(),
    )

    def send(body: str, headers: dict) -> Sent:
        response = app.dispatch(BoltRequest(body=body, headers=headers))
        return Sent(response.status, response.body)

    return Driver(send, clock, fake.url), out


def test_the_listener_answers_the_configured_name_and_help_uses_it(renamed, fake):
    driver, _ = renamed

    sent = driver.command("help", user=AMINA, slash="/wg")

    assert sent.status == 200
    [answer] = fake.to("chat.postEphemeral")
    assert (answer.body["channel"], answer.body["user"]) == (ROOM, AMINA)
    assert answer.text().startswith("Commands (type them after /wg, or to me directly;")


def test_the_old_name_reaches_no_listener(renamed, fake):
    driver, _ = renamed

    sent = driver.command("help", user=AMINA, slash="/pn")

    assert sent.status == 404  # Bolt's answer when no listener matches
    assert fake.to("chat.postEphemeral") == []


def test_the_home_tab_of_someone_on_no_roster_names_the_configured_command(renamed, fake):
    driver, _ = renamed

    driver.home(AMINA)

    [published] = fake.to("views.publish")
    text = published.body["view"]["blocks"][0]["text"]["text"]
    assert "`/wg member add @you ...`; `/wg help`" in text
