"""The group's meetings: a recurring series plus one-offs, cancellations and moves.

Occurrences of the series are kept as rows for a rolling horizon, so apologies, agenda
items and attendance attach to a real meeting and the scheduler finds them with one query.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from handlers import audit, privacy, recurrence, reschedule, rotation
from handlers.base import Args, Context, UserError, command, record_number, reply
from handlers.timefmt import day, impossible_date, parse_day, parse_moment, too_far, when

HORIZON = timedelta(days=400)
BINDING_DAYS = 3
_DURATION = re.compile(r"^(?:(\d{1,2})h)?(?:(\d{1,3})m?)?$")


# -- reading and keeping the series ------------------------------------------------------
def extend(uow, series, now: datetime, since: datetime | None = None) -> int:
    """Create the series' meetings up to the horizon (idempotent); returns how many were new.

    Without `since`, it continues after the last meeting it made; a new pattern passes
    `since=now`, as meetings kept from the old one say nothing about the new one's.
    """
    last = uow.meetings.last_occurrence(series.id) if since is None else None
    lo = max(now, last + timedelta(seconds=1)) if last else (since or now)
    hi = now + HORIZON
    if lo >= hi - timedelta(days=30):
        return 0
    created = 0
    group = uow.groups.get(series.group_id)
    for moment in recurrence.occurrences(series.rrule, series.starts, series.timezone, lo, hi):
        created += uow.meetings.add(
            series.group_id,
            moment,
            now,
            starts_at=rotation.starts_for(group, series, moment),
            series_id=series.id,
            duration_minutes=series.duration_minutes,
            call_link=series.call_link,
        )
    return created


def extend_all(uow, now: datetime) -> None:
    # one query for every series' last meeting: the scheduler calls this at each tick, and a
    # series whose horizon is still covered has nothing to add (as `extend` would find)
    last = uow.meetings.last_occurrences()
    covered_until = now + HORIZON - timedelta(days=30)
    for series in uow.meetings.all_series():
        known = last.get(series.id)
        if known is None or known + timedelta(seconds=1) < covered_until:
            extend(uow, series, now)


def next_meeting(uow, group, now: datetime):
    found = uow.meetings.upcoming(group.id, now, limit=1)
    return found[0] if found else None


def local_day(meeting, tz: str) -> date:
    return meeting.starts_at.astimezone(ZoneInfo(tz)).date()


def bind(uow, group, wanted: date, tz: str, now: datetime):
    """The scheduled meeting within three days of `wanted` (a date in zone `tz`).

    Raises UserError when there is none, or when two are equally near.
    """
    lo = datetime.combine(
        wanted - timedelta(days=BINDING_DAYS + 1), datetime.min.time(), ZoneInfo(tz)
    )
    hi = datetime.combine(
        wanted + timedelta(days=BINDING_DAYS + 2), datetime.min.time(), ZoneInfo(tz)
    )
    near = [
        m
        for m in uow.meetings.between(group.id, lo, hi)
        if m.status == "scheduled" and abs((local_day(m, tz) - wanted).days) <= BINDING_DAYS
    ]
    near.sort(key=lambda m: abs((local_day(m, tz) - wanted).days))
    if not near:
        upcoming = uow.meetings.upcoming(group.id, now, limit=2)
        hint = (
            "; the next: " + ", ".join(when(m.starts_at, tz) for m in upcoming) if upcoming else ""
        )
        raise UserError(
            f"There is no {group.name} meeting within {BINDING_DAYS} days of {day(wanted)}{hint}."
        )
    if len(near) > 1 and abs((local_day(near[0], tz) - wanted).days) == abs(
        (local_day(near[1], tz) - wanted).days
    ):
        options = " or ".join(day(local_day(m, tz)) for m in near[:2])
        raise UserError(
            f"Two meetings are as near to {day(wanted)}: {options}. Say which date you mean."
        )
    return near[0]


def on_day(uow, group, wanted: date, tz: str, status: str | None = "scheduled"):
    """The meeting on a given day (in zone `tz`), or a UserError saying there is none."""
    lo = datetime.combine(wanted - timedelta(days=1), datetime.min.time(), ZoneInfo(tz))
    found = [
        m
        for m in uow.meetings.between(group.id, lo, lo + timedelta(days=3))
        if local_day(m, tz) == wanted and (status is None or m.status == status)
    ]
    if not found:
        raise UserError(f"There is no {group.name} meeting on {day(wanted)}. See `meetings`.")
    return found[0]


def read_day(text: str, ctx: Context, prefer: str = "future") -> date:
    if impossible := impossible_date(text):
        raise UserError(impossible)
    found = parse_day(text, ctx.now, ctx.tz, prefer)
    if found is None:
        raise UserError(
            f"`{text[:60]}` is not a date I can read. Try `9 December` or `2026-12-09`."
        )
    if far := too_far(found, ctx.now):
        raise UserError(far)
    return found


_TIME_OF_DAY = re.compile(r"\d{1,2}[:h.]\d{2}|\d{1,2}\s*(am|pm)", re.IGNORECASE)


def read_moment(text: str, ctx: Context, tz: str | None = None) -> datetime:
    """A date and time in the future, read in `tz` (default: the asker's zone)."""
    tz = tz or ctx.tz
    if impossible := impossible_date(text):
        raise UserError(impossible)
    found = parse_moment(text, ctx.now, tz)
    if found is None or not _TIME_OF_DAY.search(text):
        only_day = parse_day(text, ctx.now, tz)
        if only_day is not None and only_day < ctx.now.astimezone(ZoneInfo(tz)).date():
            raise UserError(f"{day(only_day)} is in the past.")
        if only_day is not None:
            raise UserError(
                f"`{text[:60]}` has a date but no time: add one, e.g. `{text[:40]} 14:00` "
                f"(read in {tz})."
            )
        raise UserError(
            f"`{text[:60]}` is not a date and time I can read. Try `15 December 14:00` "
            f"(your time zone, {tz}) or `2026-12-15 13:00 UTC`."
        )
    if found <= ctx.now:
        raise UserError(f"{when(found, tz)} is in the past.")
    if far := too_far(found, ctx.now):
        raise UserError(far)
    return found


def read_duration(text: str | None) -> int | None:
    if text is None:
        return None
    m = _DURATION.match(text.strip().lower())
    minutes = (int(m[1] or 0) * 60 + int(m[2] or 0)) if m and (m[1] or m[2]) else 0
    if not 10 <= minutes <= 600:
        raise UserError(
            f"`duration={text[:20]}` should be minutes (90) or hours and minutes (1h30), 10 to 600."
        )
    return minutes


def clash(uow, group, starts: datetime, minutes: int, moving=None):
    """A scheduled meeting that would overlap one at `starts` lasting `minutes`, if any."""
    ends = starts + timedelta(minutes=minutes)
    for m in uow.meetings.between(group.id, starts - timedelta(hours=12), ends):
        overlaps = m.starts_at < ends and starts < m.starts_at + timedelta(
            minutes=m.duration_minutes
        )
        if m.status == "scheduled" and overlaps and m is not moving:
            return m
    return None


def read_link(text: str | None) -> str | None:
    if text is None:
        return None
    if not re.match(r"^https?://\S+$", text) or len(text) > 500:
        raise UserError(
            f"`link={text[:60]}` should be the call's web address, starting with https://."
        )
    return text


def describe(meeting, tz: str, link: bool = True, rotating: bool = False) -> str:
    """A meeting in one line; without `link`, no call link (for a private meeting's
    outsiders); `rotating`: the series takes turns at times, so another time of the same
    day is the meeting's turn, not a move."""
    text = f"{when(meeting.starts_at, tz)}, {meeting.duration_minutes} min"
    if meeting.call_link and link:
        text += f", {meeting.call_link}"
    if meeting.private:
        text += ", private (members only)"
    moved = meeting.occurrence != meeting.starts_at and meeting.series_id
    if moved and not (rotating and rotation.rotated(meeting)):
        text += f" (moved from {day(meeting.occurrence.date())})"
    return text


# -- commands ----------------------------------------------------------------------------
@command("meeting schedule", facilitator_only=True)
def schedule_series(ctx: Context, args: Args):
    """Set the group's recurring meeting (replacing any earlier series).

    meeting schedule <pattern...> [tz=<zone>] [duration=<minutes>] [link=<url>] [from=<date>] [rrule=<RRULE>] [rotate=<times>]

    Example: meeting schedule monthly on the second tuesday at 13:00 tz=UTC duration=90 link=https://meet.example.org/pn-ai
    Patterns: `monthly on the second tuesday at 13:00`, `every 2 weeks on thursday at 9:30`, `monthly on day 10 at 15:00`; or `at 13:00 rrule=FREQ=MONTHLY;BYDAY=-1FR` for any RFC 5545 rule.
    The time of day is kept in `tz` (default: yours), so it follows daylight-saving changes there.
    `rotate="13:00 UTC, 06:00 UTC"` keeps the days and gives the meetings each time in turn, month by month, so the night falls on different regions (`fairness` counts it).
    """
    from handlers.roster import check_zone

    group = ctx.require_group()
    o = args.options
    tz = check_zone(o.get("tz", ctx.tz))
    if "rrule" in o:
        rule = recurrence.check_rrule(o["rrule"])
        _, at = recurrence.parse(f"weekly on monday {args.rest}")
    else:
        rule, at = recurrence.parse(args.rest)
    turns = rotation.read(o["rotate"], tz) if "rotate" in o else []
    first_day = read_day(o["from"], ctx) if "from" in o else ctx.now.astimezone(ZoneInfo(tz)).date()
    # The series starts at its first real occurrence, as RFC 5545 wants DTSTART to be one.
    earliest = datetime.combine(first_day, at, ZoneInfo(tz))
    first = recurrence.occurrences(rule, earliest, tz, earliest, earliest + timedelta(days=400))
    if not first:
        raise UserError("That rule gives no meeting in the coming year.")
    recurrence.check_pace(first)
    starts = first[0]
    earlier = ctx.uow.meetings.series(group.id)
    # the same pattern with a new link or duration changes its meetings in place
    in_place = reschedule.same_pattern(earlier, rule, starts, tz, ctx.now)
    if earlier and not in_place:
        ctx.uow.meetings.drop_unused_after(earlier.id, ctx.now)
    turning_anew = turns != rotation.of(group)
    if turning_anew:
        settings = {k: v for k, v in (group.settings or {}).items() if k != "rotate"}
        group.settings = settings | ({"rotate": turns} if turns else {})
        ctx.uow.groups.save(group)
    series = ctx.uow.meetings.set_series(
        group.id,
        rrule=rule,
        starts=starts,
        timezone=tz,
        duration_minutes=read_duration(o.get("duration")) or 60,
        call_link=read_link(o.get("link")),
        created_at=ctx.now,
    )
    extend(ctx.uow, series, ctx.now, since=ctx.now)
    fits = set(recurrence.occurrences(rule, starts, tz, ctx.now, ctx.now + HORIZON))
    kept = [
        m
        for m in ctx.uow.meetings.upcoming(group.id, ctx.now, limit=1000)
        if m.series_id == series.id
    ]
    for m in kept:
        # same slot (or a moved meeting of the same pattern): take the new details
        if m.occurrence in fits and (in_place or m.starts_at == m.occurrence):
            m.duration_minutes, m.call_link = series.duration_minutes, series.call_link
            ctx.uow.meetings.save(m)
        if (
            turning_anew
            and m.occurrence in fits
            and m.status == "scheduled"
            and rotation.rotated(m)
        ):
            # a new rotation gives a kept meeting its turn's time (a move to another day stays)
            m.starts_at = rotation.starts_for(group, series, m.occurrence)
            ctx.uow.meetings.save(m)
    orphans = [m for m in kept if m.occurrence not in fits and m.status == "scheduled"]
    for m in orphans:  # meetings of the old pattern that already had apologies or items
        m.status = "cancelled"
        ctx.uow.meetings.save(m)
    carried, asked = reschedule.carry_over(ctx, orphans, tz)
    upcoming = ctx.uow.meetings.upcoming(group.id, ctx.now, limit=3)
    turning = f", taking turns at {' / '.join(turns)}" if turns else ""
    text = (
        f"{group.name} meets {recurrence.describe(rule)} at {at:%H:%M} {tz}{turning}. Next: "
        + "; ".join(when(m.starts_at, ctx.tz) for m in upcoming)
    )
    if orphans:
        text += (
            "\nCancelled from the old pattern (they had apologies or agenda items): "
            + ", ".join(day(m.starts_at.date()) for m in orphans)
        )
    text += "".join(f"\n{line}" for line in carried)
    audit.record(ctx, "meeting schedule", "the series", text.split(". Next: ")[0])
    return reply(text) + asked


@command("meeting add", facilitator_only=True)
def add_meeting(ctx: Context, args: Args):
    """Add a one-off meeting.

    meeting add <datetime...> [tz=<zone>] [duration=<minutes>] [link=<url>] [private=yes|no]

    Example: meeting add 15 January 14:00 duration=60 link=https://meet.example.org/extra
    The time is read in your time zone unless you name another (`tz=Europe/Zurich`, or `2027-01-15 14:00 UTC`).
    """
    from handlers.roster import check_zone

    group = ctx.require_group()
    zone = check_zone(args.options["tz"]) if "tz" in args.options else None
    starts = read_moment(args.rest, ctx, zone)
    series = ctx.uow.meetings.series(group.id)
    duration = read_duration(args.options.get("duration")) or (
        series.duration_minutes if series else 60
    )
    link = read_link(args.options.get("link")) or (series.call_link if series else None)
    taken = clash(ctx.uow, group, starts, duration)
    if taken:
        raise UserError(f"There is already a meeting at {when(taken.starts_at, ctx.tz)}.")
    occurrence = starts
    while ctx.uow.meetings.at_occurrence(group.id, occurrence):
        # The slot's identity belongs to a meeting moved away from it; a one-off needs its own.
        occurrence += timedelta(seconds=1)
    ctx.uow.meetings.add(
        group.id, occurrence, ctx.now, starts_at=starts, duration_minutes=duration, call_link=link
    )
    meeting = ctx.uow.meetings.at_occurrence(group.id, occurrence)
    audit.record(ctx, "meeting add", f"meeting of {when(starts)}")
    if privacy.switch("private", args.options.get("private", "no")):
        meeting.private = True
        ctx.uow.meetings.save(meeting)
    return reply(f"Added a {group.name} meeting: {describe(meeting, ctx.tz)}.")


@command("meeting cancel", facilitator_only=True)
def cancel_meeting(ctx: Context, args: Args):
    """Cancel the meeting on a date, saying why if you like (the audit log keeps it).

    meeting cancel <date...> [reason="<why>"]

    Example: meeting cancel 22 December reason="Too many apologies over the holidays"
    """
    group = ctx.require_group()
    reason = audit.read_reason(args.options.get("reason", ""))
    meeting = on_day(ctx.uow, group, read_day(args.rest, ctx), ctx.tz)
    if meeting.starts_at <= ctx.now:
        raise UserError("That meeting has already started; it can no longer be cancelled.")
    meeting.status = "cancelled"
    ctx.uow.meetings.save(meeting)
    audit.record(ctx, "meeting cancel", f"meeting of {when(meeting.starts_at)}", None, reason)
    why = f" Reason: {reason}" if reason else ""
    return reply(f"Cancelled the {group.name} meeting of {when(meeting.starts_at, ctx.tz)}.{why}")


@command("meeting move", facilitator_only=True)
def move_meeting(ctx: Context, args: Args):
    """Move the meeting on a date to another date and time.

    meeting move <date...> to <new datetime>

    Example: meeting move 9 December to 10 December 15:00
    """
    group = ctx.require_group()
    source, sep, target = args.rest.partition(" to ")
    if not sep:
        raise UserError("Say where it moves: `meeting move 9 December to 10 December 15:00`.")
    meeting = on_day(ctx.uow, group, read_day(source.strip(), ctx), ctx.tz)
    starts = read_moment(target.strip(), ctx)
    if meeting.starts_at <= ctx.now:
        raise UserError("That meeting has already started; it can no longer be moved.")
    taken = clash(ctx.uow, group, starts, meeting.duration_minutes, moving=meeting)
    if taken:
        raise UserError(f"There is already a meeting at {when(taken.starts_at, ctx.tz)}.")
    before = meeting.starts_at
    meeting.starts_at = starts
    ctx.uow.meetings.save(meeting)
    audit.record(ctx, "meeting move", f"meeting of {when(before)}", f"to {when(starts)}")
    return reply(
        f"Moved the {group.name} meeting of {when(before, ctx.tz)} to {when(starts, ctx.tz)}."
    )


@command("meeting private", facilitator_only=True)
def set_private(ctx: Context, args: Args):
    """Close the meeting on a date to observers (on), or open it to them again (off).

    meeting private <date...> <on|off>

    Example: meeting private 12 January on
    Meetings are open to observers unless stated otherwise (terms of reference III); a private one's call link and agenda are for the roster's members and staff.
    """
    group = ctx.require_group()
    date_text, _, switch = args.rest.rpartition(" ")
    if switch.lower() not in ("on", "off") or not date_text.strip():
        raise UserError("Say the date, then on or off: `meeting private 12 January on`.")
    meeting = on_day(ctx.uow, group, read_day(date_text.strip(), ctx), ctx.tz)
    meeting.private = switch.lower() == "on"
    ctx.uow.meetings.save(meeting)
    state = "private: closed to observers" if meeting.private else "open to observers"
    audit.record(ctx, "meeting private", f"meeting of {when(meeting.starts_at)}", state)
    # said in the room: in UTC, not in the facilitator's own zone
    return reply(f"The {group.name} meeting of {when(meeting.starts_at)} is {state}.")


@command("meetings")
def list_meetings(ctx: Context, args: Args):
    """Show the next meetings, in your time zone and UTC.

    meetings [count=<n>]
    """
    group = ctx.require_group()
    count = args.options.get("count", "3")
    if not 1 <= (record_number(count) or 0) <= 24:
        raise UserError("`count=` should be a number from 1 to 24.")
    upcoming = ctx.uow.meetings.upcoming(group.id, ctx.now, limit=record_number(count))
    series = ctx.uow.meetings.series(group.id)
    if not upcoming:
        return reply(
            f"{group.name} has no meetings scheduled. A facilitator sets them with `meeting schedule`.",
            private=True,
        )
    lines = []
    if series:
        lines.append(
            f"{group.name} meets {recurrence.describe(series.rrule)} at "
            f"{series.starts.astimezone(ZoneInfo(series.timezone)):%H:%M} {series.timezone}"
            + (f", taking turns at {' / '.join(rotation.of(group))}" if rotation.of(group) else "")
            + ". Open to observers unless marked private."
        )
    rotating = bool(rotation.of(group))
    lines += [
        f"  {describe(m, ctx.tz, privacy.sees_private_meeting(ctx, m), rotating)}" for m in upcoming
    ]
    cancelled = [
        m
        for m in ctx.uow.meetings.between(group.id, ctx.now, upcoming[-1].starts_at)
        if m.status == "cancelled"
    ]
    lines += [f"  cancelled: {when(m.starts_at, ctx.tz)}" for m in cancelled]
    lines.append("Subscribe: `meetings ics` gives the calendar file.")
    return reply("\n".join(lines), private=True)


@command("meetings ics")
def meetings_calendar(ctx: Context, args: Args):
    """Get the group's meetings as an iCalendar file, to subscribe to in a calendar.

    meetings ics
    """
    from handlers.calendar import ics_for

    group = ctx.require_group()
    data = {"filename": f"{group.name}.ics", "content_type": "text/calendar"}
    return reply(ics_for(ctx.uow, group, privacy.is_outsider(ctx)), private=True, data=data)
