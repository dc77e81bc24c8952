"""When an outreach announcement's objection window closes: with no standing objection it
is cleared; with one, the group decides by consensus, so a poll opens by itself
(terms of reference II.3: "should objections be expressed, the decision should be made by
the Group's consensus")."""

from __future__ import annotations

from datetime import datetime

from handlers import audit, outreach, polls
from handlers.events import mention
from handlers.objections import ADVISORY
from handlers.schedule import PRODUCERS, Deployment, Due
from handlers.wording import plural

STANDING = ("standing", "awaiting-reason")


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class ObjectionWindows:
    def due(self, uow, now: datetime, deployment: Deployment) -> list[Due]:
        found = []
        for record in uow.outreach.windows_closed_by(now):
            group = uow.groups.get(record.group_id)
            everyone = uow.objections.for_outreach([record.id])
            objections = [o for o in everyone if o.status in STANDING]
            # observers' objections are heard, not counted: they open no poll by themselves
            heard = "; ".join(
                f"{mention(o.member)}: {_short(o.reason or '(no reason given)')}"
                for o in everyone
                if o.status == ADVISORY
            )
            advisory = f" Observers' advisory objections: {heard}." if heard else ""
            at = record.window_closes_at
            outcome = "polling" if objections else "cleared"
            if not uow.outreach.move_status(record, "announced", outcome):
                continue  # another instance closed this window a moment ago
            why = (
                f"{plural(len(objections), 'objection')} standing" if objections else "no objection"
            )
            uow.audit.record(
                group.id, at, audit.BOT, f"outreach {outcome}", f"outreach {record.id}", why
            )
            if not objections:
                text = (
                    f"No member objected: outreach {record.id} is cleared.{advisory} "
                    f"Good luck at {record.event}, {mention(record.member)}!"
                    if advisory
                    else f"No objection: outreach {record.id} is cleared. Good luck at {record.event}, {mention(record.member)}!"
                )
                posts = outreach.thread_posts(uow, record, text)
            else:
                member = uow.members.get(group.id, record.member)
                name = member.name if member else record.member
                question = f"Should {name} present the group's work at {outreach.describe(record)}?"
                quoted = "; ".join(
                    f"{mention(o.member)}: {_short(o.reason or '(reason awaited)')}"
                    for o in objections
                )
                poll, posts = polls.open_poll(
                    uow,
                    group,
                    _short(f"{question} Objections: {quoted}", polls.MAX_QUESTION),
                    [dict(o) for o in polls.tally.DEFAULT_OPTIONS],
                    now + polls.DEFAULT_DURATION,
                    now,
                    "pnbot",
                    outreach_id=record.id,
                )
                posts += outreach.thread_posts(
                    uow,
                    record,
                    f"Objections stand, so the group decides: poll {poll.id} is open.{advisory}",
                )
            for n, out in enumerate(posts):
                where = getattr(out, "room", None) or getattr(out, "user", "")
                found.append(
                    Due(
                        f"outreach:{record.id}:window:{n}:{out.transport}:{where}",
                        at,
                        out,
                        group.id,
                    )
                )
        return found

    def next_after(self, uow, now: datetime) -> datetime | None:
        return uow.outreach.next_window_after(now)


PRODUCERS.append(ObjectionWindows())
