"""Meeting series as RFC 5545 recurrence rules: read the facilitator's words into an RRULE,
describe one in words, and list its occurrences (dateutil does the calendar arithmetic).

Occurrences are computed in the series' own time zone, so "13:00 Europe/Paris" stays 13:00
in Paris across a daylight-saving change; they are returned in UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
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


def check_rrule(rule: str) -> str:
    """Accept a raw RRULE (the `rrule=` option) when dateutil can read it and it repeats."""
    rule = rule.strip().upper().removeprefix("RRULE:")
    try:
        recurrence = rrulestr(f"RRULE:{rule}", dtstart=datetime(2026, 1, 1))
    except (ValueError, TypeError):
        raise UserError(
            f"`{rule[:80]}` is not an RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=+2TU."
        ) from None
    if "COUNT=" in rule or "UNTIL=" in rule or recurrence.after(datetime(2026, 1, 1)) is None:
        raise UserError("Give a rule that keeps repeating (no COUNT or UNTIL).")
    return rule


def occurrences(
    rule: str, start: datetime, tz: str, after: datetime, before: datetime
) -> list[datetime]:
    """Occurrences in [after, before), in UTC. `start` is the first possible one (aware)."""
    zone = ZoneInfo(tz)
    local_start = start.astimezone(zone).replace(tzinfo=None)
    recurrence = rrulestr(f"RRULE:{rule}", dtstart=local_start)
    lo = after.astimezone(zone).replace(tzinfo=None)
    hi = before.astimezone(zone).replace(tzinfo=None)
    found = []
    for local in recurrence.between(lo, hi, inc=True):
        moment = local.replace(tzinfo=zone).astimezone(UTC)
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
