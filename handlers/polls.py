"""Consensus polls: each member has an equal say (one vote, the last one counts), observers
may give an advisory view, and the neutral facilitator and the secretariat do not vote."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from handlers import audit, meetings, privacy, tally
from handlers.base import (
    VOTING_ROLES,
    Args,
    Context,
    UserError,
    action,
    button,
    command,
    record_number,
    reply,
)
from handlers.events import DirectMessage, Post, mention
from handlers.timefmt import when
from handlers.wording import plural

DEFAULT_DURATION = timedelta(days=7)
NUDGE_BEFORE = timedelta(hours=24)
_DURATION = re.compile(r"^(\d{1,3})([dh])$")
NEUTRAL_ROLES = ("facilitator", "secretariat")
ANONYMOUS = "Anonymous: every vote is counted; only the facilitator sees who voted what."
MAX_QUESTION = 500
NO_CHOICE = "no-choice"


def read_closes(text: str | None, ctx: Context) -> datetime:
    if text is None:
        return ctx.now + DEFAULT_DURATION
    m = _DURATION.match(text.strip().lower())
    if m:
        span = timedelta(days=int(m[1])) if m[2] == "d" else timedelta(hours=int(m[1]))
        closes = ctx.now + span
    else:
        closes = meetings.read_moment(text, ctx)
    if not ctx.now + timedelta(hours=1) <= closes <= ctx.now + timedelta(days=90):
        raise UserError(
            "A poll stays open from one hour to 90 days: `closes=5d`, `closes=36h` or a date and time."
        )
    return closes


def read_options(text: str | None) -> list[dict]:
    if text is None:
        return [dict(o) for o in tally.DEFAULT_OPTIONS]
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    if not 2 <= len(names) <= 10 or len(set(names)) != len(names):
        raise UserError(
            "Give 2 to 10 different options separated by commas: `options=yes,no,later`."
        )
    if any(not re.fullmatch(r"[\w\-]{1,40}", n) for n in names):
        raise UserError("Options are single words (letters, digits, dashes), up to 40 characters.")
    standard = {o["name"]: o["meaning"] for o in tally.DEFAULT_OPTIONS}
    return [{"name": n, "meaning": standard.get(n, "")} for n in names]


def is_choice(poll) -> bool:
    """A poll between options of the facilitator's own (`options=march,april`): decided by
    the option chosen, with no reason asked for any vote."""
    return not tally.is_consensus(poll.options)


def how_to_vote(poll) -> str:
    if is_choice(poll):
        return f"Vote: `vote {poll.id} <option> [reason]`."
    return f"Vote: `vote {poll.id} <option> [reason]` (a reason is needed for disagree and block)."


def decision_words(poll, decision: str) -> str:
    """An outcome as the group reads it: `no consensus`, or `april chosen` for a choice."""
    if is_choice(poll) and decision != "withdrawn":
        return "no option chosen" if decision == NO_CHOICE else f"{decision} chosen"
    return decision.replace("-", " ")


def declare_hint(poll) -> str:
    if is_choice(poll):
        return f'`outcome {poll.id} <option>|{NO_CHOICE} "<rationale>"`'
    return f'`outcome {poll.id} consensus|no-consensus "<rationale>"`'


def open_poll(
    uow,
    group,
    question: str,
    options: list[dict],
    closes: datetime,
    now: datetime,
    by: str,
    outreach_id: int | None = None,
    anonymous: bool = False,
):
    """Open a poll, announce it in the group's rooms and tell each member privately."""
    poll = uow.polls.add(
        group_id=group.id,
        question=question,
        options=options,
        opened_by=by,
        opened_at=now,
        closes_at=closes,
        outreach_id=outreach_id,
        anonymous=anonymous,
    )
    uow.audit.record(group.id, now, by, "poll open", f"poll {poll.id}", question)
    text = render(uow, group, poll, "UTC")
    data = {"ref": f"poll:{poll.id}", "actions": buttons(poll)} | layout(uow, group, poll)
    rooms = uow.groups.main_rooms(group.id)
    out = [Post(transport=r.transport, room=r.room, text=text, data=data) for r in rooms]
    voters = [m for m in uow.members.all(group.id) if m.role in VOTING_ROLES]
    for m in voters:
        for r in rooms:
            out.append(
                DirectMessage(
                    transport=r.transport,
                    user=m.handle,
                    text=f"A {'' if is_choice(poll) else 'consensus '}poll is open in {group.name}, until {when(closes, m.timezone or 'UTC')}; "
                    f"your vote counts as much as anyone's.\nPoll {poll.id}: {question}\n"
                    f"`vote {poll.id} <option> [reason]` with one of: {', '.join(o['name'] for o in options)}.",
                    data={"actions": buttons(poll)},
                )
            )
    return poll, out


def layout(uow, group, poll, note: str | None = None, names: bool = False) -> dict:
    """The poll (and its tally once closed) as data, for transports that lay it out;
    `note` is what to do next (how to vote, who declares the outcome); `names` shows who
    voted what on an anonymous poll."""
    if note is None and poll.status == "open":
        note = how_to_vote(poll)
    elif note is None and poll.outcome:
        note = outcome_lines(uow, poll, "UTC")[0]
    found = {
        "poll": {
            "id": poll.id,
            "question": poll.question,
            "options": [{"name": o["name"], "meaning": o.get("meaning")} for o in poll.options],
            "status": poll.status,
            "closes_at": poll.closes_at.isoformat(),
            "voted": len(uow.votes.voters(poll.id)),
            "eligible": sum(n for _, n in uow.votes.eligible(group.id, VOTING_ROLES)),
            "note": note,
        }
    }
    if poll.status != "open":
        found["tally"] = tally_layout(uow, group, poll, names)
        # as posted at the close, not as the roster stands today
        found["poll"]["voted"] = found["tally"]["voted"]
        found["poll"]["eligible"] = found["tally"]["eligible"]
    return found


def tally_layout(uow, group, poll, names: bool = False) -> dict:
    kept = uow.tallies.of(poll.id)
    current = kept[-1].tally if kept else snapshot(uow, group, poll)
    if poll.anonymous and not names:
        current = privacy.withheld(current, None)
    return current | {
        "outcome": poll.outcome,
        "amended": bool(poll.outcome and uow.amendments.of(poll.id)),
        "kept": bool(kept),
    }


def buttons(poll) -> list[dict]:
    return [button(o["name"], "poll.vote", f"{poll.id}:{o['name']}") for o in poll.options]


def render(uow, group, poll, tz: str, names: bool = False) -> str:
    lines = [f"Poll {poll.id}: {poll.question}"]
    if poll.anonymous:
        lines.append(ANONYMOUS)
    for o in poll.options:
        meaning = f" — {o['meaning']}" if o.get("meaning") else ""
        lines.append(f"  {o['name']}{meaning}")
    if poll.status == "open":
        voted = len(uow.votes.voters(poll.id))
        eligible = sum(n for _, n in uow.votes.eligible(group.id, VOTING_ROLES))
        lines.append(
            f"Open until {when(poll.closes_at, tz)}; {voted} of {eligible} members have voted."
        )
        lines.append(how_to_vote(poll))
    else:
        lines.append(f"Closed {when(poll.closed_at, tz)}.")
        lines += closed_lines(uow, group, poll, tz, names)
    return "\n".join(lines)


def words(poll, frozen: dict, names: bool = False) -> str:
    """A kept tally in words; an anonymous poll's without who voted what, unless `names`."""
    if poll.anonymous and not names:
        return tally.words(privacy.withheld(frozen, privacy.WITHHELD), mark="")
    return tally.words(frozen)


def closed_lines(uow, group, poll, tz: str, names: bool = False) -> list[str]:
    """A closed poll's tally as posted at its last close, the earlier closes in one line
    each, and its outcome with any it replaced."""
    kept = uow.tallies.of(poll.id)
    if kept:
        lines = [words(poll, kept[-1].tally, names)]
    else:
        lines = [
            words(poll, snapshot(uow, group, poll), names),
            "(Computed now: this poll closed before the bot kept tallies as posted.)",
        ]
    lines += [
        f"Earlier tally, closed {when(t.closed_at, tz)} and reopened: {tally.summary(t.tally)}."
        for t in kept[:-1]
    ]
    return lines + outcome_lines(uow, poll, tz)


def outcome_lines(uow, poll, tz: str) -> list[str]:
    """The declared outcome, and the earlier ones it amended, latest first."""
    if not poll.outcome:
        return []
    earlier = uow.amendments.of(poll.id)
    decision = decision_words(poll, poll.outcome)
    if not earlier:
        return [f"Outcome declared by {mention(poll.decided_by)}: {decision}. {poll.rationale}"]
    lines = [
        f"Outcome amended by {mention(poll.decided_by)} on {when(poll.decided_at, tz)}: {decision}. "
        f"{poll.rationale}"
    ]
    for old in reversed(earlier):
        lines.append(
            f"Earlier outcome, declared by {mention(old.decided_by)} on {when(old.decided_at, tz)}: "
            f"{decision_words(poll, old.decision)}. {old.rationale}"
        )
    return lines


def compute_tally(uow, group, poll) -> tally.Tally:
    return tally.compute(
        poll.options,
        uow.votes.counts(poll.id, group.id, VOTING_ROLES),
        uow.votes.eligible(group.id, VOTING_ROLES),
        tally.rules_of(group),
    )


def snapshot(uow, group, poll) -> dict:
    """The poll's tally as it stands now, in the form it is kept at a close; the dissent is
    that of the votes counted, so none is listed that the counts leave out."""
    # a choice poll has no dissent: voting for another option is no objection
    dissenting = () if is_choice(poll) else tally.NEEDS_REASON
    dissent = uow.votes.counted_dissent(poll.id, group.id, VOTING_ROLES, dissenting)
    views = [v for v in uow.votes.dissent_and_views(poll.id, dissenting) if v.advisory]
    return tally.freeze(
        compute_tally(uow, group, poll),
        [(v.member, v.option, v.reason) for v in dissent],
        [(v.member, v.option) for v in views],
    )


def describe_tally(uow, group, poll) -> str:
    """The tally as it stands now, in words."""
    return tally.words(snapshot(uow, group, poll))


def freeze(uow, group, poll, now: datetime) -> dict:
    """Keep the tally of a poll closing now; what is posted and shown from now on is this."""
    kept = snapshot(uow, group, poll)
    uow.tallies.freeze(poll.id, now, kept)
    return kept


def _poll(ctx: Context, text: str):
    group = ctx.require_group()
    number = text.lstrip("#")
    poll = ctx.uow.polls.get(group.id, n) if (n := record_number(number)) is not None else None
    if poll is None:
        raise UserError(f"There is no poll {text[:10]} in {group.name}; see `polls`.")
    return poll


@command("poll", facilitator_only=True)
def create_poll(ctx: Context, args: Args):
    """Open a poll; every member is told privately.

    poll <question...> [closes=<duration or date>] [options=<a,b,c>] [anonymous=yes|no]

    Example: poll "Should the output recommend a common incident reporting format?" closes=5d
    Default options: agree, abstain, disagree, block: a consensus poll (a reason is asked for disagree and block). Closes in 7 days unless told.
    Other options make a choice poll: `poll "When should the consultation run?" options=march,april,may`; the facilitator then declares the option chosen.
    """
    group = ctx.require_group()
    question = " ".join(args.rest.split())
    if len(question) > MAX_QUESTION:
        raise UserError(f"Keep the question under 500 characters (this one has {len(question)}).")
    options = read_options(args.options.get("options"))
    closes = read_closes(args.options.get("closes"), ctx)
    anonymous = privacy.switch("anonymous", args.options.get("anonymous", "no"))
    poll, out = open_poll(
        ctx.uow, group, question, options, closes, ctx.now, ctx.user, anonymous=anonymous
    )
    return reply(f"Opened poll {poll.id}, closing {when(closes, ctx.tz)}.", private=True) + out


@command("vote")
def vote(ctx: Context, args: Args):
    """Vote on a poll; a new vote replaces your earlier one until the poll closes.

    vote <poll> <option> [<reason...>]

    Example: vote 3 disagree the timeline leaves no room for consultation
    """
    poll = _poll(ctx, args.words[0])
    return cast(ctx, poll, args.words[1].lower(), args.rest)


def cast(ctx: Context, poll, option: str, reason_text: str):
    from handlers import event_time  # here: event_time builds on this module

    # judged by when the vote was cast: the scheduler may not have closed the poll yet, or a
    # vote cast in time may be processed after the close (a replay after a restart)
    ends = event_time.poll_end(poll)
    if ctx.now >= ends or poll.outcome == "withdrawn":
        if poll.status != "open":
            raise UserError(f"Poll {poll.id} is closed; votes are no longer taken.")
        raise UserError(f"Poll {poll.id} closed {when(ends, ctx.tz)}; votes are no longer taken.")
    if ctx.role in NEUTRAL_ROLES:
        raise UserError(f"As {ctx.role} you stay neutral and do not vote.")
    names = [o["name"] for o in poll.options]
    if option not in names:
        raise UserError(f"`{option[:40]}` is not an option of poll {poll.id}: {', '.join(names)}.")
    reason = " ".join(reason_text.split())[:1000] or None
    if option in tally.NEEDS_REASON and reason is None and not is_choice(poll):
        raise UserError(f"Please say why you {option}: `vote {poll.id} {option} <reason>`.")
    advisory = ctx.role not in VOTING_ROLES
    earlier = ctx.uow.votes.of(poll.id, ctx.user)
    if earlier and earlier.cast_at > ctx.now:
        raise UserError(
            f"Your vote on poll {poll.id} ({option}) was cast {when(ctx.now, ctx.tz)} and reached the bot "
            f"after your later one ({earlier.option}), which stands."
        )
    ctx.uow.votes.cast(poll.id, ctx.user, option, reason, advisory, ctx.now)
    if poll.status != "open":
        text = (
            f"Your vote on poll {poll.id} ({option}) was cast before it closed, so it counts: "
            "the tally posted at the close is kept and an amended one is posted."
        )
        return reply(text, private=True) + event_time.amend_tally(
            ctx, poll, earlier, option, reason, advisory
        )
    if advisory:
        text = f"Your view on poll {poll.id} ({option}) is recorded as advisory; only members' votes are counted."
    elif earlier and not earlier.advisory:
        text = f"Your vote on poll {poll.id} is now {option} (it was {earlier.option})."
    else:
        text = f"Your vote on poll {poll.id} is {option}."
    if poll.anonymous:
        text += " The poll is anonymous: only the facilitator sees who voted what."
    return reply(text, private=True)


@command("poll show")
def show_poll(ctx: Context, args: Args):
    """Show a poll: its options and your vote; who has not voted yet (to the facilitator); its tally once closed.

    poll show <id>
    """
    poll = _poll(ctx, args.words[0])
    names = privacy.sees_voters(ctx, poll)
    text = "\n".join([render(ctx.uow, ctx.group, poll, ctx.tz, names), *_for_the_asker(ctx, poll)])
    return reply(
        text,
        private=True,
        data={"actions": buttons(poll) if poll.status == "open" else []}
        | layout(ctx.uow, ctx.group, poll, names=names),
    )


def _for_the_asker(ctx: Context, poll) -> list[str]:
    """What `poll show` adds for its reader: who may still vote, for the facilitator; their
    own vote, for one who votes or gives a view; nothing once closed (the tally says it)."""
    lines = []
    if poll.status != "open":
        return lines
    if ctx.is_facilitator:
        voted = ctx.uow.votes.voters(poll.id)
        waiting = sorted(
            m.handle
            for m in ctx.uow.members.all(ctx.group.id)
            if m.role in VOTING_ROLES and m.handle not in voted
        )
        lines.append(
            "Not voted yet: " + ", ".join(mention(h) for h in waiting) + "."
            if waiting
            else "Every member has voted."
        )
    mine = ctx.uow.votes.of(poll.id, ctx.user) if ctx.role not in NEUTRAL_ROLES else None
    if mine is not None:
        kind = "view (advisory)" if mine.advisory else "vote"
        reason = f": {mine.reason}" if mine.reason else ""
        lines.append(f"Your {kind}: {mine.option}{reason}.")
    elif ctx.role in VOTING_ROLES:
        lines.append(f"You have not voted yet: `vote {poll.id} <option> [reason]`.")
    return lines


@command("polls")
def list_polls(ctx: Context, args: Args):
    """List the group's polls, open ones first.

    polls
    """
    group = ctx.require_group()
    found = ctx.uow.polls.all(group.id)
    if not found:
        return reply("No polls yet.", private=True)
    mine = ctx.user
    lines = []
    for poll in sorted(found, key=lambda p: (p.status != "open", -p.id)):
        if poll.status == "open":
            voted = mine in ctx.uow.votes.voters(poll.id)
            state = f"open until {when(poll.closes_at, ctx.tz)}" + (
                "" if voted or ctx.role not in VOTING_ROLES else ", you have not voted"
            )
        else:
            state = f"closed, {decision_words(poll, poll.outcome) if poll.outcome else 'outcome not declared yet'}"
        lines.append(f"  {poll.id}. {poll.question} ({state})")
    return reply("Polls:\n" + "\n".join(lines), private=True)


@command("poll close", facilitator_only=True)
def close_early(ctx: Context, args: Args):
    """Close a poll before its deadline and post the tally.

    poll close <id>
    """
    poll = _poll(ctx, args.words[0])
    if poll.status != "open":
        raise UserError(f"Poll {poll.id} is closed already.")
    closed = close(ctx.uow, ctx.group, poll, ctx.now, by=ctx.user)
    return reply(f"Closed poll {poll.id}.", private=True) + closed


@command("poll reopen", facilitator_only=True)
def reopen(ctx: Context, args: Args):
    """Reopen a closed poll whose outcome is not declared.

    poll reopen <id> [closes=<duration or date>]
    """
    poll = _poll(ctx, args.words[0])
    if poll.status == "open":
        raise UserError(f"Poll {poll.id} is open already.")
    if poll.outcome:
        raise UserError(f"The outcome of poll {poll.id} is declared; open a new poll instead.")
    poll.status = "open"
    poll.closed_at = None
    poll.closes_at = read_closes(args.options.get("closes", "2d"), ctx)
    ctx.uow.polls.save(poll)
    audit.record(ctx, "poll reopen", f"poll {poll.id}", f"until {when(poll.closes_at)}")
    return reply(f"Reopened poll {poll.id} until {when(poll.closes_at)}.")


@command("poll rules", facilitator_only=True)
def set_rules(ctx: Context, args: Args):
    """Show or set what the tally calls consensus: quorum, blocks allowed, disagreement share.

    poll rules [quorum=<percent>] [blocks=<n>] [disagree=<percent>]

    Example: poll rules quorum=60% disagree=25%
    """
    group = ctx.require_group()
    chosen = dict((group.settings or {}).get("consensus", {}))
    before = tally.rules_of(group)
    for key, value in args.options.items():
        amount = record_number(value.strip().rstrip("%"))
        if amount is None and re.fullmatch(r"-\d{1,9}%?", value.strip()):
            raise UserError(f"`{key}={value[:20]}` must be 0 or more.")
        if amount is None:
            raise UserError(
                f"`{key}={value[:20]}` should be a number{'' if key == 'blocks' else ' of percent'}."
            )
        if key == "blocks":
            chosen[key] = amount
        elif 0 <= amount <= 100:
            chosen[key] = amount / 100
        else:
            raise UserError(f"`{key}={value[:20]}` should be a percentage from 0 to 100.")
    if args.options:
        group.settings = {**(group.settings or {}), "consensus": chosen}
        ctx.uow.groups.save(group)
        detail = f"{_rules_text(tally.rules_of(group))} (was {_rules_text(before)})"
        audit.record(ctx, "poll rules", group.name, detail)
    rules = tally.rules_of(group)
    return reply(
        f"The tally suggests consensus when at least {rules['quorum']:.0%} of the eligible members voted, "
        f"at most {plural(rules['blocks'], 'block')}, and disagreement at most {rules['disagree']:.0%} of the votes that took a side.",
        private=not args.options,
    )


def _rules_text(rules: dict) -> str:
    return (
        f"quorum {rules['quorum']:.0%}, blocks {rules['blocks']}, disagree {rules['disagree']:.0%}"
    )


def close(uow, group, poll, now: datetime, by: str = audit.BOT) -> list:
    """Close a poll, keep its tally as posted, and post it in the group's rooms (nothing if
    it was closed already, by the facilitator or by another instance's scheduler)."""
    if not uow.polls.close_if_open(poll, now):
        return []
    kept = freeze(uow, group, poll, now)
    uow.audit.record(group.id, now, by, "poll close", f"poll {poll.id}", tally.summary(kept))
    note = f"The facilitator declares the outcome: {declare_hint(poll)}."
    text = f"Poll {poll.id} is closed: {poll.question}\n{words(poll, kept)}\n{note}"
    data = {"ref": f"poll:{poll.id}"} | layout(uow, group, poll, note)
    return [
        Post(transport=r.transport, room=r.room, text=text, data=data)
        for r in uow.groups.main_rooms(group.id)
    ]


def _group_of_poll(uow, value: str) -> int | None:
    number = value.partition(":")[0]
    return uow.polls.group_of(n) if (n := record_number(number)) is not None else None


@action("poll.vote", group_of=_group_of_poll)
def vote_button(ctx: Context, value: str):
    number, _, option = value.partition(":")
    return cast(ctx, _poll(ctx, number), option, "")
