"""The scheduler asks the core what is due, queues it in the outbox, and delivers the outbox.

Time is passed in: the console replays a month by calling `tick(now)` at each due moment,
and the live bot calls it from an APScheduler interval job with the wall clock.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from bot.events import DirectMessage, Outgoing, Post
from handlers import schedule
from storage.models import OutboxItem

log = logging.getLogger(__name__)


def to_outbox(item: schedule.Due) -> OutboxItem:
    out = item.out
    if isinstance(out, Post):
        kind, target, thread = "post", out.room, out.thread
    else:
        kind, target, thread = "dm", out.user, None
    return OutboxItem(
        skipped_at=item.at if item.skip else None,
        last_error=f"skipped: {item.skip}" if item.skip else None,
        key=item.key,
        group_id=item.group_id,
        due_at=item.at,
        kind=kind,
        transport=out.transport,
        target=target,
        thread=thread,
        text=out.text,
        data=out.data,
    )


def from_outbox(row: OutboxItem) -> Outgoing:
    if row.kind == "dm":
        return DirectMessage(
            transport=row.transport, user=row.target, text=row.text, data=row.data, key=row.key
        )
    return Post(
        transport=row.transport,
        room=row.target,
        thread=row.thread,
        text=row.text,
        data=row.data,
        key=row.key,
    )


class Scheduler:
    """`send` delivers one item; `delivered`, when the transport can tell, answers whether an
    item whose earlier send was interrupted reached the platform (True, False, or None for
    "cannot tell", which sends it again). `leader`, when given, lets only the process holding
    the scheduler's lock tick (see bot.leader); without it every tick runs."""

    def __init__(
        self,
        store,
        send: Callable[[Outgoing], None],
        worker: str | None = None,
        deployment: schedule.Deployment | None = None,
        transports: tuple[str, ...] | None = None,
        delivered: Callable[[Outgoing], bool | None] | None = None,
        leader=None,
    ):
        self.store = store
        self.send = send
        self.delivered = delivered
        self.leader = leader
        self.worker = worker or f"worker-{uuid.uuid4().hex[:8]}"
        self.deployment = deployment or schedule.Deployment()
        # The transports this process can deliver to (None: all); another process serving
        # another platform delivers the rest.
        self.transports = transports

    def tick(self, now: datetime) -> int:
        """Queue what is due by `now`, then deliver every claimed item; returns how many were sent.

        With a leader lock, a process that does not hold it does nothing (and tries again to
        take it at each tick, so it takes over within one tick when the leader dies)."""
        if self.leader is not None and not self.leader.lead():
            return 0
        with self.store() as uow:
            for item in schedule.due(uow, now, self.deployment):
                if uow.outbox.enqueue(to_outbox(item)) and item.skip:
                    log.info("not sending %s late: %s", item.key, item.skip)
            uow.commit()
        sent, failed = 0, []
        while True:
            with self.store() as uow:
                claimed = uow.outbox.claim_due(now, self.worker, transports=self.transports)
                uow.commit()
            if not claimed:
                break
            for row in claimed:
                error = self._deliver(row, now)
                if error is None:
                    sent += 1
                else:
                    failed.append((row, error))
        # Released only now, so a failing send is tried once per tick, not in a loop.
        if failed:
            with self.store() as uow:
                for row, error in failed:
                    uow.outbox.release(uow.session.merge(row), error)
                uow.commit()
        return sent

    def _deliver(self, row: OutboxItem, now: datetime) -> str | None:
        """Send one claimed item and mark it sent; the error text when sending failed."""
        out = from_outbox(row)
        # The claim, committed before sending, records the attempt: an item claimed more than
        # once had a send interrupted (a crash after sending and before marking, or a failure
        # that may have got through), so the transport is asked before it is sent again.
        if row.attempts > 1 and self._already_delivered(out):
            log.info(
                "outbox item %s was delivered by an earlier attempt; not sending it again", row.key
            )
        else:
            try:
                self.send(out)
            except Exception as error:  # a failed send is retried at the next tick, never dropped
                log.warning("outbox item %s not delivered: %s", row.key, error)
                return repr(error)
        with self.store() as uow:
            uow.outbox.mark_sent(uow.session.merge(row), now)
            uow.commit()
        return None

    def _already_delivered(self, out: Outgoing) -> bool:
        """Whether the transport says an interrupted send of `out` got through."""
        if self.delivered is None:
            return False
        try:
            return self.delivered(out) is True
        except Exception as error:  # cannot tell: sending again is the safe side of "never lost"
            log.warning("cannot tell whether %s was delivered: %s", out.key, error)
            return False

    def next_due(self, now: datetime, later: bool = False) -> datetime | None:
        """The earliest moment when a tick would have something to do (it may be `now` or
        before, for queued items still waiting); with `later`, the first one after `now`."""
        with self.store() as uow:
            if later:
                queued = uow.outbox.next_claimable(now, self.transports)
            else:
                queued = uow.outbox.next_due(self.transports)
            produced = schedule.next_after(uow, now)
        times = [t for t in (queued, produced) if t is not None]
        return min(times, default=None)

    def run_until(
        self, start: datetime, end: datetime, on_time: Callable[[datetime], None]
    ) -> None:
        """Tick at every due moment in (start, end] in time order, telling `on_time` each one."""
        now = start
        while (upcoming := self.next_due(now)) is not None:
            if upcoming <= now:
                # Overdue and queued: deliver now. What cannot go out now (a failing send, an
                # item a dead worker's lease still holds) waits for the next moment something
                # else falls due or that lease runs out; the moments between are still ticked.
                if self.tick(now) > 0:
                    continue
                upcoming = self.next_due(now, later=True)
                if upcoming is None:
                    break
            if upcoming > end:
                break
            now = upcoming
            on_time(now)
            self.tick(now)
        on_time(end)
        self.tick(end)


def start_background(scheduler: Scheduler, seconds: int = 30):
    """Tick with the wall clock every `seconds` from an APScheduler background thread; only the
    process holding the scheduler's leader lock for these transports sends (bot.leader)."""
    from apscheduler.schedulers.background import BackgroundScheduler

    from bot.leader import for_engine

    if scheduler.leader is None:
        scheduler.leader = for_engine(scheduler.store.engine, scheduler.transports)

    background = BackgroundScheduler(timezone=UTC)
    background.add_job(
        lambda: scheduler.tick(datetime.now(UTC)),
        "interval",
        seconds=seconds,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
        next_run_time=datetime.now(UTC),
    )
    background.start()
    return background
