"""Availability notices: a member who cannot attend a meeting informs the secretariat
(terms of reference II.1), by command (`away`) or simply by saying so in chat."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers import asking, capture, meetings, notify
from handlers.base import Args, Context, UserError, action, button, command, record_number, reply
from handlers.events import mention
from handlers.recognise import absence
from handlers.timefmt import day, impossible_date, parse_day, too_far, when

_REASON_LEAD = ("because of ", "because ", "due to ", "as ", "- ", ": ", "— ", "reason: ")


def _on_roster(ctx: Context):
    group = ctx.require_group()
    if ctx.me is None:
        raise UserError(f"Only people on the roster of {group.name} send apologies; see `roster`.")
    return group


def _split_when(text: str, ctx: Context):
    """Split `away` words into (meeting date or None for the next meeting, reason)."""
    words = text.split()
    if not words:
        return None, None
    if words[0].lower() == "next":
        rest = words[1:]
        if rest and rest[0].lower() in ("meeting", "call", "session"):
            rest = rest[1:]
        return None, _reason(" ".join(rest))
    if impossible := impossible_date(text):  # not "the 31st, because November"
        raise UserError(impossible)
    for size in range(min(4, len(words)), 0, -1):
        found = parse_day(" ".join(words[:size]), ctx.now, ctx.tz)
        if found is not None:
            if far := too_far(found, ctx.now):
                raise UserError(far)
            return found, _reason(" ".join(words[size:]))
    return None, _reason(text)


def _reason(text: str) -> str | None:
    text = text.strip()
    lead = next((lead for lead in _REASON_LEAD if text.lower().startswith(lead)), "")
    return text[len(lead) :].strip()[:500] or None


def meeting_for(ctx: Context, group, wanted):
    """The meeting a notice is for: the next one when `wanted` is None, else that day's."""
    if wanted is None:
        found = meetings.next_meeting(ctx.uow, group, ctx.now)
        if found is None:
            raise UserError(
                f"{group.name} has no meeting scheduled yet, so there is nothing to send apologies for."
            )
        return found
    meeting = meetings.bind(ctx.uow, group, wanted, ctx.tz, ctx.now)
    if meeting.starts_at + timedelta(minutes=meeting.duration_minutes) <= ctx.now:
        raise UserError(f"The meeting of {when(meeting.starts_at, ctx.tz)} has ended.")
    if meeting.starts_at <= ctx.now:
        raise UserError(f"The meeting of {when(meeting.starts_at, ctx.tz)} has already started.")
    return meeting


def record(ctx: Context, meeting, reason: str | None, source: str, in_thread: bool = False):
    """Record the notice, confirm it with a way to undo, and tell the secretariat (once: an
    unchanged repeat is acknowledged and tells no one)."""
    earlier = ctx.uow.apologies.get(meeting.id, ctx.user)
    if earlier is not None and reason in (None, earlier.reason):
        return _repeated(ctx, meeting, earlier, in_thread)
    apology = ctx.uow.apologies.record(meeting.id, ctx.user, reason, source, ctx.now)
    if source == "chat":
        capture.remember(ctx, f"apology:{apology.id}")
    shown = f" ({apology.reason})" if apology.reason else ""
    local = meetings.local_day(meeting, ctx.tz)
    tz = "UTC" if in_thread else ctx.tz  # a reply in a thread is read by the whole room
    text = (
        f"Noted: you will miss the {ctx.group.name} meeting of {when(meeting.starts_at, tz)}{shown}. "
        f"The secretariat has been told. To undo: `back {local.isoformat()}`."
    )
    confirmation = reply(
        text,
        data={"actions": [button("Undo", "availability.undo", str(apology.id))]},
        in_thread=in_thread,
        private=not in_thread,
    )
    name = ctx.me.name if ctx.me else ctx.user
    notice = f"Apologies from {name} ({mention(ctx.user)}) for the {ctx.group.name} meeting of {when(meeting.starts_at)}"
    if earlier is not None:  # a new reason for apologies already sent
        notice = f"{name} ({mention(ctx.user)}) gives a new reason for missing the {ctx.group.name} meeting of {when(meeting.starts_at)}"
    notice += f": {apology.reason}" if apology.reason else "."
    return confirmation + notify.secretariat(ctx, notice, exclude=ctx.user)


def _repeated(ctx: Context, meeting, apology, in_thread: bool):
    """Acknowledge apologies sent already, without telling the secretariat again."""
    shown = f" (reason: {apology.reason})" if apology.reason else ""
    local = meetings.local_day(meeting, ctx.tz)
    tz = "UTC" if in_thread else ctx.tz
    return reply(
        f"You had already sent apologies for the meeting of {when(meeting.starts_at, tz)}; "
        f"the secretariat knows{shown}. To undo: `back {local.isoformat()}`.",
        data={"actions": [button("Undo", "availability.undo", str(apology.id))]},
        in_thread=in_thread,
        private=not in_thread,
    )


@command("away")
def send_apologies(ctx: Context, args: Args):
    """Tell the secretariat you will miss a meeting (the next one unless you give a date).

    away [<when and reason...>]

    Example: away 9 December travelling to the IGF
    Also: `away next because of a clash`. Saying it in chat works too: "apologies, I can't make the 9 December call".
    """
    group = _on_roster(ctx)
    wanted, reason = _split_when(args.rest, ctx)
    return record(ctx, meeting_for(ctx, group, wanted), reason, "command")


@command("back")
def withdraw_apologies(ctx: Context, args: Args):
    """Withdraw your apologies for a meeting (the next one unless you give a date).

    back [<when...>]

    Example: back 9 December
    """
    group = _on_roster(ctx)
    text = args.rest.strip()
    wanted = None if text.lower() in ("", "next", "next meeting") else meetings.read_day(text, ctx)
    meeting = meeting_for(ctx, group, wanted)
    apology = ctx.uow.apologies.get(meeting.id, ctx.user)
    if apology is None:
        raise UserError(
            f"You had sent no apologies for the meeting of {when(meeting.starts_at, ctx.tz)}."
        )
    return withdraw(ctx, meeting, apology)


def check_withdrawable(ctx: Context, meeting, apology) -> None:
    """Refuse to withdraw a notice once its meeting has started: it excused an absence."""
    if apology.withdrawn_at is not None:
        raise UserError(
            f"Your apologies for the meeting of {when(meeting.starts_at, ctx.tz)} are "
            "withdrawn already."
        )
    if meeting.starts_at <= ctx.now:
        raise UserError(
            f"The meeting of {when(meeting.starts_at, ctx.tz)} has already started; your "
            "apologies for it stay on the record."
        )


def withdraw(ctx: Context, meeting, apology):
    """Withdraw `apology` (it stays on the record, marked withdrawn), confirm it privately
    and tell the secretariat."""
    check_withdrawable(ctx, meeting, apology)
    ctx.uow.apologies.withdraw(apology, ctx.now)
    name = ctx.me.name if ctx.me else ctx.user
    return reply(
        f"Withdrawn: you are expected at the meeting of {when(meeting.starts_at, ctx.tz)} after all.",
        private=True,
    ) + notify.secretariat(
        ctx,
        f"{name} ({mention(ctx.user)}) withdrew their apologies for the meeting of {when(meeting.starts_at)}.",
        exclude=ctx.user,
    )


def _group_of_apology(uow, value: str) -> int | None:
    apology = uow.apologies.by_id(n) if (n := record_number(value)) is not None else None
    return uow.meetings.group_of(apology.meeting_id) if apology else None


@action("availability.undo", group_of=_group_of_apology)
def undo_apologies(ctx: Context, value: str):
    group = _on_roster(ctx)
    apology = ctx.uow.apologies.by_id(n) if (n := record_number(value)) is not None else None
    meeting = ctx.uow.meetings.get(group.id, apology.meeting_id) if apology else None
    if meeting is None or apology.handle != ctx.user:
        raise UserError("There is no apology of yours to undo there (it may be withdrawn already).")
    # The button names this very notice: once withdrawn, it never acts on a newer one.
    return withdraw(ctx, meeting, apology)


def on_message(ctx: Context):
    """Capture a notice said in chat; None when the message is no notice."""
    if ctx.me is None:
        return None  # someone who cannot send apologies costs no reading
    reading = absence.recognise(ctx.event.text, ctx.now, ctx.tz)
    if reading is None:
        return None
    if reading.confidence == "ask":
        return _ask(ctx, reading)
    if reading.ambiguous:
        return reply(
            "That sounds like apologies, but I can't tell which date you mean. "
            "To send them, write `away <date>`, e.g. `away 9 December`.",
            in_thread=True,
        )
    if reading.period is not None:
        # "I won't be at the call next week": the meeting held in those days
        first, last = reading.period
        meeting = _meeting_within(ctx, ctx.group, first, last)
        if meeting is None:
            return reply(
                f"That sounds like apologies for {day(first)} to {day(last)}, but I recorded "
                f"nothing: {ctx.group.name} has no meeting still to come on those days.",
                in_thread=True,
            )
        return record(ctx, meeting, reading.reason, "chat", in_thread=True)
    wanted = None if reading.next_meeting else reading.when
    try:
        meeting = meeting_for(ctx, ctx.group, wanted)
    except UserError as error:
        shown = f" for {day(wanted)}" if wanted else ""
        return reply(
            f"That sounds like apologies{shown}, but I recorded nothing. {error}", in_thread=True
        )
    return record(ctx, meeting, reading.reason, "chat", in_thread=True)


def _ask(ctx: Context, reading):
    """Ask the writer whether their unclear message was apologies (only for a meeting there
    is); None when nothing is asked, so other captures may read the message.

    An absence over days ("OOO Dec 7-11") is asked about for the first meeting inside it.
    Apologies passed on for someone named ("Ana sends her apologies") are never filed: no one
    records apologies for another member, so the writer is asked whether to tell the
    secretariat instead."""
    if reading.period is not None:
        meeting = _meeting_within(ctx, ctx.group, *reading.period)
    else:
        wanted = None if reading.next_meeting else reading.when
        try:
            meeting = meeting_for(ctx, ctx.group, wanted)
        except UserError:
            meeting = None
    if meeting is None:
        return None
    local = meetings.local_day(meeting, ctx.tz)
    what = f"your apologies for the {ctx.group.name} meeting of {when(meeting.starts_at, ctx.tz)}"
    kind, reason, prompt = "availability", reading.reason, None
    if reading.on_behalf:
        name = reading.on_behalf
        kind, reason = PASSED_ON, name
        prompt = (
            f"Shall I tell the secretariat that {name} sends apologies for the "
            f"{ctx.group.name} meeting of {when(meeting.starts_at, ctx.tz)}? Nothing is "
            f"recorded in {name}'s name: only they can send them, with `away`."
        )
    # the meeting asked about: its day when a period or a name found it, else as read
    exact = reading.period is not None or reading.on_behalf is not None
    asked = asking.ask(
        ctx,
        kind,
        what,
        prompt,
        day=local if exact else reading.when,
        next_meeting=False if exact else reading.next_meeting,
        reason=reason,
    )
    return asked or None


# a question's kind: apologies the writer passes on for someone they name
PASSED_ON = "availability_other"


def _meeting_within(ctx: Context, group, first, last):
    """The first scheduled meeting, not yet started, on a day from `first` to `last` (dates in
    the writer's zone); None when there is none."""
    zone = ZoneInfo(ctx.tz)
    lo = max(ctx.now, datetime.combine(first, time.min, zone))
    hi = datetime.combine(last + timedelta(days=1), time.min, zone)
    found = [m for m in ctx.uow.meetings.between(group.id, lo, hi) if m.status == "scheduled"]
    return found[0] if found else None


def pass_on(ctx: Context, wanted, name: str):
    """Tell the secretariat that the writer passes on `name`'s apologies for the meeting of
    `wanted` (nothing is recorded in anyone's name), confirmed to the writer privately."""
    meeting = meeting_for(ctx, ctx.require_group(), wanted)
    writer = ctx.me.name if ctx.me else ctx.user
    notice = (
        f"{writer} ({mention(ctx.user)}) passes on apologies from {name} for the "
        f"{ctx.group.name} meeting of {when(meeting.starts_at)}. Nothing is recorded in "
        f"{name}'s name: they can send them with `away`."
    )
    done = reply(
        f"I told the secretariat that {name} sends apologies for the meeting of "
        f"{when(meeting.starts_at, ctx.tz)}.",
        private=True,
    )
    return done + notify.secretariat(ctx, notice, exclude=ctx.user)


def record_read(ctx: Context, wanted, reason: str | None):
    """Record apologies read from the message of `ctx` for the meeting of `wanted` (the next
    one when None), confirmed to the writer privately."""
    meeting = meeting_for(ctx, ctx.require_group(), wanted)
    return record(ctx, meeting, reason, "chat")
