"""Meeting times that take turns: `meeting schedule … rotate="13:00 UTC, 06:00 UTC"` keeps
the series' days and gives its meetings each time in turn, so the night falls on different
regions month by month. The rotation is a group setting; each meeting keeps the series'
occurrence as its identity (its iCalendar RECURRENCE-ID) and starts at its turn's time."""

from __future__ import annotations

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

from handlers import recurrence, zones
from handlers.base import UserError

MAX_TIMES = 4
_TIME = re.compile(r"^(?P<hour>\d{1,2})[:h.](?P<minute>\d{2})(?:\s+(?P<zone>\S{1,40}))?$")
EXAMPLE = '`rotate="13:00 UTC, 06:00 UTC"`'


def read(text: str, default_zone: str) -> list[str]:
    """The rotation as typed ("13:00 UTC, 06:00 UTC") in canonical form, ["13:00 UTC", ...]."""
    pieces = [p.strip() for p in text.split(",") if p.strip()]
    if not 2 <= len(pieces) <= MAX_TIMES or any(len(p) > 50 for p in pieces):
        raise UserError(f"Give 2 to {MAX_TIMES} times of day to take turns: {EXAMPLE}.")
    found = []
    for piece in pieces:
        m = _TIME.match(" ".join(piece.split()))
        if not m or int(m["hour"]) > 23 or int(m["minute"]) > 59:
            raise UserError(f"`{piece}` is not a time of day with its zone: {EXAMPLE}.")
        zone = default_zone
        if m["zone"]:
            zone = "UTC" if m["zone"].upper() in ("UTC", "GMT") else zones.check_zone(m["zone"])
        found.append(f"{int(m['hour']):02d}:{m['minute']} {zone}")
    if len(set(found)) != len(found):
        raise UserError("Each time of the rotation should differ from the others.")
    return found


def of(group) -> list[str]:
    return list((group.settings or {}).get("rotate") or [])


def turn(series, occurrence: datetime) -> int:
    """Which turn `occurrence` is: how many of the series' meetings came before it."""
    return len(
        recurrence.occurrences(
            series.rrule, series.starts, series.timezone, series.starts, occurrence
        )
    )


def starts_for(group, series, occurrence: datetime) -> datetime:
    """When the meeting of `occurrence` starts: its turn's time on the series' day."""
    times = of(group)
    if not times:
        return occurrence
    clock, zone = times[turn(series, occurrence) % len(times)].split(" ", 1)
    hour, minute = (int(x) for x in clock.split(":"))
    local_day = occurrence.astimezone(ZoneInfo(series.timezone)).date()
    moment = datetime.combine(local_day, time(hour, minute), ZoneInfo(zone))
    return moment.astimezone(ZoneInfo("UTC"))


def rotated(meeting) -> bool:
    """Whether a series meeting starts at another time of its own day (its turn, not a move)."""
    return meeting.series_id is not None and meeting.starts_at.date() == meeting.occurrence.date()
