"""What a new meeting pattern does to the meetings of the old one.

The same pattern again (a new link or duration) changes the meetings in place: their moves,
cancellations and approved agendas stay. A new pattern cancels the old meetings that nothing
refers to yet; one that had agenda items (an emerging issue proposed among them) or apologies
is cancelled too, and what it held goes to the meeting of the new pattern that takes its
place, the nearest to it: agenda items always, apologies when that meeting is on the same day
(another day is another question, so the member is asked again). The facilitator is told
exactly what moved and what did not.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from handlers import recurrence
from handlers.events import DirectMessage, mention
from handlers.timefmt import day, when

HORIZON = timedelta(days=400)


def same_pattern(earlier, rule: str, starts, tz: str, now) -> bool:
    """Whether the new rule gives exactly the old series' meetings from `now` on."""
    if earlier is None or (earlier.rrule, earlier.timezone) != (rule, tz):
        return False
    old = recurrence.occurrences(earlier.rrule, earlier.starts, tz, now, now + HORIZON)
    return old == recurrence.occurrences(rule, starts, tz, now, now + HORIZON)


def carry_over(ctx, orphans: list, tz: str) -> tuple[list[str], list]:
    """Move what the cancelled meetings held to the meetings that take their place; the lines
    telling the facilitator, and the messages asking members again."""
    group = ctx.group
    upcoming = [
        m
        for m in ctx.uow.meetings.upcoming(group.id, ctx.now, limit=1000)
        if m.status == "scheduled" and m not in orphans
    ]
    lines, told = [], []
    for old in orphans:
        items = ctx.uow.agendas.items(old.id)
        apologies = ctx.uow.apologies.for_meetings([old.id])
        if not items and not apologies:
            continue
        if not upcoming:
            lines.append(
                f"Left on the cancelled meeting of {day(old.starts_at.date())} (no meeting to move them to): "
                + _held(items, apologies)
            )
            continue
        new = min(upcoming, key=lambda m: abs(m.starts_at - old.starts_at))
        moved, stayed = [], []
        for item in items:
            ctx.uow.agendas.move(item, new.id)
            issue = f" (emerging issue #{item.issue_id})" if item.issue_id else ""
            moved.append(f'agenda item "{item.text}" by {mention(item.author)}{issue}')
        same_day = _local_day(new, tz) == _local_day(old, tz)
        for apology in apologies:
            if same_day and ctx.uow.apologies.get(new.id, apology.handle) is None:
                apology.meeting_id = new.id
                ctx.uow.apologies.save(apology)
                moved.append(f"apologies of {mention(apology.handle)}")
                continue
            stayed.append(apology.handle)
            told.append(
                DirectMessage(
                    transport=ctx.event.transport,
                    user=apology.handle,
                    text=(
                        f"The meeting of {when(old.starts_at)} you sent apologies for is cancelled: "
                        f"{group.name} now meets {when(new.starts_at)} instead. If you will miss "
                        f"that one too, say so again (`away {new.starts_at.astimezone(ZoneInfo(tz)).date()}`)."
                    ),
                )
            )
        if moved:
            lines.append(
                f"Moved from {day(old.starts_at.date())} to the meeting of {when(new.starts_at)}: "
                + "; ".join(moved)
                + "."
            )
        if stayed:
            lines.append(
                f"Apologies for {day(old.starts_at.date())} not moved (the new meeting is on "
                f"another day); asked again: " + ", ".join(mention(h) for h in stayed) + "."
            )
    return lines, told


def _held(items, apologies) -> str:
    return (
        "; ".join(
            [f'agenda item "{i.text}" by {mention(i.author)}' for i in items]
            + [f"apologies of {mention(a.handle)}" for a in apologies]
        )
        + "."
    )


def _local_day(meeting, tz: str):
    return meeting.starts_at.astimezone(ZoneInfo(tz)).date()
