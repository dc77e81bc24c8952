"""Three bot processes on one PostgreSQL database: exactly one runs the scheduler at each
tick; when it is killed in the middle of a delivery, another takes over at the next tick, and
every post of the month is delivered exactly once — the same posts one process alone sends."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from itertools import accumulate
from pathlib import Path

import pytest
import sqlalchemy as sa
from support import Transcript, clean_env, said, twin_database

from bot.app import build
from bot.config import Settings
from bot.leader import lock_key, lock_name
from bot.scheduler import Scheduler
from bot.transports.console import TRANSPORT
from storage.engine import make_engine
from storage.models import OutboxItem
from storage.uow import OUTBOX_LEASE

from .instance import deployment
from .sink import Sink

ROOT = Path(__file__).resolve().parents[2]
SEEDED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
END = datetime(2026, 12, 20, 9, 0, tzinfo=UTC)
WAIT = 60  # seconds an instance may take to answer one tick before the test gives up

SEED = """
!roster-import roster.csv
@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=Europe/Zurich duration=90 link=https://meet.example.org/pn-ai
@amina: /pn agenda add Review the outline of the annual output
@hugo: /pn agenda add Outreach plan for the IGF open consultations
@kemi: /pn raise Data localisation bills in three countries affect our recommendations
@amina: I'll be presenting our work at RightsCon on 5 May in Taipei
"""


def seed(url: str) -> tuple[set[str], object]:
    """A group with a monthly series, agenda items and an objected outreach (hence a poll);
    returns the outbox keys already sent while seeding, and the app."""
    app = build(Settings(database_url=url, facilitators=frozenset({"facilitator"})))
    chat = Transcript(app, now=SEEDED)
    chat.say("!group pn-ai")
    printed = chat.say(SEED)
    (announcement,) = [s.post for s in said(printed) if "RightsCon" in s.text and s.post]
    chat.say(
        f"@bruno thread {announcement}: I object: the event is sponsored by a vendor we assess"
    )
    return sent_keys(app.engine), app


def sent_keys(engine) -> set[str]:
    table = OutboxItem.__table__
    with engine.connect() as connection:
        return set(
            connection.execute(sa.select(table.c.key).where(table.c.sent_at.is_not(None))).scalars()
        )


def reference_month(url: str) -> tuple[list[datetime], dict[str, str], dict[str, datetime]]:
    """One process alone over the same month: the moments it ticks, what it sends and when."""
    _, app = seed(url)
    sent: dict[str, str] = {}
    when: dict[str, datetime] = {}
    steps: list[datetime] = []

    def send(out):
        assert out.key not in sent
        sent[out.key] = out.text
        when[out.key] = steps[-1]

    scheduler = Scheduler(
        app.store, send, "reference", deployment(app.settings), transports=(TRANSPORT,)
    )
    scheduler.run_until(SEEDED, END, steps.append)
    app.engine.dispose()
    return steps, sent, when


class Instances:
    """Three worker processes, the clock file they follow and their heartbeats."""

    def __init__(self, url: str, folder: Path):
        self.folder = folder
        self.clock = folder / "clock"
        self.sink = Sink(folder / "sink.jsonl")
        self.hold = folder / "sink.jsonl.hold"
        self.seq = 0
        self.processes: dict[int, subprocess.Popen] = {}
        for n in range(3):
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.reliability.instance", "--database", url]
                + ["--clock", str(self.clock), "--sink", str(self.sink.path)]
                + ["--beats", str(folder / f"beats-{n}.jsonl")],
                cwd=ROOT,
                env=clean_env(),
                stdout=subprocess.PIPE,
                stderr=open(folder / f"stderr-{n}.txt", "w"),  # noqa: SIM115
                text=True,
            )
            assert process.stdout.readline().strip() == "ready", self.errors()
            self.processes[process.pid] = process

    def errors(self) -> str:
        texts = [p.read_text() for p in sorted(self.folder.glob("stderr-*.txt"))]
        return "\n".join(text for text in texts if text)

    def beats(self) -> list[dict]:
        return [
            json.loads(line)
            for path in sorted(self.folder.glob("beats-*.jsonl"))
            for line in path.read_text().splitlines()
        ]

    def set_clock(self, text: str) -> None:
        draft = self.clock.with_suffix(".new")
        draft.write_text(text)
        os.replace(draft, self.clock)

    def tick(self, now: datetime) -> list[dict]:
        """Move the clock to `now` and wait until every living instance has ticked."""
        self.seq += 1
        self.set_clock(f"{self.seq} {now.isoformat()}")
        alive = {pid for pid, p in self.processes.items() if p.poll() is None}

        def all_ticked():
            beats = self.at(self.seq)
            return beats if {b["pid"] for b in beats} >= alive else None

        return wait_for(all_ticked, f"every instance ticking at {now}", self)

    def at(self, seq: int) -> list[dict]:
        return [b for b in self.beats() if b["seq"] == seq]

    def leader(self, beats: list[dict]) -> int:
        leaders = [b["pid"] for b in beats if b["leader"]]
        assert len(leaders) == 1, f"not exactly one leader at tick {self.seq}: {beats}"
        return leaders[0]

    def stop(self) -> None:
        self.set_clock("stop")
        for process in self.processes.values():
            try:
                process.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(check, what: str, instances: Instances):
    """Poll `check` until it gives something, for at most WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.01)
    pytest.fail(f"timed out waiting for {what}\n{instances.errors()}")


def advisory_lock_held(url: str) -> bool:
    engine = sa.create_engine(url)
    key = None
    try:
        with engine.connect() as connection:
            schema = connection.execute(sa.text("SELECT current_schema()")).scalar_one()
            key = lock_key(schema, lock_name((TRANSPORT,)))
            return bool(
                connection.execute(
                    sa.text(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                        " AND classid = :high AND objid = :low"
                    ),
                    {"high": (key >> 32) & 0xFFFFFFFF, "low": key & 0xFFFFFFFF},
                ).scalar_one()
            )
    finally:
        engine.dispose()


def test_three_instances_deliver_a_month_exactly_once_when_the_leader_dies(postgres_url, tmp_path):
    with twin_database(postgres_url, tmp_path) as reference_url:
        steps, expected, when = reference_month(reference_url)
    assert len(expected) >= 20, "the month should have many scheduled posts"
    before, app = seed(postgres_url)
    app.engine.dispose()
    # The leader dies halfway through the month's posts, in a tick with several to send.
    per_step = Counter(when.values())
    so_far = accumulate(per_step[step] for step in steps)
    kill_at = next(
        step
        for step, total in zip(steps, so_far, strict=True)
        if total >= len(expected) / 2 and per_step[step] >= 2
    )
    assert any(step >= kill_at + OUTBOX_LEASE for step in steps), "no tick after the lease"

    instances = Instances(postgres_url, tmp_path)
    try:
        leaders: list[int] = []
        for step in steps:
            if step != kill_at:
                leaders.append(instances.leader(instances.tick(step)))
                continue
            victim = leaders[-1]
            delivered = len(instances.sink.entries())
            instances.hold.touch()
            instances.seq += 1
            instances.set_clock(f"{instances.seq} {step.isoformat()}")

            # The leader has handed a post to the platform and not yet marked it sent; the
            # others have ticked and found the lock taken.
            def first_delivery_and_others_ticked(delivered=delivered):
                return (
                    len(instances.sink.entries()) > delivered
                    and len(instances.at(instances.seq)) == 2
                )

            wait_for(first_delivery_and_others_ticked, "the leader's first delivery", instances)
            assert not any(b["leader"] for b in instances.at(instances.seq))
            os.kill(victim, signal.SIGKILL)
            instances.processes[victim].wait(timeout=WAIT)
            instances.hold.unlink()
            wait_for(
                lambda: not advisory_lock_held(postgres_url),
                "the server to release the dead leader's lock",
                instances,
            )
            leaders.append(victim)
            in_flight = instances.sink.entries()[delivered]["key"]
            # A live bot ticks every 30 s, so the dead leader's items are taken over as soon
            # as their lease runs out, not at the month's next due moment (by which time a
            # nudge of a poll that has closed since is rightly dropped as stale).
            takeover = step + OUTBOX_LEASE
            if next((s for s in steps if s > step), END) > takeover:
                leaders.append(instances.leader(instances.tick(takeover)))
        kill = steps.index(kill_at)
        assert set(leaders[:kill]) == {victim}
        # Another instance leads from the very next tick, and only it from then on.
        assert victim not in leaders[kill + 1 :]
        assert len(set(leaders[kill + 1 :])) == 1
    finally:
        instances.stop()

    engine = make_engine(postgres_url)
    try:
        sent_by_instances = sent_keys(engine) - before
        table = OutboxItem.__table__
        with engine.connect() as connection:
            interrupted = connection.execute(
                sa.select(table.c.attempts, table.c.claimed_by).where(table.c.key == in_flight)
            ).one()
            pending = connection.execute(
                sa.select(table.c.key).where(
                    table.c.sent_at.is_(None), table.c.skipped_at.is_(None)
                )
            ).all()
            # Taken over once the dead leader's lease ran out: a nudge whose poll had closed
            # by then is no longer worth sending, and is recorded skipped.
            stale = dict(
                connection.execute(
                    sa.select(table.c.key, table.c.last_error).where(
                        table.c.skipped_at.is_not(None), table.c.attempts > 1
                    )
                ).all()
            )
    finally:
        engine.dispose()
    delivered = instances.sink.keys()
    texts = {e["key"]: e["text"] for e in instances.sink.entries()}
    assert [key for key, n in delivered.items() if n > 1] == []
    assert pending == []
    assert all(":nudge:" in key and "is closed" in why for key, why in stale.items()), stale
    assert set(delivered) == sent_by_instances == set(expected) - set(stale)
    assert texts == {key: text for key, text in expected.items() if key not in stale}
    assert instances.errors() == ""
    # The post the leader died with, sent and not yet marked, was claimed again by the new
    # leader, which found it delivered (the one sink line above) and only marked it sent.
    assert interrupted == (2, f"instance-{leaders[-1]}")
