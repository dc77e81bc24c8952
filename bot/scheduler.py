"""The scheduler asks the core what is due, queues it in the outbox, and delivers the outbox.

Time is passed in: the console replays a month by calling `tick(now)` at each due moment,
and the live bot calls it from an APScheduler interval job with the wall clock.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from bot.delivery import Delivery, Functions
from bot.outbox import to_row
from handlers import schedule
from handlers.events import DirectMessage, Outgoing
from storage.models import OutboxItem

log = logging.getLogger(__name__)


def to_outbox(item: schedule.Due) -> OutboxItem:
    return to_row(item.out, item.key, item.at, item.group_id, item.skip)


class Scheduler:
    """Asks the core what is due, queues it, and has `delivery` send the outbox.

    Callers that send by hand pass `send` (and `delivered`, which answers whether an item
    whose earlier send was interrupted reached the platform: True, False, or None for
    "cannot tell", which sends it again) instead of a Delivery. `leader`, when given, lets
    only the process holding the scheduler's lock tick (see bot.leader); without it every
    tick runs. `home_of(handle)` names the transport a person is on: a scheduled direct
    message goes there, once."""

    def __init__(
        self,
        store,
        send: Callable[[Outgoing], None] | None = None,
        worker: str | None = None,
        deployment: schedule.Deployment | None = None,
        transports: tuple[str, ...] | None = None,
        delivered: Callable[[Outgoing], bool | None] | None = None,
        leader=None,
        delivery: Delivery | None = None,
        home_of: Callable[[str], str | None] | None = None,
    ):
        self.store = store
        self.leader = leader
        self.worker = worker or f"worker-{uuid.uuid4().hex[:8]}"
        self.deployment = deployment or schedule.Deployment()
        self.home_of = home_of
        if delivery is None:
            by_hand = Functions("any", send, delivered)
            if transports is None:
                delivery = Delivery(store, {}, self.worker, fallback=by_hand)
            else:
                delivery = Delivery(store, {name: by_hand for name in transports}, self.worker)
            delivery.facilitators = self.deployment.facilitators
        self.delivery = delivery

    @property
    def transports(self) -> tuple[str, ...] | None:
        """The transports this process delivers to (None: all); another process serving
        another platform delivers the rest."""
        return self.delivery.serves()

    def tick(self, now: datetime) -> int:
        """Queue what is due by `now`, then deliver every claimed item; returns how many were sent.

        With a leader lock, a process that does not hold it does nothing (and tries again to
        take it at each tick, so it takes over within one tick when the leader dies)."""
        if self.leader is not None and not self.leader.lead():
            return 0
        self.queue_due(now)
        return self.delivery.send_due(now)

    def queue_due(self, now: datetime) -> None:
        """Queue what the core has due by `now`; a direct message goes to its person's own
        platform, and a copy of one already queued there in this round is recorded skipped."""
        seen: set[tuple] = set()
        # One transaction per capability: one that fails (a bad record) is rolled back and
        # logged, and the others' output still goes out.
        for producer in schedule.producers():
            try:
                with self.store() as uow:
                    for item in producer.due(uow, now, self.deployment):
                        item = self._homed(item, seen)
                        if uow.outbox.enqueue(to_outbox(item)) and item.skip:
                            log.info("not sending %s late: %s", item.key, item.skip)
                    uow.commit()
            except Exception:
                log.exception("%s failed at %s; the others go on", type(producer).__name__, now)

    def _homed(self, item: schedule.Due, seen: set[tuple]) -> schedule.Due:
        out = item.out
        if not isinstance(out, DirectMessage) or self.home_of is None:
            return item
        home = self.home_of(out.user)
        if home and home != out.transport:
            out = replace(out, transport=home)
        same = (out.transport, out.user, out.text)
        skip = item.skip or (
            f"sent to {out.user} on {out.transport} once" if same in seen else None
        )
        seen.add(same)
        return replace(item, out=out, skip=skip)

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
