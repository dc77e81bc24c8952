"""Outcomes: rough consensus is declared by the facilitator, with a rationale, not counted.
For an outreach poll the outcome clears or declines the outreach."""

from __future__ import annotations

from handlers import audit, outreach, polls, privacy
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
    audit.record(ctx, "outcome declare", f"poll {poll.id}", decision, rationale)
    text = f"Outcome of poll {poll.id} ({poll.question}): {decision.replace('-', ' ')}. {rationale}"
    out = [
        Post(transport=r.transport, room=r.room, text=text)
        for r in ctx.uow.groups.main_rooms(group.id)
    ]
    return reply(f"Declared: {decision}.", private=True) + out + _settle_outreach(ctx, poll)


def _settle_outreach(ctx: Context, poll) -> list:
    """Clear or decline the outreach an outreach poll decides, and tell its member; one
    withdrawn meanwhile stays withdrawn."""
    record = ctx.uow.outreach.get(ctx.group.id, poll.outreach_id) if poll.outreach_id else None
    if record is None or record.status == "withdrawn":
        return []
    status = "cleared" if poll.outcome == "consensus" else "declined"
    if record.status == status:
        return []
    record.status = status
    ctx.uow.outreach.save(record)
    audit.record(ctx, f"outreach {status}", f"outreach {record.id}", f"outcome of poll {poll.id}")
    verdict = "may go ahead" if status == "cleared" else "is declined by the group"
    return [
        DirectMessage(
            transport=ctx.event.transport,
            user=record.member,
            text=f"The group decided on your outreach {record.id} ({record.event}): it {verdict}. {poll.rationale}",
        )
    ] + outreach.thread_posts(ctx.uow, record, f"Outreach {record.id} {verdict} (poll {poll.id}).")


@command("outcome amend", facilitator_only=True)
def amend(ctx: Context, args: Args):
    """Correct a declared outcome; the earlier one is kept, with who declared it and when.

    outcome amend <poll> <consensus|no-consensus> <rationale...>

    Example: outcome amend 3 no-consensus "Two blocks sent by e-mail before the deadline were missed"
    The rationale says why it changes; the group is told, and `poll show` shows both.
    """
    group = ctx.require_group()
    poll = polls._poll(ctx, args.words[0])
    decision = args.words[1].lower()
    if decision not in OUTCOMES:
        raise UserError(f"`{decision[:30]}` is not an outcome: say consensus or no-consensus.")
    if not poll.outcome:
        raise UserError(
            f"The outcome of poll {poll.id} is not declared yet; declare it with "
            f'`outcome {poll.id} {decision} "<rationale>"`.'
        )
    if poll.outcome not in OUTCOMES:
        raise UserError(
            f"Poll {poll.id} closed because its outreach was withdrawn; there is no outcome to amend."
        )
    rationale = " ".join(args.rest.split())[:2000]
    if (decision, rationale) == (poll.outcome, poll.rationale):
        raise UserError(f"Poll {poll.id}'s outcome is {decision} with that rationale already.")
    earlier = poll.outcome
    ctx.uow.amendments.add(
        poll_id=poll.id,
        decision=poll.outcome,
        rationale=poll.rationale,
        decided_by=poll.decided_by,
        decided_at=poll.decided_at,
        amended_by=ctx.user,
        amended_at=ctx.now,
    )
    poll.outcome, poll.rationale, poll.decided_by, poll.decided_at = (
        decision,
        rationale,
        ctx.user,
        ctx.now,
    )
    ctx.uow.polls.save(poll)
    audit.record(ctx, "outcome amend", f"poll {poll.id}", f"{earlier} -> {decision}", rationale)
    text = (
        f"Outcome of poll {poll.id} ({poll.question}) amended: {decision.replace('-', ' ')} "
        f"(was {earlier.replace('-', ' ')}). {rationale}"
    )
    out = [
        Post(transport=r.transport, room=r.room, text=text)
        for r in ctx.uow.groups.main_rooms(group.id)
    ]
    return reply(f"Amended: {decision}.", private=True) + out + _settle_outreach(ctx, poll)


@command("decisions")
def list_decisions(ctx: Context, args: Args):
    """List the group's declared outcomes, with rationale and dissent.

    decisions
    """
    group = ctx.require_group()
    decided = [p for p in ctx.uow.polls.all(group.id) if p.outcome]
    if not decided:
        return reply("No outcome has been declared yet.", private=True)
    kept = ctx.uow.tallies.latest([p.id for p in decided])
    lines = ["Decisions:"]
    for poll in decided:
        lines.append(f"  Poll {poll.id}, {when(poll.decided_at, ctx.tz)}: {poll.question}")
        lines.append(f"    {poll.outcome.replace('-', ' ')}: {poll.rationale}")
        for old in ctx.uow.amendments.of(poll.id):
            lines.append(
                f"    amended from {old.decision.replace('-', ' ')} (declared by "
                f"@{old.decided_by}, {when(old.decided_at, ctx.tz)})"
            )
        # the dissent as posted at the close
        tally = kept[poll.id].tally if poll.id in kept else polls.snapshot(ctx.uow, group, poll)
        for d in tally["dissent"]:
            who = f"@{d['member']}" if privacy.sees_voters(ctx, poll) else privacy.WITHHELD
            lines.append(f"    dissent ({d['option']}) {who}: {d['reason']}")
    return reply("\n".join(lines), private=True)
