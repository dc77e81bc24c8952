"""Figure 8: a `/pn vote` from Slack to its answer, end to end, as `pnbot run --http` serves
it: a signed request over HTTP to the bot's Bolt server (answered once the vote is in the
inbox), a runtime worker processing it on a SQLite file, and the delivery loop posting the
answer to the local fake Slack Web API; timed from sending the request until the answer
reaches the fake. Also the acknowledgement alone (Slack gives up after 3 s).

Baseline: a bare Bolt app behind the same server whose `/pn` listener acknowledges and then
posts a fixed answer itself: the floor of one signed request in and one Web API call out.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from common import emit, figure, percentile
from slack_bolt import App
from slack_bolt.request import BoltRequest
from slackfake import (
    BOT_TOKEN,
    SIGNING_SECRET,
    WAIT,
    Clock,
    Driver,
    FakeSlack,
    Inline,
    Sent,
    post_http,
)
from slash_vote import GROUPS, _fake, bench_settings

from bot.app import build
from bot.transports import slack

VOTERS = 20
VOTES = 200
WARM = 20


def _serve(app: App) -> tuple[str, Callable[[], None]]:
    """Serve `app` over HTTP on a free port of 127.0.0.1; its URL and how to stop it."""
    server = slack.http_server(app, SIGNING_SECRET, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(WAIT)

    return f"http://127.0.0.1:{server.server_address[1]}{slack.HTTP_PATH}", stop


def _answers_to(fake: FakeSlack, user: str) -> int:
    return sum(
        1
        for c in fake.to_unlocked("chat.postEphemeral")
        if c.body.get("user") == user and "poll 1" in c.text()
    )


def _round_trip(driver: Driver, fake: FakeSlack, text: str, user: str) -> tuple[float, float]:
    """Milliseconds until Slack got its acknowledgement, and until the answer reached Slack."""
    with fake.changed:
        before = _answers_to(fake, user)
    start = time.perf_counter()
    sent = driver.command(text, user=user)
    acked = time.perf_counter()
    assert sent.status == 200, sent
    with fake.changed:
        answered = fake.changed.wait_for(lambda: _answers_to(fake, user) > before, WAIT)
    done = time.perf_counter()
    assert answered, f"no answer to {text!r} of {user} reached Slack"
    return (acked - start) * 1000, (done - start) * 1000


def _set_up(core, fake: FakeSlack, voters: list[str]) -> None:
    """The group, its voters and poll 1, through an inline Bolt app (nothing left to send)."""
    app, _ = slack.build_app(
        core,
        client=slack.make_client(BOT_TOKEN, fake.url),
        clock=slack.wall_clock,
        inline=True,
        process_before_response=True,
        listener_executor=Inline(),
    )

    def send(body: str, headers: dict) -> Sent:
        response = app.dispatch(BoltRequest(body=body, headers=headers))
        return Sent(response.status, response.body)

    driver = Driver(send, Clock(datetime.now(UTC)), fake.url)
    setup = ["group create pn-bench"] + [
        f"member add <@{user}|voter{n}> group={GROUPS[n % 4]} region=africa "
        f'gender=woman org="Org {n}" tz=UTC'
        for n, user in enumerate(voters)
    ]
    setup.append('poll "Adopt the outline?" closes=5d')
    for text in setup:
        assert driver.command(text).status == 200


def _bare(fake: FakeSlack) -> App:
    bare = App(
        client=slack.make_client(BOT_TOKEN, fake.url),
        signing_secret=SIGNING_SECRET,
        name="bare",
    )

    @bare.command("/pn")
    def answer(ack, body, client):
        ack()
        client.chat_postEphemeral(
            channel=body["channel_id"], user=body["user_id"], text="Your vote on poll 1 is agree."
        )

    return bare


def run() -> list[dict]:
    fake, fake_server = _fake()
    voters = [f"UVOTER{n:03d}" for n in range(VOTERS)]
    with tempfile.TemporaryDirectory() as tmp:
        settings = bench_settings(Path(tmp), fake)
        core = build(settings)
        _set_up(core, fake, voters)
        bot, transport = slack.build_app(core)  # as `pnbot run --http` builds it
        transport.runtime.start()
        bot_url, stop_bot = _serve(bot)
        bare_url, stop_bare = _serve(_bare(fake))
        clock = Clock(datetime.now(UTC))
        driver = Driver(lambda b, h: post_http(bot_url, b, h), clock, fake.url, 100_000)
        bare_driver = Driver(lambda b, h: post_http(bare_url, b, h), clock, fake.url, 900_000)
        votes = [
            (f"vote 1 {'agree' if n % 3 else 'abstain'}", voters[n % VOTERS])
            for n in range(WARM + VOTES)
        ]
        try:
            for text, user in votes[:WARM]:  # first connections, compiled patterns
                _round_trip(driver, fake, text, user)
                _round_trip(bare_driver, fake, text, user)
            # the bot and the bare app take turns, so a busy moment of this shared machine
            # lands on both alike
            bot_ack, bot_ms, bare_ack, bare_ms = [], [], [], []
            for text, user in votes[WARM:]:
                acked, answered = _round_trip(driver, fake, text, user)
                bot_ack.append(acked)
                bot_ms.append(answered)
                acked, answered = _round_trip(bare_driver, fake, text, user)
                bare_ack.append(acked)
                bare_ms.append(answered)
        finally:
            stop_bot()
            stop_bare()
            transport.runtime.stop()
            core.engine.dispose()
    fake_server.shutdown()
    fake_server.server_close()
    rows = []
    for label, p in (("p50", 50), ("p99", 99)):
        value, floor = percentile(bot_ms, p), percentile(bare_ms, p)
        target = "value <= 250" if p == 99 else "none (p99 is the target)"
        rows.append(
            figure(
                f"8 /pn vote over HTTP until its answer reaches Slack, {label}",
                value,
                "ms",
                floor,
                value / floor,
                target,
            )
        )
    ack, floor = percentile(bot_ack, 99), percentile(bare_ack, 99)
    rows.append(
        figure(
            "8 the same, acknowledgement only, p99", ack, "ms", floor, ack / floor, "value <= 3000"
        )
    )
    return rows


def main() -> None:
    for row in run():
        emit(row)


if __name__ == "__main__":
    main()
