"""Emerging issues (terms of reference II.4): a member raises one, others support it, and
once members of two stakeholder groups back it, it is proposed for the next agenda."""

from __future__ import annotations

from handlers import audit
from handlers.base import VOTING_ROLES, Args, Context, UserError, command, record_number, reply
from handlers.events import Post, mention
from handlers.timefmt import when
from handlers.wording import listing, plural

STAKEHOLDER_GROUPS_NEEDED = 2
# A thumbs-up on the message that raised an issue supports it; removing it takes that back.
SUPPORT_REACTIONS = frozenset({"+1", "thumbsup", "\U0001f44d"})
# What the facilitator may make of an issue, and the status it then has.
SETTLED = {"close": "closed", "defer": "deferred", "resolve": "resolved"}
LISTED = ("open", "proposed", "deferred")


def _member(ctx: Context):
    group = ctx.require_group()
    if ctx.me is None or ctx.me.role not in VOTING_ROLES:
        raise UserError("Only members raise and support emerging issues.")
    return group


@command("raise")
def raise_issue(ctx: Context, args: Args):
    """Bring an emerging issue to the group's attention.

    raise <text...>

    Example: raise New EU rules on AI audits affect our recommendations on transparency
    """
    group = _member(ctx)
    text = " ".join(args.rest.split())
    if len(text) > 500:
        raise UserError(f"Keep an issue under 500 characters (this one has {len(text)}).")
    issue = ctx.uow.issues.add(group.id, ctx.user, text, ctx.now)
    ctx.uow.issues.support(issue.id, ctx.user, ctx.now)
    return reply(
        f"Emerging issue #{issue.id} raised by {mention(ctx.user)}: {text}\n"
        f"Support it with `support {issue.id}` or a :+1: reaction to this message; with members "
        f"of {STAKEHOLDER_GROUPS_NEEDED} stakeholder groups behind it, it goes on the next agenda.",
        data={"ref": f"issue:{issue.id}"},
    )


@command("issues")
def list_issues(ctx: Context, args: Args):
    """List the open, proposed and deferred emerging issues with their support.

    issues
    """
    group = ctx.require_group()
    found = [i for i in ctx.uow.issues.all(group.id) if i.status in LISTED]
    if not found:
        return reply("No emerging issues are open. Raise one with `raise <text>`.", private=True)
    supporters = ctx.uow.issues.supporters(i.id for i in found)
    lines = ["Emerging issues:"]
    for issue in found:
        backers = supporters[issue.id]
        groups = _stakeholder_groups(ctx, group, backers)
        lines.append(
            f"  #{issue.id} [{issue.status}] {issue.text} (raised by {mention(issue.author)}; "
            f"{plural(len(backers), 'supporter')} from {plural(len(groups), 'stakeholder group')})"
        )
    return reply("\n".join(lines), private=True)


@command("support")
def support_issue(ctx: Context, args: Args):
    """Support an emerging issue.

    support <id>

    Example: support 3
    """
    group = _member(ctx)
    return _support(ctx, group, find(ctx, args.words[0]))


def find(ctx: Context, text: str):
    group = ctx.require_group()
    number = text.lstrip("#")
    issue = ctx.uow.issues.get(group.id, n) if (n := record_number(number)) is not None else None
    if issue is None:
        raise UserError(f"There is no emerging issue #{number[:10]}; see `issues`.")
    return issue


def on_reaction(ctx: Context):
    """A thumbs-up added to (support) or removed from (no longer) the message that raised an
    issue; None when the reaction is not one of those."""
    event = ctx.event
    if event.name not in SUPPORT_REACTIONS or not event.target:
        return None
    ref = ctx.uow.posts.ref_for(event.transport, event.room, event.target)
    if not ref or not ref.startswith("issue:"):
        return None
    group = _member(ctx)
    issue = ctx.uow.issues.get(group.id, int(ref.split(":")[1]))
    if issue is None:
        return None
    if event.added:
        return _support(ctx, group, issue)
    if issue.author == ctx.user:
        raise UserError(f"You raised issue #{issue.id}; your support stays with it.")
    if issue.status != "open":
        raise UserError(
            f"Issue #{issue.id} is already {issue.status}; removing the reaction changes nothing."
        )
    if not ctx.uow.issues.unsupport(issue.id, ctx.user):
        return None
    backers = ctx.uow.issues.supporters([issue.id])[issue.id]
    return reply(
        f"You no longer support issue #{issue.id} ({plural(len(backers), 'supporter')} left).",
        private=True,
    )


def _support(ctx: Context, group, issue):
    """Support `issue`, acknowledged to the supporter alone (by command or reaction alike);
    the room is told when the support puts it on the agenda."""
    if issue.status not in ("open", "proposed"):
        raise UserError(f"Issue #{issue.id} is {issue.status}; it takes no more support.")
    if not ctx.uow.issues.support(issue.id, ctx.user, ctx.now):
        raise UserError(f"You support issue #{issue.id} already.")
    backers = ctx.uow.issues.supporters([issue.id])[issue.id]
    groups = _stakeholder_groups(ctx, group, backers)
    text = (
        f"You support issue #{issue.id} ({plural(len(backers), 'supporter')} from "
        f"{plural(len(groups), 'stakeholder group')})."
    )
    notice = []
    if issue.status == "open" and len(groups) >= STAKEHOLDER_GROUPS_NEEDED:
        meeting = _first_open_agenda(ctx, group)
        if meeting is not None:
            ctx.uow.agendas.add(
                meeting.id,
                issue.author,
                f"Emerging issue #{issue.id}: {issue.text}",
                ctx.now,
                issue.id,
            )
            issue.status = "proposed"
            ctx.uow.issues.save(issue)
            text += f" It is now proposed for the agenda of {when(meeting.starts_at, ctx.tz)}."
            public = (
                f"Emerging issue #{issue.id} ({issue.text}), raised by {mention(issue.author)}, is backed "
                f"by members of {listing(sorted(groups))} and proposed for the agenda of "
                f"{when(meeting.starts_at)}."
            )
            notice = [
                Post(transport=r.transport, room=r.room, text=public)
                for r in ctx.uow.groups.main_rooms(group.id)
            ]
    return reply(text, private=True) + notice


def _stakeholder_groups(ctx: Context, group, handles) -> set[str]:
    found = set()
    for handle in handles:
        member = ctx.uow.members.get(group.id, handle)
        if member and member.role in VOTING_ROLES and member.stakeholder_group:
            found.add(member.stakeholder_group)
    return found


def _first_open_agenda(ctx: Context, group):
    """The next meeting whose agenda is still a draft."""
    for meeting in ctx.uow.meetings.upcoming(group.id, ctx.now, limit=3):
        if meeting.agenda_status != "approved":
            return meeting
    return None


def settle(ctx: Context, args: Args, how: str):
    issue = find(ctx, args.words[0])
    status = SETTLED[how]
    if issue.status in ("closed", "resolved"):
        raise UserError(f"Issue #{issue.id} is {issue.status} already.")
    if issue.status == status:
        raise UserError(f"Issue #{issue.id} is {status} already.")
    note = audit.read_reason(args.rest)
    earlier, issue.status = issue.status, status
    ctx.uow.issues.save(issue)
    audit.record(ctx, f"issue {how}", f"issue #{issue.id}", f"{earlier} -> {status}", note)
    text = f"Emerging issue #{issue.id} ({issue.text}) is {status} by the facilitator."
    if note:
        text += f" Note: {note}"
    return reply(text)


@command("issue close", facilitator_only=True)
def close_issue(ctx: Context, args: Args):
    """Close an emerging issue the group will not take up, saying why if you like.

    issue close <id> [<note...>]

    Example: issue close 3 outside the group's mandate
    """
    return settle(ctx, args, "close")


@command("issue defer", facilitator_only=True)
def defer_issue(ctx: Context, args: Args):
    """Defer an emerging issue to a later time; it stays listed in `issues`.

    issue defer <id> [<note...>]

    Example: issue defer 3 after the annual output is published
    """
    return settle(ctx, args, "defer")


@command("issue resolve", facilitator_only=True)
def resolve_issue(ctx: Context, args: Args):
    """Mark an emerging issue resolved, once the group has dealt with it.

    issue resolve <id> [<note...>]

    Example: issue resolve 3 discussed on 8 December; covered in the outline
    """
    return settle(ctx, args, "resolve")
