"""Named values a transport keeps across restarts, such as the Matrix sync token."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from storage.inserts import upsert
from storage.models import TransportState


class TransportStates:
    def __init__(self, session: Session):
        self._s = session

    def get(self, transport: str, name: str) -> str | None:
        row = self._s.exec(
            select(TransportState).where(
                TransportState.transport == transport, TransportState.name == name
            )
        ).first()
        return row.value if row else None

    def named_like(self, transport: str, prefix: str) -> dict[str, str]:
        """Every value of `transport` whose name starts with `prefix`, by name."""
        rows = self._s.exec(
            select(TransportState).where(
                TransportState.transport == transport, TransportState.name.startswith(prefix)
            )
        )
        return {row.name: row.value for row in rows}

    def put(self, transport: str, name: str, value: str, now: datetime) -> None:
        upsert(
            self._s,
            TransportState,
            {"transport": transport, "name": name, "value": value, "updated_at": now},
            key=["transport", "name"],
            update=["value", "updated_at"],
        )
