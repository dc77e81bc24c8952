"""Queries for the year's work: workplan milestones, and time polls with their answers."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from storage.inserts import upsert
from storage.models import Milestone, TimeAnswer, TimePoll


class Milestones:
    def __init__(self, session: Session):
        self._s = session

    def add(self, **fields) -> Milestone:
        milestone = Milestone(**fields)
        self._s.add(milestone)
        self._s.flush()
        return milestone

    def get(self, group_id: int, milestone_id: int) -> Milestone | None:
        found = self._s.get(Milestone, milestone_id)
        return found if found and found.group_id == group_id else None

    def all(self, group_id: int) -> list[Milestone]:
        return list(
            self._s.exec(
                select(Milestone)
                .where(Milestone.group_id == group_id)
                .order_by(Milestone.due, Milestone.id)
            )
        )

    def open_due_by(self, last_day: date, group_id: int | None = None) -> list[Milestone]:
        """Open milestones due on or before `last_day`, of one group or of every group."""
        query = select(Milestone).where(Milestone.status == "open", Milestone.due <= last_day)
        if group_id is not None:
            query = query.where(Milestone.group_id == group_id)
        return list(self._s.exec(query.order_by(Milestone.due, Milestone.id)))

    def open_due_between(self, first_day: date, last_day: date) -> list[Milestone]:
        query = select(Milestone).where(
            Milestone.status == "open", Milestone.due >= first_day, Milestone.due <= last_day
        )
        return list(self._s.exec(query.order_by(Milestone.due, Milestone.id)))

    def open_due_after(self, first_day: date) -> list[Milestone]:
        query = select(Milestone).where(Milestone.status == "open", Milestone.due >= first_day)
        return list(self._s.exec(query.order_by(Milestone.due, Milestone.id)))

    def save(self, milestone: Milestone) -> None:
        self._s.add(milestone)
        self._s.flush()


class TimePolls:
    def __init__(self, session: Session):
        self._s = session

    def add(self, **fields) -> TimePoll:
        poll = TimePoll(**fields)
        self._s.add(poll)
        self._s.flush()
        return poll

    def group_of(self, poll_id: int) -> int | None:
        poll = self._s.get(TimePoll, poll_id)
        return poll.group_id if poll else None

    def get(self, group_id: int, poll_id: int) -> TimePoll | None:
        poll = self._s.get(TimePoll, poll_id)
        return poll if poll and poll.group_id == group_id else None

    def open_closing_by(self, moment: datetime) -> list[TimePoll]:
        query = select(TimePoll).where(TimePoll.closed_at.is_(None), TimePoll.closes_at <= moment)
        return list(self._s.exec(query.order_by(TimePoll.closes_at, TimePoll.id)))

    def next_close_after(self, moment: datetime) -> datetime | None:
        query = select(TimePoll.closes_at).where(
            TimePoll.closed_at.is_(None), TimePoll.closes_at > moment
        )
        return self._s.exec(query.order_by(TimePoll.closes_at)).first()

    def save(self, poll: TimePoll) -> None:
        self._s.add(poll)
        self._s.flush()

    def answer(self, poll_id: int, member: str, slot: int, answer: str, now: datetime) -> None:
        values = {
            "poll_id": poll_id,
            "member": member,
            "slot": slot,
            "answer": answer,
            "answered_at": now,
        }
        upsert(
            self._s, TimeAnswer, values, ["poll_id", "member", "slot"], ["answer", "answered_at"]
        )

    def answers(self, poll_id: int) -> list[TimeAnswer]:
        query = (
            select(TimeAnswer)
            .where(TimeAnswer.poll_id == poll_id)
            .order_by(TimeAnswer.member, TimeAnswer.slot)
        )
        return list(self._s.exec(query))
