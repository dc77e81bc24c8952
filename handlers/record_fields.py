"""Read one record of an export document, refusing in one line a value the bot would not
have stored: the record is named, then the key, then why."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from handlers.base import UserError

# Marks a key every export has; any other key may be absent from an older export.
REQUIRED = object()
EXAMPLE_TIME = "2026-12-01T09:00:00+00:00"


def one_line(text: str) -> str:
    """A core message that lists several problems, joined into one line."""
    joined = "; ".join(part.strip().lstrip("- ") for part in text.splitlines() if part.strip())
    return joined.rstrip(".")


class Record:
    """One JSON object of the export, named by `where` (`group pn-ai, member 3 (@amina)`)."""

    def __init__(self, where: str, data):
        if not isinstance(data, dict):
            raise UserError(f"{where}: is {_kind(data)}, not an object")
        self.where = where
        self.data = data

    def fail(self, key: str, why: str):
        place = f"{self.where}, {key}" if self.where else key
        raise UserError(f"{place}: {one_line(why)}")

    def get(self, key: str, default=REQUIRED):
        if key in self.data:
            return self.data[key]
        if default is REQUIRED:
            place = f"{self.where}: " if self.where else ""
            raise UserError(f"{place}the export is incomplete: it lacks {key!r}")
        return default

    def check(self, key: str, validate: Callable, value=REQUIRED):
        """`validate(value)` as a command would call it; its refusal names this record."""
        try:
            return validate(self.get(key) if value is REQUIRED else value)
        except UserError as error:
            self.fail(key, str(error))

    def text(
        self, key: str, limit: int, null: bool = False, blank: bool = False, default=REQUIRED
    ) -> str | None:
        value = self.get(key, default)
        if value is None and null:
            return None
        if not isinstance(value, str) or not (blank or value.strip()):
            self.fail(key, f"should be some text{' or null' if null else ''}, not {_kind(value)}")
        if len(value) > limit:
            self.fail(key, f"is {len(value)} characters long; the bot keeps at most {limit}")
        return value

    def moment(self, key: str, null: bool = False, default=REQUIRED) -> datetime | None:
        value = self.get(key, default)
        if value is None and null:
            return None
        if not isinstance(value, str):
            self.fail(key, f"should be a date and time such as {EXAMPLE_TIME}, not {_kind(value)}")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            self.fail(key, f"`{value[:40]}` is not a date and time such as {EXAMPLE_TIME}")
        if moment.tzinfo is None:
            self.fail(key, f"`{value[:40]}` has no UTC offset; write it as {EXAMPLE_TIME}")
        return moment

    def flag(self, key: str, default=REQUIRED) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            self.fail(key, f"should be true or false, not {_kind(value)}")
        return value

    def whole(self, key: str, lo: int, hi: int | None = None) -> int:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"should be a whole number, not {_kind(value)}")
        if value < lo or (hi is not None and value > hi):
            span = f"from {lo} to {hi}" if hi is not None else f"{lo} or more"
            self.fail(key, f"{value} should be {span}")
        return value

    def one_of(self, key: str, vocabulary: Iterable[str], null: bool = False, default=REQUIRED):
        value = self.get(key, default)
        if value is None and null:
            return None
        words = tuple(vocabulary)
        if value not in words:
            shown = f"`{value[:40]}`" if isinstance(value, str) else _kind(value)
            self.fail(key, f"{shown} is not one of {', '.join(words)}")
        return value

    def records(self, key: str, label: str, name=None, default=REQUIRED) -> list[Record]:
        """The list under `key`, each entry a Record named `<label> <n>` (1-based) and, when
        `name` picks one of its keys, that key's value."""
        value = self.get(key, default)
        if not isinstance(value, list):
            self.fail(key, f"should be a list, not {_kind(value)}")
        found = []
        for n, item in enumerate(value, start=1):
            shown = item.get(name) if name and isinstance(item, dict) else None
            suffix = f" ({shown[:40]})" if isinstance(shown, str) else ""
            inside = f"{self.where}, " if self.where else ""
            found.append(Record(f"{inside}{label} {n}{suffix}", item))
        return found

    def index(self, key: str, size: int, label: str) -> int | None:
        """A 1-based position in another list of the export (`issue`, `outreach`), or null."""
        value = self.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"should be the number of a {label} or null, not {_kind(value)}")
        if not 1 <= value <= size:
            self.fail(key, f"refers to {label} {value}, but the group has {size} of them")
        return value


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f"the text `{value[:40]}`"
    if isinstance(value, int | float):
        return f"the number {value}"
    return "a list" if isinstance(value, list) else "an object"
