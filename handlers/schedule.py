"""What is due at a given time. Capabilities register producers; the scheduler asks them at
each tick and delivers what they return through the outbox, so the database stays the only
source of truth for what the bot still has to say."""

from __future__ import annotations

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


class Producer(Protocol):
    def due(self, uow, now: datetime, deployment: Deployment) -> list[Due]: ...

    def next_after(self, uow, now: datetime) -> datetime | None: ...


PRODUCERS: list[Producer] = []


def due(uow, now: datetime, deployment: Deployment) -> list[Due]:
    """Everything every capability has due by `now`."""
    return [item for producer in PRODUCERS for item in producer.due(uow, now, deployment)]


def next_after(uow, now: datetime) -> datetime | None:
    """The earliest time after `now` at which some capability will have something due."""
    times = [t for producer in PRODUCERS if (t := producer.next_after(uow, now)) is not None]
    return min(times, default=None)
