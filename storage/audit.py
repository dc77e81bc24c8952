"""The audit log: one row per change to a group's state, appended and never rewritten."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from storage.models import AuditEntry


class AuditLog:
    def __init__(self, session: Session):
        self._s = session

    def record(
        self,
        group_id: int,
        at: datetime,
        actor: str,
        action: str,
        subject: str,
        detail: str | None = None,
        reason: str | None = None,
    ) -> AuditEntry:
        entry = AuditEntry(
            group_id=group_id,
            at=at,
            actor=actor[:255],
            action=action[:40],
            subject=subject[:200],
            detail=detail[:1000] if detail else None,
            reason=reason[:1000] if reason else None,
        )
        self._s.add(entry)
        self._s.flush()
        return entry

    def latest(self, group_id: int, limit: int) -> list[AuditEntry]:
        """The group's last `limit` entries, oldest first."""
        newest = self._s.exec(
            select(AuditEntry)
            .where(AuditEntry.group_id == group_id)
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
        return list(reversed(list(newest)))

    def count(self, group_id: int) -> int:
        query = select(func.count()).select_from(AuditEntry).where(AuditEntry.group_id == group_id)
        return self._s.exec(query).one()
