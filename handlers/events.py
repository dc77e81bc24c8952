"""The platform-neutral event model: what transports hand to the core and get back.

Inbound events carry an idempotency `key` (Slack event_id, Matrix event id, console line)
so a retry or a second delivery is processed once. Times are timezone-aware UTC.

A handle the core writes into its text goes through `mention`, which wraps it in Unicode
noncharacters (internal-use code points): each transport makes a marked handle its own kind
of mention and shows everything else as text, so a handle a person typed pings nobody. What
people write loses every noncharacter on the way in, so no one can forge a marked handle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

MARK_OPEN = "\ufdd0"  # before `@handle` in a mention the core writes
MARK_CLOSE = "\ufdd1"  # after it
_NONCHARACTERS = re.compile("[\ufdd0-\ufdef]")
MARKED = re.compile(f"{MARK_OPEN}@([^{MARK_OPEN}{MARK_CLOSE}\\s]+){MARK_CLOSE}")


def mention(handle: str) -> str:
    """Write `handle` as `@handle`, marked as a mention the core itself makes."""
    return f"{MARK_OPEN}@{handle}{MARK_CLOSE}"


def strip_marks(text: str) -> str:
    """Return `text` without mention marks (or any other noncharacter), as people read it."""
    return _NONCHARACTERS.sub("", text)


class _Typed:
    """Text a person wrote: noncharacters taken out, so none of it can pass for a mention."""

    text: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", strip_marks(self.text))


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
class Message(_Typed, Inbound):
    """Someone wrote in a room or to the bot directly."""

    text: str
    mentions_bot: bool = False


@dataclass(frozen=True, kw_only=True)
class Command(_Typed, Inbound):
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
class Edited(_Typed, Inbound):
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
