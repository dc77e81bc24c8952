"""Queries for the output document's review rounds and their comments."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import DraftComment, DraftRound


class Drafts:
    def __init__(self, session: Session):
        self._s = session

    def add(self, **fields) -> DraftRound:
        found = DraftRound(**fields)
        self._s.add(found)
        self._s.flush()
        return found

    def get(self, group_id: int, round_id: int) -> DraftRound | None:
        found = self._s.get(DraftRound, round_id)
        return found if found and found.group_id == group_id else None

    def all(self, group_id: int) -> list[DraftRound]:
        query = select(DraftRound).where(DraftRound.group_id == group_id).order_by(DraftRound.id)
        return list(self._s.exec(query))

    def open_rounds(self) -> list[DraftRound]:
        query = select(DraftRound).where(DraftRound.closed_at.is_(None))
        return list(self._s.exec(query.order_by(DraftRound.comments_until, DraftRound.id)))

    def save(self, found: DraftRound) -> None:
        self._s.add(found)
        self._s.flush()

    def comment(self, **fields) -> DraftComment:
        found = DraftComment(**fields)
        self._s.add(found)
        self._s.flush()
        return found

    def comments(self, round_id: int) -> list[DraftComment]:
        query = (
            select(DraftComment)
            .where(DraftComment.round_id == round_id)
            .order_by(DraftComment.created_at, DraftComment.id)
        )
        return list(self._s.exec(query))
