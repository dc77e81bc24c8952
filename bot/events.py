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
    text: str
    data: dict = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Reply(Outgoing):
    """An answer to the event being handled; `private` shows it to its author only."""

    private: bool = False
    in_thread: bool = False


@dataclass(frozen=True, kw_only=True)
class Post(Outgoing):
    """A message in a room (`room` of `transport`), optionally in a thread."""

    transport: str
    room: str
    thread: str | None = None
    key: str | None = None  # the outbox key when the scheduler sends it, for `delivered`


@dataclass(frozen=True, kw_only=True)
class DirectMessage(Outgoing):
    """A private message to one person."""

    transport: str
    user: str
    key: str | None = None  # the outbox key when the scheduler sends it, for `delivered`


@dataclass(frozen=True, kw_only=True)
class Update(Outgoing):
    """A new text for a message the bot sent earlier."""

    transport: str
    room: str
    message_id: str
