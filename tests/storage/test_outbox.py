"""The outbox and the scheduler on a real database: what is due is queued once, claimed by one
worker at a time, delivered once, and retried after a failed send."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.scheduler import Scheduler
from handlers.events import Post
from handlers.schedule import PRODUCERS, Due
from storage.engine import make_engine, upgrade
from storage.models import OutboxItem
from storage.uow import OUTBOX_LEASE, Store

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
DEC_1 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DUE = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
DEC_5 = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
ANNOUNCEMENT = Post(transport="console", room="#pn-ai", text="The December meeting starts now.")
# What the scheduler hands the transport: the post with its outbox key.
SENT = replace(ANNOUNCEMENT, key="t1")


def item(key: str, due_at: datetime) -> OutboxItem:
    return OutboxItem(
        key=key, due_at=due_at, kind="post", transport="console", target="#pn-ai", text=key
    )


def enqueue(store: Store, *items: OutboxItem) -> list[bool]:
    with store() as uow:
        queued = [uow.outbox.enqueue(i) for i in items]
        uow.commit()
        return queued


def claim(store: Store, now: datetime, worker: str) -> list[str]:
    with store() as uow:
        claimed = uow.outbox.claim_due(now, worker)
        uow.commit()
        return [row.key for row in claimed]


def outbox_rows(engine) -> list[dict]:
    with engine.connect() as connection:
        return [
            dict(row._mapping)
            for row in connection.execute(
                sa.select(OutboxItem.__table__).order_by(OutboxItem.__table__.c.id)
            )
        ]


# the outbox ---------------------------------------------------------------------------------


def test_enqueueing_the_same_key_twice_queues_it_once(store, engine):
    assert enqueue(store, item("reminder:1", NOON)) == [True]
    assert enqueue(store, item("reminder:1", NOON + timedelta(hours=1))) == [False]
    assert enqueue(store, item("reminder:2", NOON), item("reminder:2", NOON)) == [True, False]
    rows = outbox_rows(engine)
    assert [(r["key"], r["due_at"]) for r in rows] == [("reminder:1", NOON), ("reminder:2", NOON)]


def test_claim_takes_only_due_unsent_unclaimed_items_in_due_order(store, engine):
    enqueue(
        store,
        item("due-11:00", NOON - timedelta(hours=1)),
        item("future-13:00", NOON + timedelta(hours=1)),
        item("due-09:30", NOON - timedelta(hours=2, minutes=30)),
        item("due-12:00", NOON),
        item("sent-08:00", NOON - timedelta(hours=4)),
        item("held-08:30", NOON - timedelta(hours=3, minutes=30)),
        item("due-10:00", NOON - timedelta(hours=2)),
    )
    with store() as uow:
        sent, held = uow.outbox.claim_due(NOON - timedelta(hours=3), "worker-z")
        assert (sent.key, held.key) == ("sent-08:00", "held-08:30")
        uow.outbox.mark_sent(sent.id, NOON - timedelta(hours=3))
        uow.commit()
    with store() as uow:
        # Another worker holds this one: it took it a minute ago, well within the lease.
        uow.session.execute(
            sa.update(OutboxItem)
            .where(OutboxItem.key == "held-08:30")
            .values(claimed_by="worker-b", claimed_at=NOON - timedelta(minutes=1))
        )
        uow.commit()

    assert claim(store, NOON, "worker-a") == ["due-09:30", "due-10:00", "due-11:00", "due-12:00"]

    rows = {r["key"]: r for r in outbox_rows(engine)}
    for key in ("due-09:30", "due-10:00", "due-11:00", "due-12:00"):
        assert (rows[key]["claimed_by"], rows[key]["claimed_at"], rows[key]["attempts"]) == (
            "worker-a",
            NOON,
            1,
        )
    assert rows["future-13:00"]["claimed_by"] is None
    assert rows["held-08:30"]["claimed_by"] == "worker-b"
    assert claim(store, NOON, "worker-c") == []


def test_an_item_claimed_by_one_worker_waits_for_its_lease_to_run_out(store, engine):
    enqueue(store, item("reminder:1", NOON))
    assert claim(store, NOON, "worker-a") == ["reminder:1"]
    assert claim(store, NOON, "worker-b") == []
    assert claim(store, NOON + OUTBOX_LEASE - timedelta(seconds=1), "worker-b") == []
    assert claim(store, NOON + OUTBOX_LEASE - timedelta(seconds=1), "worker-a") == []
    # Worker A has crashed: once the lease is over, worker B takes the item over.
    later = NOON + OUTBOX_LEASE + timedelta(seconds=1)
    assert claim(store, later, "worker-b") == ["reminder:1"]
    (row,) = outbox_rows(engine)
    assert (row["claimed_by"], row["claimed_at"], row["attempts"]) == ("worker-b", later, 2)
    assert claim(store, later, "worker-a") == []


def test_a_sent_item_is_never_claimed_again(store, engine):
    enqueue(store, item("reminder:1", NOON), item("reminder:2", NOON))
    with store() as uow:
        first, second = uow.outbox.claim_due(NOON, "worker-a")
        uow.commit()
    with store() as uow:
        uow.outbox.mark_sent(first.id, NOON)
        uow.commit()
    after_lease = NOON + OUTBOX_LEASE + timedelta(days=30)
    assert claim(store, after_lease, "worker-b") == ["reminder:2"]
    with store() as uow:
        uow.outbox.mark_sent(second.id, after_lease)
        uow.commit()
    assert claim(store, after_lease + timedelta(days=365), "worker-c") == []
    with store() as uow:
        assert uow.outbox.next_due() is None
    assert [r["sent_at"] for r in outbox_rows(engine)] == [NOON, after_lease]


def test_two_workers_claiming_at_once_share_the_items_without_overlap(postgres_url):
    engines = [make_engine(postgres_url) for _ in range(2)]
    try:
        upgrade(engines[0])
        store = Store(engines[0])
        keys = [f"reminder:{n:02d}" for n in range(40)]
        enqueue(store, *(item(key, NOON) for key in keys))
        barrier = threading.Barrier(2, timeout=30)
        claimed: dict[str, list[str]] = {}
        errors: list[BaseException] = []

        def work(engine, worker):
            try:
                worker_store = Store(engine)
                barrier.wait()
                claimed[worker] = claim(worker_store, NOON, worker)
            except BaseException as error:
                errors.append(error)

        run_together(work, engines)
        assert errors == []
        assert not set(claimed["worker-0"]) & set(claimed["worker-1"])
        assert sorted(claimed["worker-0"] + claimed["worker-1"]) == keys
    finally:
        for engine in engines:
            engine.dispose()


# the scheduler ------------------------------------------------------------------------------


class Announcement:
    """A test producer: one post due at `at`, asked for by the scheduler like any capability's."""

    def __init__(self, key: str = "t1", at: datetime = DUE, barrier=None):
        self.key = key
        self.at = at
        self.barrier = barrier

    def due(self, uow, now: datetime, deployment=None) -> list[Due]:
        if self.barrier is not None:
            meet(self.barrier)
        return [Due(key=self.key, at=self.at, out=ANNOUNCEMENT)] if now >= self.at else []

    def next_after(self, uow, now: datetime) -> datetime | None:
        return self.at if self.at > now else None


@pytest.fixture
def registered():
    """Register producers for one test and take them out again afterwards."""
    added = []

    def register(producer):
        PRODUCERS.append(producer)
        added.append(producer)
        return producer

    yield register
    for producer in added:
        PRODUCERS.remove(producer)


def test_run_until_delivers_a_due_post_once_at_its_time(store, engine, registered):
    registered(Announcement())
    clock: list[datetime] = []
    sent: list[tuple[datetime | None, Post]] = []

    def send(out):
        sent.append((clock[-1] if clock else None, out))

    Scheduler(store, send, worker="worker-a").run_until(DEC_1, DEC_5, clock.append)

    assert sent == [(DUE, SENT)]
    assert clock == [DUE, DEC_5]
    (row,) = outbox_rows(engine)
    assert (row["key"], row["sent_at"], row["claimed_by"]) == ("t1", DUE, "worker-a")


def test_a_delivered_post_is_not_sent_again_by_later_ticks_or_another_worker(
    db_url, store, registered
):
    registered(Announcement())
    sent: list[Post] = []
    first = Scheduler(store, sent.append, worker="worker-a")
    first.run_until(DEC_1, DEC_5, lambda now: None)
    assert sent == [SENT]

    assert first.tick(DEC_5) == 0
    assert first.tick(DEC_5 + timedelta(days=1)) == 0
    other_engine = make_engine(db_url)
    try:
        other_sent: list[Post] = []
        second = Scheduler(Store(other_engine), other_sent.append, worker="worker-b")
        assert second.tick(DEC_5 + timedelta(days=1)) == 0
        assert second.tick(DEC_5 + OUTBOX_LEASE + timedelta(days=2)) == 0
        second.run_until(DEC_1, DEC_5 + timedelta(days=3), lambda now: None)
        assert other_sent == []
    finally:
        other_engine.dispose()
    assert sent == [SENT]


def test_a_failed_send_is_retried_at_the_next_tick_and_then_delivered_once(
    store, engine, registered
):
    registered(Announcement())
    tries: list[Post] = []

    def flaky(out):
        tries.append(out)
        if len(tries) == 1:
            raise ConnectionError("chat platform unreachable")

    scheduler = Scheduler(store, flaky, worker="worker-a")
    assert scheduler.tick(DUE) == 0
    assert len(tries) == 1
    (row,) = outbox_rows(engine)
    assert row["sent_at"] is None
    assert row["claimed_by"] is None
    assert row["attempts"] == 1
    assert "chat platform unreachable" in row["last_error"]

    next_tick = DUE + timedelta(minutes=1)
    assert scheduler.tick(next_tick) == 1
    assert tries == [SENT, SENT]
    (row,) = outbox_rows(engine)
    assert (row["sent_at"], row["attempts"]) == (next_tick, 2)
    assert "chat platform unreachable" in row["last_error"]

    assert scheduler.tick(next_tick + timedelta(days=1)) == 0
    assert len(tries) == 2


class RetriedWithinOneTick(BaseException):
    """Stops a tick that keeps retrying a failing send instead of leaving it for the next."""


def test_a_send_that_keeps_failing_is_tried_once_per_tick(store, engine, registered):
    registered(Announcement())
    tries: list[Post] = []

    def down(out):
        tries.append(out)
        if len(tries) > 3:
            raise RetriedWithinOneTick
        raise ConnectionError("chat platform unreachable")

    scheduler = Scheduler(store, down, worker="worker-a")
    try:
        sent = scheduler.tick(DUE)
    except RetriedWithinOneTick:
        sent = None
    assert (sent, len(tries)) == (0, 1)
    try:
        sent = scheduler.tick(DUE + timedelta(minutes=1))
    except RetriedWithinOneTick:
        sent = None
    assert (sent, len(tries)) == (0, 2)
    (row,) = outbox_rows(engine)
    assert (row["sent_at"], row["attempts"]) == (None, 2)


def test_two_schedulers_ticking_at_once_deliver_exactly_once(postgres_url, registered):
    engines = [make_engine(postgres_url) for _ in range(2)]
    try:
        upgrade(engines[0])
        # Both workers ask the producer at the same moment, so both try to queue the post.
        registered(Announcement(barrier=threading.Barrier(2, timeout=10)))
        sent: list[tuple[str, Post]] = []
        errors: list[BaseException] = []

        def work(engine, worker):
            try:
                Scheduler(Store(engine), lambda out: sent.append((worker, out)), worker).tick(DUE)
            except BaseException as error:
                errors.append(error)

        run_together(work, engines)
        assert [repr(e) for e in errors] == []
        assert [out for _, out in sent] == [SENT]
        (row,) = outbox_rows(engines[0])
        assert row["sent_at"] == DUE
    finally:
        for engine in engines:
            engine.dispose()


def test_two_schedulers_queueing_the_same_post_at_once_deliver_exactly_once(
    postgres_url, registered
):
    engines = [make_engine(postgres_url) for _ in range(2)]
    try:
        upgrade(engines[0])
        registered(Announcement())
        # Hold each worker just before it writes the post into the outbox until the other is
        # there too: both have looked for the key and not found it, as two instances ticking
        # in the same instant can.
        before_insert = threading.Barrier(2, timeout=10)
        for engine in engines:
            held = []

            @sa.event.listens_for(engine, "before_cursor_execute")
            def _meet(conn, cursor, statement, parameters, context, executemany, held=held):
                if statement.lstrip().upper().startswith("INSERT INTO OUTBOX") and not held:
                    held.append(True)
                    meet(before_insert)

        sent: list[tuple[str, Post]] = []
        errors: list[BaseException] = []

        def work(engine, worker):
            try:
                Scheduler(Store(engine), lambda out: sent.append((worker, out)), worker).tick(DUE)
            except BaseException as error:
                errors.append(error)

        run_together(work, engines)
        assert [out for _, out in sent] == [SENT]
        assert [repr(e) for e in errors] == []
        (row,) = outbox_rows(engines[0])
        assert row["sent_at"] == DUE
    finally:
        for engine in engines:
            engine.dispose()


def meet(barrier: threading.Barrier) -> None:
    """Wait for the other worker; go on alone if it never comes (say, a lock keeps it out)."""
    with contextlib.suppress(threading.BrokenBarrierError):
        barrier.wait()


def run_together(work, engines) -> None:
    threads = [
        threading.Thread(target=work, args=(engine, f"worker-{n}"))
        for n, engine in enumerate(engines)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a worker is stuck"


def test_a_scheduler_delivers_only_the_transports_it_serves(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    store = Store(engine)
    with store() as uow:
        for transport in ("console", "slack"):
            uow.outbox.enqueue(
                OutboxItem(
                    key=f"k-{transport}",
                    due_at=DUE,
                    kind="post",
                    transport=transport,
                    target="#pn-ai",
                    text="hi",
                )
            )
        uow.commit()
    console_sent, slack_sent = [], []

    assert Scheduler(store, console_sent.append, worker="c", transports=("console",)).tick(DUE) == 1
    assert Scheduler(store, slack_sent.append, worker="s", transports=("slack",)).tick(DUE) == 1

    assert [o.transport for o in console_sent] == ["console"]
    assert [o.transport for o in slack_sent] == ["slack"]
    engine.dispose()


# a send interrupted between the platform and the outbox ------------------------------------


class Platform:
    """A chat platform that keeps what it received and answers whether a key arrived."""

    def __init__(self, answer: str = "knows"):
        self.received: list = []
        self.asked: list[str] = []
        self.answer = answer

    def send(self, out) -> None:
        self.received.append(out)

    def delivered(self, out) -> bool | None:
        self.asked.append(out.key)
        if self.answer == "cannot tell":
            return None
        if self.answer == "fails":
            raise ConnectionError("history unavailable")
        return any(r.key == out.key for r in self.received)


def crash_after_sending(store: Store, platform: Platform, key: str) -> None:
    """Worker A claims `key`, the platform gets it, and A dies before marking it sent."""
    with store() as uow:
        (row,) = uow.outbox.claim_due(NOON, "worker-a")
        uow.commit()
    platform.send(Post(transport="console", room=row.target, text=row.text, key=row.key))


AFTER_LEASE = NOON + OUTBOX_LEASE + timedelta(seconds=1)


def test_an_item_that_reached_the_platform_before_a_crash_is_marked_sent_not_resent(store, engine):
    enqueue(store, item("reminder:1", NOON))
    platform = Platform()
    crash_after_sending(store, platform, "reminder:1")
    scheduler = Scheduler(store, platform.send, "worker-b", delivered=platform.delivered)

    assert scheduler.tick(NOON + timedelta(minutes=1)) == 0  # A's lease still runs
    assert scheduler.tick(AFTER_LEASE) == 1

    assert [out.key for out in platform.received] == ["reminder:1"]
    assert platform.asked == ["reminder:1"]
    (row,) = outbox_rows(engine)
    assert (row["sent_at"], row["claimed_by"], row["attempts"]) == (AFTER_LEASE, "worker-b", 2)


def test_a_claimed_item_that_never_reached_the_platform_is_sent_after_the_lease(store, engine):
    enqueue(store, item("reminder:1", NOON))
    claim(store, NOON, "worker-a")  # A dies between the claim and the send
    platform = Platform()

    Scheduler(store, platform.send, "worker-b", delivered=platform.delivered).tick(AFTER_LEASE)

    assert [out.key for out in platform.received] == ["reminder:1"]
    assert platform.asked == ["reminder:1"]
    (row,) = outbox_rows(engine)
    assert row["sent_at"] == AFTER_LEASE


@pytest.mark.parametrize("answer", ["cannot tell", "fails"])
def test_when_the_platform_cannot_tell_the_item_is_sent_again_rather_than_lost(
    store, engine, answer
):
    enqueue(store, item("reminder:1", NOON))
    platform = Platform(answer)
    crash_after_sending(store, platform, "reminder:1")

    Scheduler(store, platform.send, "worker-b", delivered=platform.delivered).tick(AFTER_LEASE)

    assert [out.key for out in platform.received] == ["reminder:1", "reminder:1"]
    (row,) = outbox_rows(engine)
    assert row["sent_at"] == AFTER_LEASE


def test_a_first_attempt_does_not_ask_the_platform(store, engine):
    enqueue(store, item("reminder:1", NOON), item("reminder:2", NOON))
    platform = Platform()

    assert Scheduler(store, platform.send, "worker-a", delivered=platform.delivered).tick(NOON) == 2

    assert platform.asked == []
    assert [out.key for out in platform.received] == ["reminder:1", "reminder:2"]


def test_a_retry_after_a_failed_send_asks_the_platform_first(store, engine):
    enqueue(store, item("reminder:1", NOON))
    platform = Platform()
    calls: list[str] = []

    def times_out(out):
        # The platform took the message, but the answer never came back.
        calls.append(out.key)
        platform.send(out)
        if len(calls) == 1:
            raise TimeoutError("no answer from the chat platform")

    scheduler = Scheduler(store, times_out, "worker-a", delivered=platform.delivered)
    assert scheduler.tick(NOON) == 0
    assert scheduler.tick(NOON + timedelta(minutes=1)) == 1

    assert calls == ["reminder:1"]
    assert [out.key for out in platform.received] == ["reminder:1"]
    (row,) = outbox_rows(engine)
    assert (row["sent_at"], row["attempts"]) == (NOON + timedelta(minutes=1), 2)


def test_an_item_held_by_a_dead_worker_holds_back_neither_later_posts_nor_itself(
    store, engine, registered
):
    # Worker A claimed a post at noon and died; a later post falls due at two.
    enqueue(store, item("held", NOON))
    claim(store, NOON, "worker-a")
    later = NOON + timedelta(hours=2)
    registered(Announcement(at=later))
    clock: list[datetime] = []
    sent: list[tuple[datetime, str]] = []

    scheduler = Scheduler(store, lambda out: sent.append((clock[-1], out.key)), "worker-b")
    scheduler.run_until(NOON, NOON + timedelta(days=1), clock.append)

    # The held post goes out when A's lease ends, the later one at its own time, not at the
    # end of the run (where a one-hour reminder, say, would be too late to send).
    assert sent == [(NOON + OUTBOX_LEASE, "held"), (later, "t1")]
    assert clock == [NOON + OUTBOX_LEASE, later, NOON + timedelta(days=1)]


def test_an_item_is_claimable_again_the_moment_its_lease_ends(store):
    enqueue(store, item("reminder:1", NOON))
    assert claim(store, NOON, "worker-a") == ["reminder:1"]
    with store() as uow:
        assert uow.outbox.next_claimable(NOON) == NOON + OUTBOX_LEASE
        assert uow.outbox.next_claimable(NOON + OUTBOX_LEASE) is None
    assert claim(store, NOON + OUTBOX_LEASE, "worker-b") == ["reminder:1"]
