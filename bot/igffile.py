"""Import the IGF's calendar file (iCalendar) into a group's IGF calendar."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.rosterfile import _group
from handlers import audit, igf_calendar
from handlers.base import UserError


def import_file(store, path: Path, group_name: str | None, now: datetime) -> str:
    """Add the file's events that are new to the group (by UID), or nothing at all."""
    try:
        with path.open("rb") as handle:
            data = handle.read(igf_calendar.MAX_FILE + 1)
    except OSError as error:
        raise UserError(f"{path}: cannot read it ({error.strerror or error})") from None
    try:
        events = igf_calendar.read_events(data)
    except UserError as error:
        raise UserError(f"{path}: {error}") from None
    with store() as uow:
        group = _group(uow, group_name, now, create=False)
        try:
            said = igf_calendar.import_events(uow, group, events, now, audit.OPERATOR)
        except UserError as error:
            raise UserError(f"{path}: {error} Nothing was imported.") from None
        uow.commit()
        return said
