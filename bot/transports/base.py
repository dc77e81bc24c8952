"""The one thing a chat platform implements to serve the bot: the `Transport` protocol.

A transport turns its platform's events into the event model and hands each to
`Runtime.receive` (which records it in the inbox before the platform is answered); it
delivers what the runtime takes from the outbox, in its own form and within its limits, and
says whether an interrupted delivery got through. It decides nothing: the core does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from handlers.events import Outgoing


@dataclass(frozen=True)
class Sent:
    """Where a delivered message landed: the room and the platform's id of (the first part
    of) the message, so replies in its thread and reactions on it find its record."""

    room: str
    message_id: str


@dataclass(frozen=True)
class Limits:
    """A platform's limits the delivery loop respects: `per_room` seconds between two
    messages in one room (Slack: about one a second); `private_unpaced` when an answer only
    its asker sees in a shared room is not a message of that room, and not held to its pace
    (Slack's ephemeral messages have a limit of their own, per workspace)."""

    per_room: float = 0.0
    private_unpaced: bool = False


class Refused(Exception):
    """The platform refused the message for good (invalid blocks, no such channel): it is
    marked failed with this reason and never retried unless re-sent."""


class RetryLater(Exception):
    """The platform asked to wait (a rate limit): try again in `seconds`."""

    def __init__(self, seconds: float, reason: str = "rate limited"):
        super().__init__(f"{reason}; retry in {seconds:g} s")
        self.seconds = seconds


@runtime_checkable
class Transport(Protocol):
    name: str
    limits: Limits

    def owns(self, handle: str) -> bool:
        """Whether `handle` is a person on this platform (a direct message goes only there)."""
        ...

    def deliver(self, out: Outgoing) -> Sent | None:
        """Send `out` (a Reply carries its event's address); raise Refused or RetryLater when
        the platform says so, any other exception for a failure worth retrying."""
        ...

    def delivered(self, out: Outgoing) -> Sent | bool | None:
        """Whether an earlier, interrupted delivery of `out` (it carries its outbox key) got
        through: where it landed (so its record is linked to it), True when it did but the
        platform cannot say where, False, or None when the platform cannot tell (it is sent
        again)."""
        ...
