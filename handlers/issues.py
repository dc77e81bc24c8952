"""Emerging issues (terms of reference II.4): a member raises one, others support it, and
once members of two stakeholder groups back it, it is proposed for the next agenda."""

from __future__ import annotations

from dataclasses import replace

from handlers.base import VOTING_ROLES, Args, Context, UserError, command, record_number, reply
from handlers.timefmt import when

STAKEHOLDER_GROUPS_NEEDED = 2
# A thumbs-up on the message that raised an issue supports it; removing it takes that back.
SUPPORT_REACTIONS = frozenset({"+1", "thumbsup", "\U0001f44d"})


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
        f"Emerging issue #{issue.id} raised by @{ctx.user}: {text}\n"
        f"Support it with `support {issue.id}` or a :+1: reaction to this message; with members "
        f"of {STAKEHOLDER_GROUPS_NEEDED} stakeholder groups behind it, it goes on the next agenda.",
        data={"ref": f"issue:{issue.id}"},
    )


@command("issues")
def list_issues(ctx: Context, args: Args):
    """List the open and proposed emerging issues with their support.

    issues
    """
    group = ctx.require_group()
    found = [i for i in ctx.uow.issues.all(group.id) if i.status in ("open", "proposed")]
    if not found:
        return reply("No emerging issues are open. Raise one with `raise <text>`.", private=True)
    supporters = ctx.uow.issues.supporters(i.id for i in found)
    lines = ["Emerging issues:"]
    for issue in found:
        backers = supporters[issue.id]
        groups = _stakeholder_groups(ctx, group, backers)
        lines.append(
            f"  #{issue.id} [{issue.status}] {issue.text} (raised by @{issue.author}; "
            f"{len(backers)} supporter(s) from {len(groups)} stakeholder group(s))"
        )
    return reply("\n".join(lines), private=True)


@command("support")
def support_issue(ctx: Context, args: Args):
    """Support an emerging issue.

    support <id>

    Example: support 3
    """
    group = _member(ctx)
    number = args.words[0].lstrip("#")
    issue = ctx.uow.issues.get(group.id, n) if (n := record_number(number)) is not None else None
    if issue is None:
        raise UserError(f"There is no emerging issue #{number[:10]}; see `issues`.")
    return _support(ctx, group, issue)


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
    if event.added:  # answered to the reacting member alone: a reaction is a quiet gesture
        return [replace(out, private=True) for out in _support(ctx, group, issue)]
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
        f"You no longer support issue #{issue.id} ({len(backers)} supporters left).",
        private=True,
    )


def _support(ctx: Context, group, issue):
    if not ctx.uow.issues.support(issue.id, ctx.user, ctx.now):
        raise UserError(f"You support issue #{issue.id} already.")
    backers = ctx.uow.issues.supporters([issue.id])[issue.id]
    groups = _stakeholder_groups(ctx, group, backers)
    text = f"You support issue #{issue.id} ({len(backers)} supporters from {len(groups)} stakeholder group(s))."
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
            text += f"\nIssue #{issue.id} is backed by {', '.join(sorted(groups))} and proposed for the agenda of {when(meeting.starts_at, ctx.tz)}."
    return reply(text)


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
