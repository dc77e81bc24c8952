"""What the bot says around each meeting, and when: the call for agenda items, the draft to
the facilitator, the approved agenda, the reminder if it is still unapproved, and reminders
24 hours and 1 hour before. The scheduler asks `CYCLE.due(...)` at each tick.

After downtime, a step whose time has passed is still sent while it means something (an
agenda before its meeting); once it no longer does (a 1-hour reminder after the start) it
is recorded as skipped and logged, never sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers import agenda, meetings, notify
from handlers.events import DirectMessage, Post
from handlers.schedule import PRODUCERS, Deployment, Due
from handlers.timefmt import when

LOOKAHEAD = timedelta(
    days=31
)  # longer than any agenda offset (`agenda timing` caps them at 30 days)
LOOKBACK = timedelta(
    days=1
)  # steps of meetings that started this long ago are still marked skipped


@dataclass(frozen=True)
class Step:
    name: str
    at: datetime
    valid_until: datetime
    audience: str  # "room" or "staff"


def steps(meeting, group) -> list[Step]:
    """The steps of one meeting that apply now (their conditions hold), in time order."""
    start = meeting.starts_at
    t = agenda.timing(group)
    approved = meeting.agenda_status == "approved"
    found = [
        Step("remind-24h", start - timedelta(hours=24), start - timedelta(hours=1), "room"),
        Step("remind-1h", start - timedelta(hours=1), start, "room"),
    ]
    if approved:
        found.append(
            Step("agenda", max(start - t["post"], meeting.agenda_approved_at), start, "room")
        )
    else:
        found += [
            Step("call", start - t["call"], start, "room"),
            Step("draft", start - t["draft"], start, "staff"),
            Step("unapproved", start - t["remind"], start, "staff"),
        ]
    # Nothing was due before the meeting existed: a meeting added for tomorrow gets no call.
    return sorted((s for s in found if s.at >= meeting.created_at), key=lambda s: s.at)


class MeetingCycle:
    def due(self, uow, now: datetime, deployment: Deployment) -> list[Due]:
        meetings.extend_all(uow, now)
        pending = []
        window = uow.meetings.starting_between(now - LOOKBACK, now + LOOKAHEAD)
        groups = uow.groups.by_id({m.group_id for m in window})
        for meeting in window:
            group = groups[meeting.group_id]
            pending += [(group, meeting, s) for s in steps(meeting, group) if s.at <= now]
        # Most steps were queued at an earlier tick: find that from their keys alone, with a
        # few queries for every group at once, and write texts only for what is new, so a
        # tick does not cost more with every group the deployment serves.
        rooms = uow.groups.main_rooms_of({g.id for g, _, _ in pending})
        staff = uow.members.handles_with_roles({g.id for g, _, _ in pending}, notify.STAFF_ROLES)
        keys = [
            _keys(meeting, step, rooms.get(group.id, []), staff.get(group.id, set()), deployment)
            for group, meeting, step in pending
        ]
        known = uow.outbox.known([k for step_keys in keys for k in step_keys])
        candidates = []
        for (group, meeting, step), step_keys in zip(pending, keys, strict=True):
            if not known.issuperset(step_keys):
                candidates.extend(self._messages(uow, group, meeting, step, now, deployment))
        return [d for d in candidates if d.key not in known]

    def next_after(self, uow, now: datetime) -> datetime | None:
        upcoming = uow.meetings.starting_between(now, now + LOOKAHEAD)
        if not upcoming:
            upcoming = uow.meetings.starting_between(now, now + meetings.HORIZON)[:1]
        groups = uow.groups.by_id({m.group_id for m in upcoming})
        times = [
            step.at
            for meeting in upcoming
            for step in steps(meeting, groups[meeting.group_id])
            if step.at > now
        ]
        return min(times, default=None)

    def stale(self, uow, key: str, group_id: int | None, now: datetime) -> str | None:
        """A step's message waiting for a retry is dropped once its meeting was cancelled or
        moved, the step no longer applies (the agenda was approved), or its time is past."""
        parts = key.split(":")
        if parts[0] != "meeting" or len(parts) < 4 or group_id is None:
            return None
        meeting = uow.meetings.get(group_id, int(parts[1])) if parts[1].isdigit() else None
        if meeting is None or meeting.status != "scheduled":
            return "its meeting was cancelled"
        if f"{meeting.starts_at:%Y%m%dT%H%MZ}" != parts[2]:
            return "its meeting was moved"
        step = next(
            (s for s in steps(meeting, uow.groups.get(group_id)) if s.name == parts[3]), None
        )
        if step is None:
            return f"{parts[3]} no longer applies to the meeting of {when(meeting.starts_at)}"
        if now >= step.valid_until:
            return f"{step.name} for the meeting of {when(meeting.starts_at)} is past its time"
        return None

    def _messages(
        self, uow, group, meeting, step: Step, now: datetime, deployment: Deployment
    ) -> list[Due]:
        skip = (
            None
            if now < step.valid_until
            else f"{step.name} for the meeting of {when(meeting.starts_at)} is past its time"
        )
        rooms = uow.groups.main_rooms(group.id)
        series = uow.meetings.series(group.id)
        room_tz = series.timezone if series else deployment.default_tz
        found = []
        if step.audience == "room":
            text = _room_text(uow, group, meeting, step.name, room_tz)
            shown = step.name == "agenda" and not meeting.private
            data = agenda.layout(uow, group, meeting) if shown else {}
            for room in rooms:
                out = Post(transport=room.transport, room=room.room, text=text, data=data)
                found.append(
                    Due(_key(meeting, step, room, room.room), step.at, out, group.id, skip)
                )
        else:
            for room in rooms:
                for handle in notify.staff(uow, group, deployment.facilitators):
                    person = uow.members.get(group.id, handle)
                    tz = person.timezone if person and person.timezone else deployment.default_tz
                    text, data = _staff_text(uow, group, meeting, step.name, tz)
                    out = DirectMessage(transport=room.transport, user=handle, text=text, data=data)
                    key = _key(meeting, step, room, f"@{handle}")
                    found.append(Due(key, step.at, out, group.id, skip))
        return found


def _key(meeting, step: Step, room, target: str) -> str:
    """The outbox key of one step's message in `room` (`target`: the room, or "@handle")."""
    return f"meeting:{meeting.id}:{meeting.starts_at:%Y%m%dT%H%MZ}:{step.name}:{room.transport}:{target}"


def _keys(meeting, step: Step, rooms, staff: set[str], deployment: Deployment) -> list[str]:
    """The outbox keys `_messages` gives a step, without writing its texts."""
    if step.audience == "room":
        return [_key(meeting, step, room, room.room) for room in rooms]
    handles = sorted(staff | set(deployment.facilitators))
    return [_key(meeting, step, room, f"@{handle}") for room in rooms for handle in handles]


# A private meeting is closed to observers, who read the rooms too: its agenda and call link
# are shown to members and staff when they ask (`agenda`), never posted.
PRIVATE = (
    "It is private (members only): members and staff see its agenda and call link with `agenda`."
)


def _room_text(uow, group, meeting, name: str, tz: str) -> str:
    at = when(meeting.starts_at, tz)
    link = f"\nCall: {meeting.call_link}" if meeting.call_link else ""
    if meeting.private and name != "call":
        if name == "agenda":
            return f"The agenda of the {group.name} meeting of {at} is approved. {PRIVATE}"
        lead = "tomorrow" if name == "remind-24h" else "in one hour"
        return f"Reminder: the {group.name} meeting is {lead}, {at}. {PRIVATE}"
    if name == "call":
        deadline = when(meeting.starts_at - agenda.timing(group)["draft"], tz)
        return (
            f"Call for agenda items: the {group.name} meeting of {at}. Propose an item with "
            f"`agenda add <text>` before {deadline}; see the draft with `agenda`."
        )
    if name == "agenda":
        lines = [
            f"Agenda of the {group.name} meeting of {at}, {meeting.duration_minutes} min. Open to observers.{link}",
        ]
        lines += agenda.render(uow, meeting, tz).splitlines()[1:]
        apologies = uow.apologies.for_meetings([meeting.id])
        if apologies:
            lines.append(
                "Apologies: " + ", ".join(_name(uow, group, a.handle) for a in apologies) + "."
            )
        return "\n".join(lines)
    lead = "tomorrow" if name == "remind-24h" else "in one hour"
    return f"Reminder: the {group.name} meeting is {lead}, {at}. Open to observers; `agenda` shows the agenda.{link}"


def _staff_text(uow, group, meeting, name: str, tz: str) -> tuple[str, dict]:
    at = when(meeting.starts_at, tz)
    draft = agenda.render(uow, meeting, tz)
    data = {"actions": [agenda.approve_button_for(meeting)]}
    if name == "draft":
        return (
            f"The draft agenda of the {group.name} meeting is ready for your approval.\n{draft}\nApprove with `agenda approve`.",
            data,
        )
    return (
        f"The agenda of the {group.name} meeting of {at} is still not approved.\n{draft}\nApprove with `agenda approve`.",
        data,
    )


def _name(uow, group, handle: str) -> str:
    member = uow.members.get(group.id, handle)
    return member.name if member else handle


CYCLE = MeetingCycle()
PRODUCERS.append(CYCLE)
