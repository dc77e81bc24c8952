"""Attendance: who came, who sent apologies, who was absent without notice (terms of
reference II.1), and who has now missed two meetings in a row without a word."""

from __future__ import annotations

from handlers import audit, history, meetings
from handlers.base import VOTING_ROLES, Args, Context, UserError, command, record_number, reply
from handlers.events import mention
from handlers.timefmt import when
from handlers.wording import plural


def _meeting(ctx: Context, text: str | None):
    group = ctx.require_group()
    if text:
        # A date names the last such day, or else a meeting ahead (which has not taken place).
        try:
            meeting = meetings.on_day(
                ctx.uow, group, meetings.read_day(text, ctx, prefer="past"), ctx.tz
            )
        except UserError:
            meeting = meetings.on_day(ctx.uow, group, meetings.read_day(text, ctx), ctx.tz)
        if meeting.starts_at > ctx.now:
            raise UserError(
                f"The meeting of {when(meeting.starts_at, ctx.tz)} has not taken place yet."
            )
        return meeting
    recent = ctx.uow.meetings.recent(group.id, ctx.now, limit=1)
    if not recent:
        raise UserError(f"{group.name} has held no meeting yet.")
    return recent[0]


def statuses(uow, group, held) -> dict[int, dict[str, str]]:
    """For each held meeting with attendance recorded: member handle → attended|apologies|absent."""
    ids = [m.id for m in held]
    came: dict[int, set[str]] = {i: set() for i in ids}
    for row in uow.attendance.for_meetings(ids):
        came[row.meeting_id].add(row.handle)
    excused: dict[int, set[str]] = {i: set() for i in ids}
    for row in uow.apologies.for_meetings(ids):
        excused[row.meeting_id].add(row.handle)
    memberships, changes = uow.members.history(group.id), uow.members.changes(group.id)
    result = {}
    for m in held:
        if not came[m.id]:
            continue  # attendance was never recorded for this meeting
        # Who had an equal say when it started, as they were then: a member removed since
        # still attended or was absent.
        voters = [
            v for v in history.as_of(memberships, changes, m.starts_at) if v.role in VOTING_ROLES
        ]
        result[m.id] = {
            v.handle: "attended"
            if v.handle in came[m.id]
            else "apologies"
            if v.handle in excused[m.id]
            else "absent"
            for v in voters
        }
    return result


def absent_twice(uow, group, now) -> list[str]:
    """Current members absent without notice from each of the last two meetings with
    attendance."""
    held = uow.meetings.recent(group.id, now, limit=12)
    table = statuses(uow, group, held)
    recorded = [m for m in held if m.id in table][:2]
    if len(recorded) < 2:
        return []
    current = {m.handle for m in uow.members.all(group.id)}
    return sorted(
        h
        for h, s in table[recorded[0].id].items()
        if s == "absent" and table[recorded[1].id].get(h) == "absent" and h in current
    )


@command("attended", facilitator_only=True)
def record_attendance(ctx: Context, args: Args):
    """Record who attended a meeting (the latest one unless you give its date).

    attended <people...> [meeting=<date>]

    Example: attended @amina @bruno @chen meeting=2026-12-08
    """
    from handlers.grammar import handle_of

    group = ctx.require_group()
    people = [w for w in args.rest.split() if handle_of(w)]
    others = [w for w in args.rest.split() if not handle_of(w)]
    when_text = args.options.get("meeting")
    if when_text is not None and others:
        # `meeting=8 December`: the words after the date's first belong to it.
        when_text, others = " ".join([when_text, *others]), []
    meeting = _meeting(ctx, when_text)
    handles = []
    # A member removed since the meeting was on the roster then, and may have come.
    then = {v.handle for v in history.roster_at(ctx.uow, group, meeting.starts_at)}
    for word in people + others:
        handle = handle_of(word) or word
        if handle not in then and ctx.uow.members.get(group.id, handle) is None:
            raise UserError(
                f"{mention(handle)} is not on the roster of {group.name}; nothing was recorded."
            )
        handles.append(handle)
    new = sum(ctx.uow.attendance.record(meeting.id, h, ctx.now) for h in handles)
    if new:
        who = " ".join(f"@{h}" for h in handles)  # kept in the audit log as plain text
        audit.record(ctx, "attendance record", f"meeting of {when(meeting.starts_at)}", who)
    table = statuses(ctx.uow, group, [meeting])[meeting.id]
    counts = {
        s: sorted(h for h, v in table.items() if v == s)
        for s in ("attended", "apologies", "absent")
    }
    text = (
        f"Recorded {plural(new, 'new attendee')} for the meeting of {when(meeting.starts_at, ctx.tz)}: "
        f"{len(counts['attended'])} attended, {len(counts['apologies'])} sent apologies, "
        f"{len(counts['absent'])} absent without notice"
    )
    text += f" ({', '.join(mention(h) for h in counts['absent'])})." if counts["absent"] else "."
    twice = absent_twice(ctx.uow, group, ctx.now)
    if twice:
        text += (
            "\nAbsent without notice twice in a row: " + ", ".join(mention(h) for h in twice) + "."
        )
    return reply(text, private=True)


@command("attendance", facilitator_only=True)
def show_attendance(ctx: Context, args: Args):
    """Review attendance: one meeting's, or each member's over the last meetings.

    attendance [<date...>] [last=<n>]

    Example: attendance last=6
    """
    group = ctx.require_group()
    if args.rest:
        meeting = _meeting(ctx, args.rest)
        table = statuses(ctx.uow, group, [meeting]).get(meeting.id)
        if table is None:
            raise UserError(
                f"No attendance was recorded for the meeting of {when(meeting.starts_at, ctx.tz)}."
            )
        lines = [f"Meeting of {when(meeting.starts_at, ctx.tz)}:"]
        for status in ("attended", "apologies", "absent"):
            people = sorted(h for h, s in table.items() if s == status)
            lines.append(f"  {status}: {', '.join(mention(h) for h in people) or '-'}")
        return reply("\n".join(lines), private=True)
    last = args.options.get("last", "6")
    if not 1 <= (record_number(last) or 0) <= 24:
        raise UserError("`last=` should be a number of meetings from 1 to 24.")
    held = ctx.uow.meetings.recent(group.id, ctx.now, limit=record_number(last))
    table = statuses(ctx.uow, group, held)
    if not table:
        return reply(
            f"No attendance is recorded for the last {last} meetings of {group.name}.", private=True
        )
    lines = [
        f"Attendance over the last {plural(len(table), 'meeting')} with a record (attended / apologies / absent):"
    ]
    voters = sorted(
        (m for m in ctx.uow.members.all(group.id) if m.role in VOTING_ROLES), key=lambda m: m.handle
    )
    for v in voters:
        seen = [t[v.handle] for t in table.values() if v.handle in t]
        lines.append(
            f"  {mention(v.handle)}: {seen.count('attended')} / {seen.count('apologies')} / {seen.count('absent')}"
        )
    twice = absent_twice(ctx.uow, group, ctx.now)
    if twice:
        lines.append(
            "Absent without notice twice in a row: " + ", ".join(mention(h) for h in twice) + "."
        )
    return reply("\n".join(lines), private=True)
