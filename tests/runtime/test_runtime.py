"""The runtime on a real database: every answer goes through the outbox, an event recorded
before a crash is processed once after it, what a platform refuses for good is kept and
told, a failing platform is retried with a back-off, a person is written to on their own
platform only, and one failing capability does not stop the others."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import sqlalchemy as sa
from support import START, Transcript

from bot import cli
from bot.delivery import backoff
from bot.runtime import Runtime
from bot.transports.base import Limits, Refused, RetryLater, Sent
from bot.transports.console import Console
from handlers import groups, schedule
from handlers.events import Command, DirectMessage, Message, Outgoing, Post, Reply
from storage.inbox import INBOX_LEASE


@dataclass
class Platform:
    """A transport that records what it is given; `refuse`/`fail`/`wait` make it say no."""

    name: str
    owner: str = ":"  # the handles it owns contain this
    limits: Limits = field(default_factory=Limits)
    sent: list[Outgoing] = field(default_factory=list)
    refuse: str | None = None
    fail: int = 0
    wait: float | None = None

    def owns(self, handle: str) -> bool:
        return self.owner in handle

    def deliver(self, out: Outgoing) -> Sent | None:
        if self.refuse:
            raise Refused(self.refuse)
        if self.wait is not None:
            wait, self.wait = self.wait, None
            raise RetryLater(wait)
        if self.fail:
            self.fail -= 1
            raise ConnectionError("the platform is away")
        self.sent.append(out)
        room = getattr(out, "room", None) or (out.to.room if isinstance(out, Reply) else "dm")
        return Sent(room, f"{self.name}-{len(self.sent)}")

    def delivered(self, out: Outgoing) -> bool | None:
        return any(s.key == out.key for s in self.sent)


class Clock:
    def __init__(self, now=START):
        self.now = now

    def __call__(self):
        return self.now


def command(text: str, n: int, user: str = "facilitator", transport: str = "chat", room="#wg"):
    return Command(transport=transport, room=room, user=user, key=f"k{n}", at=START, text=text)


def rows(app, query: str) -> list[tuple]:
    with app.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(query)).all()]


@pytest.fixture
def platform() -> Platform:
    return Platform("chat", owner="")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def runtime(app, platform, clock) -> Runtime:
    return Runtime(app, [platform], clock=clock, inline=True)


def test_a_reply_queued_before_a_crash_is_delivered_once_after_it(app, platform, clock):
    # The event is processed and its answer committed to the outbox; the process dies
    # before delivering it.
    received = app.dispatcher.record(command("help", 1), now=clock())
    app.dispatcher.process(received, now=clock())
    assert platform.sent == []

    restarted = Runtime(app, [platform], clock=clock, inline=True)
    assert restarted.drain() == 1
    assert restarted.drain() == 0
    [answer] = platform.sent
    assert isinstance(answer, Reply) and answer.text.startswith("Commands")
    assert (answer.to.room, answer.to.user) == ("#wg", "facilitator")


def test_an_event_recorded_before_a_crash_is_processed_once_after_it(app, platform, clock):
    app.dispatcher.record(command("help", 1), now=clock())  # acknowledged, then the kill

    restarted = Runtime(app, [platform], clock=clock, inline=True)
    assert restarted.recover() == 0  # another worker may still be on it: its lease first
    clock.now += INBOX_LEASE
    assert restarted.recover() == 1
    assert restarted.recover() == 0
    assert [o.text.split()[0] for o in platform.sent] == ["Commands"]
    assert rows(app, "SELECT outcome FROM inbox") == [("done",)]


def test_a_retried_delivery_of_an_event_is_answered_once(runtime, platform):
    event = command("help", 1)
    runtime.receive(event)
    runtime.receive(event)  # the platform's retry
    assert len(platform.sent) == 1


def test_a_post_refused_for_good_is_failed_told_once_and_can_be_sent_again(
    app, runtime, platform, clock, db_url, capsys
):
    runtime.receive(command("group create wg", 1))
    platform.refuse = "invalid_blocks"
    runtime.receive(command('poll "Adopt the workplan?"', 2))
    clock.now += timedelta(hours=1)
    runtime.tick()
    runtime.tick()

    failed = rows(
        app, "SELECT id, key, last_error FROM outbox WHERE failed_at IS NOT NULL ORDER BY id"
    )
    assert failed and all(error == "invalid_blocks" for _, _, error in failed)
    # The facilitator is told of each refused item once; word that is refused in its turn
    # is not told of again.
    originals = {item_id for item_id, key, _ in failed if not key.startswith("failed:")}
    notices = [key for _, key, _ in failed if key.startswith("failed:")]
    assert sorted(int(key.split(":")[1]) for key in notices) == sorted(originals)
    assert rows(app, "SELECT count(*) FROM outbox WHERE key LIKE 'failed:failed:%'") == [(0,)]

    platform.refuse = None
    assert cli.main(["--database", db_url, "outbox"]) == 0
    listed = capsys.readouterr().out
    assert "invalid_blocks" in listed and "Adopt the workplan?" in listed
    first = min(originals)
    assert cli.main(["--database", db_url, "outbox", "resend", str(first)]) == 0
    assert runtime.drain() == 1
    assert rows(
        app, f"SELECT failed_at IS NULL, sent_at IS NOT NULL FROM outbox WHERE id = {first}"
    ) == [(True, True)]
    assert cli.main(["--database", db_url, "outbox", "resend", "999999"]) == 2
    assert "no failed message 999999" in capsys.readouterr().err


def test_a_failing_platform_is_retried_with_a_growing_back_off(app, runtime, platform, clock):
    platform.fail = 3
    runtime.receive(command("help", 1))
    waits = [row for row in rows(app, "SELECT attempts, not_before FROM outbox")]
    assert waits[0][0] == 1 and waits[0][1] is None  # the next round takes it again
    runtime.drain()
    clock.now += timedelta(seconds=29)
    assert runtime.drain() == 0  # held back 30 s after the second failure
    clock.now += timedelta(seconds=1)
    assert runtime.drain() == 0  # the third fails: a minute now
    clock.now += timedelta(seconds=59)
    assert runtime.drain() == 0
    clock.now += timedelta(seconds=1)
    assert runtime.drain() == 1
    assert [backoff(n) for n in (1, 2, 3, 4)] == [
        None,
        timedelta(seconds=30),
        timedelta(minutes=1),
        timedelta(minutes=2),
    ]
    assert backoff(30) == timedelta(hours=1)


def test_a_rate_limit_holds_the_item_back_for_exactly_its_wait(app, runtime, platform, clock):
    platform.wait = 12
    runtime.receive(command("help", 1))
    assert platform.sent == []
    clock.now += timedelta(seconds=11)
    assert runtime.drain() == 0
    clock.now += timedelta(seconds=1)
    assert runtime.drain() == 1


def test_a_person_is_written_to_once_on_their_own_platform(app, clock):
    chat, matrix = Platform("chat", owner=""), Platform("matrix", owner=":")
    chat.owns = lambda handle: ":" not in handle
    runtime = Runtime(app, [chat, matrix], clock=clock, inline=True)
    with app.store() as uow:
        group = groups.ensure_group(uow, "wg", "chat", "#wg", START)
        uow.groups.bind(group, "matrix", "!wg:example.org", main=True)
        uow.commit()
    for n, (handle, stakeholder) in enumerate(
        [("amina", "civil-society"), ("bruno:example.org", "government")]
    ):
        runtime.receive(
            command(
                f"member add @{handle} group={stakeholder} region=africa gender=woman org=X",
                n,
            )
        )
    chat.sent.clear()
    runtime.receive(command('poll "Adopt the workplan?"', 9))

    def dms(platform) -> list[str]:
        return [o.user for o in platform.sent if isinstance(o, DirectMessage)]

    assert dms(chat) == ["amina"]
    assert dms(matrix) == ["bruno:example.org"]
    rooms = {(o.transport, o.room) for p in (chat, matrix) for o in p.sent if isinstance(o, Post)}
    assert rooms == {("chat", "#wg"), ("matrix", "!wg:example.org")}


class Broken:
    def due(self, uow, now, deployment):
        raise ValueError("a record this capability cannot read")

    def next_after(self, uow, now):
        raise ValueError("a record this capability cannot read")


class Steady:
    def due(self, uow, now, deployment):
        out = Post(transport="chat", room="#wg", text="still here")
        return [schedule.Due("steady:1", now, out)]

    def next_after(self, uow, now):
        return None


def test_one_failing_capability_does_not_stop_the_others(app, runtime, platform, clock):
    schedule.PRODUCERS[:0] = [Broken()]
    schedule.PRODUCERS.append(Steady())
    try:
        assert runtime.tick() == 1
        assert runtime.scheduler.next_due(clock()) is None or True
    finally:
        del schedule.PRODUCERS[0]
        schedule.PRODUCERS.pop()
    assert [o.text for o in platform.sent] == ["still here"]


def test_a_reminder_whose_meeting_was_cancelled_is_not_retried(app, clock):
    chat = Transcript(app)
    chat.say("!group pn-ai")
    added = chat.say("@facilitator: /pn meeting add 2026-12-10 13:00 UTC duration=60")
    assert "Thu 10 Dec 2026, 13:00 UTC" in added, added
    console: Console = chat.console
    down = Platform("console", owner="")
    down.fail = 1000
    console.runtime.delivery.transports["console"] = down
    reminder = START.replace(day=9, hour=13)
    console.scheduler.tick(reminder)
    console.scheduler.tick(reminder + timedelta(minutes=1))
    chat.say("@facilitator: /pn meeting cancel 10 December")
    down.fail = 0
    for minutes in (2, 30, 90):
        console.scheduler.tick(reminder + timedelta(minutes=minutes))
    assert not [o for o in down.sent if "Reminder" in o.text]
    skipped = rows(app, "SELECT last_error FROM outbox WHERE key LIKE 'meeting:%remind-24h%'")
    assert skipped and all("cancelled" in e for (e,) in skipped), skipped


def test_a_message_typed_in_chat_is_read_before_any_write(app, runtime, platform):
    """Capture runs before the event's transaction writes anything (no lock held while a
    message is read): the inbox row is the only write until the use case's own."""
    runtime.receive(command("group create wg", 1))
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement.split()[0].upper())

    sa.event.listen(app.engine, "before_cursor_execute", record)
    try:
        runtime.receive(
            Message(
                transport="chat",
                room="#wg",
                user="nobody",
                key="m1",
                at=START,
                text="just chatting",
            )
        )
    finally:
        sa.event.remove(app.engine, "before_cursor_execute", record)
    writes = [s for s in statements if s in ("INSERT", "UPDATE", "DELETE")]
    # record the event, then mark it processed: nothing between holds a write lock
    assert writes == ["INSERT", "UPDATE"], statements
