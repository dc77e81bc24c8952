"""The unit of work: one transaction per inbound event or scheduler tick, with narrow methods.

Handlers see only these methods, never a session or a query builder.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, or_, update
from sqlmodel import Session, select

from storage.captures import Captures
from storage.inserts import insert_once
from storage.meetings import Agendas, Apologies, Attendances, Issues, Meetings
from storage.models import Group, Member, OutboxItem, ProcessedEvent, Room
from storage.outreach import Objections, OutreachRecords, Polls, Posts, Votes
from storage.transport_state import TransportStates

OUTBOX_LEASE = timedelta(minutes=5)


class Groups:
    def __init__(self, session: Session):
        self._s = session

    def all(self) -> list[Group]:
        return list(self._s.exec(select(Group).order_by(Group.name)))

    def get(self, group_id: int) -> Group | None:
        return self._s.get(Group, group_id)

    def by_id(self, group_ids: set[int]) -> dict[int, Group]:
        """Several groups at once, by id (one query, where `get` would make one each)."""
        if not group_ids:
            return {}
        return {g.id: g for g in self._s.exec(select(Group).where(Group.id.in_(group_ids)))}

    def named(self, name: str) -> Group | None:
        return self._s.exec(select(Group).where(Group.name == name)).first()

    def for_room(self, transport: str, room: str) -> Group | None:
        return self._s.exec(
            select(Group).join(Room).where(Room.transport == transport, Room.room == room)
        ).first()

    def room(self, transport: str, room: str) -> Room | None:
        return self._s.exec(
            select(Room).where(Room.transport == transport, Room.room == room)
        ).first()

    def rooms(self, group_id: int) -> list[Room]:
        return list(self._s.exec(select(Room).where(Room.group_id == group_id).order_by(Room.id)))

    def create(self, name: str, now: datetime, target_size: int = 20) -> Group:
        group = Group(name=name, created_at=now, target_size=target_size)
        self._s.add(group)
        self._s.flush()
        return group

    def save(self, group: Group) -> None:
        self._s.add(group)
        self._s.flush()

    def main_rooms(self, group_id: int) -> list[Room]:
        return [r for r in self.rooms(group_id) if r.main]

    def main_rooms_of(self, group_ids: set[int]) -> dict[int, list[Room]]:
        """The main rooms of several groups at once, by group, each in `main_rooms`' order."""
        found: dict[int, list[Room]] = {}
        if group_ids:
            query = select(Room).where(Room.group_id.in_(group_ids), Room.main.is_(True))
            for room in self._s.exec(query.order_by(Room.id)):
                found.setdefault(room.group_id, []).append(room)
        return found

    def bind(self, group: Group, transport: str, room: str, main: bool) -> Room:
        if main:
            for other in self.rooms(group.id):
                if other.transport == transport and other.main:
                    other.main = False
        bound = Room(group_id=group.id, transport=transport, room=room, main=main)
        self._s.add(bound)
        self._s.flush()
        return bound


class Members:
    def __init__(self, session: Session):
        self._s = session

    def get(self, group_id: int, handle: str) -> Member | None:
        return self._s.exec(
            select(Member).where(Member.group_id == group_id, Member.handle == handle)
        ).first()

    def all(self, group_id: int) -> list[Member]:
        return list(
            self._s.exec(
                select(Member)
                .where(Member.group_id == group_id)
                .order_by(Member.stakeholder_group, Member.name, Member.handle)
            )
        )

    def handles_with_roles(
        self, group_ids: set[int], roles: tuple[str, ...]
    ) -> dict[int, set[str]]:
        """Who holds one of `roles` in each of several groups at once."""
        found: dict[int, set[str]] = {}
        if group_ids:
            query = select(Member.group_id, Member.handle).where(
                Member.group_id.in_(group_ids), Member.role.in_(roles)
            )
            for group_id, handle in self._s.exec(query):
                found.setdefault(group_id, set()).add(handle)
        return found

    def groups_of(self, handle: str) -> list[Group]:
        return list(
            self._s.exec(
                select(Group).join(Member).where(Member.handle == handle).order_by(Group.name)
            )
        )

    def add(self, **fields) -> Member:
        member = Member(**fields)
        self._s.add(member)
        self._s.flush()
        return member

    def remove(self, member: Member) -> None:
        self._s.delete(member)
        self._s.flush()


class EventLog:
    def __init__(self, session: Session):
        self._s = session

    def claim(self, transport: str, key: str, now: datetime) -> bool:
        """Record an inbound event; False when it was processed before (the caller stops)."""
        values = {"transport": transport, "key": key[:255], "processed_at": now}
        return insert_once(self._s, ProcessedEvent, values)


class Outbox:
    def __init__(self, session: Session):
        self._s = session

    def enqueue(self, item: OutboxItem) -> bool:
        """Queue `item` unless one with the same key exists; True when queued."""
        values = item.model_dump(exclude={"id"})
        return insert_once(self._s, OutboxItem, values)

    def next_due(self, transports: tuple[str, ...] | None = None) -> datetime | None:
        waiting = [OutboxItem.sent_at.is_(None), OutboxItem.skipped_at.is_(None)]
        if transports is not None:
            waiting.append(OutboxItem.transport.in_(transports))
        return self._s.exec(select(func.min(OutboxItem.due_at)).where(*waiting)).one()

    def next_claimable(
        self, after: datetime, transports: tuple[str, ...] | None = None
    ) -> datetime | None:
        """The first moment later than `after` when a waiting item can be claimed: its due
        time, or for one another worker holds, the end of that worker's lease."""
        waiting = [OutboxItem.sent_at.is_(None), OutboxItem.skipped_at.is_(None)]
        if transports is not None:
            waiting.append(OutboxItem.transport.in_(transports))
        unclaimed = self._s.exec(
            select(func.min(OutboxItem.due_at)).where(
                *waiting, OutboxItem.claimed_at.is_(None), OutboxItem.due_at > after
            )
        ).one()
        held = self._s.exec(
            select(func.min(OutboxItem.claimed_at)).where(
                *waiting,
                OutboxItem.claimed_at.is_not(None),
                OutboxItem.claimed_at > after - OUTBOX_LEASE,
            )
        ).one()
        times = [t for t in (unclaimed, held + OUTBOX_LEASE if held else None) if t is not None]
        return min(times, default=None)

    def known(self, keys: list[str]) -> set[str]:
        """Which of `keys` were queued already (sent, waiting or skipped)."""
        if not keys:
            return set()
        return set(self._s.exec(select(OutboxItem.key).where(OutboxItem.key.in_(keys))))

    def claim_due(
        self, now: datetime, worker: str, limit: int = 50, transports: tuple[str, ...] | None = None
    ) -> list[OutboxItem]:
        """Claim unsent items due by `now` (for `transports` only, when given); an item claimed
        by another worker is left alone until its lease runs out, so a crashed sender's items
        are taken over, never lost."""
        stale = now - OUTBOX_LEASE
        unclaimed = or_(OutboxItem.claimed_at.is_(None), OutboxItem.claimed_at <= stale)
        waiting = (OutboxItem.sent_at.is_(None), OutboxItem.skipped_at.is_(None))
        if transports is not None:
            waiting += (OutboxItem.transport.in_(transports),)
        ids = self._s.exec(
            select(OutboxItem.id)
            .where(*waiting, OutboxItem.due_at <= now, unclaimed)
            .order_by(OutboxItem.due_at, OutboxItem.id)
            .limit(limit)
        ).all()
        claimed = []
        for item_id in ids:
            result = self._s.exec(
                update(OutboxItem)
                .where(OutboxItem.id == item_id, *waiting, unclaimed)
                .values(claimed_by=worker, claimed_at=now, attempts=OutboxItem.attempts + 1)
            )
            if result.rowcount == 1:
                claimed.append(item_id)
        self._s.flush()
        return [self._s.get(OutboxItem, item_id, populate_existing=True) for item_id in claimed]

    def mark_sent(self, item: OutboxItem, now: datetime) -> None:
        item.sent_at = now
        self._s.add(item)
        self._s.flush()

    def release(self, item: OutboxItem, error: str) -> None:
        """Give a claimed item back after a failed send, to be tried again at the next tick
        (where, as for any item claimed again, the transport is asked first whether it got
        through: a send that failed late, a timeout, may have reached the platform)."""
        item.claimed_by = None
        item.claimed_at = None
        item.last_error = error[:2000]
        self._s.add(item)
        self._s.flush()


class UnitOfWork:
    """`with store() as uow: ...; uow.commit()` — leaving without commit rolls back."""

    def __init__(self, session_factory: Callable[[], Session]):
        self._session_factory = session_factory

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.groups = Groups(self.session)
        self.members = Members(self.session)
        self.events = EventLog(self.session)
        self.outbox = Outbox(self.session)
        self.meetings = Meetings(self.session)
        self.apologies = Apologies(self.session)
        self.attendance = Attendances(self.session)
        self.agendas = Agendas(self.session)
        self.issues = Issues(self.session)
        self.posts = Posts(self.session)
        self.captures = Captures(self.session)
        self.outreach = OutreachRecords(self.session)
        self.objections = Objections(self.session)
        self.polls = Polls(self.session)
        self.votes = Votes(self.session)
        self.transport_state = TransportStates(self.session)
        return self

    def __exit__(self, *exc) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


class Store:
    """Opens units of work on one engine."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(lambda: Session(self.engine, expire_on_commit=False))
