"""Edits and deletions of a member's message the bot captured a notice from.

An edit is read again: the record it gave (apologies, an outreach announcement, an
objection) takes the new date, meeting or reason, or is withdrawn when the new text is no
notice any more; a message that was no notice and now is one is captured. A deletion
withdraws what the message gave. The author is told either way: in the message's thread
after an edit, by a direct message after a deletion (the thread went with the message).
"""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from handlers import availability, capture, notify, objections, outreach
from handlers.base import Context, UserError, reply
from handlers.events import DirectMessage, Outgoing, Reply, mention
from handlers.recognise import absence
from handlers.recognise import objection as objection_reader
from handlers.recognise import outreach as outreach_reader
from handlers.timefmt import day, when


def _captured(ctx: Context):
    """The live record the edited or deleted message gave: (capture, kind, record) or None."""
    event = ctx.event
    found = ctx.uow.captures.get(event.transport, event.room, event.message_id or "")
    if found is None:
        return None
    if found.author != ctx.user:  # platforms let only the author edit; never act for another
        raise UserError("That message is not yours; only its author's edits count.")
    kind, _, number = found.ref.partition(":")
    record = None
    if kind == "apology":
        record = ctx.uow.apologies.by_id(int(number))
        record = record if record and record.withdrawn_at is None else None
    elif kind == "outreach":
        record = ctx.uow.outreach.get(ctx.group.id, int(number))
        record = record if record and record.status not in ("withdrawn", "declined") else None
    elif kind == "objection":
        record = ctx.uow.objections.by_id(int(number))
        record = record if record and record.status != "withdrawn" else None
    if record is None:  # withdrawn some other way since
        ctx.uow.captures.forget(found)
        return None
    return found, kind, record


def on_edit(ctx: Context) -> list[Outgoing]:
    """Read an edited message again and update, withdraw or capture what it says."""
    found = _captured(ctx)
    if found is None:
        return capture.on_message(ctx)
    capture_row, kind, record = found
    if kind == "apology":
        return _edit_apology(ctx, capture_row, record)
    if kind == "outreach":
        return _edit_outreach(ctx, capture_row, record)
    return _edit_objection(ctx, capture_row, record)


def on_delete(ctx: Context) -> list[Outgoing]:
    """Withdraw what a deleted message gave, and tell its author privately."""
    found = _captured(ctx)
    if found is None:
        return []
    capture_row, kind, record = found
    ctx.uow.captures.forget(capture_row)
    why = "You deleted your message, so"
    if kind == "apology":
        out = _withdraw_apology(ctx, record, why)
    elif kind == "outreach":
        out = _withdraw_outreach(ctx, record, why)
    else:
        out = _withdraw_objection(ctx, record, why, "deleted")
    return [
        DirectMessage(transport=ctx.event.transport, user=ctx.user, text=o.text, data=o.data)
        if isinstance(o, Reply)
        else o
        for o in out
    ]


def _in_thread(out: list[Outgoing]) -> list[Outgoing]:
    return [replace(o, in_thread=True, private=False) if isinstance(o, Reply) else o for o in out]


# apologies ------------------------------------------------------------------------------------


def _withdraw_apology(ctx: Context, apology, why: str) -> list[Outgoing]:
    meeting = ctx.uow.meetings.get(ctx.group.id, apology.meeting_id)
    if meeting.starts_at <= ctx.now:
        return reply(
            f"{why.rsplit(',', 1)[0]}, but the meeting of {when(meeting.starts_at, ctx.tz)} has "
            "already started: your apologies for it stay on the record.",
            private=True,
        )
    told = [o for o in availability.withdraw(ctx, meeting, apology) if not isinstance(o, Reply)]
    return (
        reply(
            f"{why} I withdrew your apologies: you are expected at the meeting of "
            f"{when(meeting.starts_at, ctx.tz)} after all.",
            private=True,
        )
        + told
    )


def _edit_apology(ctx: Context, capture_row, apology) -> list[Outgoing]:
    old = ctx.uow.meetings.get(ctx.group.id, apology.meeting_id)
    if old.starts_at <= ctx.now:
        # The notice excused an absence from a meeting under way or past: an edit now
        # rewrites nothing.
        return reply(
            f"The meeting of {when(old.starts_at)} has already started; your apologies "
            "for it stay on the record as they were.",
            in_thread=True,
        )
    reading = absence.recognise(ctx.event.text, ctx.now, ctx.tz)
    if reading is None:
        ctx.uow.captures.forget(capture_row)
        why = "Your edited message no longer reads as apologies, so"
        return _in_thread(_withdraw_apology(ctx, apology, why)) + capture.on_message(ctx)
    if reading.ambiguous:
        return reply(
            f"After your edit I can't tell which date you mean; your apologies for the meeting of "
            f"{when(old.starts_at)} stand. To change them: `away <date>`.",
            in_thread=True,
        )
    wanted = None if reading.next_meeting else reading.when
    try:
        meeting = availability.meeting_for(ctx, ctx.group, wanted)
    except UserError as error:
        shown = f" for {day(wanted)}" if wanted else ""
        return reply(
            f"Your edited message sounds like apologies{shown}, but I changed nothing. {error} "
            f"Your apologies for the meeting of {when(old.starts_at)} stand.",
            in_thread=True,
        )
    if meeting.id == old.id:
        apology.reason = reading.reason
        ctx.uow.apologies.save(apology)
        shown = f": {apology.reason}" if apology.reason else " (no reason given)"
        name = ctx.me.name if ctx.me else ctx.user
        return reply(
            f"Updated your apologies for the meeting of {when(meeting.starts_at)}{shown}.",
            in_thread=True,
        ) + notify.secretariat(
            ctx,
            f"{name} ({mention(ctx.user)}) updated their apologies for the {ctx.group.name} meeting of "
            f"{when(meeting.starts_at)}{shown}.",
            exclude=ctx.user,
        )
    ctx.uow.apologies.withdraw(apology, ctx.now)
    moved = availability.record(ctx, meeting, reading.reason, "chat", in_thread=True)
    note = (
        f"Your edit moves your apologies from the meeting of {when(old.starts_at)}. " if old else ""
    )
    return [replace(o, text=note + o.text) if isinstance(o, Reply) else o for o in moved]


# outreach -------------------------------------------------------------------------------------


def _withdraw_outreach(ctx: Context, record, why: str) -> list[Outgoing]:
    out = outreach.withdraw_record(ctx, record)  # its reply: "Withdrew outreach 4 (...)."
    return [
        replace(o, text=f"{why} I w{o.text[1:]}", private=True) if isinstance(o, Reply) else o
        for o in out
    ]


def _edit_outreach(ctx: Context, capture_row, record) -> list[Outgoing]:
    reading = outreach_reader.recognise(ctx.event.text, ctx.now, ctx.tz)
    if reading is None:
        ctx.uow.captures.forget(capture_row)
        why = "Your edited message no longer announces outreach, so"
        return _in_thread(_withdraw_outreach(ctx, record, why)) + capture.on_message(ctx)
    if reading.ambiguous or not reading.event or not reading.when:
        return reply(
            f"After your edit I can't read the event and its date; outreach {record.id} stays as "
            f"announced: {outreach.describe(record)}.",
            in_thread=True,
        )
    today = ctx.now.astimezone(ZoneInfo(ctx.tz)).date()
    if reading.when < today:
        return reply(
            f"{day(reading.when)} is in the past; outreach {record.id} stays as announced: "
            f"{outreach.describe(record)}.",
            in_thread=True,
        )
    changed = (reading.event[:200], reading.when, reading.place or record.place)
    if changed == (record.event, record.date, record.place):
        return []
    if record.status != "announced":
        # the group's word was on that event, date and place alone
        return reply(
            f"Outreach {record.id} is {record.status} for {outreach.describe(record)} alone, so it "
            f"stays as it was: another event, date or place needs the group's word again. "
            f"To announce it: `outreach withdraw {record.id}`, then announce the new one.",
            in_thread=True,
        )
    try:
        closes = outreach.window_closes(ctx, ctx.group, changed[0], changed[1])
    except UserError as refusal:
        return reply(
            f"{refusal} Outreach {record.id} stays as announced: {outreach.describe(record)}.",
            in_thread=True,
        )
    record.event, record.date, record.place = changed
    # a changed announcement is a new one: the group gets a whole window to object to it
    record.window_closes_at = closes
    ctx.uow.outreach.save(record)
    return reply(
        f"Updated outreach {record.id}: {outreach.describe(record)}; objections are open until "
        f"{when(record.window_closes_at)}.",
        in_thread=True,
    ) + outreach.thread_posts(
        ctx.uow,
        record,
        f"Outreach {record.id} was changed by {mention(ctx.user)}: {outreach.describe(record)}. "
        f"Objections are open again until {when(record.window_closes_at)}.",
    )


# objections -----------------------------------------------------------------------------------


def _withdraw_objection(ctx: Context, objection, why: str, change: str) -> list[Outgoing]:
    objection.status = "withdrawn"
    ctx.uow.objections.save(objection)
    text = f"{why} I withdrew your objection {objection.id} to outreach {objection.outreach_id}."
    told = notify.staff(ctx.uow, ctx.group, ctx.facilitators)
    return reply(text, private=True) + [
        DirectMessage(
            transport=ctx.event.transport,
            user=h,
            text=f"{mention(ctx.user)} withdrew objection {objection.id} to outreach "
            f"{objection.outreach_id} (its message was {change}).",
        )
        for h in told
        if h != ctx.user
    ]


def _edit_objection(ctx: Context, capture_row, objection) -> list[Outgoing]:
    reading = objection_reader.recognise(ctx.event.text)
    if reading is None:
        ctx.uow.captures.forget(capture_row)
        why = "Your edited message is no longer an objection, so"
        return _in_thread(_withdraw_objection(ctx, objection, why, "edited"))
    record = ctx.uow.outreach.get(ctx.group.id, objection.outreach_id)
    _, text, tell = objections.raise_objection(ctx, record, reading.reason, "thread")
    return reply(f"Updated after your edit. {text}", in_thread=True) + tell
