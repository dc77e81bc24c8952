"""Queries for outreach, objections, consensus polls and votes, and the bot's own posts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, select

from storage.inserts import insert_once, upsert
from storage.models import Member, Objection, Outreach, Poll, SentPost, Vote


def _current_member(group_id: int):
    """Join a vote to its caster's current membership: a former member's vote no longer
    counts in an open poll (a closed one keeps the tally stored when it closed)."""
    return (
        (Member.handle == Vote.member) & (Member.group_id == group_id) & Member.removed_at.is_(None)
    )


class Posts:
    def __init__(self, session: Session):
        self._s = session

    def remember(self, transport: str, room: str, message_id: str, ref: str) -> None:
        values = {"transport": transport, "room": room, "message_id": message_id, "ref": ref}
        insert_once(self._s, SentPost, values)

    def ref_for(self, transport: str, room: str, message_id: str) -> str | None:
        return self._s.exec(
            select(SentPost.ref).where(
                SentPost.transport == transport,
                SentPost.room == room,
                SentPost.message_id == message_id,
            )
        ).first()

    def messages(self, ref: str) -> list[SentPost]:
        return list(self._s.exec(select(SentPost).where(SentPost.ref == ref).order_by(SentPost.id)))


class OutreachRecords:
    def __init__(self, session: Session):
        self._s = session

    def add(self, **fields) -> Outreach:
        record = Outreach(**fields)
        self._s.add(record)
        self._s.flush()
        return record

    def group_of(self, outreach_id: int) -> int | None:
        record = self._s.get(Outreach, outreach_id)
        return record.group_id if record else None

    def get(self, group_id: int, outreach_id: int) -> Outreach | None:
        record = self._s.get(Outreach, outreach_id)
        return record if record and record.group_id == group_id else None

    def all(self, group_id: int) -> list[Outreach]:
        return list(
            self._s.exec(
                select(Outreach)
                .where(Outreach.group_id == group_id)
                .order_by(Outreach.date, Outreach.id)
            )
        )

    def windows_closed_by(self, now: datetime) -> list[Outreach]:
        return list(
            self._s.exec(
                select(Outreach)
                .where(Outreach.status == "announced", Outreach.window_closes_at <= now)
                .order_by(Outreach.window_closes_at, Outreach.id)
            )
        )

    def next_window_after(self, now: datetime) -> datetime | None:
        return self._s.exec(
            select(func.min(Outreach.window_closes_at)).where(
                Outreach.status == "announced", Outreach.window_closes_at > now
            )
        ).one()

    def cleared_between(self, first_day, last_day) -> list[Outreach]:
        """Cleared outreach without a report whose event day is in [first_day, last_day]."""
        return list(
            self._s.exec(
                select(Outreach)
                .where(
                    Outreach.status == "cleared",
                    Outreach.date >= first_day,
                    Outreach.date <= last_day,
                    Outreach.report.is_(None),
                )
                .order_by(Outreach.date, Outreach.id)
            )
        )

    def move_status(self, record: Outreach, current: str, new: str) -> bool:
        """Change the status only if it still is `current` (a conditional update: of two
        instances doing it at once, one wins); True when this one did."""
        moved = self._s.exec(
            update(Outreach)
            .where(Outreach.id == record.id, Outreach.status == current)
            .values(status=new)
        ).rowcount
        if moved:
            self._s.refresh(record)
        return moved == 1

    def save(self, record: Outreach) -> None:
        self._s.add(record)
        self._s.flush()


class Objections:
    def __init__(self, session: Session):
        self._s = session

    def get(self, outreach_id: int, member: str) -> Objection | None:
        return self._s.exec(
            select(Objection).where(
                Objection.outreach_id == outreach_id, Objection.member == member
            )
        ).first()

    def by_id(self, objection_id: int) -> Objection | None:
        return self._s.get(Objection, objection_id)

    def add(self, **fields) -> Objection:
        objection = Objection(**fields)
        self._s.add(objection)
        self._s.flush()
        return objection

    def for_outreach(self, outreach_ids: Iterable[int]) -> list[Objection]:
        ids = list(outreach_ids)
        if not ids:
            return []
        return list(
            self._s.exec(
                select(Objection).where(Objection.outreach_id.in_(ids)).order_by(Objection.id)
            )
        )

    def save(self, objection: Objection) -> None:
        self._s.add(objection)
        self._s.flush()


class Polls:
    def __init__(self, session: Session):
        self._s = session

    def add(self, **fields) -> Poll:
        poll = Poll(**fields)
        self._s.add(poll)
        self._s.flush()
        return poll

    def group_of(self, poll_id: int) -> int | None:
        poll = self._s.get(Poll, poll_id)
        return poll.group_id if poll else None

    def get(self, group_id: int, poll_id: int) -> Poll | None:
        poll = self._s.get(Poll, poll_id)
        return poll if poll and poll.group_id == group_id else None

    def all(self, group_id: int) -> list[Poll]:
        return list(self._s.exec(select(Poll).where(Poll.group_id == group_id).order_by(Poll.id)))

    def open_for_outreach(self, outreach_id: int) -> list[Poll]:
        return list(
            self._s.exec(select(Poll).where(Poll.outreach_id == outreach_id, Poll.status == "open"))
        )

    def open_closing_by(self, moment: datetime) -> list[Poll]:
        """Open polls whose deadline is at or before `moment`, soonest first."""
        return list(
            self._s.exec(
                select(Poll)
                .where(Poll.status == "open", Poll.closes_at <= moment)
                .order_by(Poll.closes_at, Poll.id)
            )
        )

    def close_if_open(self, poll: Poll, now: datetime) -> bool:
        """Close the poll only if it is still open (a conditional update); True when closed here."""
        closed = self._s.exec(
            update(Poll)
            .where(Poll.id == poll.id, Poll.status == "open")
            .values(status="closed", closed_at=now)
        ).rowcount
        if closed:
            self._s.refresh(poll)
        return closed == 1

    def save(self, poll: Poll) -> None:
        self._s.add(poll)
        self._s.flush()


class Votes:
    def __init__(self, session: Session):
        self._s = session

    def cast(
        self,
        poll_id: int,
        member: str,
        option: str,
        reason: str | None,
        advisory: bool,
        now: datetime,
    ) -> None:
        """Record a vote; a second one by the same person replaces the first (atomically)."""
        values = {
            "poll_id": poll_id,
            "member": member,
            "option": option,
            "reason": reason,
            "advisory": advisory,
            "cast_at": now,
        }
        upsert(
            self._s,
            Vote,
            values,
            ["poll_id", "member"],
            ["option", "reason", "advisory", "cast_at"],
        )

    def for_poll(self, poll_id: int) -> list[Vote]:
        return list(self._s.exec(select(Vote).where(Vote.poll_id == poll_id).order_by(Vote.member)))

    def of(self, poll_id: int, member: str) -> Vote | None:
        """`member`'s vote on the poll, if any."""
        return self._s.exec(
            select(Vote).where(Vote.poll_id == poll_id, Vote.member == member)
        ).first()

    def dissent_and_views(self, poll_id: int, dissenting: tuple[str, ...]) -> list[Vote]:
        """The votes a tally lists one by one: counted votes for a `dissenting` option and
        every advisory view; the rest are only counted (a poll may have thousands)."""
        listed = Vote.advisory.is_(True) | Vote.option.in_(dissenting)
        return list(
            self._s.exec(select(Vote).where(Vote.poll_id == poll_id, listed).order_by(Vote.member))
        )

    def voters(self, poll_id: int) -> set[str]:
        """Who has voted (not advisory) among the poll's group's current members."""
        return set(
            self._s.exec(
                select(Vote.member)
                .join(Poll, Poll.id == Vote.poll_id)
                .join(
                    Member,
                    (Member.handle == Vote.member)
                    & (Member.group_id == Poll.group_id)
                    & Member.removed_at.is_(None),
                )
                .where(Vote.poll_id == poll_id, Vote.advisory.is_(False))
            )
        )

    def counts(
        self, poll_id: int, group_id: int, roles: tuple[str, ...]
    ) -> list[tuple[str, str | None, int]]:
        """(option, stakeholder group, votes) for the counted votes: those of members who
        hold a voting role now, aggregated in the database."""
        rows = self._s.exec(
            select(Vote.option, Member.stakeholder_group, func.count())
            .join(Member, _current_member(group_id))
            .where(Vote.poll_id == poll_id, Vote.advisory.is_(False), Member.role.in_(roles))
            .group_by(Vote.option, Member.stakeholder_group)
        )
        return [(option, group, count) for option, group, count in rows]

    def counted_dissent(
        self, poll_id: int, group_id: int, roles: tuple[str, ...], dissenting: tuple[str, ...]
    ) -> list[Vote]:
        """The votes for a `dissenting` option among those `counts` counts (the same people),
        so a tally never lists a dissent it did not count."""
        return list(
            self._s.exec(
                select(Vote)
                .join(Member, _current_member(group_id))
                .where(
                    Vote.poll_id == poll_id,
                    Vote.advisory.is_(False),
                    Vote.option.in_(dissenting),
                    Member.role.in_(roles),
                )
                .order_by(Vote.member)
            )
        )

    def eligible(self, group_id: int, roles: tuple[str, ...]) -> list[tuple[str | None, int]]:
        """(stakeholder group, members) who may vote."""
        rows = self._s.exec(
            select(Member.stakeholder_group, func.count())
            .where(
                Member.group_id == group_id,
                Member.role.in_(roles),
                Member.removed_at.is_(None),
            )
            .group_by(Member.stakeholder_group)
        )
        return [(group, count) for group, count in rows]
