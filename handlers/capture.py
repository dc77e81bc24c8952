"""Chat capture: what an ordinary message (not a command) means to the group's procedures.

A reply in an announcement's thread may be an objection; any other message may be an
availability notice or an outreach announcement, tried in that order. `pnbot explain`
shows the reading of a message, so a facilitator can see why it was or was not taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from handlers.recognise import absence
from handlers.recognise import objection as objection_reader
from handlers.recognise import outreach as outreach_reader


@dataclass(frozen=True)
class Reading:
    kind: str = "none"
    date: date | None = None
    event: str | None = None
    language: str | None = None

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "date": self.date.isoformat() if self.date else None,
            "event": self.event,
            "language": self.language,
        }


def read(text: str, at: datetime, tz: str) -> Reading:
    """What the capture sees in `text` written at `at` in zone `tz`."""
    notice = absence.recognise(text, at, tz)
    if notice is not None:
        return Reading(kind="availability", date=notice.when, language=notice.language)
    announcement = outreach_reader.recognise(text, at, tz)
    if announcement is not None:
        return Reading("outreach", announcement.when, announcement.event, announcement.language)
    objection = objection_reader.recognise(text)
    if objection is not None:
        return Reading(kind="objection", language=objection.language)
    return Reading()


def remember(ctx, ref: str) -> None:
    """Tie the message being handled to the record `ref` captured from it, so an edit or a
    deletion of the message finds the record (handlers.edits)."""
    event = ctx.event
    if event.message_id:
        ctx.uow.captures.remember(
            event.transport, event.room, event.message_id, ref, ctx.user, ctx.now
        )


def on_message(ctx) -> list:
    """Act on a plain message in a group's room; an empty list when it means nothing here."""
    from handlers import availability, objections, outreach

    captures = [availability.on_message, outreach.on_message]
    if ctx.event.thread:
        captures.insert(0, objections.on_thread_reply)
    for capture in captures:
        out = capture(ctx)
        if out is not None:
            return out
    return []


def on_reaction(ctx) -> list:
    """Act on a reaction to one of the bot's messages: an objection to an announcement, or
    support for an emerging issue."""
    from handlers import issues, objections

    return objections.on_reaction(ctx) or issues.on_reaction(ctx) or []
