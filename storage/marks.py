"""How far the record has come: a few numbers that change whenever anything is written, so a
reader that rebuilds something from the record (the public website) can tell cheaply whether
it must."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from storage.models import AuditEntry, InboxEvent, Meeting, OutboxItem


class RecordMarks:
    def __init__(self, session: Session):
        self._s = session

    def at(self, now: datetime) -> tuple[int, int, int, int]:
        """The last inbox, outbox and audit ids, and how many meetings have started by `now`
        (a meeting passing from coming to held changes what is public without a write)."""
        last = [
            self._s.exec(select(func.max(t.id))).one() or 0
            for t in (InboxEvent, OutboxItem, AuditEntry)
        ]
        started = self._s.exec(
            select(func.count()).select_from(Meeting).where(Meeting.starts_at <= now)
        ).one()
        return (*last, started)
