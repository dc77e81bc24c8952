"""Times as people read them: in UTC and in the reader's own zone; dates read with dateparser."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import dateparser

LANGUAGES = ["en", "fr", "es"]


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
    """A date and time typed by someone in zone `tz` ("15 December 14:00", "2026-12-15 14:00")."""
    parsed = dateparser.parse(
        text,
        languages=LANGUAGES,
        settings={
            "RELATIVE_BASE": local_now(now, tz),
            "PREFER_DATES_FROM": "future",
            "TIMEZONE": tz,
            "RETURN_AS_TIMEZONE_AWARE": True,
            "DATE_ORDER": "DMY",
        },
    )
    return parsed.astimezone(UTC) if parsed else None


def parse_day(text: str, now: datetime, tz: str) -> date | None:
    """A date typed by someone in zone `tz` ("9 December", "tuesday", "2026-12-09")."""
    parsed = dateparser.parse(
        text,
        languages=LANGUAGES,
        settings={
            "RELATIVE_BASE": local_now(now, tz),
            "PREFER_DATES_FROM": "future",
            "DATE_ORDER": "DMY",
        },
    )
    return parsed.date() if parsed else None
