"""Fixtures of the Slack transport tests: the fake Slack Web API server, the bot's core on a
real database, its Bolt app, and a driver that sends signed requests to it."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import ThreadingHTTPServer

import pytest
from slack_bolt import App
from slack_bolt.request import BoltRequest
from slackfake import (
    BOT_TOKEN,
    FACILITATOR,
    SIGNING_SECRET,
    WAIT,
    Clock,
    Driver,
    FakeSlack,
    Inline,
    Sent,
    handler,
)

from bot.app import build
from bot.config import Settings
from bot.transports import slack


@dataclass
class Bot:
    app: App
    out: slack.SlackOut


@pytest.fixture
def fake():
    recorder = FakeSlack()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(recorder))
    server.daemon_threads = True
    recorder.url = f"http://127.0.0.1:{server.server_address[1]}/api/"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield recorder
    for event in recorder.held.values():
        event.set()
    server.shutdown()
    server.server_close()
    thread.join(WAIT)


@pytest.fixture
def settings(db_url, fake) -> Settings:
    return Settings(
        database_url=db_url,
        transport="slack",
        facilitators=frozenset({FACILITATOR}),
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.url,
    )


@pytest.fixture
def core(settings):
    """The whole bot (on SQLite and on PostgreSQL), with a Slack user id as facilitator."""
    built = build(settings)
    yield built
    built.engine.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def bolt(core, fake, clock):
    """The bot's Bolt app as tests drive it: `dispatch()` returns when everything was sent."""
    app, out = slack.build_app(
        core,
        client=slack.make_client(BOT_TOKEN, fake.url),
        clock=clock,
        inline=True,
        process_before_response=True,
        listener_executor=Inline(),
    )
    return Bot(app, out)


@pytest.fixture
def driver(bolt, clock, fake) -> Driver:
    def send(body: str, headers: dict) -> Sent:
        response = bolt.app.dispatch(BoltRequest(body=body, headers=headers))
        return Sent(response.status, response.body)

    return Driver(send, clock, fake.url)
