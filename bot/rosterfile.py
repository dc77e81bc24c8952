"""Import a roster from a CSV file (the facilitator's spreadsheet)."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from handlers import audit, groups, roster
from handlers.base import UserError

HEADER = list(roster.FIELDS)
# Files written before members had an e-mail address are still read.
WITHOUT_EMAIL = [name for name in HEADER if name != "email"]


def read(path: Path) -> list[tuple[int, dict]]:
    """Numbered rows of a roster CSV; a wrong header, a bad row or an unreadable file is a
    UserError naming every bad line at once."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in reader.fieldnames or []]
            if header not in (HEADER, WITHOUT_EMAIL):
                raise UserError(f"{path}: line 1 should be the header {','.join(HEADER)}")
            width = len(header)
            rows, problems = [], []
            for row in reader:
                if None in row or any(v is None for v in row.values()):
                    problems.append((reader.line_num, f"expected {width} fields"))
                    continue
                row = {k.strip(): v for k, v in row.items()}
                # `@kemi` is how people write a handle; the roster keeps `kemi`
                row["handle"] = row["handle"].strip().removeprefix("@")
                rows.append((reader.line_num, row))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UserError(f"{path}: cannot read it ({error})") from None
    problems = sorted(problems + _problems(rows))
    if problems:
        count = f"{len(problems)} rows need fixing" if len(problems) > 1 else "a row needs fixing"
        listed = "; ".join(f"line {line}: {text}" for line, text in problems)
        raise UserError(f"{path}: {count}, so nothing was imported: {listed}")
    return rows


def _problems(rows: list[tuple[int, dict]]) -> list[tuple[int, str]]:
    """What is wrong with each row, every row checked (`roster.import_rows` checks again)."""
    problems, seen = [], {}
    for line, raw in rows:
        try:
            entry = roster.check_entry(raw)
        except UserError as error:
            # a row with several bad values is one item of the one-line list
            text = " ".join(part.strip().removeprefix("- ") for part in str(error).splitlines())
            problems.append((line, text))
            continue
        if entry.handle in seen:
            problems.append(
                (line, f"@{entry.handle} already appears on line {seen[entry.handle]}.")
            )
        seen.setdefault(entry.handle, line)
    return problems


def import_file(
    store, path: Path, group_name: str | None, now: datetime, create: bool = False
) -> str:
    """Add or update everyone in the file on one group's roster, or nothing at all."""
    rows = read(path)
    with store() as uow:
        group = _group(uow, group_name, now, create)
        try:
            added, updated = roster.import_rows(uow, group, rows, now)
        except UserError as error:
            raise UserError(f"{path}: {error} Nothing was imported.") from None
        counts = f"{added} added, {updated} updated"
        uow.audit.record(group.id, now, audit.OPERATOR, "roster import", path.name, counts)
        uow.commit()
        return f"Imported {path.name} into {group.name}: {added} added, {updated} updated."


def _group(uow, name: str | None, now: datetime, create: bool):
    existing = uow.groups.all()
    if name:
        name = groups.check_name(name)
        group = uow.groups.named(name)
        if group:
            return group
        if create:
            return uow.groups.create(name, now)
        known = f" (there is {', '.join(g.name for g in existing)})" if existing else ""
        raise UserError(
            f"There is no group called {name}{known}: check the name, or add --create to create it."
        )
    if len(existing) == 1:
        return existing[0]
    if not existing:
        raise UserError("There is no group yet: name one with --group NAME --create.")
    raise UserError(f"Say which group with --group: {', '.join(g.name for g in existing)}.")
