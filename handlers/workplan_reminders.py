"""Reminders of workplan milestones: to the owner (or, without one, the staff) a week before
and on the due date, at 08:00 in the reader's time zone. A reminder keyed by the due date is
said once; a moved milestone gets reminders for its new date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers import notify
from handlers.events import DirectMessage
from handlers.schedule import PRODUCERS, Deployment, Due
from handlers.timefmt import day

MORNING = time(8, 0)
UTC = ZoneInfo("UTC")
# 08:00 in the earliest zone (UTC+14) is 18:00 UTC the day before
EARLIEST_MORNING = time(18, 0)
STEPS = {"week": timedelta(days=7), "due": timedelta(0)}
# due dates this far back may still have a reminder to send (or to mark skipped)
LOOKBACK = timedelta(days=2)
LOOKAHEAD = timedelta(days=8)


@dataclass(frozen=True)
class Reminder:
    milestone: object
    step: str
    handle: str
    at: datetime
    valid_until: datetime


def readers(uow, group, milestone, deployment: Deployment) -> list[str]:
    if milestone.owner:
        return [milestone.owner]
    return notify.staff(uow, group, deployment.facilitators)


def zone_of(uow, group_id: int, handle: str, deployment: Deployment) -> str:
    person = uow.members.get(group_id, handle)
    return person.timezone if person and person.timezone else deployment.default_tz


def reminders(uow, group, milestone, deployment: Deployment) -> list[Reminder]:
    found = []
    for handle in readers(uow, group, milestone, deployment):
        zone = ZoneInfo(zone_of(uow, group.id, handle, deployment))
        end_of_due = datetime.combine(milestone.due + timedelta(days=1), time(0), zone)
        for step, before in STEPS.items():
            at = datetime.combine(milestone.due - before, MORNING, zone)
            # nothing was due before the milestone existed: one added for tomorrow gets no
            # week-ahead reminder
            if at >= milestone.created_at:
                found.append(Reminder(milestone, step, handle, at, end_of_due))
    return found


def text(milestone, step: str) -> str:
    lead = "is due in a week" if step == "week" else "is due today"
    return (
        f"Workplan milestone {milestone.id} {lead}: {milestone.title} ({day(milestone.due)}).\n"
        f"When it is done: `milestone done {milestone.id} [note]`; the facilitator moves it with "
        f"`milestone move {milestone.id} due=<date>`."
    )


def key(milestone, step: str, transport: str, handle: str) -> str:
    return f"milestone:{milestone.id}:{milestone.due:%Y%m%d}:{step}:{transport}:@{handle}"


class MilestoneReminders:
    def due(self, uow, now: datetime, deployment: Deployment) -> list[Due]:
        today = now.date()
        found = []
        for m in uow.milestones.open_due_between(today - LOOKBACK, today + LOOKAHEAD):
            group = uow.groups.get(m.group_id)
            rooms = uow.groups.main_rooms(group.id)
            for r in reminders(uow, group, m, deployment):
                if r.at > now:
                    continue
                skip = (
                    None
                    if now < r.valid_until
                    else f"the reminder of milestone {m.id} is past its day"
                )
                for room in rooms:
                    out = DirectMessage(
                        transport=room.transport, user=r.handle, text=text(m, r.step)
                    )
                    found.append(
                        Due(key(m, r.step, room.transport, r.handle), r.at, out, group.id, skip)
                    )
        known = uow.outbox.known([d.key for d in found])
        return [d for d in found if d.key not in known]

    def next_after(self, uow, now: datetime) -> datetime | None:
        # Read with the default deployment: a reader without a zone of their own and a
        # deployment in another zone are found by the periodic tick instead.
        best = None
        for m in uow.milestones.open_due_after(now.date() - timedelta(days=1)):
            # 08:00 a week before, in the earliest zone (UTC+14), is the soonest any reminder
            # of this milestone (or of a later one) can be: the rest need not be read
            soonest = datetime.combine(
                m.due - STEPS["week"] - timedelta(days=1), EARLIEST_MORNING, UTC
            )
            if best is not None and soonest > best:
                break
            group = uow.groups.get(m.group_id)
            times = [r.at for r in reminders(uow, group, m, Deployment()) if r.at > now]
            best = min([*times, *([best] if best else [])], default=None)
        return best

    def stale(self, uow, key: str, group_id: int | None, now: datetime) -> str | None:
        """A reminder waiting for a retry is dropped once its milestone closed or moved."""
        parts = key.split(":")
        if parts[0] != "milestone" or len(parts) < 4 or not parts[1].isdigit() or group_id is None:
            return None
        m = uow.milestones.get(group_id, int(parts[1]))
        if m is None or m.status != "open":
            return f"milestone {parts[1]} is closed"
        if f"{m.due:%Y%m%d}" != parts[2]:
            return f"milestone {parts[1]} was moved"
        if now.date() > m.due + timedelta(days=1):
            return f"milestone {parts[1]}'s due date is past"
        return None


PRODUCERS.append(MilestoneReminders())
