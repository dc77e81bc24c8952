"""What an export's record ids and message links may hold: an import keeps every id as
exported (members refer to polls and announcements by them), so an id is a whole number used
once per kind, every record of a kind has one or none does, and a link names a record of its
own group (see docs/export.md)."""

from __future__ import annotations

from handlers.record_fields import Record

KINDS = ("apology", "issue", "objection", "outreach", "poll")
PLACE = (("transport", 20), ("room", 255), ("message_id", 255))


class Ids:
    """The ids seen so far in one export document."""

    def __init__(self) -> None:
        self._seen: dict[str, set[int]] = {kind: set() for kind in KINDS}
        self._given: dict[str, bool] = {}
        self._group: set[str] = set()
        self._places: dict[str, set[tuple]] = {"posts": set(), "captures": set()}

    def start_group(self) -> None:
        self._group = set()

    def take(self, r: Record, kind: str) -> None:
        """Check `r`'s id, if it has one, and note it as its group's."""
        value = r.get("id", None)
        given = value is not None
        if self._given.setdefault(kind, given) != given:
            r.fail("id", f"every {kind} record has an id, or none does")
        if not given:
            return
        number = r.whole("id", 1)
        if number in self._seen[kind]:
            r.fail("id", f"a second {kind} with id {number}")
        self._seen[kind].add(number)
        self._group.add(f"{kind}:{number}")

    def check_links(self, g: Record) -> None:
        """The group's message links, each naming one of the group's own records."""
        links = g.get("links", None)
        if links is None:
            return
        record = Record(f"{g.where}, links", links)
        for table, label in (("posts", "post"), ("captures", "capture")):
            for link in record.records(table, label, name="ref", default=[]):
                place = tuple(link.text(key, limit) for key, limit in PLACE)
                if place in self._places[table]:
                    link.fail("message_id", "a second link of that message")
                self._places[table].add(place)
                ref = link.text("ref", 80)
                if ref not in self._group:
                    link.fail("ref", f"`{ref[:40]}` is not a record of this group")
                if table == "captures":
                    link.text("author", 255)
                    link.moment("at")
