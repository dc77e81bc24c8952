"""Time polls: candidate meeting times that each member sees in their own time zone (their
night flagged) and answers yes, if need be, or no; the tally shows who can attend per slot by
stakeholder group and region, and how many would meet at night."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers import audit, fairness, notify, polls, privacy, zones
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
from handlers.composition import REGIONS, STAKEHOLDER_GROUPS
from handlers.events import DirectMessage, Post, mention
from handlers.timefmt import when
from handlers.wording import plural

MAX_SLOTS = 8
MAX_SLOT_TEXT = 60
ANSWERS = {
    "yes": "yes",
    "y": "yes",
    "maybe": "maybe",
    "if-need-be": "maybe",
    "ifneedbe": "maybe",
    "no": "no",
    "n": "no",
}
SAID = {"yes": "yes", "maybe": "if need be", "no": "no"}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SLOT = re.compile(
    r"^(?P<day>mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}\.?\s+(?P<hour>\d{1,2})[:h.](?P<minute>\d{2})"
    r"(?:\s+(?P<zone>\S{1,40}))?$",
    re.IGNORECASE,
)
SLOT_EXAMPLE = '`slots="Tue 13:00 UTC, Wed 06:00 UTC, Thu 20:00 Europe/Paris"`'


def read_slot(text: str, after: datetime, default_zone: str) -> dict:
    """One slot as typed ("Tue 13:00 UTC") as the first such time after `after`, in UTC."""
    found = _SLOT.match(" ".join(text.split()))
    if not found:
        raise UserError(
            f"`{text[:MAX_SLOT_TEXT]}` is not a slot: a weekday, a time and a zone, like {SLOT_EXAMPLE}."
        )
    hour, minute = int(found["hour"]), int(found["minute"])
    if hour > 23 or minute > 59:
        raise UserError(f"`{found['hour']}:{found['minute']}` is not a time of day.")
    zone = default_zone
    if found["zone"]:
        zone = "UTC" if found["zone"].upper() in ("UTC", "GMT") else zones.check_zone(found["zone"])
    local = after.astimezone(ZoneInfo(zone))
    ahead = (WEEKDAYS.index(found["day"].lower()[:3]) - local.weekday()) % 7 or 7
    moment = datetime.combine(
        local.date() + timedelta(days=ahead), time(hour, minute), ZoneInfo(zone)
    )
    label = f"{found['day'][:3].capitalize()} {hour:02d}:{minute:02d} {zone}"
    return {"at": moment.astimezone(ZoneInfo("UTC")).isoformat(), "label": label}


def read_slots(text: str, after: datetime, default_zone: str) -> list[dict]:
    pieces = [p.strip() for p in text.split(",") if p.strip()]
    if not 2 <= len(pieces) <= MAX_SLOTS:
        raise UserError(f"Give 2 to {MAX_SLOTS} slots separated by commas: {SLOT_EXAMPLE}.")
    if any(len(p) > MAX_SLOT_TEXT for p in pieces):
        raise UserError(f"A slot is a weekday, a time and a zone, like {SLOT_EXAMPLE}.")
    slots = [read_slot(p, after, default_zone) for p in pieces]
    if len({s["at"] for s in slots}) != len(slots):
        raise UserError("Two slots are the same time; give each slot once.")
    return slots


def moment(slot: dict) -> datetime:
    return datetime.fromisoformat(slot["at"])


def local_line(n: int, slot: dict, zone: str | None) -> str:
    """A slot as one member reads it: as typed, and in their own zone with night flagged."""
    text = f"  {n}. {slot['label']}"
    if zone:
        local = moment(slot).astimezone(ZoneInfo(zone))
        text += f" — for you {local:%a %H:%M} ({zone})"
        if fairness.is_night(moment(slot), zone):
            text += ", at night"
    return text


def find(ctx: Context, text: str):
    group = ctx.require_group()
    n = record_number(text)
    poll = ctx.uow.timepolls.get(group.id, n) if n is not None else None
    if poll is None:
        raise UserError(
            f"There is no time poll {text[:10]} in {group.name}; see `timepoll show <n>`."
        )
    return poll


# Matrix shows at most ten buttons a message (its keycap reactions); more slots get fewer
# answers as buttons, and the command takes every answer.
MAX_BUTTONS = 10


def answer_buttons(poll) -> list[dict]:
    n = len(poll.slots)
    answers = (
        list(SAID) if 3 * n <= MAX_BUTTONS else ["yes", "no"] if 2 * n <= MAX_BUTTONS else ["yes"]
    )
    return [
        button(f"{slot} {SAID[a]}", "timepoll.answer", f"{poll.id}:{slot}:{a}")
        for slot in range(1, n + 1)
        for a in answers
    ]


def how_to_answer(poll) -> str:
    words = " ".join(["yes"] * len(poll.slots))
    return (
        f"Answer every slot in order: `timepoll answer {poll.id} {words}` (yes, maybe for "
        f"if need be, or no), or one slot: `timepoll answer {poll.id} 2=no`."
    )


@command("timepoll", facilitator_only=True)
def open_timepoll(ctx: Context, args: Args):
    """Ask the members which meeting times suit them; each sees the slots in their own time zone.

    timepoll <title...> slots=<list> [closes=<duration or date>]

    Example: timepoll "Our 2027 meeting time" slots="Tue 13:00 UTC, Wed 06:00 UTC, Thu 20:00 UTC" closes=7d
    A slot is a weekday, a time and a zone; night (22:00–07:00 in a member's zone) is flagged.
    """
    group = ctx.require_group()
    title = " ".join(args.rest.split())
    if len(title) > 200:
        raise UserError(f"Keep the title under 200 characters (this one has {len(title)}).")
    closes = polls.read_closes(args.options.get("closes"), ctx)
    slots = read_slots(args.options["slots"], closes, ctx.tz)
    poll = ctx.uow.timepolls.add(
        group_id=group.id,
        title=title,
        slots=slots,
        opened_by=ctx.user,
        opened_at=ctx.now,
        closes_at=closes,
        tally={},
    )
    audit.record(ctx, "timepoll open", f"time poll {poll.id}", title)
    rooms = ctx.uow.groups.main_rooms(group.id)
    overview = "\n".join(
        [f"Time poll {poll.id}: {title} (until {when(closes)})"]
        + [f"  {n}. {s['label']} ({when(moment(s))})" for n, s in enumerate(slots, 1)]
        + ["Each member gets the slots in their own time zone to answer."]
    )
    out = [Post(transport=r.transport, room=r.room, text=overview) for r in rooms]
    for m in ctx.uow.members.all(group.id):
        if m.role not in VOTING_ROLES:
            continue
        lines = [f"Time poll {poll.id} in {group.name}: {title}. Which times can you make?"]
        lines += [local_line(n, s, m.timezone) for n, s in enumerate(slots, 1)]
        if not m.timezone:
            lines.append("You have no time zone set, so times are in UTC; `tz <zone>` sets yours.")
        lines.append(how_to_answer(poll))
        lines.append(f"Open until {when(closes, m.timezone or 'UTC')}.")
        for r in rooms:
            out.append(
                DirectMessage(
                    transport=r.transport,
                    user=m.handle,
                    text="\n".join(lines),
                    data={"actions": answer_buttons(poll)},
                )
            )
    return reply(f"Opened time poll {poll.id}, closing {when(closes, ctx.tz)}.", private=True) + out


def read_answers(poll, words: list[str]) -> dict[int, str]:
    """{slot number: answer} from `yes maybe no` (every slot in order) or `2=no 3=yes`."""
    found: dict[int, str] = {}
    positional = [w for w in words if "=" not in w]
    if positional and len(positional) != len(words):
        raise UserError(how_to_answer(poll))
    if positional:
        if len(positional) != len(poll.slots):
            raise UserError(
                f"Time poll {poll.id} has {len(poll.slots)} slots; give one answer for each. "
                + how_to_answer(poll)
            )
        words = [f"{n}={w}" for n, w in enumerate(positional, 1)]
    for word in words:
        slot, _, said = word.partition("=")
        n = record_number(slot)
        if n is None or not 1 <= n <= len(poll.slots) or said.lower() not in ANSWERS:
            raise UserError(f"`{word[:30]}` is not an answer. " + how_to_answer(poll))
        found[n] = ANSWERS[said.lower()]
    return found


@command("timepoll answer")
def answer(ctx: Context, args: Args):
    """Answer a time poll: yes, maybe (if need be) or no for each slot; a new answer replaces the old.

    timepoll answer <poll> <answers...>

    Example: timepoll answer 1 yes maybe no
    """
    poll = find(ctx, args.words[0])
    return record(ctx, poll, read_answers(poll, args.rest.split()))


@action(
    "timepoll.answer",
    group_of=lambda uow, value: (
        uow.timepolls.group_of(n)
        if (n := record_number(value.split(":", 1)[0])) is not None
        else None
    ),
)
def answer_button(ctx: Context, value: str):
    poll_id, _, rest = value.partition(":")
    poll = find(ctx, poll_id)
    return record(ctx, poll, read_answers(poll, [rest.replace(":", "=", 1)]))


def record(ctx: Context, poll, answers: dict[int, str]):
    if poll.closed_at is not None or ctx.now >= poll.closes_at:
        raise UserError(f"Time poll {poll.id} is closed; answers are no longer taken.")
    if ctx.role not in VOTING_ROLES:
        raise UserError("Time polls are answered by the group's members.")
    for n, said in sorted(answers.items()):
        ctx.uow.timepolls.answer(poll.id, ctx.user, n, said, ctx.now)
    mine = {a.slot: a.answer for a in ctx.uow.timepolls.answers(poll.id) if a.member == ctx.user}
    shown = ", ".join(
        f"{n}. {s['label']}: {SAID[mine[n]] if n in mine else 'not answered'}"
        for n, s in enumerate(poll.slots, 1)
    )
    return reply(f"Your answers to time poll {poll.id}: {shown}.", private=True)


def compute(uow, group, poll) -> dict:
    """The tally as it stands: per slot the answers, who can attend (yes or if need be) by
    stakeholder group and region, and who would meet at night (members with a zone)."""
    members = [m for m in uow.members.all(group.id) if m.role in VOTING_ROLES]
    by_handle = {m.handle: m for m in members}
    answers = [a for a in uow.timepolls.answers(poll.id) if a.member in by_handle]
    slots = []
    for n, slot in enumerate(poll.slots, 1):
        said = {a.member: a.answer for a in answers if a.slot == n}
        attend = [by_handle[h] for h, a in said.items() if a in ("yes", "maybe")]
        night = sorted(
            m.handle for m in members if m.timezone and fairness.is_night(moment(slot), m.timezone)
        )
        slots.append(
            {
                "label": slot["label"],
                "at": slot["at"],
                "answers": {k: sum(1 for a in said.values() if a == k) for k in SAID},
                "attend_by_stakeholder_group": _spread(
                    attend, "stakeholder_group", STAKEHOLDER_GROUPS
                ),
                "attend_by_region": _spread(attend, "region", REGIONS),
                "night": night,
                "night_by_region": _spread([by_handle[h] for h in night], "region", REGIONS),
            }
        )
    return {
        "eligible": len(members),
        "answered": len({a.member for a in answers}),
        "no_zone": sorted(m.handle for m in members if not m.timezone),
        "slots": slots,
    }


def _spread(members, key: str, order: tuple[str, ...]) -> dict[str, int]:
    counts = Counter(getattr(m, key) or "none" for m in members)
    return {k: counts[k] for k in [*order, "none"] if counts[k]}


def words(tally: dict, names: bool) -> list[str]:
    """A tally in words; `names` (for the staff) says who would meet at night."""
    out = [f"{tally['answered']} of {tally['eligible']} members answered."]
    for n, s in enumerate(tally["slots"], 1):
        a = s["answers"]
        out.append(f"  {n}. {s['label']}: {a['yes']} yes, {a['maybe']} if need be, {a['no']} no.")
        groups = ", ".join(f"{k} {v}" for k, v in s["attend_by_stakeholder_group"].items())
        regions = ", ".join(f"{k} {v}" for k, v in s["attend_by_region"].items())
        out.append(f"     can attend by stakeholder group: {groups or 'none'}")
        out.append(f"     by region: {regions or 'none'}")
        if s["night"]:
            where = ", ".join(f"{k} {v}" for k, v in s["night_by_region"].items())
            who = ": " + ", ".join(mention(h) for h in s["night"]) if names else ""
            out.append(f"     at night for {len(s['night'])} ({where}){who}")
        else:
            out.append("     at night for no one")
    if tally["no_zone"]:
        missing = ": " + ", ".join(mention(h) for h in tally["no_zone"]) if names else ""
        out.append(
            f"No time zone set for {plural(len(tally['no_zone']), 'member')}{missing}; "
            "their night is not known."
        )
    return out


@command("timepoll show")
def show_timepoll(ctx: Context, args: Args):
    """Show a time poll's slots in your time zone and its tally (as kept, once closed).

    timepoll show <poll>
    """
    poll = find(ctx, args.words[0])
    group = ctx.group
    tally = poll.tally if poll.closed_at is not None else compute(ctx.uow, group, poll)
    state = (
        f"closed {when(poll.closed_at, ctx.tz)}"
        if poll.closed_at
        else f"open until {when(poll.closes_at, ctx.tz)}"
    )
    zone = ctx.me.timezone if ctx.me else ctx.own_zone
    lines = [f"Time poll {poll.id}: {poll.title} ({state})"]
    lines += [local_line(n, s, zone) for n, s in enumerate(poll.slots, 1)]
    lines += words(tally, privacy.is_staff(ctx))
    data = {"actions": answer_buttons(poll)} if poll.closed_at is None else {}
    return reply("\n".join(lines), private=True, data=data)


def close(uow, group, poll, now: datetime, deployment) -> list:
    """Keep the tally as it stands and post it; the staff get it with names."""
    poll.tally = compute(uow, group, poll)
    poll.closed_at = now
    uow.timepolls.save(poll)
    uow.audit.record(group.id, now, audit.BOT, "timepoll close", f"time poll {poll.id}", poll.title)
    head = f"Time poll {poll.id} closed: {poll.title}"
    out = [
        Post(transport=r.transport, room=r.room, text="\n".join([head, *words(poll.tally, False)]))
        for r in uow.groups.main_rooms(group.id)
    ]
    named = "\n".join([head, *words(poll.tally, True)])
    for r in uow.groups.main_rooms(group.id):
        out += [
            DirectMessage(transport=r.transport, user=h, text=named)
            for h in notify.staff(uow, group, deployment.facilitators)
        ]
    return out
