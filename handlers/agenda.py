"""Agendas (terms of reference III): items proposed by anyone on the roster, a draft the
facilitator approves, and the approved agenda posted before the meeting."""

from __future__ import annotations

import re
from datetime import timedelta

from handlers import audit, meetings, privacy, workplan
from handlers.base import Args, Context, UserError, action, button, command, record_number, reply
from handlers.events import mention
from handlers.timefmt import when

DEFAULT_TIMING = {"call": "10d", "draft": "7d", "post": "5d", "remind": "3d"}
TIMING_MEANING = {
    "call": "call for items in the room",
    "draft": "draft sent to the facilitator",
    "post": "approved agenda posted in the room",
    "remind": "reminder to the facilitator if still unapproved",
}
_OFFSET = re.compile(r"^(\d{1,2})([dh])$")


def offset(text: str) -> timedelta:
    m = _OFFSET.match(text.strip().lower())
    if not m:
        raise ValueError(text)
    n = int(m[1])
    return timedelta(days=n) if m[2] == "d" else timedelta(hours=n)


def timing(group) -> dict[str, timedelta]:
    """The group's agenda offsets before each meeting (its settings, else the defaults)."""
    chosen = {**DEFAULT_TIMING, **(group.settings or {}).get("agenda", {})}
    return {key: offset(value) for key, value in chosen.items()}


def _next(ctx: Context):
    group = ctx.require_group()
    meeting = meetings.next_meeting(ctx.uow, group, ctx.now)
    if meeting is None:
        raise UserError(
            f"{group.name} has no meeting scheduled; a facilitator sets one with `meeting schedule`."
        )
    return meeting


def render(uow, meeting, tz: str) -> str:
    items = uow.agendas.items(meeting.id)
    status = "approved" if meeting.agenda_status == "approved" else "draft"
    lines = [f"Agenda ({status}) for the meeting of {when(meeting.starts_at, tz)}:"]
    lines += _review(uow, meeting, tz)
    lines += [f"  {i.number}. {i.text} ({mention(i.author)})" for i in items] or [
        "  (no items yet: `agenda add <text>`)"
    ]
    # the workplan's overdue milestones are the group's business at its next meeting
    lines += workplan.overdue_lines(uow, meeting.group_id, meeting.starts_at.date())
    return "\n".join(lines)


def _review(uow, meeting, tz: str) -> list[str]:
    """The agenda's opening review: the previous minutes' approval and the open action items."""
    from handlers import actions, minutes_review

    group = uow.groups.get(meeting.group_id)
    found = [line for line in [minutes_review.agenda_line(uow, group, meeting, tz)] if line]
    return [f"  {line}" for line in found] + [
        f"  {line}" for line in actions.agenda_lines(uow, group, meeting, tz)
    ]


def layout(uow, group, meeting) -> dict:
    """The agenda as data, for transports that lay it out (Slack's Block Kit); the text
    stays the whole message for the others."""
    apologies = uow.apologies.for_meetings([meeting.id])
    names = {m.handle: m.name for m in uow.members.all(group.id)}
    return {
        "agenda": {
            "group": group.name,
            "starts_at": meeting.starts_at.isoformat(),
            "duration_minutes": meeting.duration_minutes,
            "call_link": meeting.call_link,
            "status": "approved" if meeting.agenda_status == "approved" else "draft",
            "items": [
                {"number": i.number, "text": i.text, "author": i.author}
                for i in uow.agendas.items(meeting.id)
            ],
            "apologies": [names.get(a.handle, a.handle) for a in apologies],
            "overdue": [
                {"number": m.id, "title": m.title, "due": m.due.isoformat(), "owner": m.owner}
                for m in workplan.overdue(uow, group.id, meeting.starts_at.date())
            ],
        }
    }


@command("agenda")
def show_agenda(ctx: Context, args: Args):
    """Show the next meeting's agenda (draft or approved).

    agenda
    """
    meeting = _next(ctx)
    if not privacy.sees_private_meeting(ctx, meeting):
        raise UserError(
            f"The meeting of {when(meeting.starts_at, ctx.tz)} is private: its agenda is for "
            "the group's members."
        )
    data = layout(ctx.uow, ctx.group, meeting)
    if privacy.is_outsider(ctx):
        # who will miss a meeting is told to the secretariat, not to the public
        data["agenda"]["apologies"] = []
    text = render(ctx.uow, meeting, ctx.tz)
    if meeting.private and meeting.call_link:  # posted nowhere else, so given here
        text += f"\nCall (members only): {meeting.call_link}"
    return reply(text, private=True, data=data)


@command("agenda add")
def add_item(ctx: Context, args: Args):
    """Propose an item for the next meeting's agenda.

    agenda add <text...>

    Example: agenda add Review the draft outline of the annual output
    """
    meeting = _next(ctx)
    if ctx.me is None and not ctx.is_facilitator:
        raise UserError("Only people on the roster propose agenda items; see `roster`.")
    if meeting.agenda_status == "approved" and not ctx.is_facilitator:
        raise UserError("The agenda is approved already; ask the facilitator to add your item.")
    text = " ".join(args.rest.split())
    if len(text) > 500:
        raise UserError(f"Keep an agenda item under 500 characters (this one has {len(text)}).")
    item = ctx.uow.agendas.add(meeting.id, ctx.user, text, ctx.now)
    return reply(
        # said in the room: in UTC, not in the author's zone
        f"Added item {item.number} to the agenda of {when(meeting.starts_at)}: {text}"
    )


@command("agenda remove")
def remove_item(ctx: Context, args: Args):
    """Take an item off the next meeting's agenda (its author or the facilitator), saying why if you like.

    agenda remove <number> [<reason...>]

    Example: agenda remove 2 covered by the December consultation
    """
    meeting = _next(ctx)
    number = args.words[0]
    item = ctx.uow.agendas.item(meeting.id, n) if (n := record_number(number)) is not None else None
    if item is None:
        raise UserError(f"There is no item {number[:10]} on the next agenda; see `agenda`.")
    if item.author != ctx.user and not ctx.is_facilitator:
        raise UserError(
            f"Item {item.number} was proposed by {mention(item.author)}; only they or the facilitator remove it."
        )
    if meeting.agenda_status == "approved" and not ctx.is_facilitator:
        raise UserError("The agenda is approved already; ask the facilitator.")
    reason = audit.read_reason(args.rest)
    ctx.uow.agendas.remove(item)
    audit.record(
        ctx, "agenda remove", f"item {item.number} of {when(meeting.starts_at)}", item.text, reason
    )
    why = f" Reason: {reason}" if reason else ""
    told = f"Removed item {item.number} ({item.text}) from the agenda.{why}"
    issue = ctx.uow.issues.get(ctx.group.id, item.issue_id) if item.issue_id else None
    if issue is not None and issue.status == "proposed":
        # open again with its support, so it is not stranded: say what may become of it
        issue.status = "open"
        ctx.uow.issues.save(issue)
        told += (
            f"\nEmerging issue #{issue.id} is open again, with its support. The facilitator "
            f"can put it on a later agenda (`agenda add`) or settle it: "
            f"`issue close|defer|resolve {issue.id} [note]`."
        )
    return reply(told)


@command("agenda approve", facilitator_only=True)
def approve(ctx: Context, args: Args):
    """Approve the next meeting's agenda; it is then posted in the room on schedule.

    agenda approve
    """
    return _approve(ctx, _next(ctx))


@action(
    "agenda.approve",
    group_of=lambda uow, value: (
        uow.meetings.group_of(n) if (n := record_number(value)) is not None else None
    ),
)
def approve_button(ctx: Context, value: str):
    if not ctx.is_facilitator:
        raise UserError("Only the facilitator approves the agenda.")
    group = ctx.require_group()
    meeting = ctx.uow.meetings.get(group.id, n) if (n := record_number(value)) is not None else None
    if meeting is None or meeting.status != "scheduled" or meeting.starts_at <= ctx.now:
        raise UserError("That meeting is no longer ahead; see `agenda`.")
    return _approve(ctx, meeting)


def _approve(ctx: Context, meeting):
    if meeting.agenda_status == "approved":
        raise UserError(f"The agenda of {when(meeting.starts_at, ctx.tz)} is approved already.")
    meeting.agenda_status = "approved"
    meeting.agenda_approved_at = ctx.now
    meeting.agenda_approved_by = ctx.user
    ctx.uow.meetings.save(meeting)
    audit.record(ctx, "agenda approve", f"agenda of {when(meeting.starts_at)}")
    post_at = max(meeting.starts_at - timing(ctx.group)["post"], ctx.now)
    moment = "now" if post_at <= ctx.now else when(post_at)
    return reply(
        f"Approved the agenda of {when(meeting.starts_at)}; it will be posted in the room {moment}."
    )


@command("agenda timing", facilitator_only=True)
def set_timing(ctx: Context, args: Args):
    """Show or set when the bot acts before each meeting (days `10d` or hours `36h`).

    agenda timing [call=<offset>] [draft=<offset>] [post=<offset>] [remind=<offset>]

    Example: agenda timing call=14d post=4d
    """
    group = ctx.require_group()
    chosen = dict((group.settings or {}).get("agenda", {}))
    for key, value in args.options.items():
        try:
            if not timedelta(hours=1) <= offset(value) <= timedelta(days=30):
                raise ValueError(value)
        except ValueError:
            raise UserError(
                f"`{key}={value[:20]}` should be days or hours before the meeting, like 10d or 36h (at most 30d)."
            ) from None
        chosen[key] = value.lower()
    if args.options:
        group.settings = {**(group.settings or {}), "agenda": chosen}
        ctx.uow.groups.save(group)
        changed = ", ".join(f"{key}={value}" for key, value in sorted(chosen.items()))
        audit.record(ctx, "agenda timing", group.name, changed)
    current = {**DEFAULT_TIMING, **chosen}
    lines = [f"Before each {group.name} meeting:"]
    lines += [f"  {key}={current[key]}: {TIMING_MEANING[key]}" for key in DEFAULT_TIMING]
    lines.append("  and reminders in the room 24 hours and 1 hour before.")
    return reply("\n".join(lines), private=not args.options)


def approve_button_for(meeting) -> dict:
    return button("Approve agenda", "agenda.approve", str(meeting.id))
