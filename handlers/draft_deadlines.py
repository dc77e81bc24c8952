"""Review rounds on schedule: two days before the end, a reminder to members who have neither
commented nor acknowledged the draft; at the end, the round closed in the rooms, the comments
by stakeholder group to the staff, and with `endorse=yes` the consensus poll opened."""

from __future__ import annotations

from datetime import datetime

from handlers import audit, draft_review, notify, polls
from handlers.events import DirectMessage, Post
from handlers.schedule import PRODUCERS, Deployment, Due
from handlers.timefmt import when


def nudge_at(draft) -> datetime | None:
    """Two days before the end; None for a round too short to nudge without crowding it."""
    at = draft.comments_until - draft_review.NUDGE_BEFORE
    return at if at > draft.shared_at else None


def close(uow, group, draft, deployment: Deployment) -> list:
    now = draft.comments_until
    draft.closed_at = now
    uow.drafts.save(draft)
    uow.audit.record(group.id, now, audit.BOT, "draft close", f"draft {draft.id}", draft.title)
    said = draft_review.summary(uow, group, draft)
    rooms = uow.groups.main_rooms(group.id)
    text = f"The review of draft {draft.id} ({draft.title}) is closed: {said}."
    out = []
    if draft.endorse:
        question = f"Does the group endorse the final version of {draft.title}? {draft.link}"
        if len(question) > polls.MAX_QUESTION:  # a long link: `draft show` gives it
            question = (
                f"Does the group endorse the final version of {draft.title} (draft {draft.id})?"
            )
        poll, opened = polls.open_poll(
            uow,
            group,
            question,
            polls.read_options(None),
            now + draft_review.ENDORSE_FOR,
            now,
            audit.BOT,
        )
        draft.poll_id = poll.id
        uow.drafts.save(draft)
        text += f" Poll {poll.id} asks whether the group endorses the final version."
        out += [Post(transport=r.transport, room=r.room, text=text) for r in rooms] + opened
    else:
        out += [Post(transport=r.transport, room=r.room, text=text) for r in rooms]
    report = "\n".join(
        [f"Comments on draft {draft.id} ({draft.title}) by stakeholder group; {said}:"]
        + draft_review.grouped(uow, group, draft)
    )
    for r in rooms:
        out += [
            DirectMessage(transport=r.transport, user=h, text=report)
            for h in notify.staff(uow, group, deployment.facilitators)
        ]
    return out


class DraftDeadlines:
    def due(self, uow, now: datetime, deployment: Deployment) -> list[Due]:
        found = []
        for draft in uow.drafts.open_rounds():
            group = uow.groups.get(draft.group_id)
            stamp = f"{draft.comments_until:%Y%m%dT%H%MZ}"
            if draft.comments_until <= now:
                for n, out in enumerate(close(uow, group, draft, deployment)):
                    key = f"draft:{draft.id}:close:{stamp}:{n}"
                    found.append(Due(key, draft.comments_until, out, group.id))
                continue
            at = nudge_at(draft)
            if at is None or at > now:
                continue
            for member in draft_review.waiting(uow, group, draft):
                zone = member.timezone or deployment.default_tz
                text = (
                    f"The review of draft {draft.id} ({draft.title}) ends "
                    f"{when(draft.comments_until, zone)} and you have not commented yet.\n"
                    f"{draft.link}\n{draft_review.how_to(draft)}"
                )
                for r in uow.groups.main_rooms(group.id):
                    out = DirectMessage(transport=r.transport, user=member.handle, text=text)
                    key = f"draft:{draft.id}:nudge:{stamp}:{r.transport}:{member.handle}"
                    found.append(Due(key, at, out, group.id))
        known = uow.outbox.known([d.key for d in found])
        return [d for d in found if d.key not in known]

    def next_after(self, uow, now: datetime) -> datetime | None:
        times = []
        for draft in uow.drafts.open_rounds():
            times += [t for t in (nudge_at(draft), draft.comments_until) if t and t > now]
        return min(times, default=None)

    def stale(self, uow, key: str, group_id: int | None, now: datetime) -> str | None:
        """A reminder waiting for a retry is dropped once its round closed."""
        parts = key.split(":")
        if parts[0] != "draft" or len(parts) < 3 or parts[2] != "nudge" or not parts[1].isdigit():
            return None
        draft = uow.drafts.get(group_id, int(parts[1])) if group_id else None
        if draft is None or draft.closed_at is not None or draft.comments_until <= now:
            return f"the review of draft {parts[1]} is closed"
        return None


PRODUCERS.append(DraftDeadlines())
