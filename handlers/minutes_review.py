"""Draft minutes under review: shown to anyone (`minutes`), corrected by members within the
review window (`minutes correct`), edited or approved by the facilitator; with no correction
standing they become approved when the window closes (the scheduler says so in the room)."""

from __future__ import annotations

import re
from datetime import datetime

from handlers import audit, meetings, minutes_render, notify, privacy
from handlers.base import Args, Context, UserError, command, record_number, reply
from handlers.events import DirectMessage, Post, mention
from handlers.minutes import DEFAULT_REVIEW_HOURS, review_hours
from handlers.schedule import PRODUCERS, Deployment, Due
from handlers.timefmt import when
from handlers.wording import plural

MAX_CORRECTION = 2000
_HOURS = re.compile(r"^(\d{1,3})([dh])$")


def _minutes_of(ctx: Context, text: str):
    """The minutes of the meeting on a date, or the latest minutes taken."""
    group = ctx.require_group()
    if text:
        day = meetings.read_day(text, ctx, prefer="past")
        meeting = meetings.on_day(ctx.uow, group, day, ctx.tz, status=None)
        found = ctx.uow.minutes.of_meeting(meeting.id)
        if found is None:
            raise UserError(
                f"No minutes were taken at the meeting of {when(meeting.starts_at, ctx.tz)}."
            )
        return found, meeting
    taken = ctx.uow.minutes.all(group.id)
    if not taken:
        raise UserError(
            f"{group.name} has no minutes yet; a chair takes them with `meeting start` in a meeting."
        )
    found = taken[-1]
    return found, ctx.uow.meetings.get(group.id, found.meeting_id)


@command("minutes")
def show_minutes(ctx: Context, args: Args):
    """Show the minutes of the latest meeting, or of the meeting on a date.

    minutes [<date...>] [format=md|txt]

    Example: minutes 8 December
    """
    minutes, meeting = _minutes_of(ctx, args.rest)
    if not privacy.sees_private_meeting(ctx, meeting):
        raise UserError("That meeting was private: its minutes are for the group's members.")
    fmt = args.options.get("format", "txt").lower()
    if fmt not in ("md", "txt"):
        raise UserError(
            "`format=` is md or txt in chat; `pnbot minutes --format html` writes HTML."
        )
    staff = ctx.is_facilitator or ctx.role == "secretariat"
    data = minutes_render.data(ctx.uow, ctx.group, minutes, ctx.now, numbered=staff)
    return reply(minutes_render.render(data, fmt).rstrip("\n"), private=True)


def _draft(ctx: Context):
    minutes, meeting = _minutes_of(ctx, "")
    status = minutes_render.status_of(ctx.uow, minutes, ctx.now)
    if status == "open":
        raise UserError("The minutes are still being taken; `meeting end` closes them first.")
    return minutes, meeting, status


@command("minutes correct")
def correct(ctx: Context, args: Args):
    """Send the facilitator a correction to the draft minutes, within the review window.

    minutes correct <text...>

    Example: minutes correct Decision 2 said March, not April
    """
    minutes, meeting, status = _draft(ctx)
    if ctx.me is None and not ctx.is_facilitator:
        raise UserError("Only people on the roster correct the minutes; see `roster`.")
    if status == "approved":
        raise UserError(
            f"The minutes of {when(meeting.starts_at, ctx.tz)} are approved; ask the facilitator "
            "if something must still change."
        )
    if ctx.now >= minutes.review_until:
        raise UserError(
            f"The review window closed {when(minutes.review_until, ctx.tz)}; the facilitator "
            "approves the minutes now."
        )
    text = " ".join(args.rest.split())
    if len(text) > MAX_CORRECTION:
        raise UserError(
            f"Keep a correction under {MAX_CORRECTION} characters (this one has {len(text)})."
        )
    row = ctx.uow.minutes.correct(minutes.id, ctx.user, text, ctx.now)
    audit.record(ctx, "minutes correct", f"minutes of {when(meeting.starts_at)}", text)
    told = (
        f"Correction {row.id} to the minutes of the {ctx.group.name} meeting of "
        f"{when(meeting.starts_at)}, from {mention(ctx.user)}: {text}\n"
        "Edit a line with `minutes edit <line> <text>` (`minutes` shows the line numbers), then "
        "`minutes approve`."
    )
    return reply(
        "Sent to the facilitator. The minutes wait for their approval now, not the window's end.",
        private=True,
    ) + notify.secretariat(ctx, told, exclude=ctx.user)


@command("minutes edit", facilitator_only=True)
def edit(ctx: Context, args: Args):
    """Change a line of the draft minutes (the earlier text is kept).

    minutes edit <line> <text...>

    Example: minutes edit 4 The outline goes to public comment in March
    """
    minutes, meeting, status = _draft(ctx)
    if status == "approved":
        raise UserError(f"The minutes of {when(meeting.starts_at, ctx.tz)} are approved already.")
    number = record_number(args.words[0])
    line = ctx.uow.minutes.line(minutes.id, number) if number is not None else None
    if line is None or line.undone_at is not None:
        raise UserError(
            f"There is no line {args.words[0][:10]} in the minutes; `minutes` numbers them."
        )
    text = " ".join(args.rest.split())
    if len(text) > MAX_CORRECTION:
        raise UserError(
            f"Keep a line under {MAX_CORRECTION} characters (this one has {len(text)})."
        )
    before = line.text
    ctx.uow.minutes.edit_line(line, text, ctx.user, ctx.now)
    for item in ctx.uow.actions.of_line(line.id):
        item.text = text
        ctx.uow.actions.save(item)
    decision = ctx.uow.decisions.of_line(line.id)
    if decision is not None:
        decision.text = text
        ctx.uow.decisions.save(decision)
    audit.record(
        ctx, "minutes edit", f"line {line.number} of minutes {minutes.id}", f"{before} -> {text}"
    )
    return reply(f"Line {line.number} now reads: {text}", private=True)


@command("minutes approve", facilitator_only=True)
def approve(ctx: Context, args: Args):
    """Approve the latest draft minutes, settling the corrections that stand.

    minutes approve
    """
    minutes, meeting, status = _draft(ctx)
    if minutes.status == "approved":
        raise UserError(f"The minutes of {when(meeting.starts_at, ctx.tz)} are approved already.")
    settled = ctx.uow.minutes.settle(minutes.id, ctx.now)
    minutes.status, minutes.approved_by, minutes.approved_at = "approved", ctx.user, ctx.now
    ctx.uow.minutes.save(minutes)
    audit.record(
        ctx,
        "minutes approve",
        f"minutes of {when(meeting.starts_at)}",
        f"{settled} corrections settled",
    )
    text = f"The minutes of the {ctx.group.name} meeting of {when(meeting.starts_at)} are approved."
    return reply("Approved.", private=True) + [
        Post(transport=r.transport, room=r.room, text=text)
        for r in ctx.uow.groups.main_rooms(ctx.group.id)
    ]


@command("minutes window", facilitator_only=True)
def set_window(ctx: Context, args: Args):
    """Show or set how long draft minutes stay open to corrections (hours `48h` or days `3d`).

    minutes window [<length>]

    Example: minutes window 48h
    """
    group = ctx.require_group()
    if args.words:
        found = _HOURS.match(args.words[0].strip().lower())
        hours = (int(found[1]) * (24 if found[2] == "d" else 1)) if found else 0
        if not 1 <= hours <= 30 * 24:
            raise UserError(
                "Give the window in hours or days, from 1h to 30d: `minutes window 48h`."
            )
        settings = dict(group.settings or {})
        settings["minutes"] = {**settings.get("minutes", {}), "review_hours": hours}
        group.settings = settings
        ctx.uow.groups.save(group)
        audit.record(ctx, "minutes window", group.name, f"{hours}h")
    shown = review_hours(group)
    default = " (the default)" if shown == DEFAULT_REVIEW_HOURS else ""
    return reply(
        f"Draft minutes of {group.name} stay open to corrections for {shown} hours{default}.",
        private=not args.words,
    )


def agenda_line(uow, group, meeting, tz: str) -> str | None:
    """What the next agenda says about the previous minutes: approved or still in review."""
    last = uow.minutes.latest_ended(group.id, meeting.starts_at)
    if last is None or last.meeting_id == meeting.id:
        return None
    held = uow.meetings.get(group.id, last.meeting_id)
    at = f"{held.starts_at:%a} {held.starts_at.day} {held.starts_at:%b %Y}"
    if last.status == "approved":
        return f"Minutes of {at}: approved {when(last.approved_at, tz)}."
    return f"Minutes of {at}: draft, in review until {when(last.review_until, tz)}."


class ReviewWindow:
    """Closes review windows: approved when no correction stands, else the facilitator is told."""

    def due(self, uow, now: datetime, deployment: Deployment) -> list[Due]:
        found = []
        for minutes in uow.minutes.in_review():
            if minutes.review_until is None or minutes.review_until > now:
                continue
            group = uow.groups.get(minutes.group_id)
            meeting = uow.meetings.get(group.id, minutes.meeting_id)
            standing = [c for c in uow.minutes.corrections(minutes.id) if c.status == "standing"]
            at = minutes.review_until
            if not standing:
                minutes.status, minutes.approved_by, minutes.approved_at = "approved", audit.BOT, at
                uow.minutes.save(minutes)
                uow.audit.record(
                    group.id,
                    at,
                    audit.BOT,
                    "minutes approve",
                    f"minutes of {when(meeting.starts_at)}",
                    "no correction in the review window",
                )
                text = (
                    f"The minutes of the {group.name} meeting of {when(meeting.starts_at)} are "
                    "approved: no correction stood when the review window closed."
                )
                for r in uow.groups.main_rooms(group.id):
                    out = Post(transport=r.transport, room=r.room, text=text)
                    found.append(
                        Due(
                            f"minutes:{minutes.id}:approved:{r.transport}:{r.room}",
                            at,
                            out,
                            group.id,
                        )
                    )
                continue
            text = (
                f"The review window of the {group.name} minutes of {when(meeting.starts_at)} closed "
                f"with {plural(len(standing), 'correction')} standing:\n"
                + "\n".join(f"  {c.id}. @{c.author}: {c.text}" for c in standing)
                + "\nEdit with `minutes edit <line> <text>`, then `minutes approve`."
            )
            rooms = uow.groups.main_rooms(group.id)
            for handle in notify.staff(uow, group, deployment.facilitators):
                for r in rooms[:1]:
                    out = DirectMessage(transport=r.transport, user=handle, text=text)
                    found.append(
                        Due(
                            f"minutes:{minutes.id}:window:{r.transport}:@{handle}",
                            at,
                            out,
                            group.id,
                        )
                    )
        known = uow.outbox.known([d.key for d in found])
        return [d for d in found if d.key not in known]

    def next_after(self, uow, now: datetime) -> datetime | None:
        times = [
            m.review_until
            for m in uow.minutes.in_review()
            if m.review_until and m.review_until > now
        ]
        return min(times, default=None)


REVIEW = ReviewWindow()
PRODUCERS.append(REVIEW)
