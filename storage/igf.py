"""Queries for the IGF calendar the group follows."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from storage.models import IgfEvent


class IgfEvents:
    def __init__(self, session: Session):
        self._s = session

    def add(self, **fields) -> IgfEvent:
        event = IgfEvent(**fields)
        self._s.add(event)
        self._s.flush()
        return event

    def get(self, group_id: int, event_id: int) -> IgfEvent | None:
        event = self._s.get(IgfEvent, event_id)
        return event if event and event.group_id == group_id else None

    def with_uid(self, group_id: int, uid: str) -> IgfEvent | None:
        query = select(IgfEvent).where(IgfEvent.group_id == group_id, IgfEvent.uid == uid)
        return self._s.exec(query).first()

    def all(self, group_id: int) -> list[IgfEvent]:
        query = (
            select(IgfEvent)
            .where(IgfEvent.group_id == group_id)
            .order_by(IgfEvent.starts, IgfEvent.id)
        )
        return list(self._s.exec(query))

    def around(self, first: date, last: date) -> list[IgfEvent]:
        """Events of every group starting on or before `last` and ending on or after `first`."""
        query = select(IgfEvent).where(IgfEvent.starts <= last, IgfEvent.ends >= first)
        return list(self._s.exec(query.order_by(IgfEvent.starts, IgfEvent.id)))

    def starting_from(self, first: date) -> list[IgfEvent]:
        query = select(IgfEvent).where(IgfEvent.ends >= first)
        return list(self._s.exec(query.order_by(IgfEvent.starts, IgfEvent.id)))

    def save(self, event: IgfEvent) -> None:
        self._s.add(event)
        self._s.flush()
