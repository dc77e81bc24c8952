"""Export the whole record as JSON with stable keys, and restore it into an empty database.

The format is documented in docs/export.md; export → import → export is identical.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from storage.models import Group, Member, Room

FORMAT_VERSION = 1
MEMBER_KEYS = (
    "handle",
    "name",
    "role",
    "stakeholder_group",
    "region",
    "gender",
    "organisation",
    "capacity",
    "timezone",
)


class ArchiveError(Exception):
    """The archive cannot be restored here; the message says why."""


def export(session: Session, group: str | None = None) -> dict:
    query = select(Group).order_by(Group.name)
    if group is not None:
        query = query.where(Group.name == group)
    groups = list(session.exec(query))
    if group is not None and not groups:
        raise ArchiveError(f"there is no group called {group}")
    return {"format": FORMAT_VERSION, "groups": [_group(session, g) for g in groups]}


def _group(session: Session, group: Group) -> dict:
    rooms = session.exec(
        select(Room).where(Room.group_id == group.id).order_by(Room.transport, Room.room)
    )
    members = session.exec(
        select(Member).where(Member.group_id == group.id).order_by(Member.handle)
    )
    return {
        "name": group.name,
        "target_size": group.target_size,
        "created_at": group.created_at.isoformat(),
        "rooms": [{"transport": r.transport, "room": r.room, "main": r.main} for r in rooms],
        "members": [
            {**{k: getattr(m, k) for k in MEMBER_KEYS}, "added_at": m.added_at.isoformat()}
            for m in members
        ],
    }


def restore(session: Session, data: dict) -> int:
    """Load an export into an empty database; returns the number of groups restored."""
    if session.exec(select(Group.id)).first() is not None:
        raise ArchiveError("the database already holds groups; import only into an empty one")
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
        raise ArchiveError(f"not a pnbot export of format {FORMAT_VERSION}")
    try:
        for g in data["groups"]:
            group = Group(
                name=g["name"],
                target_size=g["target_size"],
                created_at=datetime.fromisoformat(g["created_at"]),
            )
            session.add(group)
            session.flush()
            for r in g["rooms"]:
                session.add(Room(group_id=group.id, **r))
            for m in g["members"]:
                fields = {k: m[k] for k in MEMBER_KEYS}
                session.add(
                    Member(
                        group_id=group.id, added_at=datetime.fromisoformat(m["added_at"]), **fields
                    )
                )
        session.flush()
    except (KeyError, TypeError, ValueError) as error:
        raise ArchiveError(f"the export is incomplete or malformed ({error!r})") from None
    return len(data["groups"])
