"""What the bot says, as outbox rows and back: a Post, DirectMessage, Reply or Update keeps
every field it needs to be sent later, by another thread or another process."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from handlers.events import Address, DirectMessage, Outgoing, Post, Reply, Update
from storage.models import OutboxItem


def to_row(
    out: Outgoing,
    key: str,
    due_at: datetime,
    group_id: int | None = None,
    skip: str | None = None,
) -> OutboxItem:
    """The outbox row that will send `out`; `skip` records it as not worth sending late."""
    address: dict = {}
    if isinstance(out, Post):
        kind, transport, target, thread = "post", out.transport, out.room, out.thread
    elif isinstance(out, DirectMessage):
        kind, transport, target, thread = "dm", out.transport, out.user, None
    elif isinstance(out, Update):
        kind, transport, target, thread = "update", out.transport, out.room, None
        address = {"message_id": out.message_id}
    elif isinstance(out, Reply):
        if out.to is None:
            raise ValueError("a reply is queued with the address of the event it answers")
        kind, transport, target, thread = "reply", out.to.transport, out.to.room, out.to.thread
        address = dataclasses.asdict(out.to) | {"private": out.private, "in_thread": out.in_thread}
    else:
        raise TypeError(f"cannot queue {type(out).__name__}")
    return OutboxItem(
        key=key,
        group_id=group_id,
        due_at=due_at,
        kind=kind,
        transport=transport,
        target=target,
        thread=thread,
        # A refusal may quote what was typed; PostgreSQL cannot store a NUL character.
        text=out.text.replace("\x00", ""),
        data=out.data,
        address=address,
        skipped_at=due_at if skip else None,
        last_error=f"skipped: {skip}" if skip else None,
    )


def from_row(row: OutboxItem) -> Outgoing:
    """The message an outbox row holds, carrying the row's key."""
    common = {"text": row.text, "data": row.data or {}, "key": row.key}
    if row.kind == "dm":
        return DirectMessage(transport=row.transport, user=row.target, **common)
    if row.kind == "update":
        return Update(
            transport=row.transport, room=row.target, message_id=row.address["message_id"], **common
        )
    if row.kind == "reply":
        fields = dict(row.address)
        private, in_thread = fields.pop("private", False), fields.pop("in_thread", False)
        return Reply(private=private, in_thread=in_thread, to=Address(**fields), **common)
    return Post(transport=row.transport, room=row.target, thread=row.thread, **common)


def room_of(out: Outgoing) -> str | None:
    """The room a message goes to, when it goes to one (for pacing and for linking)."""
    if isinstance(out, Post | Update):
        return out.room
    if isinstance(out, Reply) and out.to is not None:
        return out.to.room
    return None
