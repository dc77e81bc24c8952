"""Votes and objections are judged by when they were cast, not by whether the scheduler has
closed their poll or window yet.

A vote or an objection made in time may reach the core after the close: a Matrix or Slack
replay after a restart, an inbox event processed late. It then counts, and the record says so
openly instead of rewriting it: a poll's tally posted at its close is kept, and an amended
tally is kept after it (`poll show` and the export give both), with an audit entry and a post
in the group's rooms; a window that cleared an outreach is reopened as a poll. A vote or an
objection made after the close is refused, even before the scheduler has run.
"""

from __future__ import annotations

from datetime import datetime

from handlers import audit, notify, outreach, polls, tally
from handlers.events import DirectMessage, Post, mention
from handlers.timefmt import when


def poll_end(poll) -> datetime:
    """When the poll stops taking votes: its close, or its deadline while it is open."""
    return poll.closed_at if poll.status != "open" and poll.closed_at else poll.closes_at


def amend_tally(ctx, poll, earlier, option: str, reason: str | None, advisory: bool) -> list:
    """Keep a new tally for a closed poll after an in-time vote processed late, from the one
    posted at the close (its roster and rules) plus this vote; tell the rooms, and the staff
    when the outcome was declared on the earlier tally."""
    group = ctx.require_group()
    latest = ctx.uow.tallies.latest([poll.id]).get(poll.id)
    if latest is None:
        return []
    kept = latest.tally
    where = (ctx.me.stakeholder_group if ctx.me else None) or "none"
    new = _with_vote(kept, ctx.user, where, earlier, option, reason, advisory)
    ctx.uow.tallies.freeze(poll.id, poll.closed_at, new)
    cast = when(ctx.now)
    audit.record(
        ctx,
        "poll tally amend",
        f"poll {poll.id}",
        f"{tally.summary(kept)} -> {tally.summary(new)}",
        f"a vote cast {cast}, before the close {when(poll.closed_at)}, was processed after it",
    )
    declared = (
        f" The outcome ({poll.outcome.replace('-', ' ')}) was declared on the earlier tally."
        if poll.outcome
        else ""
    )
    text = (
        f"Poll {poll.id}'s tally is amended: a vote cast {cast}, before the close, reached the bot "
        f"after it. The tally posted at the close is kept.{declared}\n{polls.words(poll, new)}"
    )
    out: list = [
        Post(transport=r.transport, room=r.room, text=text, data={"ref": f"poll:{poll.id}"})
        for r in ctx.uow.groups.main_rooms(group.id)
    ]
    if poll.outcome:
        out += [
            DirectMessage(
                transport=ctx.event.transport,
                user=h,
                text=(
                    f"The tally of poll {poll.id} changed after you declared its outcome "
                    f"({tally.summary(new)}); to correct the outcome: "
                    f'`outcome amend {poll.id} <decision> "<rationale>"`.'
                ),
            )
            for h in notify.staff(ctx.uow, group, ctx.facilitators)
        ]
    return out


def _with_vote(kept: dict, who: str, where: str, earlier, option, reason, advisory) -> dict:
    """The kept tally with `who`'s vote `option` (counted in stakeholder group `where`) in
    place of their `earlier` one."""
    by_group = {g: dict(c) for g, c in kept["by_stakeholder_group"].items()}
    if earlier is not None and not earlier.advisory:
        counted = by_group.get(where, {})
        if counted.get(earlier.option):
            counted[earlier.option] -= 1
    if not advisory:
        counted = by_group.setdefault(where, {name: 0 for name in kept["options"]})
        counted[option] = counted.get(option, 0) + 1
    rows = [(o, g, n) for g, c in by_group.items() for o, n in c.items() if n]
    fresh = tally.compute(
        [{"name": name} for name in kept["options"]],
        rows,
        list(kept["eligible_by_stakeholder_group"].items()),
        kept["rules"],
    )
    dissent = [
        (d["member"], d["option"], d["reason"]) for d in kept["dissent"] if d["member"] != who
    ]
    if not advisory and option in tally.NEEDS_REASON and tally.is_consensus(kept["options"]):
        dissent.append((who, option, reason))
    views = [(v["member"], v["option"]) for v in kept["views"] if v["member"] != who]
    if advisory:
        views.append((who, option))
    return tally.freeze(fresh, sorted(dissent), sorted(views))


def reopen_cleared(ctx, record, objection) -> list:
    """An in-time objection that reached the core after its window cleared the outreach: the
    window's verdict did not hear it, so the group decides in a poll, as it would have."""
    group = ctx.require_group()
    if not ctx.uow.outreach.move_status(record, "cleared", "polling"):
        return []
    member = ctx.uow.members.get(group.id, record.member)
    name = member.name if member else record.member
    question = (
        f"Should {name} present the group's work at {outreach.describe(record)}? "
        f"Objections: {mention(objection.member)}: {objection.reason or '(reason awaited)'}"
    )
    poll, posts = polls.open_poll(
        ctx.uow,
        group,
        question[: polls.MAX_QUESTION],
        [dict(o) for o in tally.DEFAULT_OPTIONS],
        ctx.now + polls.DEFAULT_DURATION,
        ctx.now,
        "pnbot",
        outreach_id=record.id,
    )
    audit.record(
        ctx,
        "outreach polling",
        f"outreach {record.id}",
        f"objection {objection.id} made {when(ctx.now)}, before the window closed "
        f"{when(record.window_closes_at)}, was processed after it cleared the outreach",
    )
    return posts + outreach.thread_posts(
        ctx.uow,
        record,
        f"An objection made before the window closed reached the bot late, so outreach "
        f"{record.id} is not cleared after all: the group decides in poll {poll.id}.",
    )
