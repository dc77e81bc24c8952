"""Outcomes: rough consensus is declared by the facilitator, with a rationale, not counted.
For an outreach poll the outcome clears or declines the outreach."""

from __future__ import annotations

from handlers import audit, outreach, polls, privacy
from handlers.base import Args, Context, UserError, command, reply
from handlers.events import DirectMessage, Post, mention
from handlers.timefmt import when

OUTCOMES = ("consensus", "no-consensus")


def read_decision(poll, text: str) -> str:
    """The outcome the facilitator names: consensus or not for a consensus poll, the option
    chosen (or none) for a choice poll."""
    decision = text.lower()
    if polls.is_choice(poll):
        allowed = [o["name"] for o in poll.options] + [polls.NO_CHOICE]
        if decision not in allowed:
            raise UserError(
                f"`{decision[:30]}` is not an option of poll {poll.id}: name the one chosen "
                f"({', '.join(allowed[:-1])}) or say {polls.NO_CHOICE}."
            )
    elif decision not in OUTCOMES:
        raise UserError(f"`{decision[:30]}` is not an outcome: say consensus or no-consensus.")
    return decision


@command("outcome", facilitator_only=True)
def declare(ctx: Context, args: Args):
    """Declare a closed poll's outcome, with the rationale the group will read.

    outcome <poll> <consensus|no-consensus|option> <rationale...>

    Example: outcome 3 consensus "Broad support across stakeholder groups; the concerns on timing are met by a consultation in March"
    For a choice poll, name the option chosen (or no-choice): outcome 4 april "Most members can attend in April"
    """
    group = ctx.require_group()
    poll = polls._poll(ctx, args.words[0])
    decision = read_decision(poll, args.words[1])
    if poll.status != "closed":
        raise UserError(f"Poll {poll.id} is still open; close it first (`poll close {poll.id}`).")
    _refuse_withdrawn(ctx, poll)
    if poll.outcome:
        raise UserError(
            f"The outcome of poll {poll.id} was declared already: "
            f"{polls.decision_words(poll, poll.outcome)}; to correct it: `outcome amend`."
        )
    rationale = " ".join(args.rest.split())[:2000]
    poll.outcome, poll.rationale, poll.decided_by, poll.decided_at = (
        decision,
        rationale,
        ctx.user,
        ctx.now,
    )
    ctx.uow.polls.save(poll)
    audit.record(ctx, "outcome declare", f"poll {poll.id}", decision, rationale)
    text = f"Outcome of poll {poll.id} ({poll.question}): {polls.decision_words(poll, decision)}. {rationale}"
    out = [
        Post(transport=r.transport, room=r.room, text=text)
        for r in ctx.uow.groups.main_rooms(group.id)
    ]
    return reply(f"Declared: {decision}.", private=True) + out + _settle_outreach(ctx, poll)


def _refuse_withdrawn(ctx: Context, poll) -> None:
    """An outreach its member withdrew is not revived by the poll on it: nothing is left to decide."""
    record = ctx.uow.outreach.get(ctx.group.id, poll.outreach_id) if poll.outreach_id else None
    if record is not None and record.status == "withdrawn":
        raise UserError(
            f"Outreach {record.id} ({record.event}) was withdrawn, so poll {poll.id} has nothing "
            f"left to decide; no outcome is declared. A new announcement starts afresh."
        )


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

    outcome amend <poll> <consensus|no-consensus|option> <rationale...>

    Example: outcome amend 3 no-consensus "Two blocks sent by e-mail before the deadline were missed"
    The rationale says why it changes; the group is told, and `poll show` shows both.
    """
    group = ctx.require_group()
    poll = polls._poll(ctx, args.words[0])
    decision = read_decision(poll, args.words[1])
    if not poll.outcome:
        raise UserError(
            f"The outcome of poll {poll.id} is not declared yet; declare it with "
            f'`outcome {poll.id} {decision} "<rationale>"`.'
        )
    if poll.outreach_id and poll.outcome == "withdrawn":
        raise UserError(
            f"Poll {poll.id} closed because its outreach was withdrawn; there is no outcome to amend."
        )
    rationale = " ".join(args.rest.split())[:2000]
    if (decision, rationale) == (poll.outcome, poll.rationale):
        raise UserError(
            f"Poll {poll.id}'s outcome is {polls.decision_words(poll, decision)} with that rationale already."
        )
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
        f"Outcome of poll {poll.id} ({poll.question}) amended: {polls.decision_words(poll, decision)} "
        f"(was {polls.decision_words(poll, earlier)}). {rationale}"
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
    in_meetings = [d for d in ctx.uow.decisions.of_group(group.id) if d.status != "withdrawn"]
    if not decided and not in_meetings:
        return reply("No outcome has been declared yet.", private=True)
    kept = ctx.uow.tallies.latest([p.id for p in decided])
    lines = ["Decisions:"]
    lines += meeting_decision_lines(ctx, in_meetings)
    for poll in decided:
        lines.append(f"  Poll {poll.id}, {when(poll.decided_at, ctx.tz)}: {poll.question}")
        lines.append(f"    {polls.decision_words(poll, poll.outcome)}: {poll.rationale}")
        for old in ctx.uow.amendments.of(poll.id):
            lines.append(
                f"    amended from {polls.decision_words(poll, old.decision)} (declared by "
                f"{mention(old.decided_by)}, {when(old.decided_at, ctx.tz)})"
            )
        # the dissent as posted at the close
        tally = kept[poll.id].tally if poll.id in kept else polls.snapshot(ctx.uow, group, poll)
        for d in tally["dissent"]:
            who = mention(d["member"]) if privacy.sees_voters(ctx, poll) else privacy.WITHHELD
            lines.append(f"    dissent ({d['option']}) {who}: {d['reason']}")
    return reply("\n".join(lines), private=True)


def meeting_decision_lines(ctx: Context, decisions) -> list[str]:
    """Decisions agreed in meetings, with the minutes they come from."""
    lines = []
    for d in decisions:
        minutes = ctx.uow.minutes.get(d.minutes_id)
        meeting = ctx.uow.meetings.get(ctx.group.id, minutes.meeting_id)
        source = (
            f"taken in the meeting of {when(meeting.starts_at, ctx.tz)} (minutes {minutes.status})"
        )
        if d.status == "polled":
            source = f"agreed in the meeting of {when(meeting.starts_at, ctx.tz)}, sent to poll {d.poll_id}"
        lines.append(f"  Meeting decision {d.id}, {source}: {d.text}")
    return lines
