"""Time polls close on schedule: the tally is kept as it stands and posted in the group's
rooms, and the staff get it with the names of those who would meet at night."""

from __future__ import annotations

from datetime import datetime

from handlers import timepoll
from handlers.schedule import PRODUCERS, Deployment, Due


class TimePollCloses:
    def due(self, uow, now: datetime, deployment: Deployment) -> list[Due]:
        found = []
        for poll in uow.timepolls.open_closing_by(now):
            group = uow.groups.get(poll.group_id)
            for n, out in enumerate(timepoll.close(uow, group, poll, poll.closes_at, deployment)):
                key = f"timepoll:{poll.id}:close:{poll.closes_at:%Y%m%dT%H%MZ}:{n}"
                found.append(Due(key, poll.closes_at, out, group.id))
        known = uow.outbox.known([d.key for d in found])
        return [d for d in found if d.key not in known]

    def next_after(self, uow, now: datetime) -> datetime | None:
        return uow.timepolls.next_close_after(now)


PRODUCERS.append(TimePollCloses())
