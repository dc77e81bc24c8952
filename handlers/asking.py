"""Ask a message's author when capture is unsure whether the message is a notice.

Between a full pattern and nothing there is a middle: a looser cue with a date, an event or
an announcement's thread ("Please note my absence on the 8th", "count me as a no"). The bot then
asks the author alone (a private line: ephemeral on Slack, a direct message on Matrix) whether
to record it, with Yes and No buttons. Yes records it as if capture had been sure; No is kept,
so the bot never asks about that message again. A facilitator turns asking off for a group
with `capture asking off`.
"""

from __future__ import annotations

from dataclasses import replace

from handlers import audit
from handlers.base import Args, Context, UserError, action, button, command, record_number, reply
from handlers.events import Message
from handlers.timefmt import day


def asking_on(group) -> bool:
    """Whether capture asks the group's members when it is unsure (on unless turned off)."""
    return bool((group.settings or {}).get("capture", {}).get("ask", True))


def ask(ctx: Context, kind: str, what: str, prompt: str | None = None, **reading) -> list:
    """Ask the author privately whether their message is `what` ("your apology for Tue 8
    Dec"), or `prompt` when given (a whole question); an empty list when asking is off, the
    message cannot be named, or it was asked about before (a "no" is never asked again)."""
    event = ctx.event
    if not asking_on(ctx.group) or not event.message_id:
        return []
    if ctx.uow.capture_questions.for_message(event.transport, event.room, event.message_id):
        return []
    question = ctx.uow.capture_questions.ask(
        group_id=ctx.group.id,
        transport=event.transport,
        room=event.room,
        message_id=event.message_id,
        thread=event.thread,
        author=ctx.user,
        kind=kind,
        asked_at=ctx.now,
        **reading,
    )
    value = str(question.id)
    return reply(
        prompt or f"Shall I record this as {what}?",
        private=True,
        data={"actions": [button("Yes", "capture.yes", value), button("No", "capture.no", value)]},
    )


def describe_day(when, next_meeting: bool) -> str:
    return "the next meeting" if next_meeting or when is None else day(when)


def _group_of_question(uow, value: str) -> int | None:
    question = uow.capture_questions.get(n) if (n := record_number(value)) is not None else None
    return question.group_id if question else None


def _question(ctx: Context, value: str):
    question = ctx.uow.capture_questions.get(n) if (n := record_number(value)) is not None else None
    if question is None or question.author != ctx.user or question.group_id != ctx.group.id:
        raise UserError("That question was for someone else; write your own notice instead.")
    if question.status != "asked":
        raise UserError(f"You answered that question already ({question.status}).")
    return question


@action("capture.yes", group_of=_group_of_question)
def answer_yes(ctx: Context, value: str):
    question = _question(ctx, value)
    ctx.uow.capture_questions.answer(question, "yes", ctx.now)
    # record as if capture had been sure, from the message the question was about
    original = Message(
        transport=question.transport,
        room=question.room,
        user=ctx.user,
        key=ctx.event.key,
        at=ctx.event.at,
        message_id=question.message_id,
        thread=question.thread,
        text="",
    )
    asked = replace(ctx, event=original)
    if question.kind == "availability_other":
        from handlers import availability

        return availability.pass_on(asked, question.day, question.reason)
    if question.kind == "availability":
        from handlers import availability

        return availability.record_read(
            asked, None if question.next_meeting else question.day, question.reason
        )
    if question.kind == "outreach":
        from handlers import outreach

        return outreach.announce(asked, question.event, question.day, question.place, None, "chat")
    from handlers import objections

    return objections.object_in_thread(asked, question.reason)


@action("capture.no", group_of=_group_of_question)
def answer_no(ctx: Context, value: str):
    question = _question(ctx, value)
    ctx.uow.capture_questions.answer(question, "no", ctx.now)
    return reply(
        "Understood: I recorded nothing, and I won't ask about that message again.", private=True
    )


@command("capture asking", facilitator_only=True)
def set_asking(ctx: Context, args: Args):
    """Turn on or off asking members whether an unclear message was a notice.

    capture asking <on|off>

    Example: capture asking off
    """
    group = ctx.require_group()
    choice = " ".join(args.words).strip().lower()
    if choice not in ("on", "off"):
        raise UserError("Say `capture asking on` or `capture asking off`.")
    settings = dict(group.settings or {})
    settings["capture"] = {**settings.get("capture", {}), "ask": choice == "on"}
    group.settings = settings
    ctx.uow.groups.save(group)
    audit.record(ctx, "capture asking", group.name, choice)
    if choice == "on":
        return reply(
            f"When a message may be a notice, I will ask its author privately ({group.name})."
        )
    return reply(
        f"I will no longer ask about unclear messages in {group.name}; only clear notices are recorded."
    )
