"""HTTP mode over real sockets on 127.0.0.1, configured as in production: Bolt answers as
soon as a listener acknowledges, checks every signature, and the work follows."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from slackfake import (
    FACILITATOR,
    ROOM,
    SIGNING_SECRET,
    WAIT,
    Clock,
    Driver,
    FakeSlack,
    post_http,
    signed_headers,
    snapshot,
)

from bot.transports import slack

ROOT = Path(__file__).parent.parent.parent


@pytest.fixture
def served(core, fake):
    """The bot's HTTP mode as `pnbot run --http` builds it, on a free port of 127.0.0.1."""
    app, transport = slack.build_app(core)
    transport.runtime.start()
    server = slack.http_server(app, SIGNING_SECRET, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}{slack.HTTP_PATH}"
    yield url
    server.shutdown()
    server.server_close()
    thread.join(WAIT)
    transport.runtime.stop()


@pytest.fixture
def http(served) -> Driver:
    return Driver(lambda body, headers: post_http(served, body, headers), Clock())


def test_a_signed_slash_command_is_acknowledged_then_answered(http, fake: FakeSlack):
    sent = http.command("help")

    assert (sent.status, sent.body) == (200, "")
    [answer] = fake.wait_for("chat.postEphemeral")
    assert answer.body["user"] == FACILITATOR
    assert answer.text().startswith("Commands")


def test_the_acknowledgement_does_not_wait_for_the_answer_to_be_posted(http, fake):
    release = fake.hold("chat.postEphemeral")

    sent = http.command("help")

    assert sent.status == 200
    assert fake.to("chat.postEphemeral") == []  # the answer is still on its way
    release.set()
    fake.wait_for("chat.postEphemeral")


def test_a_rate_limited_answer_is_sent_again_and_delivered(http, fake):
    fake.rate_limit("chat.postMessage", times=1)

    http.command("group create pn-ai")

    first, second = fake.wait_for("chat.postMessage", count=2)
    assert first.headers.get("x-fake-limited") and not second.headers.get("x-fake-limited")
    assert first.body == second.body
    assert second.text().startswith("Created the working group pn-ai")


def test_slack_checking_the_request_url_gets_its_challenge_back(http):
    body = json.dumps({"token": "legacy", "challenge": "c-42", "type": "url_verification"})

    sent = http.deliver(body, "application/json")

    assert sent.status == 200
    assert "c-42" in sent.body


def forged_requests() -> list[tuple[str, str, dict]]:
    """A command signed with another secret, one signed ten minutes ago, one changed after
    signing, and one not signed at all."""
    body = urlencode(
        {
            "command": "/pn",
            "text": "group create pn-ai",
            "user_id": FACILITATOR,
            "channel_id": ROOM,
            "trigger_id": "trigger.forged",
        }
    )
    form = "application/x-www-form-urlencoded"
    stale = int(time.time()) - 600
    return [
        (body, form, signed_headers(body, secret="not-the-secret")),
        (body, form, signed_headers(body, timestamp=stale)),
        (body.replace("pn-ai", "pn-xx"), form, signed_headers(body)),
        (body, form, {}),
    ]


def test_forged_and_stale_requests_over_http_get_401_and_change_nothing(http, fake, core):
    before = snapshot(core.engine)

    garbage = [("x", "application/json", {}), ("{}", "application/json", signed_headers("x"))]
    for body, content_type, headers in forged_requests() + garbage:
        sent = http.send(body, {"content-type": content_type} | headers)
        assert sent.status == 401, (body, headers)

    assert snapshot(core.engine) == before
    assert fake.web_api() == []


def test_forged_and_stale_requests_through_dispatch_get_401_and_change_nothing(driver, fake, core):
    before = snapshot(core.engine)

    for body, content_type, headers in forged_requests():
        sent = driver.send(body, {"content-type": content_type} | headers)
        assert sent.status == 401, headers

    assert snapshot(core.engine) == before
    assert fake.web_api() == []
