"""What is due at a given time. Capabilities register producers; the scheduler asks them at
each tick and delivers what they return through the outbox, so the database stays the only
source of truth for what the bot still has to say."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from handlers.events import DirectMessage, Post


@dataclass(frozen=True)
class Due:
    """One thing to say. `key` names it for good: the same key is queued and sent once.

    `skip` says why something that fell due while the bot was down is no longer worth
    saying (a one-hour reminder after the meeting started): it is recorded, never sent.
    """

    key: str
    at: datetime
    out: Post | DirectMessage
    group_id: int | None = None
    skip: str | None = None


@dataclass(frozen=True)
class Deployment:
    """What producers need to know about this deployment beyond the database."""

    facilitators: frozenset[str] = frozenset()
    secretariat_room: str | None = None
    default_tz: str = "UTC"


log = logging.getLogger(__name__)


class Producer(Protocol):
    def due(self, uow, now: datetime, deployment: Deployment) -> list[Due]: ...

    def next_after(self, uow, now: datetime) -> datetime | None: ...

    # Optionally, `stale(uow, key, group_id, now) -> str | None`: why a queued item of this
    # producer is no longer worth sending (asked before a retry), or None.


PRODUCERS: list[Producer] = []


def producers() -> list[Producer]:
    """Every capability's producer: each registers itself when its module is loaded."""
    import handlers.registry  # noqa: F401

    return PRODUCERS


def due(uow, now: datetime, deployment: Deployment) -> list[Due]:
    """Everything every capability has due by `now`."""
    return [item for producer in producers() for item in producer.due(uow, now, deployment)]


def next_after(uow, now: datetime) -> datetime | None:
    """The earliest time after `now` at which some capability will have something due."""
    times = []
    for producer in producers():
        try:
            found = producer.next_after(uow, now)
        except Exception:
            log.exception("%s cannot tell what is due next", producer)
            continue
        if found is not None:
            times.append(found)
    return min(times, default=None)


def stale(uow, key: str, group_id: int | None, now: datetime) -> str | None:
    """Why the queued item `key` should no longer be sent, if a producer says so."""
    for producer in producers():
        check = getattr(producer, "stale", None)
        if check is not None and (reason := check(uow, key, group_id, now)):
            return reason
    return None
