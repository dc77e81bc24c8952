"""Times as people read them: in UTC and in the reader's own zone; dates read with dateparser."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import dateparser

from handlers import phrases, zones

# How far ahead a date may be: the group plans a few years at most, and a date near year
# 9999 would overflow the calendar arithmetic done around it.
MAX_YEARS_AHEAD = 5
_MONTHS = {
    name.lower(): number
    for names in (calendar.month_name, calendar.month_abbr)
    for number, name in enumerate(names)
    if name
}
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"
_DAY_MONTH = (
    re.compile(rf"^{_DAY}\s+(?:of\s+)?{_MONTH}{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"^{_MONTH}\s+{_DAY}{_YEAR}\b", re.IGNORECASE),
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b"),
)


def impossible_date(text: str) -> str | None:
    """Why the date `text` starts with cannot exist ("31 November"), or None."""
    for pattern in _DAY_MONTH:
        found = pattern.match(text.strip())
        if not found:
            continue
        month = found["month"]
        number = int(month) if month.isdigit() else _MONTHS[month.lower()]
        if not 1 <= number <= 12:
            return f"`{found.group()}` is not a date: there is no month {number}."
        year = int(found["year"]) if found["year"] else 2028  # a leap year: 29 February exists
        days = calendar.monthrange(year, number)[1]
        if not 1 <= int(found["day"]) <= days:
            shown = calendar.month_name[number]
            return f"`{found.group()}` is not a date: {shown} has {days} days" + (
                f" in {year}." if found["year"] and number == 2 else "."
            )
        return None
    return None


def too_far(moment: date | datetime, now: datetime) -> str | None:
    """Why a date is too far ahead to plan for, or None."""
    moment_day = moment.date() if isinstance(moment, datetime) else moment
    if moment_day.year - now.year > MAX_YEARS_AHEAD or (
        moment_day.year - now.year == MAX_YEARS_AHEAD
        and (moment_day.month, moment_day.day) > (now.month, now.day)  # 29 February too
    ):
        return (
            f"{day(moment_day)} is more than {MAX_YEARS_AHEAD} years ahead; "
            "the group plans nearer than that."
        )
    return None


def when(moment: datetime, tz: str = "UTC") -> str:
    """`Tue 8 Dec 2026, 13:00 UTC (14:00 Europe/Paris)`; the zone part only when it differs."""
    utc = moment.astimezone(UTC)
    text = f"{utc:%a} {utc.day} {utc:%b %Y, %H:%M} UTC"
    if tz != "UTC":
        local = moment.astimezone(ZoneInfo(tz))
        same_day = local.date() == utc.date()
        shown = f"{local:%H:%M}" if same_day else f"{local:%a} {local.day} {local:%b, %H:%M}"
        text += f" ({shown} {tz})"
    return text


def day(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def local_now(now: datetime, tz: str) -> datetime:
    """`now` as a naive wall-clock time in `tz`: what dateparser takes as its relative base."""
    return now.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def parse_moment(text: str, now: datetime, tz: str) -> datetime | None:
    """A date and time typed by someone in zone `tz` ("15 December 14:00", "2026-12-15 14:00"),
    or in a zone named at its end ("15 December 14:00 Europe/Paris")."""
    head, _, last = text.strip().rpartition(" ")
    if head and "/" in last and (named := zones.find(last)):
        text, tz = head, named
    parsed = dateparser.parse(
        text,
        languages=phrases.codes(),
        settings={
            "RELATIVE_BASE": local_now(now, tz),
            "PREFER_DATES_FROM": "future",
            "TIMEZONE": tz,
            "RETURN_AS_TIMEZONE_AWARE": True,
            "DATE_ORDER": "DMY",
        },
    )
    return parsed.astimezone(UTC) if parsed else None


def parse_day(text: str, now: datetime, tz: str, prefer: str = "future") -> date | None:
    """A date typed by someone in zone `tz` ("9 December", "tuesday", "2026-12-09").

    `prefer="future"` reads an incomplete date as today or the next one ("8 December" on
    8 December is today, not next year); `prefer="past"` as today or the last one.
    """
    base = local_now(now, tz)

    def read(period: str):
        parsed = dateparser.parse(
            text,
            languages=phrases.codes(),
            settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": period, "DATE_ORDER": "DMY"},
        )
        return parsed.date() if parsed else None

    current = read("current_period")
    if current is None:
        return None
    if (prefer == "future" and current >= base.date()) or (
        prefer == "past" and current <= base.date()
    ):
        return current
    return read(prefer)
