"""Figure 3: `/pn vote` as Slack sends it, end to end: a signed request through Bolt's
`App.dispatch`, the signature check, parsing, the vote written to a SQLite file, and the
answer posted to the local fake Slack Web API over HTTP (the bot's real renderer).

Baseline: a bare Bolt app on the same fake whose `/pn` listener only acknowledges, the floor
slack-bolt sets for a signed slash command.
"""

from __future__ import annotations

import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

from common import emit, figure, percentile
from slack_bolt import App
from slack_bolt.request import BoltRequest
from slackfake import (
    BOT_TOKEN,
    FACILITATOR,
    SIGNING_SECRET,
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

VOTERS = 20
VOTES = 400
GROUPS = ("civil-society", "government", "private-sector", "technical-community")


def _fake() -> tuple[FakeSlack, ThreadingHTTPServer]:
    recorder = FakeSlack()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(recorder))
    server.daemon_threads = True
    recorder.url = f"http://127.0.0.1:{server.server_address[1]}/api/"
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return recorder, server


def bench_settings(folder: Path, fake: FakeSlack) -> Settings:
    """The bot's settings on a SQLite file in `folder`, against the fake Slack."""
    return Settings(
        database_url=f"sqlite:///{folder / 'bench.db'}",
        transport="slack",
        facilitators=frozenset({FACILITATOR}),
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.url,
    )


def _driver(app: App, clock: Clock, fake: FakeSlack) -> Driver:
    def send(body: str, headers: dict) -> Sent:
        response = app.dispatch(BoltRequest(body=body, headers=headers))
        return Sent(response.status, response.body)

    return Driver(send, clock, fake.url)


def _timed(driver: Driver, commands: list[tuple[str, str]]) -> list[float]:
    samples = []
    for text, user in commands:
        start = time.perf_counter()
        sent = driver.command(text, user=user)
        samples.append((time.perf_counter() - start) * 1000)
        assert sent.status == 200, sent
    return samples


def run() -> list[dict]:
    fake, server = _fake()
    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp:
        settings = bench_settings(Path(tmp), fake)
        core = build(settings)
        client = slack.make_client(BOT_TOKEN, fake.url)
        bot, _ = slack.build_app(
            core,
            client=client,
            clock=clock,
            inline=True,
            process_before_response=True,
            listener_executor=Inline(),
        )
        driver = _driver(bot, clock, fake)
        voters = [f"UVOTER{n:03d}" for n in range(VOTERS)]
        setup = ["group create pn-bench"] + [
            f"member add <@{user}|voter{n}> group={GROUPS[n % 4]} region=africa "
            f'gender=woman org="Org {n}"'
            for n, user in enumerate(voters)
        ]
        setup.append('poll "Adopt the outline?" closes=5d')
        _timed(driver, [(text, FACILITATOR) for text in setup])
        votes = [
            (f"vote 1 {'agree' if n % 3 else 'abstain'}", voters[n % VOTERS]) for n in range(VOTES)
        ]
        bare = App(client=client, signing_secret=SIGNING_SECRET, process_before_response=True)
        bare.command("/pn")(lambda ack: ack())
        bare_driver = _driver(bare, clock, fake)
        _timed(driver, votes[:20])  # warm: first connections, compiled patterns
        _timed(bare_driver, votes[:20])
        # the bot and the bare app take turns, so a busy moment of this shared machine
        # lands on both alike
        bot_ms, bare_ms = [], []
        for vote in votes:
            bot_ms += _timed(driver, [vote])
            bare_ms += _timed(bare_driver, [vote])
        answered = sum(1 for c in fake.posts() if "vote" in c.text().lower())
        assert answered >= VOTES, f"only {answered} answers reached Slack"
        core.engine.dispose()

    server.shutdown()
    server.server_close()
    rows = []
    for label, p in (("p50", 50), ("p99", 99)):
        value, floor = percentile(bot_ms, p), percentile(bare_ms, p)
        target = "value <= 15" if p == 99 else "none (p99 is the target)"
        rows.append(
            figure(f"3 /pn vote through Bolt, {label}", value, "ms", floor, value / floor, target)
        )
    return rows


def main() -> None:
    for row in run():
        emit(row)


if __name__ == "__main__":
    main()
