"""Which member's message each captured record came from."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from storage.inserts import upsert
from storage.models import CapturedMessage


class Captures:
    def __init__(self, session: Session):
        self._s = session

    def remember(
        self, transport: str, room: str, message_id: str, ref: str, author: str, now: datetime
    ) -> None:
        """Tie `message_id` to the record `ref`; a message tied before is tied anew."""
        values = {
            "transport": transport,
            "room": room,
            "message_id": message_id,
            "ref": ref,
            "author": author,
            "captured_at": now,
        }
        upsert(
            self._s,
            CapturedMessage,
            values,
            key=["transport", "room", "message_id"],
            update=["ref", "author", "captured_at"],
        )

    def get(self, transport: str, room: str, message_id: str) -> CapturedMessage | None:
        return self._s.exec(
            select(CapturedMessage).where(
                CapturedMessage.transport == transport,
                CapturedMessage.room == room,
                CapturedMessage.message_id == message_id,
            )
        ).first()

    def forget(self, capture: CapturedMessage) -> None:
        self._s.delete(capture)
        self._s.flush()
