"""The inbox: every inbound event recorded as received, before the platform is answered, and
processed exactly once, in the same transaction as everything it changes and answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, select

from storage.inserts import inserted_id
from storage.models import InboxEvent

# An event received this long ago and still unprocessed is taken over by whoever recovers it.
INBOX_LEASE = timedelta(minutes=1)


class Inbox:
    def __init__(self, session: Session):
        self._s = session

    def record(
        self, transport: str, key: str, room: str, kind: str, payload: dict, now: datetime
    ) -> int | None:
        """Record an event; its id, or None when the same (transport, key) came before."""
        values = {
            "transport": transport,
            "key": key[:255],
            "room": room[:255],
            "kind": kind,
            "payload": payload,
            "received_at": now,
            "attempts": 0,
        }
        return inserted_id(self._s, InboxEvent, values)

    def get(self, event_id: int) -> InboxEvent | None:
        return self._s.get(InboxEvent, event_id)

    def unprocessed_id(self, transport: str, key: str) -> int | None:
        """The id of the event recorded under (transport, key) while it awaits processing."""
        return self._s.exec(
            select(InboxEvent.id).where(
                InboxEvent.transport == transport,
                InboxEvent.key == key[:255],
                InboxEvent.processed_at.is_(None),
            )
        ).first()

    def processed(self, transport: str, key: str) -> bool:
        """Whether the event recorded under (transport, key) was processed."""
        done = self._s.exec(
            select(InboxEvent.processed_at).where(
                InboxEvent.transport == transport, InboxEvent.key == key[:255]
            )
        ).first()
        return done is not None

    def finish(self, event_id: int, now: datetime, outcome: str = "done") -> bool:
        """Mark the event processed with its outcome; False when someone else processed it
        first (the caller rolls back what it did)."""
        result = self._s.exec(
            update(InboxEvent)
            .where(InboxEvent.id == event_id, InboxEvent.processed_at.is_(None))
            .values(processed_at=now, outcome=outcome)
        )
        return result.rowcount == 1

    def pending(self, now: datetime, worker: str, limit: int = 100) -> list[InboxEvent]:
        """Claim events left unprocessed (by a crash) for `worker`, oldest first."""
        stale = now - INBOX_LEASE
        waiting = (
            InboxEvent.processed_at.is_(None),
            InboxEvent.received_at <= stale,
            or_(InboxEvent.claimed_at.is_(None), InboxEvent.claimed_at <= stale),
        )
        ids = self._s.exec(
            select(InboxEvent.id).where(*waiting).order_by(InboxEvent.id).limit(limit)
        ).all()
        claimed = []
        for event_id in ids:
            result = self._s.exec(
                update(InboxEvent)
                .where(InboxEvent.id == event_id, *waiting)
                .values(claimed_by=worker, claimed_at=now, attempts=InboxEvent.attempts + 1)
            )
            if result.rowcount == 1:
                claimed.append(event_id)
        self._s.flush()
        return [self._s.get(InboxEvent, i, populate_existing=True) for i in claimed]
