"""Outcomes: rough consensus is declared by the facilitator, with a rationale, not counted.
For an outreach poll the outcome clears or declines the outreach."""

from __future__ import annotations

from handlers import outreach, polls
from handlers.base import Args, Context, UserError, command, reply
from handlers.events import DirectMessage, Post
from handlers.timefmt import when

OUTCOMES = ("consensus", "no-consensus")


@command("outcome", facilitator_only=True)
def declare(ctx: Context, args: Args):
    """Declare a closed poll's outcome, with the rationale the group will read.

    outcome <poll> <consensus|no-consensus> <rationale...>

    Example: outcome 3 consensus "Broad support across stakeholder groups; the concerns on timing are met by a consultation in March"
    """
    group = ctx.require_group()
    poll = polls._poll(ctx, args.words[0])
    decision = args.words[1].lower()
    if decision not in OUTCOMES:
        raise UserError(f"`{decision[:30]}` is not an outcome: say consensus or no-consensus.")
    if poll.status != "closed":
        raise UserError(f"Poll {poll.id} is still open; close it first (`poll close {poll.id}`).")
    if poll.outcome:
        raise UserError(f"The outcome of poll {poll.id} was declared already: {poll.outcome}.")
    rationale = " ".join(args.rest.split())[:2000]
    poll.outcome, poll.rationale, poll.decided_by, poll.decided_at = (
        decision,
        rationale,
        ctx.user,
        ctx.now,
    )
    ctx.uow.polls.save(poll)
    text = f"Outcome of poll {poll.id} ({poll.question}): {decision.replace('-', ' ')}. {rationale}"
    out = [
        Post(transport=r.transport, room=r.room, text=text)
        for r in ctx.uow.groups.main_rooms(group.id)
    ]
    if poll.outreach_id:
        record = ctx.uow.outreach.get(group.id, poll.outreach_id)
        record.status = "cleared" if decision == "consensus" else "declined"
        ctx.uow.outreach.save(record)
        verdict = "may go ahead" if decision == "consensus" else "is declined by the group"
        out.append(
            DirectMessage(
                transport=ctx.event.transport,
                user=record.member,
                text=f"The group decided on your outreach {record.id} ({record.event}): it {verdict}. {rationale}",
            )
        )
        out += outreach.thread_posts(
            ctx.uow, record, f"Outreach {record.id} {verdict} (poll {poll.id})."
        )
    return reply(f"Declared: {decision}.", private=True) + out


@command("decisions")
def list_decisions(ctx: Context, args: Args):
    """List the group's declared outcomes, with rationale and dissent.

    decisions
    """
    group = ctx.require_group()
    decided = [p for p in ctx.uow.polls.all(group.id) if p.outcome]
    if not decided:
        return reply("No outcome has been declared yet.", private=True)
    lines = ["Decisions:"]
    for poll in decided:
        lines.append(f"  Poll {poll.id}, {when(poll.decided_at, ctx.tz)}: {poll.question}")
        lines.append(f"    {poll.outcome.replace('-', ' ')}: {poll.rationale}")
        for vote in ctx.uow.votes.dissent_and_views(poll.id, polls.tally.NEEDS_REASON):
            if not vote.advisory and vote.option in polls.tally.NEEDS_REASON:
                lines.append(f"    dissent ({vote.option}) @{vote.member}: {vote.reason}")
    return reply("\n".join(lines), private=True)
