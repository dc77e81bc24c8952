"""Who carries the burden of meetings at night: a meeting starting between 22:00 and 07:00
in a member's own time zone falls in their night. Members without a time zone are named as
such, never guessed. Per member counts show time zones indirectly, so they are for the
person and the staff; regions are for everyone."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from handlers import privacy
from handlers.base import VOTING_ROLES, Args, Context, UserError, command, record_number, reply
from handlers.composition import REGIONS
from handlers.events import mention
from handlers.timefmt import day

NIGHT_STARTS = 22
NIGHT_ENDS = 7
NO_REGION = "no region"


def is_night(moment: datetime, zone: str) -> bool:
    """Whether `moment` falls in the night (22:00 to 07:00) of zone `zone`."""
    hour = moment.astimezone(ZoneInfo(zone)).hour
    return hour >= NIGHT_STARTS or hour < NIGHT_ENDS


@dataclass
class Count:
    """Nights per member and per region over a list of meeting starts."""

    meetings: int
    nights: dict[str, int] = field(default_factory=dict)
    regions: dict[str, tuple[int, int]] = field(default_factory=dict)  # nights, member-meetings
    no_zone: list[str] = field(default_factory=list)


def count(starts: list[datetime], members) -> Count:
    """How many of `starts` fell in each member's night, and per region (member-meetings)."""
    found = Count(len(starts))
    nights: Counter = Counter()
    seats: Counter = Counter()
    for m in members:
        if not m.timezone:
            found.no_zone.append(m.handle)
            continue
        n = sum(1 for s in starts if is_night(s, m.timezone))
        found.nights[m.handle] = n
        region = m.region or NO_REGION
        nights[region] += n
        seats[region] += len(starts)
    order = [*REGIONS, NO_REGION]
    found.regions = {r: (nights[r], seats[r]) for r in order if seats[r]}
    return found


def lines(found: Count, names: dict[str, str], staff: bool, me: str | None) -> list[str]:
    """The count in words: regions, then members (all for the staff, else the reader alone)."""
    out = ["By region (member-meetings at night):"]
    out += [f"  {r}: {n} of {seats}" for r, (n, seats) in found.regions.items()] or ["  (none)"]
    shown = found.nights if staff else {h: n for h, n in found.nights.items() if h == me}
    if shown:
        out.append("By member (meetings at night):" if staff else "You:")
        ranked = sorted(shown.items(), key=lambda item: (-item[1], names.get(item[0], item[0])))
        out += [f"  {mention(h)}: {n} of {found.meetings}" for h, n in ranked]
    if found.no_zone:
        out.append(
            "No time zone set, so not counted: "
            + ", ".join(mention(h) for h in sorted(found.no_zone))
            + " (`tz <zone>` sets one)."
        )
    return out


@command("fairness")
def show_fairness(ctx: Context, args: Args):
    """Show how many of the past year's meetings fell in each region's and member's night (22:00–07:00).

    fairness [months=<n>]

    Example: fairness months=6
    The staff see every member's count; a member sees the regions and their own.
    """
    group = ctx.require_group()
    months = record_number(args.options.get("months", "12"))
    if months is None or not 1 <= months <= 36:
        raise UserError("`months=` should be a number from 1 to 36: `fairness months=12`.")
    since = ctx.now - relativedelta(months=months)
    held = [
        m.starts_at
        for m in ctx.uow.meetings.between(group.id, since, ctx.now)
        if m.status == "scheduled" and since <= m.starts_at < ctx.now
    ]
    if not held:
        return reply(
            f"{group.name} held no meetings in the past {months} months; nothing to count yet.",
            private=True,
        )
    members = [m for m in ctx.uow.members.all(group.id) if m.role in VOTING_ROLES]
    found = count(held, members)
    first, last = min(held), max(held)
    text = [
        f"{group.name}: {len(held)} meetings from {day(first.date())} to {day(last.date())}; "
        f"night is {NIGHT_STARTS}:00 to {NIGHT_ENDS:02d}:00 in each member's own time zone."
    ]
    names = {m.handle: m.name for m in members}
    text += lines(found, names, privacy.is_staff(ctx), ctx.user)
    return reply("\n".join(text), private=True)
