"""Time-zone names as people type them: any case, with a close suggestion when misspelt."""

from __future__ import annotations

import difflib
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from handlers.base import UserError

EXAMPLES = "Europe/Zurich, America/Sao_Paulo or Africa/Nairobi"
# Cities people name that have no zone of their own, and the zone they keep time in.
CITIES = {
    "geneva": "Europe/Zurich",
    "bern": "Europe/Zurich",
    "basel": "Europe/Zurich",
    "washington": "America/New_York",
    "boston": "America/New_York",
    "ottawa": "America/Toronto",
    "san_francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "brasilia": "America/Sao_Paulo",
    "delhi": "Asia/Kolkata",
    "new_delhi": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "beijing": "Asia/Shanghai",
    "abuja": "Africa/Lagos",
    "pretoria": "Africa/Johannesburg",
    "canberra": "Australia/Sydney",
    "the_hague": "Europe/Amsterdam",
}


@cache
def _by_lower() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


@cache
def _folders() -> dict[str, str]:
    """Region folders (`America`, `America/Argentina`), which hold zones but are none."""
    folders = {}
    for name in available_timezones():
        parts = name.split("/")
        for size in range(1, len(parts)):
            folder = "/".join(parts[:size])
            folders[folder.lower()] = folder
    return folders


def zone_error(zone: str) -> str | None:
    """Why `zone` is no time zone (with what to use instead), or None when it is one."""
    shown = zone[:60]
    folder = _folders().get(zone.strip().strip("/").lower())
    if folder:
        inside = sorted(n for n in available_timezones() if n.startswith(folder + "/"))
        sample = ", ".join(inside[:3])
        return (
            f"`{shown}` is a region, not a time zone: name one of its IANA zones, such as {sample}."
        )
    typed = zone.strip().lower().replace(" ", "_")[:60]
    city = typed.rsplit("/", 1)[-1].replace(" ", "_")
    close = [CITIES[city].lower()] if city in CITIES else []
    close += difflib.get_close_matches(typed, list(_by_lower()), n=3, cutoff=0.6)
    close = list(dict.fromkeys(close))[:3]
    names = [_by_lower()[c] for c in close]
    if names:
        hint = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
        return f"`{shown}` is not a time zone I know (IANA names). Did you mean {hint}?"
    return f"`{shown}` is not a time zone I know. Use an IANA name such as {EXAMPLES}."


def find(zone: str) -> str | None:
    """The IANA zone `zone` names in any case (`europe/paris`), or None."""
    return _by_lower().get(zone.strip().lower().replace(" ", "_"))


def check_zone(zone: str) -> str:
    """The IANA zone `zone` names, in its proper case; UserError with a suggestion if none."""
    found = find(zone)
    if found is None:
        raise UserError(zone_error(zone))
    ZoneInfo(found)  # every listed name loads; this keeps the cache warm for rendering
    return found
