"""Meeting series as RFC 5545 recurrence rules: read the facilitator's words into an RRULE,
describe one in words, and list its occurrences (dateutil does the calendar arithmetic).

Occurrences are computed in the series' own time zone, so "13:00 Europe/Paris" stays 13:00
in Paris across a daylight-saving change; they are returned in UTC.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from handlers.base import UserError

WEEKDAYS = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
}
ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "last": -1,
}
ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
DAY_NAMES = {code: name.capitalize() for name, code in WEEKDAYS.items()}

_DAY = "(?P<day>" + "|".join(WEEKDAYS) + ")s?"
_PHRASES = (
    (re.compile(rf"^monthly on the (?P<nth>{'|'.join(ORDINALS)}) {_DAY}$"), "monthly-nth"),
    (re.compile(rf"^every (?P<nth>{'|'.join(ORDINALS)}) {_DAY} of the month$"), "monthly-nth"),
    (re.compile(r"^monthly on day (?P<date>\d{1,2})$"), "monthly-date"),
    (re.compile(rf"^weekly on {_DAY}$"), "weekly"),
    (re.compile(rf"^every (?P<n>\d{{1,2}}) weeks on {_DAY}$"), "weekly"),
)
_AT = re.compile(r"^(?P<rule>.+?)\s+at\s+(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?$")
EXAMPLES = "`monthly on the second tuesday at 13:00`, `weekly on thursday at 15:30`, `monthly on day 10 at 9:00`"


def parse(text: str) -> tuple[str, time]:
    """Read "monthly on the second tuesday at 13:00" into ("FREQ=MONTHLY;BYDAY=+2TU", 13:00)."""
    words = " ".join(text.lower().replace(",", " ").split())
    at = _AT.match(words)
    if not at:
        raise UserError(f"Say when the meetings are, with a time, e.g. {EXAMPLES}.")
    hour, minute = int(at["hour"]), int(at["minute"] or 0)
    if hour > 23 or minute > 59:
        raise UserError(f"`{at['hour']}:{at['minute'] or '00'}` is not a time of day.")
    for pattern, kind in _PHRASES:
        m = pattern.match(at["rule"])
        if not m:
            continue
        if kind == "monthly-nth":
            rule = f"FREQ=MONTHLY;BYDAY={ORDINALS[m['nth']]:+d}{WEEKDAYS[m['day']]}"
        elif kind == "monthly-date":
            if not 1 <= int(m["date"]) <= 28:
                raise UserError("Use a day of the month from 1 to 28, which every month has.")
            rule = f"FREQ=MONTHLY;BYMONTHDAY={int(m['date'])}"
        else:
            interval = int(m.groupdict().get("n") or 1)
            if not 1 <= interval <= 12:
                raise UserError("Meet every 1 to 12 weeks.")
            rule = f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={WEEKDAYS[m['day']]}"
        return rule, time(hour, minute)
    raise UserError(f"I can't read `{at['rule'][:60]}` as a meeting pattern. Try {EXAMPLES}.")


# Meetings of a working group are days apart; a finer rule (a typo for MONTHLY is enough)
# would fill the calendar with hundreds of thousands of meetings.
FINER_THAN_DAILY = ("SECONDLY", "MINUTELY", "HOURLY")
TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
# At most this many meetings in the coming 400 days: about twice a week.
MAX_MEETINGS = 120
# Gregorian years start on the same weekday with the same leap status every 400 years; the
# calendar arithmetic runs on a copy of the years near dateutil's last (9999), so a rule
# that never matches gives up within a few decades of days instead of eight millennia.
_LAST_YEAR = 9999


def check_rrule(rule: str) -> str:
    """Accept a raw RRULE (the `rrule=` option) when dateutil can read it, it repeats, and its
    meetings are at least a day apart."""
    rule = rule.strip().upper().removeprefix("RRULE:")
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    freq = parts.get("FREQ", "")
    if freq in FINER_THAN_DAILY:
        raise UserError(
            f"`FREQ={freq}` would hold meetings more often than once a day; use DAILY, WEEKLY, "
            "MONTHLY or YEARLY (did you mean MONTHLY?)."
        )
    timed = [key for key in TIME_PARTS if key in parts]
    if timed:
        raise UserError(
            f"Give the time of day with `at 13:00`, not {timed[0]}: a series meets once a day at most."
        )
    try:
        rrulestr(f"RRULE:{rule}", dtstart=datetime(2026, 1, 1))
    except (ValueError, TypeError):
        raise UserError(
            f"`{rule[:80]}` is not an RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=+2TU."
        ) from None
    if "COUNT" in parts or "UNTIL" in parts:
        raise UserError("Give a rule that keeps repeating (no COUNT or UNTIL).")
    if _no_such_day(parts):
        raise UserError(f"`{rule[:80]}` never happens: none of its months has that day.")
    return rule


def _no_such_day(parts: dict[str, str]) -> bool:
    """Whether BYMONTHDAY asks for a day none of the rule's months has (30 February)."""
    try:
        days = [abs(int(d)) for d in parts["BYMONTHDAY"].split(",")]
        months = [int(m) for m in parts.get("BYMONTH", "1,2,3,4,5,6,7,8,9,10,11,12").split(",")]
    except (KeyError, ValueError):
        return False
    longest = max(calendar.monthrange(2028, m)[1] for m in months if 1 <= m <= 12)
    return min(days) > longest


def check_pace(found: list[datetime]) -> None:
    """Refuse a series with more meetings in the coming 400 days than a group can hold."""
    if len(found) > MAX_MEETINGS:
        raise UserError(
            f"That rule gives {len(found)} meetings in the coming 400 days; a series holds at "
            f"most {MAX_MEETINGS} (about two a week)."
        )


def _same_years(first: int, last: int, offset: int) -> bool:
    return all(
        calendar.isleap(y) == calendar.isleap(y + offset)
        and date(y, 1, 1).weekday() == date(y + offset, 1, 1).weekday()
        for y in range(first, last + 1)
    )


def _offset(first: int, last: int) -> int:
    """Years to add so that [first, last] lands on identical calendar years near 9999."""
    latest = _LAST_YEAR - last
    for offset in range(latest, max(latest - 400, 0), -1):
        if _same_years(first, last, offset):
            return offset
    return 0


def occurrences(
    rule: str, start: datetime, tz: str, after: datetime, before: datetime
) -> list[datetime]:
    """Occurrences in [after, before), in UTC. `start` is the first possible one (aware)."""
    zone = ZoneInfo(tz)
    local_start = start.astimezone(zone).replace(tzinfo=None)
    lo = after.astimezone(zone).replace(tzinfo=None)
    hi = before.astimezone(zone).replace(tzinfo=None)
    if hi <= lo:
        return []
    shift = _offset(min(local_start.year, lo.year), hi.year)

    def moved(moment: datetime, years: int) -> datetime:
        return moment.replace(year=moment.year + years)

    recurrence = rrulestr(f"RRULE:{rule}", dtstart=moved(local_start, shift))
    found = []
    for local in recurrence.between(moved(lo, shift), moved(hi, shift), inc=True):
        moment = moved(local, -shift).replace(tzinfo=zone).astimezone(UTC)
        if after <= moment < before:
            found.append(moment)
    return found


def describe(rule: str) -> str:
    """The rule in words, for the facilitator to check."""
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    freq = parts.get("FREQ")
    byday = parts.get("BYDAY", "")
    m = re.fullmatch(r"([+-]?\d)?([A-Z]{2})", byday)
    if freq == "MONTHLY" and m and m.group(1):
        return f"monthly on the {ORDINAL_WORDS.get(int(m.group(1)), m.group(1))} {DAY_NAMES[m.group(2)]}"
    if freq == "MONTHLY" and "BYMONTHDAY" in parts:
        return f"monthly on day {parts['BYMONTHDAY']}"
    if freq == "WEEKLY" and m:
        n = int(parts.get("INTERVAL", "1"))
        return (
            f"every {n} weeks on {DAY_NAMES[m.group(2)]}"
            if n > 1
            else f"weekly on {DAY_NAMES[m.group(2)]}"
        )
    return f"RRULE {rule}"
