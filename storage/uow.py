"""The unit of work: one transaction per inbound event or scheduler tick, with narrow methods.

Handlers see only these methods, never a session or a query builder.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.audit import AuditLog
from storage.capture_questions import CaptureQuestions
from storage.captures import Captures
from storage.drafts import Drafts
from storage.igf import IgfEvents
from storage.inbox import Inbox
from storage.inserts import insert_once
from storage.marks import RecordMarks
from storage.meetings import Agendas, Apologies, Attendances, Issues, Meetings
from storage.minutes import ActionItems, MeetingDecisions, MinutesRecords
from storage.models import Group, Member, MemberChange, ProcessedEvent, Room
from storage.outbox import OUTBOX_LEASE, Outbox  # noqa: F401  (OUTBOX_LEASE: re-exported)
from storage.outreach import Objections, OutreachRecords, Polls, Posts, Votes
from storage.poll_records import Amendments, PollTallies
from storage.transport_state import TransportStates
from storage.workplan import Milestones, TimePolls


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
    """Memberships: a person's current one (`removed_at` unset) and their former ones."""

    def __init__(self, session: Session):
        self._s = session

    def get(self, group_id: int, handle: str) -> Member | None:
        """`handle`'s current membership of the group."""
        return self._s.exec(
            select(Member).where(
                Member.group_id == group_id, Member.handle == handle, Member.removed_at.is_(None)
            )
        ).first()

    def with_email(self, address: str) -> list[Member]:
        """The current memberships, in any group, whose e-mail address is `address`."""
        return list(
            self._s.exec(
                select(Member)
                .where(Member.email == address.lower(), Member.removed_at.is_(None))
                .order_by(Member.group_id, Member.id)
            )
        )

    def address_of(self, handle: str) -> str | None:
        """The e-mail address of a current member with `handle`, in any group."""
        return self._s.exec(
            select(Member.email)
            .where(Member.handle == handle, Member.removed_at.is_(None), Member.email.is_not(None))
            .order_by(Member.id)
        ).first()

    def name_of(self, handle: str) -> str | None:
        """The name of a current member with `handle`, in any group."""
        return self._s.exec(
            select(Member.name)
            .where(Member.handle == handle, Member.removed_at.is_(None))
            .order_by(Member.id)
        ).first()

    def all(self, group_id: int) -> list[Member]:
        """The group's current members."""
        return list(
            self._s.exec(
                select(Member)
                .where(Member.group_id == group_id, Member.removed_at.is_(None))
                .order_by(Member.stakeholder_group, Member.name, Member.handle)
            )
        )

    def history(self, group_id: int) -> list[Member]:
        """Every membership of the group, current and former, by handle and start."""
        return list(
            self._s.exec(
                select(Member)
                .where(Member.group_id == group_id)
                .order_by(Member.handle, Member.added_at, Member.id)
            )
        )

    def former(self, group_id: int, handle: str) -> Member | None:
        """`handle`'s latest ended membership of the group."""
        return self._s.exec(
            select(Member)
            .where(
                Member.group_id == group_id,
                Member.handle == handle,
                Member.removed_at.is_not(None),
            )
            .order_by(Member.removed_at.desc(), Member.id.desc())
        ).first()

    def changes(self, group_id: int) -> list[MemberChange]:
        """Every recorded change of the group's memberships, oldest first."""
        return list(
            self._s.exec(
                select(MemberChange)
                .join(Member, Member.id == MemberChange.member_id)
                .where(Member.group_id == group_id)
                .order_by(MemberChange.changed_at, MemberChange.id)
            )
        )

    def change(self, member: Member, values: dict, now: datetime, by: str) -> dict:
        """Set `values` on a membership, keeping each earlier value with its date; returns
        {field: (old, new)} for what really changed."""
        changed = {}
        for field, new in values.items():
            old = getattr(member, field)
            if old != new:
                changed[field] = (old, new)
                setattr(member, field, new)
                self._s.add(
                    MemberChange(
                        member_id=member.id,
                        field=field,
                        old=old,
                        new=new,
                        changed_at=now,
                        changed_by=by,
                    )
                )
        self._s.add(member)
        self._s.flush()
        return changed

    def handles_with_roles(
        self, group_ids: set[int], roles: tuple[str, ...]
    ) -> dict[int, set[str]]:
        """Who holds one of `roles` in each of several groups at once."""
        found: dict[int, set[str]] = {}
        if group_ids:
            query = select(Member.group_id, Member.handle).where(
                Member.group_id.in_(group_ids), Member.role.in_(roles), Member.removed_at.is_(None)
            )
            for group_id, handle in self._s.exec(query):
                found.setdefault(group_id, set()).add(handle)
        return found

    def groups_of(self, handle: str) -> list[Group]:
        return list(
            self._s.exec(
                select(Group)
                .join(Member)
                .where(Member.handle == handle, Member.removed_at.is_(None))
                .order_by(Group.name)
            )
        )

    def add(self, **fields) -> Member:
        member = Member(**fields)
        self._s.add(member)
        self._s.flush()
        return member

    def end(self, member: Member, now: datetime, by: str, reason: str | None) -> None:
        """End a membership: the person becomes a former member, their past stays theirs."""
        member.removed_at, member.removed_by, member.removed_reason = now, by, reason
        self._s.add(member)
        self._s.flush()


class EventLog:
    def __init__(self, session: Session):
        self._s = session

    def claim(self, transport: str, key: str, now: datetime) -> bool:
        """Record an inbound event; False when it was processed before (the caller stops)."""
        values = {"transport": transport, "key": key[:255], "processed_at": now}
        return insert_once(self._s, ProcessedEvent, values)


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
        self.inbox = Inbox(self.session)
        self.meetings = Meetings(self.session)
        self.apologies = Apologies(self.session)
        self.attendance = Attendances(self.session)
        self.agendas = Agendas(self.session)
        self.issues = Issues(self.session)
        self.posts = Posts(self.session)
        self.captures = Captures(self.session)
        self.capture_questions = CaptureQuestions(self.session)
        self.outreach = OutreachRecords(self.session)
        self.objections = Objections(self.session)
        self.polls = Polls(self.session)
        self.votes = Votes(self.session)
        self.tallies = PollTallies(self.session)
        self.amendments = Amendments(self.session)
        self.audit = AuditLog(self.session)
        self.transport_state = TransportStates(self.session)
        self.marks = RecordMarks(self.session)
        self.minutes = MinutesRecords(self.session)
        self.actions = ActionItems(self.session)
        self.decisions = MeetingDecisions(self.session)
        self.milestones = Milestones(self.session)
        self.timepolls = TimePolls(self.session)
        self.drafts = Drafts(self.session)
        self.igf = IgfEvents(self.session)
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
