"""Action items from the meetings' #action lines: listed, done, reassigned, given a due date;
each open one is reminded to its owner three days before the next meeting and on its due
date, and the next agenda opens by reviewing them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from handlers import audit, meetings
from handlers.base import Args, Context, UserError, command, record_number, reply
from handlers.events import DirectMessage, mention
from handlers.grammar import handle_of
from handlers.schedule import PRODUCERS, Deployment, Due
from handlers.timefmt import day, when

BEFORE_MEETING = timedelta(days=3)
DUE_HOUR = time(9, 0, tzinfo=UTC)  # a due date's reminder, in the morning in UTC
MAX_NOTE = 1000


def _item(ctx: Context, text: str):
    group = ctx.require_group()
    n = record_number(text)
    item = ctx.uow.actions.get(group.id, n) if n is not None else None
    if item is None:
        raise UserError(f"There is no action item {text[:10]} in {group.name}; see `actions all`.")
    return item


def _may_change(ctx: Context, item) -> None:
    if item.owner != ctx.user and not (ctx.is_facilitator or ctx.role == "co-moderator"):
        raise UserError(
            f"Action item {item.id} is {mention(item.owner)}'s; they, the facilitator or a "
            "co-moderator change it."
        )
    if item.status != "open":
        raise UserError(f"Action item {item.id} is {item.status} already.")


def overdue(item, on: date) -> bool:
    return item.status == "open" and item.due is not None and item.due < on


def line(item, on: date) -> str:
    due = f", due {day(item.due)}" if item.due else ""
    late = " — overdue" if overdue(item, on) else ""
    return f"{item.id}. {mention(item.owner)}: {item.text}{due}{late}"


@command("actions")
def list_actions(ctx: Context, args: Args):
    """List open action items: yours, someone's, or everyone's.

    actions [@person|mine|all]

    Example: actions @amina
    `actions` or `actions mine` shows yours, `actions all` everyone's (with who is behind).
    """
    group = ctx.require_group()
    whose = args.words[0] if args.words else "mine"
    today = ctx.now.date()
    items = ctx.uow.actions.of_group(group.id, "open")
    if whose.lower() == "mine":
        items, title = [i for i in items if i.owner == ctx.user], "Your open action items"
    elif whose.lower() == "all":
        title = f"Open action items of {group.name}"
    else:
        handle = handle_of(whose) or whose
        items, title = (
            [i for i in items if i.owner == handle],
            f"Open action items of {mention(handle)}",
        )
    if not items:
        return reply(f"{title}: none.", private=True)
    lines = [f"{title}:"] + [f"  {line(i, today)}" for i in items]
    behind: dict[str, int] = {}
    for i in items:
        if overdue(i, today):
            behind[i.owner] = behind.get(i.owner, 0) + 1
    if behind and whose.lower() == "all" and (ctx.is_facilitator or ctx.role == "co-moderator"):
        lines.append(
            "Behind: " + ", ".join(f"{mention(h)} ({n} overdue)" for h, n in sorted(behind.items()))
        )
    lines.append("Done? `action done <n> [note]`.")
    return reply("\n".join(lines), private=True)


@command("action done")
def done(ctx: Context, args: Args):
    """Mark an action item done, with a note if you like.

    action done <n> [<note...>]

    Example: action done 3 summary sent to the list
    """
    item = _item(ctx, args.words[0])
    _may_change(ctx, item)
    note = " ".join(args.rest.split()) or None
    if note and len(note) > MAX_NOTE:
        raise UserError(f"Keep the note under {MAX_NOTE} characters (this one has {len(note)}).")
    item.status, item.done_at, item.done_note = "done", ctx.now, note
    ctx.uow.actions.save(item)
    audit.record(ctx, "action done", f"action item {item.id}", note)
    return reply(f"Action item {item.id} is done: {item.text}")


@command("action reassign")
def reassign(ctx: Context, args: Args):
    """Give an open action item to someone else.

    action reassign <n> @person

    Example: action reassign 3 @bruno
    """
    item = _item(ctx, args.words[0])
    _may_change(ctx, item)
    handle = args.words[1]
    if ctx.uow.members.get(ctx.group.id, handle) is None and handle not in ctx.facilitators:
        raise UserError(
            f"{mention(handle)} is not on the roster of {ctx.group.name}; nothing changed."
        )
    if handle == item.owner:
        raise UserError(f"Action item {item.id} is {mention(handle)}'s already.")
    before = item.owner
    item.owner = handle
    ctx.uow.actions.save(item)
    audit.record(ctx, "action reassign", f"action item {item.id}", f"@{before} -> @{handle}")
    return reply(
        f"Action item {item.id} goes to {mention(handle)} now (was {mention(before)}): {item.text}"
    )


@command("action due")
def set_due(ctx: Context, args: Args):
    """Set or change an open action item's due date.

    action due <n> <date...>

    Example: action due 3 20 December
    """
    item = _item(ctx, args.words[0])
    _may_change(ctx, item)
    wanted = meetings.read_day(args.rest, ctx)
    if wanted < ctx.now.date():
        raise UserError(f"{day(wanted)} is in the past.")
    before = item.due
    item.due = wanted
    ctx.uow.actions.save(item)
    audit.record(ctx, "action due", f"action item {item.id}", f"{before} -> {wanted}")
    return reply(f"Action item {item.id} is due {day(wanted)}: {item.text}")


def agenda_lines(uow, group, meeting, tz: str) -> list[str]:
    """The next agenda's opening section: the open action items, the overdue ones marked."""
    items = [i for i in uow.actions.of_group(group.id, "open") if i.created_at < meeting.starts_at]
    if not items:
        return []
    on = meeting.starts_at.date()
    return ["Review of action items:"] + [f"  {line(i, on)}" for i in items]


# -- reminders -----------------------------------------------------------------------------------
def _moments(uow, item, next_meetings: dict[int, object]) -> list[tuple[str, datetime, datetime]]:
    """(key, when, valid until) of an open item's reminders."""
    found = []
    if item.due is not None:
        at = datetime.combine(item.due, DUE_HOUR)
        found.append((f"action:{item.id}:due:{item.due:%Y%m%d}", at, at + timedelta(days=1)))
    meeting = next_meetings.get(item.group_id)
    if meeting is not None:
        at = meeting.starts_at - BEFORE_MEETING
        if at > item.created_at:
            key = f"action:{item.id}:before:{meeting.id}:{meeting.starts_at:%Y%m%dT%H%MZ}"
            found.append((key, at, meeting.starts_at))
    return found


def _next_meetings(uow, items, now: datetime) -> dict[int, object]:
    found = {}
    for group_id in {i.group_id for i in items}:
        upcoming = uow.meetings.upcoming(group_id, now, limit=1)
        if upcoming:
            found[group_id] = upcoming[0]
    return found


class Reminders:
    def due(self, uow, now: datetime, deployment: Deployment) -> list[Due]:
        items = uow.actions.open_everywhere()
        following = _next_meetings(uow, items, now)
        pending = [
            (i, key, at, until)
            for i in items
            for key, at, until in _moments(uow, i, following)
            if at <= now
        ]
        known = uow.outbox.known([p[1] for p in pending])
        found = []
        for item, key, at, until in pending:
            if key in known:
                continue
            rooms = uow.groups.main_rooms(item.group_id)
            if not rooms:
                continue
            group = uow.groups.get(item.group_id)
            if ":due:" in key:
                lead = f"Your action item {item.id} in {group.name} is due today"
            else:
                meeting = following[item.group_id]
                lead = (
                    f"The next {group.name} meeting is {when(meeting.starts_at)}, and your action "
                    f"item {item.id} is still open"
                )
            text = f"{lead}: {item.text}\nDone? `action done {item.id} [note]`; another date: `action due {item.id} <date>`."
            skip = None if now < until else "its time is past"
            out = DirectMessage(transport=rooms[0].transport, user=item.owner, text=text)
            found.append(Due(key, at, out, item.group_id, skip))
        return found

    def next_after(self, uow, now: datetime) -> datetime | None:
        items = uow.actions.open_everywhere()
        following = _next_meetings(uow, items, now)
        times = [at for i in items for _, at, _ in _moments(uow, i, following) if at > now]
        return min(times, default=None)

    def stale(self, uow, key: str, group_id: int | None, now: datetime) -> str | None:
        """A reminder waiting for a retry is dropped once its item is no longer open."""
        parts = key.split(":")
        if parts[0] != "action" or len(parts) < 3 or not parts[1].isdigit() or group_id is None:
            return None
        item = uow.actions.get(group_id, int(parts[1]))
        if item is None or item.status != "open":
            return "its action item is no longer open"
        if parts[2] == "due" and (item.due is None or f"{item.due:%Y%m%d}" != parts[3]):
            return "its due date changed"
        return None


REMINDERS = Reminders()
PRODUCERS.append(REMINDERS)
