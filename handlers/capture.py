"""Chat capture: what an ordinary message (not a command) means to the group's procedures.

Availability notices are captured; outreach announcements and objections plug in here
next. `pnbot explain` shows the reading of a message, so a facilitator can see why it was
or was not taken as a notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Reading:
    kind: str = "none"
    date: date | None = None
    event: str | None = None
    language: str | None = None

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "date": self.date.isoformat() if self.date else None,
            "event": self.event,
            "language": self.language,
        }


def read(text: str, at: datetime, tz: str) -> Reading:
    """What the capture sees in `text` written at `at` in zone `tz`."""
    from handlers import availability_text

    notice = availability_text.recognise(text, at, tz)
    if notice is not None:
        return Reading(kind="availability", date=notice.when, language=notice.language)
    return Reading()


def on_message(ctx) -> list:
    """Act on a plain message in a group's room; an empty list when it is no notice."""
    from handlers import availability

    return availability.on_message(ctx) or []
