"""The platform-neutral event model: what transports hand to the core and get back.

Inbound events carry an idempotency `key` (Slack event_id, Matrix event id, console line)
so a retry or a second delivery is processed once. Times are timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, kw_only=True)
class Inbound:
    transport: str
    room: str
    user: str
    key: str
    at: datetime
    message_id: str | None = None
    thread: str | None = None
    is_direct: bool = False


@dataclass(frozen=True, kw_only=True)
class Message(Inbound):
    """Someone wrote in a room or to the bot directly."""

    text: str
    mentions_bot: bool = False


@dataclass(frozen=True, kw_only=True)
class Command(Inbound):
    """A slash command: `text` is what follows `/pn`."""

    text: str


@dataclass(frozen=True, kw_only=True)
class Reaction(Inbound):
    """A reaction (emoji name without colons) added to or removed from `target`."""

    name: str
    target: str
    added: bool = True


@dataclass(frozen=True, kw_only=True)
class Action(Inbound):
    """A button click: `action` names it, `value` is what the button carried."""

    action: str
    value: str = ""
    target: str | None = None


@dataclass(frozen=True, kw_only=True)
class Edited(Inbound):
    """Someone changed a message they wrote earlier (`message_id`); `text` is its new text."""

    text: str


@dataclass(frozen=True, kw_only=True)
class Deleted(Inbound):
    """Someone deleted a message they wrote earlier (`message_id`)."""


@dataclass(frozen=True, kw_only=True)
class Outgoing:
    """What the bot says. `key` is its outbox key once queued: it names the message for good,
    so a transport can tell whether an interrupted send got through."""

    text: str
    data: dict = field(default_factory=dict)
    key: str | None = None


@dataclass(frozen=True, kw_only=True)
class Address:
    """Where an event happened, so its answer goes back there: the room, the author, the
    message and thread it was in, and what the transport needs besides (`extra`, e.g. the
    response URL of a Slack slash command)."""

    transport: str
    room: str
    user: str
    is_direct: bool = False
    message_id: str | None = None
    thread: str | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def of(cls, event: Inbound, extra: dict | None = None) -> Address:
        return cls(
            transport=event.transport,
            room=event.room,
            user=event.user,
            is_direct=event.is_direct,
            message_id=event.message_id,
            thread=event.thread,
            extra=dict(extra or {}),
        )


@dataclass(frozen=True, kw_only=True)
class Reply(Outgoing):
    """An answer to the event being handled; `private` shows it to its author only. `to` is
    filled in by the runtime when it queues the answer: the event's address."""

    private: bool = False
    in_thread: bool = False
    to: Address | None = None


@dataclass(frozen=True, kw_only=True)
class Post(Outgoing):
    """A message in a room (`room` of `transport`), optionally in a thread."""

    transport: str
    room: str
    thread: str | None = None


@dataclass(frozen=True, kw_only=True)
class DirectMessage(Outgoing):
    """A private message to one person."""

    transport: str
    user: str


@dataclass(frozen=True, kw_only=True)
class Update(Outgoing):
    """A new text for a message the bot sent earlier."""

    transport: str
    room: str
    message_id: str
