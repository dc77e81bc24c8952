"""Import a roster from a CSV file (the facilitator's spreadsheet)."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from handlers import groups, roster
from handlers.base import UserError

HEADER = list(roster.FIELDS)


def read(path: Path) -> list[tuple[int, dict]]:
    """Numbered rows of a roster CSV; a wrong header or an unreadable file is a UserError."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in reader.fieldnames or []]
            if header != HEADER:
                raise UserError(f"{path}: line 1 should be the header {','.join(HEADER)}")
            rows = []
            for row in reader:
                if None in row or any(v is None for v in row.values()):
                    raise UserError(
                        f"{path}: line {reader.line_num}: expected {len(HEADER)} fields"
                    )
                rows.append((reader.line_num, {k.strip(): v for k, v in row.items()}))
            return rows
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UserError(f"{path}: cannot read it ({error})") from None


def import_file(store, path: Path, group_name: str | None, now: datetime) -> str:
    """Add or update everyone in the file on one group's roster, or nothing at all."""
    rows = read(path)
    with store() as uow:
        group = _group(uow, group_name, now)
        try:
            added, updated = roster.import_rows(uow, group, rows, now)
        except UserError as error:
            raise UserError(f"{path}: {error} Nothing was imported.") from None
        uow.commit()
        return f"Imported {path.name} into {group.name}: {added} added, {updated} updated."


def _group(uow, name: str | None, now: datetime):
    if name:
        name = groups.check_name(name)
        return uow.groups.named(name) or uow.groups.create(name, now)
    existing = uow.groups.all()
    if len(existing) == 1:
        return existing[0]
    if not existing:
        raise UserError("There is no group yet: name one with --group NAME and it will be created.")
    raise UserError(f"Say which group with --group: {', '.join(g.name for g in existing)}.")
