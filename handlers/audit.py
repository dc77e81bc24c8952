"""The audit log: every change to the group's state, by whom, when and why, kept for ever and
read by the facilitator (terms of reference: work that is open and transparent)."""

from __future__ import annotations

from handlers.base import Args, Context, UserError, command, record_number, reply
from handlers.events import mention
from handlers.timefmt import when
from handlers.wording import plural

# Who acts when the scheduler does something by itself (a deadline, a window closing), and
# when someone runs pnbot on the command line (a roster file imported).
BOT = "pnbot"
OPERATOR = "operator"
ACTORS = {BOT: "pnbot (on schedule)", OPERATOR: "the operator (command line)"}
DEFAULT_COUNT = 20
MAX_COUNT = 500


def record(
    ctx: Context, action: str, subject: str, detail: str | None = None, reason: str | None = None
) -> None:
    """Log what the person behind `ctx` just changed in their group."""
    ctx.uow.audit.record(ctx.group.id, ctx.now, ctx.user, action, subject, detail, reason)


def read_reason(text: str) -> str | None:
    """An optional reason as typed after a command: one line, at most 500 characters."""
    reason = " ".join(text.split())
    if len(reason) > 500:
        raise UserError(f"Keep the reason under 500 characters (this one has {len(reason)}).")
    return reason or None


def describe(entry, tz: str) -> str:
    who = ACTORS[entry.actor] if entry.actor in ACTORS else mention(entry.actor)
    text = f"{when(entry.at, tz)}: {who} {entry.action}, {entry.subject}"
    if entry.detail:
        text += f": {entry.detail}"
    if entry.reason:
        text += f" (reason: {entry.reason})"
    return text


@command("audit", facilitator_only=True)
def show_audit(ctx: Context, args: Args):
    """Show the latest changes to the group's record: who changed what, when and why.

    audit [<count>]

    Example: audit 50
    Shows the last 20 changes unless told; the export holds them all.
    """
    group = ctx.require_group()
    count = record_number(args.words[0]) if args.words else DEFAULT_COUNT
    if count is None or not 1 <= count <= MAX_COUNT:
        raise UserError(f"Give how many changes to show, from 1 to {MAX_COUNT}: `audit 50`.")
    entries = ctx.uow.audit.latest(group.id, count)
    if not entries:
        return reply(f"Nothing has changed in {group.name}'s record yet.", private=True)
    total = ctx.uow.audit.count(group.id)
    lines = [f"Audit log of {group.name}, the last {len(entries)} of {plural(total, 'change')}:"]
    lines += [f"  {describe(e, ctx.tz)}" for e in entries]
    return reply("\n".join(lines), private=True)
