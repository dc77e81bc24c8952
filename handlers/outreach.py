"""Outreach: a member promotes the group's work at an outside event "upon informing the
group" (terms of reference II.3). The bot announces it, opens an objection window, and after
the event asks how it went, for the annual output's outreach report."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers import capture, polls
from handlers.base import (
    VOTING_ROLES,
    Args,
    Context,
    UserError,
    action,
    button,
    command,
    record_number,
    reply,
)
from handlers.events import DirectMessage, Post, mention
from handlers.recognise import outreach as outreach_reader
from handlers.schedule import PRODUCERS, Deployment, Due
from handlers.timefmt import day, parse_day, when

DEFAULT_WINDOW = timedelta(hours=72)
OBJECTION_REACTION = "no_entry"
_LINK = re.compile(r"https?://\S+")


# Less than this between the announcement and the event's day is no time to object.
MIN_WINDOW = timedelta(hours=24)


def window_of(group) -> timedelta:
    hours = (group.settings or {}).get("outreach", {}).get("window_hours", 72)
    return timedelta(hours=hours)


def window_closes(ctx: Context, group, event: str, when_day: date) -> datetime:
    """When objections to an event on `when_day` announced now close: after the group's
    window, or when the event's day begins if sooner; refused when the group would have less
    than a day to object."""
    begins = datetime.combine(when_day, time.min, ZoneInfo(ctx.tz))
    if begins - ctx.now < MIN_WINDOW:
        raise UserError(
            f"{event[:60]} is on {day(when_day)}: that leaves the group less than a day to object "
            "before it (objections close when the event's day begins). Announce outreach at "
            "least a day ahead; for a late invitation, ask the facilitator."
        )
    return min(ctx.now + window_of(group), begins)


def event_start(record, tz: str) -> datetime:
    """The start of the event's day in the member's zone: the window never runs past it."""
    return datetime.combine(record.date, time.min, ZoneInfo(tz))


def ref(record) -> str:
    return f"outreach:{record.id}"


def describe(record) -> str:
    place = f" in {record.place}" if record.place else ""
    link = f" ({record.link})" if record.link else ""
    return f"{record.event}{place} on {day(record.date)}{link}"


def announce(
    ctx: Context, event: str, when_day: date, place: str | None, link: str | None, source: str
):
    """Record an announcement, tell the group in its rooms and open the objection window."""
    group = ctx.require_group()
    if ctx.me is None or ctx.me.role not in VOTING_ROLES:
        raise UserError("Only members announce outreach for the group.")
    today = ctx.now.astimezone(ZoneInfo(ctx.tz)).date()
    if when_day < today:
        raise UserError(f"{day(when_day)} is in the past; outreach is announced before the event.")
    if not event or len(event) > 200:
        raise UserError("Name the event in under 200 characters.")
    closes = window_closes(ctx, group, event, when_day)
    record = ctx.uow.outreach.add(
        group_id=group.id,
        member=ctx.user,
        event=event,
        date=when_day,
        place=place,
        link=link,
        source=source,
        announced_at=ctx.now,
        window_closes_at=closes,
    )
    if ctx.event.message_id and source == "chat":
        ctx.uow.posts.remember(
            ctx.event.transport, ctx.event.room, ctx.event.message_id, ref(record)
        )
        capture.remember(ctx, ref(record))
    name = ctx.me.name
    text = (
        f"Outreach {record.id}: {name} ({mention(ctx.user)}) will present the group's work at {describe(record)}. "
        f"Objections until {when(closes)}: reply `I object: <reason>` in this thread, react with "
        f":{OBJECTION_REACTION}:, or type `object {record.id} <reason>`."
    )
    data = {"ref": ref(record)}
    posts = [
        Post(transport=r.transport, room=r.room, text=text, data=data)
        for r in ctx.uow.groups.main_rooms(group.id)
    ]
    confirmation = reply(
        f"Recorded outreach {record.id}: {describe(record)}. The group is informed; objections are open until "
        f"{when(closes, ctx.tz if source != 'chat' else 'UTC')}. To undo: `outreach withdraw {record.id}`.",
        data={"actions": [button("Undo", "outreach.withdraw", str(record.id))]},
        in_thread=source == "chat",
        private=source != "chat",
    )
    return confirmation + posts


def _split(text: str, ctx: Context):
    """Read `<event> on <date> [at <place>] [link]`."""
    link_match = _LINK.search(text)
    link = link_match.group(0) if link_match else None
    text = _LINK.sub("", text).strip()
    head, sep, tail = text.rpartition(" on ")
    if not sep:
        raise UserError(
            "Say when: `outreach <event> on <date> [at <place>] [link]`, e.g. `outreach RightsCon on 5 May at Taipei`."
        )
    date_text, _, place = tail.partition(" at ")
    if len(place) > 200 or len(link or "") > 500:
        raise UserError("Keep the place under 200 characters and the link under 500.")
    found = parse_day(date_text.strip(), ctx.now, ctx.tz)
    if found is None:
        raise UserError(
            f"`{date_text.strip()[:40]}` is not a date I can read. Try `5 May` or `2027-05-05`."
        )
    return head.strip(), found, place.strip() or None, link


@command("outreach")
def announce_outreach(ctx: Context, args: Args):
    """Inform the group that you will present its work at an outside event.

    outreach <event...> on <date> [at <place>] [link]

    Example: outreach RightsCon 2027 on 5 May at Taipei https://rightscon.org
    Saying it in chat works too: "I'll be presenting our work at RightsCon on 5 May".
    """
    event, when_day, place, link = _split(args.rest, ctx)
    return announce(ctx, event, when_day, place, link, "command")


@command("outreach list")
def list_outreach(ctx: Context, args: Args):
    """List coming and past outreach with its status.

    outreach list
    """
    group = ctx.require_group()
    records = ctx.uow.outreach.all(group.id)
    if not records:
        return reply("No outreach announced yet: `outreach <event> on <date>`.", private=True)
    today = ctx.now.astimezone(ZoneInfo(ctx.tz)).date()
    lines = []
    for label, chosen in (
        ("Coming", [r for r in records if r.date >= today]),
        ("Past", [r for r in records if r.date < today]),
    ):
        if chosen:
            lines.append(f"{label}:")
            for r in chosen:
                report = " — report in" if r.report else ""
                lines.append(f"  {r.id}. {mention(r.member)}: {describe(r)} [{r.status}]{report}")
    return reply("\n".join(lines), private=True)


@command("outreach withdraw")
def withdraw_outreach(ctx: Context, args: Args):
    """Withdraw your outreach announcement.

    outreach withdraw <id>
    """
    return _withdraw(ctx, args.words[0])


@action(
    "outreach.withdraw",
    group_of=lambda uow, value: (
        uow.outreach.group_of(n) if (n := record_number(value)) is not None else None
    ),
)
def withdraw_button(ctx: Context, value: str):
    return _withdraw(ctx, value)


def _withdraw(ctx: Context, number: str):
    record = find(ctx, number)
    if record.member != ctx.user and not ctx.is_facilitator:
        raise UserError(f"Outreach {record.id} is {mention(record.member)}'s to withdraw.")
    if record.status in ("withdrawn", "declined"):
        raise UserError(f"Outreach {record.id} is {record.status} already.")
    return withdraw_record(ctx, record)


def withdraw_record(ctx: Context, record):
    """Withdraw `record`, close its open polls, and say so in its threads."""
    record.status = "withdrawn"
    ctx.uow.outreach.save(record)
    closed = []
    for poll in ctx.uow.polls.open_for_outreach(record.id):  # nothing left to decide
        poll.status, poll.closed_at = "closed", ctx.now
        poll.outcome, poll.rationale = "withdrawn", "The outreach was withdrawn."
        poll.decided_by, poll.decided_at = ctx.user, ctx.now
        ctx.uow.polls.save(poll)
        polls.freeze(ctx.uow, ctx.uow.groups.get(record.group_id), poll, ctx.now)
        closed.append(poll.id)
    note = f" Poll {', '.join(map(str, closed))} is closed with it." if closed else ""
    ctx.uow.audit.record(
        record.group_id,
        ctx.now,
        ctx.user,
        "outreach withdraw",
        f"outreach {record.id}",
        note.strip() or None,
    )
    return reply(f"Withdrew outreach {record.id} ({record.event}).{note}") + thread_posts(
        ctx.uow, record, f"Outreach {record.id} was withdrawn by {mention(ctx.user)}.{note}"
    )


@command("report")
def report_outreach(ctx: Context, args: Args):
    """Say how your outreach went; it is kept for the group's annual output.

    report <id> <text...>

    Example: report 4 Full room, good questions on transparency; two new organisations want to join the consultation
    """
    record = find(ctx, args.words[0])
    if record.member != ctx.user:
        raise UserError(f"Outreach {record.id} is {mention(record.member)}'s; they report on it.")
    if record.status in ("declined", "withdrawn"):
        raise UserError(
            f"Outreach {record.id} ({record.event}) is {record.status}: there is no outreach to report on."
        )
    if record.date > ctx.now.astimezone(ZoneInfo(ctx.tz)).date():
        raise UserError(
            f"{record.event} is on {day(record.date)}; report on it once it has taken place."
        )
    record.report = " ".join(args.rest.split())[:2000]
    record.reported_at = ctx.now
    ctx.uow.outreach.save(record)
    return reply(f"Thank you; your report on {record.event} is kept with the record.", private=True)


def find(ctx: Context, number: str):
    group = ctx.require_group()
    number = number.lstrip("#")
    record = ctx.uow.outreach.get(group.id, n) if (n := record_number(number)) is not None else None
    if record is None:
        raise UserError(f"There is no outreach {number[:10]} in {group.name}; see `outreach list`.")
    return record


def thread_posts(uow, record, text: str) -> list:
    """Posts in the thread of the announcement, in each room where it was made (the bot's
    own announcement rather than the member's message, when both are there)."""
    latest = {(m.transport, m.room): m for m in uow.posts.messages(ref(record))}
    if not latest:
        # The announcement's message id was never recorded (the bot stopped between sending
        # it and noting it): say it in the group's main rooms rather than not at all.
        rooms = uow.groups.main_rooms(record.group_id)
        return [Post(transport=r.transport, room=r.room, text=text) for r in rooms]
    return [
        Post(transport=t, room=r, thread=m.message_id, text=text) for (t, r), m in latest.items()
    ]


def on_message(ctx: Context):
    """Capture an announcement said in chat; None when the message is none."""
    if ctx.me is None or ctx.me.role not in VOTING_ROLES:
        return None  # someone who cannot announce outreach costs no reading
    reading = outreach_reader.recognise(ctx.event.text, ctx.now, ctx.tz)
    if reading is None:
        return None
    if reading.confidence == "ask":
        from handlers import asking

        what = f"your outreach for the group at {reading.event} on {day(reading.when)}"
        asked = asking.ask(
            ctx, "outreach", what, day=reading.when, event=reading.event, place=reading.place
        )
        return asked or None
    missing = [
        part
        for part, value in (("the event", reading.event), ("the date", reading.when))
        if not value
    ]
    if reading.ambiguous or missing:
        what = " and ".join(missing) or "which date you mean"
        example = f"outreach {reading.event or '<event>'} on {day(reading.when) if reading.when else '<date>'}"
        return reply(
            f"That sounds like outreach for the group; tell me {what} to inform the group: `{example}`.",
            in_thread=True,
        )
    return announce(ctx, reading.event, reading.when, reading.place, None, "chat")


class ReportRequests:
    """The morning after an event (09:00 UTC), ask the member privately how it went; after
    a month without an answer, the question is not asked any more."""

    ASK_FOR = timedelta(days=30)

    @staticmethod
    def asked_at(record) -> datetime:
        return datetime.combine(record.date + timedelta(days=1), time(9), ZoneInfo("UTC"))

    def due(self, uow, now: datetime, deployment: Deployment) -> list[Due]:
        found = []
        for record in uow.outreach.cleared_between((now - self.ASK_FOR).date(), now.date()):
            at = self.asked_at(record)
            if at > now:
                continue
            for room in uow.groups.main_rooms(record.group_id):
                text = (
                    f"How did {record.event} go? A few lines for the group's outreach report: "
                    f"`report {record.id} <what happened, who you reached>`."
                )
                out = DirectMessage(transport=room.transport, user=record.member, text=text)
                found.append(
                    Due(f"outreach:{record.id}:report:{room.transport}", at, out, record.group_id)
                )
        known = uow.outbox.known([d.key for d in found])
        return [d for d in found if d.key not in known]

    def next_after(self, uow, now: datetime) -> datetime | None:
        coming = uow.outreach.cleared_between(
            (now - timedelta(days=1)).date(), (now + self.ASK_FOR).date()
        )
        return min((t for r in coming if (t := self.asked_at(r)) > now), default=None)


PRODUCERS.append(ReportRequests())
