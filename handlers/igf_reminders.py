"""Around each IGF event: two weeks before, a reminder to the co-moderators and the staff to
prepare the group's briefing (terms of reference III); the day after it ends, the prompt for a
short report, to the presenter (or, without one, the same preparers). At 09:00 UTC."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers import igf_calendar, notify
from handlers.events import DirectMessage, mention
from handlers.schedule import PRODUCERS, Deployment, Due

PREPARE_BEFORE = timedelta(days=14)
AT = time(9, 0)
UTC = ZoneInfo("UTC")


def preparers(uow, group, deployment: Deployment) -> list[str]:
    moderators = [m.handle for m in uow.members.all(group.id) if m.role == "co-moderator"]
    return sorted(set(moderators) | set(notify.staff(uow, group, deployment.facilitators)))


def steps(event) -> list[tuple[str, datetime, datetime]]:
    """(name, when, valid until) of an event's prompts; the briefing reminder of an event
    added later than two weeks before comes when it is added."""
    start = datetime.combine(event.starts, AT, UTC)
    prepare = max(start - PREPARE_BEFORE, event.created_at)
    after = datetime.combine(event.ends + timedelta(days=1), AT, UTC)
    found = []
    if prepare < start:
        found.append(("prepare", prepare, start))
    found.append(("report", after, after + timedelta(days=30)))
    return found


def text(event, step: str) -> str:
    what = igf_calendar.describe(event)
    if step == "prepare":
        brief = (
            f"The briefing so far: {mention(event.presenter)} presents."
            if event.presenter
            else "No briefing is recorded yet."
        )
        return (
            f"Coming up: {what}. Please prepare the group's briefing for it (terms of reference "
            f"III). {brief}\nRecord who presents and the slides: "
            f"`briefing {event.id} presenter=@person slides=<link>`."
        )
    return (
        f"{what} is over. How did it go? A short report for the group: "
        f"`igf report {event.id} <text>`."
    )


def key(event, step: str, transport: str, handle: str) -> str:
    return f"igf:{event.id}:{event.starts:%Y%m%d}-{event.ends:%Y%m%d}:{step}:{transport}:@{handle}"


class IgfReminders:
    def due(self, uow, now: datetime, deployment: Deployment) -> list[Due]:
        found = []
        today = now.date()
        for event in uow.igf.around(today - timedelta(days=31), today + timedelta(days=15)):
            group = uow.groups.get(event.group_id)
            for step, at, valid_until in steps(event):
                if at > now or (step == "report" and event.report):
                    continue
                skip = (
                    None
                    if now < valid_until
                    else f"the {step} prompt of IGF event {event.id} is past its time"
                )
                readers = (
                    [event.presenter]
                    if step == "report" and event.presenter
                    else preparers(uow, group, deployment)
                )
                for room in uow.groups.main_rooms(group.id):
                    for handle in readers:
                        out = DirectMessage(
                            transport=room.transport, user=handle, text=text(event, step)
                        )
                        found.append(
                            Due(key(event, step, room.transport, handle), at, out, group.id, skip)
                        )
        known = uow.outbox.known([d.key for d in found])
        return [d for d in found if d.key not in known]

    def next_after(self, uow, now: datetime) -> datetime | None:
        times = [
            at
            for event in uow.igf.starting_from(now.date() - timedelta(days=1))
            for step, at, _ in steps(event)
            if at > now and not (step == "report" and event.report)
        ]
        return min(times, default=None)

    def stale(self, uow, key: str, group_id: int | None, now: datetime) -> str | None:
        """A prompt waiting for a retry is dropped once its event moved or was reported on."""
        parts = key.split(":")
        if parts[0] != "igf" or len(parts) < 4 or not parts[1].isdigit() or group_id is None:
            return None
        event = uow.igf.get(group_id, int(parts[1]))
        if event is None or f"{event.starts:%Y%m%d}-{event.ends:%Y%m%d}" != parts[2]:
            return f"IGF event {parts[1]} moved"
        if parts[3] == "report" and event.report:
            return f"IGF event {parts[1]} has its report"
        return None


PRODUCERS.append(IgfReminders())
