"""The one runtime: whatever transports are configured, wired once to the inbox, the
dispatcher, the scheduler (with its leader) and the delivery loop.

    transport ──receive(event)──▶ inbox (recorded, then the platform is answered)
                                    │ workers, in order per room
                                    ▼
                  dispatcher: use case + answers queued in the outbox, one transaction
                                    │
    scheduler tick(now) ──────────▶ outbox ──▶ delivery loop ──▶ transport.deliver(out)

A transport calls `receive` for each event and answers its platform once it returns: the
event is then in the database (or, while a long transaction locks a SQLite file, in the
spool beside it: see bot.spool), so a crash loses nothing that was acknowledged; events left
unprocessed by a crash are processed at the next start. `inline` runs everything on the
caller's thread (the console and the tests), `start()` runs workers, the delivery loop and
the scheduler's tick on threads of their own.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlalchemy.exc import OperationalError

from bot import spool as spooling
from bot.delivery import Delivery
from bot.scheduler import Scheduler
from handlers.events import Inbound
from handlers.schedule import Deployment

log = logging.getLogger(__name__)

TICK_SECONDS = 30
DELIVERY_POLL_SECONDS = 1.0
WORKERS = 4


def wall_clock() -> datetime:
    return datetime.now(UTC)


class RoomQueues:
    """Runs submitted work on a thread pool, one item at a time per room, in order."""

    def __init__(self, workers: int):
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pnbot-worker")
        self._queues: dict[str, deque] = {}
        self._lock = threading.Lock()

    def submit(self, room: str, work: Callable[[], None]) -> None:
        with self._lock:
            queue = self._queues.get(room)
            if queue is not None:
                queue.append(work)
                return
            self._queues[room] = deque([work])
        self._pool.submit(self._drain, room)

    def _drain(self, room: str) -> None:
        while True:
            with self._lock:
                queue = self._queues[room]
                if not queue:
                    del self._queues[room]
                    return
                work = queue[0]
            try:
                work()
            except Exception:  # one event's failure never stops the room's queue
                log.exception("processing an event of %s failed", room)
            with self._lock:
                queue.popleft()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)


class Runtime:
    def __init__(
        self,
        app,
        transports: Iterable,
        *,
        clock: Callable[[], datetime] = wall_clock,
        inline: bool = False,
        workers: int = WORKERS,
        worker: str | None = None,
        leader=None,
    ):
        self.app = app
        self.store = app.store
        self.dispatcher = app.dispatcher
        self.transports = {t.name: t for t in transports}
        self.clock = clock
        self.inline = inline
        settings = app.settings
        names = "-".join(sorted(self.transports)) or "none"
        self.worker = worker or f"{names}-{socket.gethostname()}-{os.getpid()}"
        self.dispatcher.home_of = self.home_of
        self.delivery = Delivery(
            self.store,
            self.transports,
            self.worker,
            facilitators=settings.facilitators,
            pace=not inline,
        )
        self.scheduler = Scheduler(
            self.store,
            worker=self.worker,
            deployment=Deployment(
                facilitators=settings.facilitators,
                secretariat_room=settings.secretariat_room,
                default_tz=settings.default_tz,
            ),
            delivery=self.delivery,
            home_of=self.home_of,
            leader=leader,
        )
        # The public website, rebuilt at a tick when the record changed (PNBOT_SITE_DIR);
        # its templates and charts are loaded only by a bot that publishes one.
        self.site = None
        if settings.site_dir:
            from bot.site import Refresher

            self.site = Refresher(self.store, settings.site_dir, settings.site_url)
        self._workers = workers
        self._queues: RoomQueues | None = None
        self._ready: deque[int] = deque()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._background = None
        # Started on a SQLite file: the spool and the store that records without waiting long.
        self._spool: tuple[spooling.Spool, object] | None = None
        self._spooled = threading.Event()

    def add(self, transport) -> None:
        """Serve one more transport (before `start`)."""
        self.transports[transport.name] = transport

    def home_of(self, handle: str) -> str | None:
        """The configured transport `handle` is a person on, if any says so."""
        for name, transport in self.transports.items():
            if transport.owns(handle):
                return name
        return None

    # inbound ------------------------------------------------------------------------------
    def receive(self, event: Inbound, extra: dict | None = None) -> bool:
        """Record `event` in the inbox and have it processed; True once it is recorded (now
        or before), so the transport may answer its platform. The transport's `extra` (what
        it needs to answer there) travels with the event to its replies."""
        now = self.clock()
        if self._spool is not None:
            spooled, received = self._record_or_spool(event, extra, now)
            if spooled:
                return True
        else:
            received = self.dispatcher.record(event, extra, now=now)
        self._enqueue(event, received, (event, extra))
        return True

    def _record_or_spool(self, event: Inbound, extra: dict | None, now: datetime):
        """(True, None) when the event went to the spool, else (False, its inbox id or None)."""
        spool, quick = self._spool
        if not spool.waiting():  # else it queues behind the spooled ones, in order
            try:
                return False, spooling.record(quick, event, extra, now)
            except OperationalError as error:  # locked by the core's transaction
                log.info("spooling %s event %s: %s", event.transport, event.key, error.orig)
        spool.put(event, extra, now)
        self._spooled.set()
        return True, None

    def unspool(self) -> int:
        """Record the spooled events in the inbox, in the order they came, and have them
        processed; how many there were."""
        if self._spool is None:
            return 0
        spool, done = self._spool[0], 0
        for path in spool.waiting():
            found = spool.read(path)
            if found is not None:
                event, extra, now = found
                self._enqueue(event, self.dispatcher.record(event, extra, now=now))
                done += 1
            spool.done(path)
        return done

    def _enqueue(self, event: Inbound, received: int | None, known: tuple | None = None) -> None:
        """Have the recorded event processed (`received` None: it was recorded before);
        `known` is the (event, extra) just recorded."""
        if received is None:
            known = None
            # Delivered again: if a crash left it unprocessed, it is processed now, in its
            # place among the room's events, not after them (processing is once either way).
            with self.store() as uow:
                received = uow.inbox.unprocessed_id(event.transport, event.key)
            if received is None:
                return
        if self.inline or self._queues is None:
            self.process(received, known)
        else:
            self._queues.submit(event.room, lambda: self.process(received, known))

    def process(self, received: int, known: tuple | None = None) -> None:
        """Process one recorded event and deliver its answers (at once, or by the loop)."""
        ids, _ = self.dispatcher.process(received, now=self.clock(), known=known)
        if self.inline or self._queues is None:
            self.delivery.send_ids(ids, self.clock())
        else:
            self._ready.extend(ids)
            self._wake.set()

    def recover(self) -> int:
        """Process the events a crash left recorded but unprocessed; how many there were."""
        done = 0
        while True:
            with self.store() as uow:
                pending = uow.inbox.pending(self.clock(), self.worker)
                uow.commit()
            if not pending:
                return done
            for row in pending:
                log.info("processing %s event %s left by an interruption", row.transport, row.key)
                self.process(row.id)
                done += 1

    def tick(self, now: datetime | None = None) -> int:
        """Queue what is due (the leader only) and deliver what is due; then rebuild the
        public website if the record changed (the leader only, too)."""
        now = now or self.clock()
        sent = self.scheduler.tick(now)
        leader = self.scheduler.leader
        if self.site is not None and (leader is None or leader.leading):
            try:
                self.site.refresh(now)
            except Exception:  # the site waits for the next tick; the bot goes on
                log.exception("rebuilding the public website failed")
        return sent

    def drain(self, now: datetime | None = None) -> int:
        """Deliver every item due by `now`, whoever queued it (each instance delivers)."""
        return self.delivery.send_due(now or self.clock())

    # threads ------------------------------------------------------------------------------
    def start(self, tick_seconds: int = TICK_SECONDS) -> None:
        """Run the workers, the delivery loop and the scheduler's tick in the background."""
        from apscheduler.schedulers.background import BackgroundScheduler

        from bot.leader import for_engine

        if self.scheduler.leader is None:
            self.scheduler.leader = for_engine(self.store.engine, tuple(self.transports))
        self._queues = RoomQueues(self._workers)
        self._spool = spooling.for_engine(self.store.engine)
        self.unspool()
        self.recover()
        for target, name in (
            (self._deliver_forever, "pnbot-delivery"),
            (self._unspool_forever, "pnbot-spool"),
        ):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        background = BackgroundScheduler(timezone=UTC)
        background.add_job(
            self._tick_safely,
            "interval",
            seconds=tick_seconds,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
            next_run_time=self.clock(),
        )
        background.start()
        self._background = background

    def _tick_safely(self) -> None:
        try:
            self.recover()
            self.tick()
        except Exception:  # the next tick tries again; the outbox keeps what is due
            log.exception("the scheduler's tick failed")

    def _unspool_forever(self) -> None:
        while not self._stopping.is_set():
            self._spooled.wait(DELIVERY_POLL_SECONDS)
            self._spooled.clear()
            try:
                self.unspool()
            except Exception:  # the files stay in the spool for the next round
                log.exception("recording the spooled events failed")

    def _deliver_forever(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(DELIVERY_POLL_SECONDS)
            self._wake.clear()
            try:
                ids = []
                while self._ready:
                    ids.append(self._ready.popleft())
                self.delivery.send_ids(ids, self.clock())
                self.drain()
            except Exception:  # the items stay in the outbox for the next round
                log.exception("the delivery loop failed a round")

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        self._spooled.set()
        if self._background is not None:
            self._background.shutdown(wait=False)
        if self._queues is not None:
            self._queues.shutdown()
        for thread in self._threads:
            thread.join(5)
        if self._spool is not None:
            self._spool[1].engine.dispose()
        if self.scheduler.leader is not None:
            self.scheduler.leader.close()
