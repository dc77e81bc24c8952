"""The group's workplan (terms of reference I.1): milestones with a due date and an owner,
done, moved or dropped, each change kept with the milestone."""

from __future__ import annotations

from datetime import date, timedelta

from handlers import audit, meetings
from handlers.base import Args, Context, UserError, command, record_number, reply
from handlers.events import mention
from handlers.grammar import handle_of
from handlers.timefmt import day

KINDS = ("consultation", "output", "session", "other")
STATUSES = ("open", "done", "dropped")
MAX_TITLE = 200
MAX_NOTE = 500


def read_title(text: str) -> str:
    title = " ".join(text.split())
    if not title:
        raise UserError(
            'Name the milestone: `milestone add "Public consultation opens" due=1 March`.'
        )
    if len(title) > MAX_TITLE:
        raise UserError(
            f"Keep a milestone's title under {MAX_TITLE} characters (this one has {len(title)})."
        )
    return title


def read_note(text: str) -> str | None:
    note = " ".join(text.split())
    if len(note) > MAX_NOTE:
        raise UserError(f"Keep the note under {MAX_NOTE} characters (this one has {len(note)}).")
    return note or None


def read_kind(text: str | None) -> str:
    kind = (text or "other").strip().lower()
    if kind not in KINDS:
        raise UserError(f"`kind={kind[:30]}` should be one of {', '.join(KINDS)}.")
    return kind


def read_owner(ctx: Context, text: str | None) -> str | None:
    if text is None:
        return None
    handle = handle_of(text.strip())
    if handle is None:
        raise UserError(f"`owner={text[:40]}` should be a person: `owner=@amina`.")
    if ctx.uow.members.get(ctx.group.id, handle) is None and handle not in ctx.facilitators:
        raise UserError(f"{mention(handle)} is not on {ctx.group.name}'s roster; see `roster`.")
    return handle


def find(ctx: Context, text: str):
    group = ctx.require_group()
    n = record_number(text)
    milestone = ctx.uow.milestones.get(group.id, n) if n is not None else None
    if milestone is None:
        raise UserError(f"There is no milestone {text[:10]} in {group.name}; see `workplan`.")
    return milestone


def describe(m, today: date | None = None) -> str:
    """A milestone in one line: number, title, due date, owner, kind, and lateness."""
    owner = f", {mention(m.owner)}" if m.owner else ""
    text = f"#{m.id} {m.title} — due {day(m.due)}{owner} ({m.kind})"
    if m.status == "open" and today is not None and m.due < today:
        text += f", overdue by {(today - m.due).days} d"
    return text


def _keep(m, ctx: Context, action: str, note: str | None, **extra) -> None:
    entry = {"at": ctx.now.isoformat(), "by": ctx.user, "action": action, "note": note}
    m.history = [*m.history, entry | extra]
    ctx.uow.milestones.save(m)


def overdue(uow, group_id: int, before: date) -> list:
    """Open milestones due before `before` (a meeting's day): overdue by the meeting."""
    return uow.milestones.open_due_by(before - timedelta(days=1), group_id)


def overdue_lines(uow, group_id: int, before: date) -> list[str]:
    """The agenda's workplan section: open milestones due before `before` (the meeting's day)."""
    late = overdue(uow, group_id, before)
    if not late:
        return []
    return ["Workplan milestones overdue by the meeting:"] + [
        f"  {describe(m, before)}" for m in late
    ]


@command("milestone add", facilitator_only=True)
def add_milestone(ctx: Context, args: Args):
    """Add a milestone to the workplan.

    milestone add <title...> due=<date> [owner=@person] [kind=consultation|output|session|other]

    Example: milestone add "Public consultation on the draft" due=15 March owner=@amina kind=consultation
    The owner is reminded a week before and on the due date; open milestones past due go on the next agenda.
    """
    group = ctx.require_group()
    title = read_title(args.rest)
    due = meetings.read_day(args.options["due"], ctx)
    kind = read_kind(args.options.get("kind"))
    owner = read_owner(ctx, args.options.get("owner"))
    m = ctx.uow.milestones.add(
        group_id=group.id,
        title=title,
        kind=kind,
        due=due,
        owner=owner,
        created_by=ctx.user,
        created_at=ctx.now,
        history=[],
    )
    audit.record(ctx, "milestone add", f"milestone {m.id}", f"{title}, due {day(due)}")
    return reply(f"Added milestone {describe(m)} to the workplan.")


@command("milestone done")
def milestone_done(ctx: Context, args: Args):
    """Mark a milestone done (its owner or the facilitator), with a note if you like.

    milestone done <n> [<note...>]

    Example: milestone done 2 outline shared with the MAG
    """
    m = find(ctx, args.words[0])
    if m.owner != ctx.user and not ctx.is_facilitator:
        raise UserError(
            f"Only the milestone's owner or the facilitator marks milestone {m.id} done."
        )
    return _close(ctx, m, "done", read_note(args.rest))


@command("milestone drop", facilitator_only=True)
def milestone_drop(ctx: Context, args: Args):
    """Drop a milestone from the workplan, saying why (it stays in the record).

    milestone drop <n> [<note...>]

    Example: milestone drop 4 merged into the March consultation
    """
    m = find(ctx, args.words[0])
    return _close(ctx, m, "dropped", read_note(args.rest))


def _close(ctx: Context, m, status: str, note: str | None):
    if m.status != "open":
        raise UserError(f"Milestone {m.id} is {m.status} already.")
    m.status, m.closed_at = status, ctx.now
    _keep(m, ctx, status, note)
    audit.record(
        ctx,
        f"milestone {'done' if status == 'done' else 'drop'}",
        f"milestone {m.id}",
        m.title,
        note,
    )
    said = f" ({note})" if note else ""
    return reply(f"Milestone {m.id} ({m.title}) is {status}{said}.")


@command("milestone move", facilitator_only=True)
def milestone_move(ctx: Context, args: Args):
    """Move a milestone's due date, saying why if you like.

    milestone move <n> due=<date> [<note...>]

    Example: milestone move 3 due=30 April the MAG moved its meeting
    """
    m = find(ctx, args.words[0])
    if m.status != "open":
        raise UserError(f"Milestone {m.id} is {m.status}; only an open one moves.")
    due = meetings.read_day(args.options["due"], ctx)
    if due == m.due:
        raise UserError(f"Milestone {m.id} is due {day(due)} already.")
    note = read_note(args.rest)
    before = m.due
    m.due = due
    _keep(m, ctx, "moved", note, was=before.isoformat())
    audit.record(ctx, "milestone move", f"milestone {m.id}", f"{day(before)} → {day(due)}", note)
    return reply(f"Milestone {m.id} ({m.title}) is now due {day(due)} (was {day(before)}).")


@command("workplan")
def show_workplan(ctx: Context, args: Args):
    """Show the workplan: open milestones by date (overdue marked), then done and dropped ones.

    workplan
    """
    group = ctx.require_group()
    found = ctx.uow.milestones.all(group.id)
    if not found:
        return reply(
            f"{group.name}'s workplan is empty. The facilitator adds milestones with "
            '`milestone add "<title>" due=<date>`.',
            private=True,
        )
    today = ctx.now.date()
    lines = [f"Workplan of {group.name}:"]
    for status, heading in (("open", "Open"), ("done", "Done"), ("dropped", "Dropped")):
        these = [m for m in found if m.status == status]
        if these:
            lines.append(f"{heading}:")
            lines += [f"  {describe(m, today)}" for m in these]
    return reply("\n".join(lines), private=True)
