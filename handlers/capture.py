"""Chat capture: what an ordinary message (not a command) means to the group's procedures.

A reply in an announcement's thread may be an objection; any other message may be an
availability notice or an outreach announcement, tried in that order. `pnbot explain`
shows the reading of a message, so a facilitator can see why it was or was not taken.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    confidence: str | None = None  # "sure" (recorded), "ask" (the writer is asked); None
    why: dict = field(default_factory=dict)  # the cue and what it bound to, or why nothing

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "date": self.date.isoformat() if self.date else None,
            "event": self.event,
            "language": self.language,
            "confidence": self.confidence,
            "why": self.why,
        }


def read(text: str, at: datetime, tz: str) -> Reading:
    """What the capture sees in `text` written at `at` in zone `tz` (a reply in an
    announcement's thread is also read as an objection)."""
    notice = absence.recognise(text, at, tz)
    if notice is not None:
        why = {
            "cue": notice.cue,
            "date": notice.when.isoformat() if notice.when else None,
            "meeting": "the next meeting"
            if notice.next_meeting
            else ("the meeting of that day" if notice.when else "none: no single date"),
        }
        if notice.period:
            first, last = notice.period
            why["meeting"] = f"the first one from {first.isoformat()} to {last.isoformat()}"
        if notice.on_behalf:
            why["on_behalf"] = notice.on_behalf  # passed on, never filed: the writer is asked
        if notice.reason:
            why["reason"] = notice.reason
        return Reading("availability", notice.when, None, notice.language, notice.confidence, why)
    announcement = outreach_reader.recognise(text, at, tz)
    if announcement is not None:
        why = {
            "cue": announcement.cue,
            "event": announcement.event,
            "date": announcement.when.isoformat() if announcement.when else None,
        }
        return Reading(
            "outreach",
            announcement.when,
            announcement.event,
            announcement.language,
            announcement.confidence,
            why,
        )
    objection = objection_reader.recognise(text)
    if objection is not None:
        why = {"cue": objection.cue, "reason": objection.reason}
        return Reading("objection", None, None, objection.language, objection.confidence, why)
    return Reading()


def explain(text: str, at: datetime, tz: str) -> Reading:
    """`read`, with the reason it took nothing when it took nothing (`pnbot explain`)."""
    reading = read(text, at, tz)
    if reading.kind == "none":
        return Reading(why={"nothing": _why_nothing(text)})
    return reading


def _why_nothing(text: str) -> str:
    cues = [
        name
        for name, found in (
            ("absence", absence.might_be_notice(text) or absence.might_be_unsure(text)),
            ("outreach", outreach_reader.might_be_outreach(text)),
            ("objection", objection_reader.might_be_objection(text)),
        )
        if found
    ]
    if not cues:
        return "no cue of any kind"
    return (
        f"a cue ({', '.join(cues)}) but no full notice: not the writer's own, a question or "
        "hedge, no meeting or date it binds to, or a date in the past"
    )


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
    from handlers import availability, draft_review, minutes, objections, outreach

    # In an open meeting a tagged line is the minutes', before any other reading.
    captures = [minutes.on_message, availability.on_message, outreach.on_message]
    if ctx.event.thread:
        captures[1:1] = [draft_review.on_thread_reply, objections.on_thread_reply]
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
