"""The part of the export that ties the record to the chat: each record's id, and the
messages linked to records (the bot's posts, whose threads and reactions find their record
again, and members' messages a record was captured from, whose edits update it).

Links name records by `kind:id`, and members use the same ids (`vote 3 agree`, `object 2`), so
an import keeps every id as exported; PostgreSQL's sequences are then moved past them so a new
record never takes an imported id (see docs/export.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from storage.models import (
    Apology,
    CapturedMessage,
    Group,
    Issue,
    Meeting,
    Objection,
    Outreach,
    Poll,
    SentPost,
)

# The record kinds a link may name, and their tables.
KINDS = {
    "apology": Apology,
    "issue": Issue,
    "objection": Objection,
    "outreach": Outreach,
    "poll": Poll,
}


def group_refs(session: Session, group: Group) -> set[str]:
    """Every `kind:id` of the group's records."""
    ids = {
        "issue": select(Issue.id).where(Issue.group_id == group.id),
        "outreach": select(Outreach.id).where(Outreach.group_id == group.id),
        "poll": select(Poll.id).where(Poll.group_id == group.id),
        "apology": select(Apology.id)
        .join(Meeting, Meeting.id == Apology.meeting_id)
        .where(Meeting.group_id == group.id),
        "objection": select(Objection.id)
        .join(Outreach, Outreach.id == Objection.outreach_id)
        .where(Outreach.group_id == group.id),
    }
    return {f"{kind}:{n}" for kind, query in ids.items() for n in session.exec(query)}


def export_links(session: Session, group: Group) -> dict:
    """The messages linked to the group's records, ordered by where they are."""
    refs = group_refs(session, group)
    posts = session.exec(
        select(SentPost).order_by(SentPost.transport, SentPost.room, SentPost.message_id)
    )
    captures = session.exec(
        select(CapturedMessage).order_by(
            CapturedMessage.transport, CapturedMessage.room, CapturedMessage.message_id
        )
    )
    return {
        "posts": [
            {"transport": p.transport, "room": p.room, "message_id": p.message_id, "ref": p.ref}
            for p in posts
            if p.ref in refs
        ],
        "captures": [
            {
                "transport": c.transport,
                "room": c.room,
                "message_id": c.message_id,
                "ref": c.ref,
                "author": c.author,
                "at": c.captured_at.isoformat(),
            }
            for c in captures
            if c.ref in refs
        ],
    }


def restore_links(session: Session, links: dict) -> None:
    """Restore the links as exported (their records were restored with their ids)."""
    for p in links.get("posts", []):
        session.add(
            SentPost(
                transport=p["transport"],
                room=p["room"],
                message_id=p["message_id"],
                ref=p["ref"],
            )
        )
    for c in links.get("captures", []):
        session.add(
            CapturedMessage(
                transport=c["transport"],
                room=c["room"],
                message_id=c["message_id"],
                ref=c["ref"],
                author=c["author"],
                captured_at=datetime.fromisoformat(c["at"]),
            )
        )


def move_sequences_past_ids(session: Session) -> None:
    """On PostgreSQL, let each table's next id follow the highest one restored (SQLite's
    AUTOINCREMENT already does)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.flush()
    for model in KINDS.values():
        highest = session.exec(select(func.max(model.id))).one()
        if highest is not None:
            sequence = func.pg_get_serial_sequence(model.__tablename__, "id")
            session.exec(select(func.setval(sequence, highest)))
