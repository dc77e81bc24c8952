"""Objections to an outreach announcement: by command, by a reply in its thread, or by a
reaction (the bot then asks privately for the reason). The facilitator is told of each."""

from __future__ import annotations

from handlers import capture, event_time, notify, outreach
from handlers.base import VOTING_ROLES, Args, Context, UserError, command, record_number, reply
from handlers.events import DirectMessage, mention
from handlers.recognise import objection as objection_reader
from handlers.timefmt import when

ADVISORY_ROLE = "observer"
ADVISORY = "advisory"


def raise_objection(ctx: Context, record, reason: str | None, source: str):
    """Record (or complete) the asker's objection to `record`.

    Returns the objection, the confirmation for the objector, and the messages telling the
    facilitators, for the caller to deliver in the way that fits where the objection came from.
    An observer's objection is advisory: heard and shown, but it opens no poll by itself.
    """
    if ctx.role in ("facilitator", "secretariat"):
        raise UserError(f"As {ctx.role} you stay neutral and do not object to outreach.")
    if ctx.me is None or ctx.me.role not in VOTING_ROLES + (ADVISORY_ROLE,):
        raise UserError("Only people on the group's roster object to outreach; see `roster`.")
    advisory = ctx.me.role == ADVISORY_ROLE
    if record.member == ctx.user:
        raise UserError(
            f"That is your own announcement; to drop it: `outreach withdraw {record.id}`."
        )
    # judged by when the objection was made: one made in time counts even when it is
    # processed after the window closed (a replay after a restart)
    late = record.status in ("cleared", "polling") and not _decided(ctx, record)
    if record.window_closes_at <= ctx.now or not (record.status == "announced" or late):
        raise UserError(
            f"The objection window of outreach {record.id} closed {when(record.window_closes_at, ctx.tz)}; "
            "ask the facilitator."
        )
    reason = " ".join((reason or "").split())[:1000] or None
    objection = ctx.uow.objections.get(record.id, ctx.user)
    if objection is None:
        objection = ctx.uow.objections.add(
            outreach_id=record.id,
            member=ctx.user,
            reason=reason,
            status=ADVISORY if advisory else "standing" if reason else "awaiting-reason",
            source=source,
            created_at=ctx.now,
        )
    else:
        objection.reason = reason or objection.reason
        objection.status = (
            ADVISORY if advisory else "standing" if objection.reason else "awaiting-reason"
        )
        ctx.uow.objections.save(objection)
    if advisory:
        given = (
            f": {objection.reason}"
            if objection.reason
            else f"; say why with `object {record.id} <reason>`"
        )
        text = (
            f"Recorded your advisory objection {objection.id} to outreach {record.id} ({record.event}){given}. "
            "As an observer you are heard: the facilitator and the group see it, but only members' "
            f"objections open a poll. To take it back: `withdraw {objection.id}`."
        )
    elif objection.reason:
        text = (
            f"Recorded your objection {objection.id} to outreach {record.id} ({record.event}): {objection.reason}. "
            f"To take it back: `withdraw {objection.id}`."
        )
    else:
        text = (
            f"Recorded your objection {objection.id} to outreach {record.id} ({record.event}); it awaits its reason: "
            f"`object {record.id} <reason>`."
        )
    told = notify.staff(ctx.uow, ctx.group, ctx.facilitators)
    kind = "Advisory objection (observer)" if advisory else "Objection"
    summary = f"{kind} {objection.id} by {mention(ctx.user)} to outreach {record.id} ({outreach.describe(record)} by {mention(record.member)}): {objection.reason or 'reason awaited'}."
    tell = [
        DirectMessage(transport=ctx.event.transport, user=h, text=summary)
        for h in told
        if h != ctx.user
    ]
    if late and record.status == "cleared" and not advisory:
        text += (
            " It was made before the window closed, so it counts although it reached the bot after."
        )
        tell += event_time.reopen_cleared(ctx, record, objection)
    return objection, text, tell


def _decided(ctx: Context, record) -> bool:
    """Whether a poll on the outreach has its outcome declared: the group has decided."""
    return any(p.outcome for p in ctx.uow.polls.all(record.group_id) if p.outreach_id == record.id)


@command("object")
def object_to(ctx: Context, args: Args):
    """Object to an outreach announcement, with your reason.

    object <outreach> [<reason...>]

    Example: object 4 the event is sponsored by a vendor whose product we assess
    """
    _, text, tell = raise_objection(ctx, outreach.find(ctx, args.words[0]), args.rest, "command")
    return reply(text, private=True) + tell


@command("withdraw")
def withdraw(ctx: Context, args: Args):
    """Take back one of your objections.

    withdraw <objection>
    """
    number = args.words[0].lstrip("#")
    objection = ctx.uow.objections.by_id(n) if (n := record_number(number)) is not None else None
    record = outreach.find(ctx, str(objection.outreach_id)) if objection else None
    if objection is None or record is None or objection.member != ctx.user:
        raise UserError(f"You have no objection {number[:10]}.")
    if objection.status == "withdrawn":
        raise UserError(f"Objection {objection.id} is withdrawn already.")
    objection.status = "withdrawn"
    ctx.uow.objections.save(objection)
    told = notify.staff(ctx.uow, ctx.group, ctx.facilitators)
    return reply(
        f"Withdrew your objection {objection.id} to outreach {record.id}.", private=True
    ) + [
        DirectMessage(
            transport=ctx.event.transport,
            user=h,
            text=f"{mention(ctx.user)} withdrew objection {objection.id} to outreach {record.id}.",
        )
        for h in told
        if h != ctx.user
    ]


def _record_for(ctx: Context, message_id: str | None):
    if not message_id:
        return None
    found = ctx.uow.posts.ref_for(ctx.event.transport, ctx.event.room, message_id)
    if not found or not found.startswith("outreach:"):
        return None
    return ctx.uow.outreach.get(ctx.group.id, int(found.split(":")[1]))


def on_thread_reply(ctx: Context):
    """An objection written in an announcement's thread; None when it is not one."""
    record = _record_for(ctx, ctx.event.thread)
    if record is None:
        return None
    reading = objection_reader.recognise(ctx.event.text)
    if reading is None:
        return None
    if reading.confidence == "ask":
        from handlers import asking

        if (
            ctx.me is None
            or record.member == ctx.user
            or ctx.role in ("facilitator", "secretariat")
        ):
            return None  # someone who could not object is not asked
        what = f"your objection to outreach {record.id} ({outreach.describe(record)})"
        return asking.ask(ctx, "objection", what, reason=reading.reason) or None
    objection, text, tell = raise_objection(ctx, record, reading.reason, "thread")
    capture.remember(ctx, f"objection:{objection.id}")
    return reply(text, in_thread=True) + tell


def object_in_thread(ctx: Context, reason: str | None):
    """Record the objection read from the thread reply of `ctx` (its author said yes)."""
    record = _record_for(ctx, ctx.event.thread)
    if record is None:
        raise UserError("That announcement is gone; to object, reply `object <id>` in the room.")
    objection, text, tell = raise_objection(ctx, record, reason, "thread")
    capture.remember(ctx, f"objection:{objection.id}")
    return reply(text, private=True) + tell


def on_reaction(ctx: Context):
    """The objection reaction on an announcement: object (asking for the reason), or undo."""
    if ctx.event.name != outreach.OBJECTION_REACTION:
        return None
    record = _record_for(ctx, ctx.event.target)
    if record is None:
        return None
    if ctx.event.added:
        objection, text, tell = raise_objection(ctx, record, None, "reaction")
        if not objection.reason:
            text = (
                f"You objected to outreach {record.id} ({record.event}) with a reaction. Why? "
                f"`object {record.id} <reason>`: the group weighs objections by their reasons."
            )
        return [DirectMessage(transport=ctx.event.transport, user=ctx.user, text=text)] + tell
    objection = ctx.uow.objections.get(record.id, ctx.user)
    if objection and objection.source == "reaction" and objection.status == "standing":
        # A reason makes it an argued objection: only `withdraw` takes it back.
        return reply(
            f"Your objection {objection.id} to outreach {record.id} stands: it has a reason. "
            f"To take it back: `withdraw {objection.id}`.",
            private=True,
        )
    if objection and objection.source == "reaction" and objection.status != "withdrawn":
        objection.status = "withdrawn"
        ctx.uow.objections.save(objection)
        return reply(
            f"Your objection {objection.id} to outreach {record.id} is withdrawn (reaction removed).",
            private=True,
        )
    return None
