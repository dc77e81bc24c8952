"""Emerging issues (terms of reference II.4): a member raises one, others support it, and
once members of two stakeholder groups back it, it is proposed for the next agenda."""

from __future__ import annotations

from handlers.base import VOTING_ROLES, Args, Context, UserError, command, record_number, reply
from handlers.timefmt import when

STAKEHOLDER_GROUPS_NEEDED = 2


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
        f"Support it with `support {issue.id}`; with members of {STAKEHOLDER_GROUPS_NEEDED} stakeholder "
        "groups behind it, it goes on the next agenda."
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
