"""Membership over time, as pure functions: who was on the roster at a given moment, with
the details they had then (`member edit` keeps earlier values, `member remove` ends a
membership and never deletes it)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from handlers.timefmt import day


@dataclass(frozen=True)
class Snapshot:
    """A membership as it stood at one moment (the attributes of a roster entry)."""

    id: int
    handle: str
    name: str
    role: str
    stakeholder_group: str | None
    region: str | None
    gender: str | None
    organisation: str | None
    capacity: str | None
    timezone: str | None
    added_at: datetime
    removed_at: datetime | None


KEPT = tuple(f.name for f in fields(Snapshot))


def as_of(memberships, changes, moment: datetime) -> list[Snapshot]:
    """The memberships that covered `moment`, each with the details it had then."""
    earlier: dict[int, dict[str, str | None]] = {}
    for change in sorted(changes, key=lambda c: (c.changed_at, c.id), reverse=True):
        if change.changed_at > moment:  # made later: the value then is the one it replaced
            earlier.setdefault(change.member_id, {})[change.field] = change.old
    found = []
    for m in memberships:
        if m.added_at <= moment and (m.removed_at is None or m.removed_at > moment):
            values = {key: getattr(m, key) for key in KEPT}
            found.append(Snapshot(**(values | earlier.get(m.id, {}))))
    return found


def roster_at(uow, group, moment: datetime) -> list[Snapshot]:
    """The group's roster as it was at `moment`, former members included as they were."""
    return as_of(uow.members.history(group.id), uow.members.changes(group.id), moment)


def end_of_day(on: date, tz: str) -> datetime:
    """The last moment of a local day: what the composition "on" that day means."""
    return datetime.combine(on, time.max, ZoneInfo(tz))


def period(m, tz: str) -> str:
    """A membership's dates: "since 1 Dec 2026" or "1 Dec 2026 – 10 Dec 2026"."""
    start = day(m.added_at.astimezone(ZoneInfo(tz)).date())
    if m.removed_at is None:
        return f"since {start}"
    return f"{start} – {day(m.removed_at.astimezone(ZoneInfo(tz)).date())}"
