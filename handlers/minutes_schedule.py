"""The **Start minutes** button, posted in the group's rooms when a meeting is due to start."""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.events import Post
from handlers.minutes import start_button_for
from handlers.schedule import PRODUCERS, Deployment, Due
from handlers.timefmt import when

LOOKBACK = timedelta(days=1)
# The button means something while the meeting may still be starting.
VALID = timedelta(hours=1)
PREFIX = "minutes-start"


def _key(meeting, transport: str, room: str) -> str:
    return f"{PREFIX}:{meeting.id}:{meeting.starts_at:%Y%m%dT%H%MZ}:{transport}:{room}"


class StartButton:
    def due(self, uow, now: datetime, deployment: Deployment) -> list[Due]:
        window = uow.meetings.starting_between(now - LOOKBACK, now + timedelta(seconds=1))
        rooms = uow.groups.main_rooms_of({m.group_id for m in window})
        pending = [
            (m, r)
            for m in window
            if m.created_at <= m.starts_at and uow.minutes.of_meeting(m.id) is None
            for r in rooms.get(m.group_id, [])
        ]
        known = uow.outbox.known([_key(m, r.transport, r.room) for m, r in pending])
        found = []
        for meeting, room in pending:
            key = _key(meeting, room.transport, room.room)
            if key in known:
                continue
            skip = None
            if now >= meeting.starts_at + VALID:
                skip = f"the start of the meeting of {when(meeting.starts_at)} is past"
            text = (
                f"The meeting of {when(meeting.starts_at)} is starting. A chair opens the "
                "minutes with the button or `meeting start`; then tag lines with #topic, #info, "
                "#link, #idea, #action @who, #agreed."
            )
            out = Post(
                transport=room.transport,
                room=room.room,
                text=text,
                data={"actions": [start_button_for(meeting)]},
            )
            found.append(Due(key, meeting.starts_at, out, meeting.group_id, skip))
        return found

    def next_after(self, uow, now: datetime) -> datetime | None:
        upcoming = uow.meetings.starting_between(
            now + timedelta(seconds=1), now + timedelta(days=31)
        )
        return min((m.starts_at for m in upcoming), default=None)

    def stale(self, uow, key: str, group_id: int | None, now: datetime) -> str | None:
        """A button waiting for a retry is dropped once its meeting was cancelled, moved,
        started already, or its time is past."""
        parts = key.split(":")
        if parts[0] != PREFIX or len(parts) < 3 or group_id is None or not parts[1].isdigit():
            return None
        meeting = uow.meetings.get(group_id, int(parts[1]))
        if meeting is None or meeting.status != "scheduled":
            return "its meeting was cancelled"
        if f"{meeting.starts_at:%Y%m%dT%H%MZ}" != parts[2]:
            return "its meeting was moved"
        if uow.minutes.of_meeting(meeting.id) is not None:
            return "the minutes were started already"
        if now >= meeting.starts_at + VALID:
            return f"the start of the meeting of {when(meeting.starts_at)} is past"
        return None


START = StartButton()
PRODUCERS.append(START)
