"""Chat capture: what an ordinary message (not a command) means to the group's procedures.

Nothing is captured yet; availability notices, outreach announcements and objections plug in
here, and `pnbot explain` shows their reading of a message.
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
    return Reading()


def on_message(ctx) -> list:
    """Act on a plain message in a group's room; an empty list when it is no notice."""
    return []
