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
    """A date and time typed by someone in zone `tz` ("15 December 14:00", "2026-12-15 14:00"),
    or in a zone named at its end ("15 December 14:00 Europe/Paris")."""
    head, _, last = text.strip().rpartition(" ")
    if "/" in last and head:
        try:
            ZoneInfo(last)
            text, tz = head, last
        except (ValueError, KeyError):
            pass
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


def parse_day(text: str, now: datetime, tz: str, prefer: str = "future") -> date | None:
    """A date typed by someone in zone `tz` ("9 December", "tuesday", "2026-12-09").

    `prefer="future"` reads an incomplete date as today or the next one ("8 December" on
    8 December is today, not next year); `prefer="past"` as today or the last one.
    """
    base = local_now(now, tz)

    def read(period: str):
        parsed = dateparser.parse(
            text,
            languages=LANGUAGES,
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
