"""The outbox and the scheduler on a real database: what is due is queued once, claimed by one
worker at a time, delivered once, and retried after a failed send."""

from __future__ import annotations

import contextlib
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.events import Post
from bot.scheduler import Scheduler
from handlers.schedule import PRODUCERS, Due
from storage.engine import make_engine, upgrade
from storage.models import OutboxItem
from storage.uow import OUTBOX_LEASE, Store

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
DEC_1 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DUE = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
DEC_5 = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
ANNOUNCEMENT = Post(transport="console", room="#pn-ai", text="The December meeting starts now.")


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
        uow.outbox.mark_sent(sent, NOON - timedelta(hours=3))
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
        uow.outbox.mark_sent(uow.session.merge(first), NOON)
        uow.commit()
    after_lease = NOON + OUTBOX_LEASE + timedelta(days=30)
    assert claim(store, after_lease, "worker-b") == ["reminder:2"]
    with store() as uow:
        uow.outbox.mark_sent(uow.session.merge(second), after_lease)
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

    assert sent == [(DUE, ANNOUNCEMENT)]
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
    assert sent == [ANNOUNCEMENT]

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
    assert sent == [ANNOUNCEMENT]


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
    assert tries == [ANNOUNCEMENT, ANNOUNCEMENT]
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
        assert [out for _, out in sent] == [ANNOUNCEMENT]
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
        assert [out for _, out in sent] == [ANNOUNCEMENT]
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
