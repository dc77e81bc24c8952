"""The group's meetings as an iCalendar file (RFC 5545), so members can subscribe.

The series is one event with its RRULE; cancelled occurrences are EXDATEs, moved ones are
overrides with a RECURRENCE-ID, and one-off meetings are events of their own.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

PRODID = "-//pnbot//working group meetings//EN"


def build(
    group,
    series,
    meetings,
    outsider: bool = False,
    milestones=(),
    igf_events=(),
    drafts=(),
    slides: bool = True,
) -> str:
    """The calendar of `group` from its series (or None) and every meeting row; an
    `outsider` (observer, stranger) gets no call link of a private meeting; without `slides`
    an IGF date's description leaves out the briefing's slides (the public website's)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{group.name} meetings")
    description = "Working group meeting, open to observers."
    series_uid = f"{group.name}-series@pnbot"
    if series is not None:
        zone = ZoneInfo(series.timezone)
        master = _event(
            series_uid,
            series.starts.astimezone(zone),
            series.duration_minutes,
            group,
            series.call_link,
            description,
        )
        master.add("rrule", vRecur.from_ical(series.rrule))
        cancelled = [
            m.occurrence.astimezone(zone)
            for m in meetings
            if m.series_id == series.id and m.status == "cancelled"
        ]
        if cancelled:
            master.add("exdate", cancelled)
        calendar.add_component(master)
    for m in meetings:
        in_series = series is not None and m.series_id == series.id
        if in_series and m.status == "cancelled":
            continue
        link, about = m.call_link, description
        if m.private:
            link, about = (None if outsider else link), "Working group meeting, members only."
        if in_series and (
            m.starts_at != m.occurrence
            or m.call_link != series.call_link
            or m.duration_minutes != series.duration_minutes
            or m.private
        ):
            zone = ZoneInfo(series.timezone)
            override = _event(
                series_uid,
                m.starts_at.astimezone(zone),
                m.duration_minutes,
                group,
                link,
                about,
            )
            override.add("recurrence-id", m.occurrence.astimezone(zone))
            calendar.add_component(override)
        elif not in_series:
            one_off = _event(
                f"{group.name}-{m.id}@pnbot",
                m.starts_at,
                m.duration_minutes,
                group,
                link,
                about,
            )
            if m.status == "cancelled":
                one_off.add("status", "CANCELLED")
            calendar.add_component(one_off)
    for m in milestones:
        calendar.add_component(_milestone(group, m))
    for e in igf_events:
        calendar.add_component(_igf_event(group, e, slides))
    for d in drafts:
        calendar.add_component(_draft(group, d))
    calendar.add_missing_timezones()
    return calendar.to_ical().decode("utf-8")


def _event(uid, start, minutes, group, link, description) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("summary", f"{group.name} working group meeting")
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=minutes))
    event.add("dtstamp", group.created_at)
    event.add("description", f"{description} {link}" if link else description)
    if link:
        event.add("url", link)
        event.add("location", link)
    return event


def _milestone(group, m) -> Event:
    """A workplan milestone as an all-day event on its due date; a dropped one cancelled."""
    event = Event()
    event.add("uid", f"{group.name}-milestone-{m.id}@pnbot")
    event.add("summary", f"{group.name} workplan: {m.title}")
    event.add("dtstart", m.due)
    event.add("dtend", m.due + timedelta(days=1))
    event.add("dtstamp", m.created_at)
    event.add("categories", ["workplan", m.kind])
    event.add("description", f"Milestone {m.id} ({m.kind}), {m.status}.")
    if m.status == "dropped":
        event.add("status", "CANCELLED")
    return event


def _igf_event(group, e, slides: bool = True) -> Event:
    """An IGF date the group follows, all day from its first to its last day."""
    from handlers.igf_calendar import KIND_WORDS

    event = Event()
    event.add("uid", f"{group.name}-igf-{e.id}@pnbot")
    event.add("summary", f"IGF: {e.title}")
    event.add("dtstart", e.starts)
    event.add("dtend", e.ends + timedelta(days=1))
    event.add("dtstamp", e.created_at)
    event.add("categories", ["igf", e.kind])
    kind = KIND_WORDS[e.kind]
    about = f"{kind[0].upper()}{kind[1:]}; {group.name} briefs the community here."
    if slides and e.slides:
        about += f" Slides: {e.slides}"
    event.add("description", about)
    return event


def _draft(group, d) -> Event:
    """A review round's deadline for comments, as an event ending when comments close."""
    event = Event()
    event.add("uid", f"{group.name}-draft-{d.id}@pnbot")
    event.add("summary", f"{group.name}: comments on {d.title} close")
    event.add("dtstart", d.comments_until - timedelta(hours=1))
    event.add("dtend", d.comments_until)
    event.add("dtstamp", d.shared_at)
    event.add("categories", ["review"])
    event.add("description", f"Draft {d.id} for review: {d.link}")
    event.add("url", d.link)
    return event


def ics_for(uow, group, outsider: bool = False) -> str:
    return build(
        group,
        uow.meetings.series(group.id),
        uow.meetings.all(group.id),
        outsider,
        uow.milestones.all(group.id),
        uow.igf.all(group.id),
        uow.drafts.all(group.id),
    )
