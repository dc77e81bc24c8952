"""Poll deadlines: a private nudge to members who have not voted 24 hours before a poll
closes (half way through a shorter poll, and not at all when too little time would be left),
and the close itself, with the tally posted in the group's rooms."""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers import polls
from handlers.base import VOTING_ROLES
from handlers.events import DirectMessage
from handlers.schedule import PRODUCERS, Deployment, Due
from handlers.timefmt import when

# Less time than this before the close leaves a member nothing to act on.
TIME_TO_ACT = timedelta(hours=2)


def nudge_at(poll) -> datetime | None:
    """When to nudge the members who have not voted: 24 hours before the close, or half way
    through a poll shorter than two days, so the nudge never comes with the opening; None
    when the poll is too short to leave time to act."""
    at = max(
        poll.closes_at - polls.NUDGE_BEFORE, poll.opened_at + (poll.closes_at - poll.opened_at) / 2
    )
    return at if poll.closes_at - at >= TIME_TO_ACT else None


class PollDeadlines:
    def due(self, uow, now: datetime, deployment: Deployment) -> list[Due]:
        found = []
        for poll in uow.polls.open_closing_by(now + polls.NUDGE_BEFORE):
            group = uow.groups.get(poll.group_id)
            if poll.closes_at <= now:
                for n, out in enumerate(polls.close(uow, group, poll, poll.closes_at)):
                    found.append(
                        Due(
                            f"poll:{poll.id}:close:{poll.closes_at:%Y%m%dT%H%MZ}:{n}",
                            poll.closes_at,
                            out,
                            group.id,
                        )
                    )
                continue
            at = nudge_at(poll)
            if at is None or at > now:
                continue
            voted = uow.votes.voters(poll.id)
            for member in uow.members.all(group.id):
                if member.role not in VOTING_ROLES or member.handle in voted:
                    continue
                for room in uow.groups.main_rooms(group.id):
                    text = (
                        f"Poll {poll.id} closes {when(poll.closes_at, member.timezone or deployment.default_tz)} and your "
                        f"vote is not in yet: {poll.question}\n`vote {poll.id} <option> [reason]`"
                    )
                    out = DirectMessage(
                        transport=room.transport,
                        user=member.handle,
                        text=text,
                        data={"actions": polls.buttons(poll)},
                    )
                    key = f"poll:{poll.id}:nudge:{poll.closes_at:%Y%m%dT%H%MZ}:{room.transport}:{member.handle}"
                    found.append(Due(key, at, out, group.id))
        known = uow.outbox.known([d.key for d in found])
        return [d for d in found if d.key not in known]

    def stale(self, uow, key: str, group_id: int | None, now: datetime) -> str | None:
        """A nudge waiting for a retry is dropped once its poll closed."""
        parts = key.split(":")
        if parts[0] != "poll" or len(parts) < 3 or parts[2] != "nudge" or not parts[1].isdigit():
            return None
        poll = uow.polls.get(group_id, int(parts[1])) if group_id else None
        if poll is None or poll.closed_at is not None or poll.closes_at <= now:
            return f"poll {parts[1]} is closed"
        return None

    def next_after(self, uow, now: datetime) -> datetime | None:
        times = []
        for poll in uow.polls.open_closing_by(datetime.max.replace(tzinfo=now.tzinfo)):
            times += [t for t in (nudge_at(poll), poll.closes_at) if t is not None and t > now]
        return min(times, default=None)


PRODUCERS.append(PollDeadlines())
