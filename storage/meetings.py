"""Queries for meetings and what hangs on them: apologies, attendance, agenda items, issues."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, exists, func
from sqlmodel import Session, select

from storage.inserts import insert_once
from storage.models import (
    AgendaItem,
    Apology,
    Attendance,
    Issue,
    IssueSupport,
    Meeting,
    MeetingSeries,
    Minutes,
)


class Meetings:
    def __init__(self, session: Session):
        self._s = session

    def series(self, group_id: int) -> MeetingSeries | None:
        return self._s.exec(select(MeetingSeries).where(MeetingSeries.group_id == group_id)).first()

    def all_series(self) -> list[MeetingSeries]:
        return list(self._s.exec(select(MeetingSeries).order_by(MeetingSeries.group_id)))

    def set_series(self, group_id: int, **fields) -> MeetingSeries:
        series = self.series(group_id) or MeetingSeries(group_id=group_id, **fields)
        for key, value in fields.items():
            setattr(series, key, value)
        self._s.add(series)
        self._s.flush()
        return series

    def group_of(self, meeting_id: int) -> int | None:
        meeting = self._s.get(Meeting, meeting_id)
        return meeting.group_id if meeting else None

    def get(self, group_id: int, meeting_id: int) -> Meeting | None:
        meeting = self._s.get(Meeting, meeting_id)
        return meeting if meeting and meeting.group_id == group_id else None

    def add(self, group_id: int, occurrence: datetime, now: datetime, **fields) -> bool:
        """Create the meeting for `occurrence` unless it exists (several instances may try)."""
        values = {
            "group_id": group_id,
            "occurrence": occurrence,
            "starts_at": occurrence,
            "created_at": now,
        }
        values.update(fields)
        values.setdefault("status", "scheduled")
        values.setdefault("agenda_status", "draft")
        return insert_once(self._s, Meeting, values)

    def at_occurrence(self, group_id: int, occurrence: datetime) -> Meeting | None:
        return self._s.exec(
            select(Meeting).where(Meeting.group_id == group_id, Meeting.occurrence == occurrence)
        ).first()

    def last_occurrence(self, series_id: int) -> datetime | None:
        return self._s.exec(
            select(func.max(Meeting.occurrence)).where(Meeting.series_id == series_id)
        ).one()

    def last_occurrences(self) -> dict[int, datetime]:
        """Every series' latest meeting occurrence, by series id."""
        query = (
            select(Meeting.series_id, func.max(Meeting.occurrence))
            .where(Meeting.series_id.is_not(None))
            .group_by(Meeting.series_id)
        )
        return {series_id: last for series_id, last in self._s.exec(query)}

    def upcoming(self, group_id: int, after: datetime, limit: int = 5) -> list[Meeting]:
        """Scheduled meetings starting at or after `after`, soonest first."""
        return list(
            self._s.exec(
                select(Meeting)
                .where(
                    Meeting.group_id == group_id,
                    Meeting.status == "scheduled",
                    Meeting.starts_at >= after,
                )
                .order_by(Meeting.starts_at)
                .limit(limit)
            )
        )

    def recent(self, group_id: int, before: datetime, limit: int) -> list[Meeting]:
        """Scheduled meetings that started before `before`, latest first."""
        return list(
            self._s.exec(
                select(Meeting)
                .where(
                    Meeting.group_id == group_id,
                    Meeting.status == "scheduled",
                    Meeting.starts_at < before,
                )
                .order_by(Meeting.starts_at.desc())
                .limit(limit)
            )
        )

    def between(self, group_id: int, lo: datetime, hi: datetime) -> list[Meeting]:
        """Every meeting (cancelled ones too) starting in [lo, hi)."""
        return list(
            self._s.exec(
                select(Meeting)
                .where(
                    Meeting.group_id == group_id, Meeting.starts_at >= lo, Meeting.starts_at < hi
                )
                .order_by(Meeting.starts_at)
            )
        )

    def starting_between(self, lo: datetime, hi: datetime) -> list[Meeting]:
        """Scheduled meetings of every group starting in [lo, hi): what the scheduler looks at."""
        return list(
            self._s.exec(
                select(Meeting)
                .where(
                    Meeting.status == "scheduled", Meeting.starts_at >= lo, Meeting.starts_at < hi
                )
                .order_by(Meeting.starts_at, Meeting.id)
            )
        )

    def all(self, group_id: int) -> list[Meeting]:
        return list(
            self._s.exec(
                select(Meeting).where(Meeting.group_id == group_id).order_by(Meeting.occurrence)
            )
        )

    def drop_unused_after(self, series_id: int, after: datetime) -> int:
        """Delete the series' meetings from `after` on that nothing refers to yet; returns how many."""
        used = (
            exists().where(Apology.meeting_id == Meeting.id)
            | exists().where(AgendaItem.meeting_id == Meeting.id)
            | exists().where(Attendance.meeting_id == Meeting.id)
            | exists().where(Minutes.meeting_id == Meeting.id)
        )
        result = self._s.exec(
            delete(Meeting).where(
                Meeting.series_id == series_id, Meeting.occurrence >= after, ~used
            )
        )
        self._s.flush()
        return result.rowcount

    def save(self, meeting: Meeting) -> None:
        self._s.add(meeting)
        self._s.flush()


class Apologies:
    """Availability notices: a standing one per member and meeting, and the withdrawn ones,
    which stay on the record."""

    def __init__(self, session: Session):
        self._s = session

    def by_id(self, apology_id: int) -> Apology | None:
        return self._s.get(Apology, apology_id)

    def get(self, meeting_id: int, handle: str) -> Apology | None:
        """`handle`'s standing notice for the meeting."""
        return self._s.exec(
            select(Apology).where(
                Apology.meeting_id == meeting_id,
                Apology.handle == handle,
                Apology.withdrawn_at.is_(None),
            )
        ).first()

    def record(
        self, meeting_id: int, handle: str, reason: str | None, source: str, now: datetime
    ) -> Apology:
        """Record or update one member's notice for one meeting (one standing notice each)."""
        apology = self.get(meeting_id, handle)
        if apology is None:
            insert_once(
                self._s,
                Apology,
                {
                    "meeting_id": meeting_id,
                    "handle": handle,
                    "reason": reason,
                    "source": source,
                    "created_at": now,
                    "status": "standing",
                },
            )
            apology = self.get(meeting_id, handle)
        elif reason:
            apology.reason = reason
            self._s.add(apology)
        self._s.flush()
        return apology

    def withdraw(self, apology: Apology, now: datetime) -> None:
        """Withdraw a notice: it stays, marked withdrawn at `now`, and no longer excuses."""
        apology.status, apology.withdrawn_at = "withdrawn", now
        self._s.add(apology)
        self._s.flush()

    def save(self, apology: Apology) -> None:
        self._s.add(apology)
        self._s.flush()

    def for_meetings(self, meeting_ids: Iterable[int]) -> list[Apology]:
        """The standing notices for the meetings."""
        ids = list(meeting_ids)
        if not ids:
            return []
        return list(
            self._s.exec(
                select(Apology)
                .where(Apology.meeting_id.in_(ids), Apology.withdrawn_at.is_(None))
                .order_by(Apology.created_at, Apology.id)
            )
        )


class Attendances:
    def __init__(self, session: Session):
        self._s = session

    def record(self, meeting_id: int, handle: str, now: datetime) -> bool:
        return insert_once(
            self._s, Attendance, {"meeting_id": meeting_id, "handle": handle, "recorded_at": now}
        )

    def for_meetings(self, meeting_ids: Iterable[int]) -> list[Attendance]:
        ids = list(meeting_ids)
        if not ids:
            return []
        return list(
            self._s.exec(
                select(Attendance).where(Attendance.meeting_id.in_(ids)).order_by(Attendance.handle)
            )
        )


class Agendas:
    def __init__(self, session: Session):
        self._s = session

    def items(self, meeting_id: int) -> list[AgendaItem]:
        return list(
            self._s.exec(
                select(AgendaItem)
                .where(AgendaItem.meeting_id == meeting_id)
                .order_by(AgendaItem.number)
            )
        )

    def item(self, meeting_id: int, number: int) -> AgendaItem | None:
        return self._s.exec(
            select(AgendaItem).where(
                AgendaItem.meeting_id == meeting_id, AgendaItem.number == number
            )
        ).first()

    def add(
        self, meeting_id: int, author: str, text: str, now: datetime, issue_id: int | None = None
    ) -> AgendaItem:
        last = self._s.exec(
            select(func.max(AgendaItem.number)).where(AgendaItem.meeting_id == meeting_id)
        ).one()
        item = AgendaItem(
            meeting_id=meeting_id,
            number=(last or 0) + 1,
            author=author,
            text=text,
            issue_id=issue_id,
            created_at=now,
        )
        self._s.add(item)
        self._s.flush()
        return item

    def remove(self, item: AgendaItem) -> None:
        self._s.delete(item)
        self._s.flush()

    def move(self, item: AgendaItem, meeting_id: int) -> AgendaItem:
        """Put `item` last on another meeting's agenda; it keeps its id and author."""
        last = self._s.exec(
            select(func.max(AgendaItem.number)).where(AgendaItem.meeting_id == meeting_id)
        ).one()
        item.meeting_id, item.number = meeting_id, (last or 0) + 1
        self._s.add(item)
        self._s.flush()
        return item


class Issues:
    def __init__(self, session: Session):
        self._s = session

    def add(self, group_id: int, author: str, text: str, now: datetime) -> Issue:
        issue = Issue(group_id=group_id, author=author, text=text, created_at=now)
        self._s.add(issue)
        self._s.flush()
        return issue

    def get(self, group_id: int, issue_id: int) -> Issue | None:
        issue = self._s.get(Issue, issue_id)
        return issue if issue and issue.group_id == group_id else None

    def all(self, group_id: int, status: str | None = None) -> list[Issue]:
        query = select(Issue).where(Issue.group_id == group_id)
        if status:
            query = query.where(Issue.status == status)
        return list(self._s.exec(query.order_by(Issue.id)))

    def support(self, issue_id: int, handle: str, now: datetime) -> bool:
        return insert_once(
            self._s, IssueSupport, {"issue_id": issue_id, "handle": handle, "created_at": now}
        )

    def unsupport(self, issue_id: int, handle: str) -> bool:
        """Take `handle`'s support back; False when they did not support it."""
        removed = self._s.execute(
            delete(IssueSupport).where(
                IssueSupport.issue_id == issue_id, IssueSupport.handle == handle
            )
        )
        return removed.rowcount > 0

    def supporters(self, issue_ids: Iterable[int]) -> dict[int, list[str]]:
        ids = list(issue_ids)
        found: dict[int, list[str]] = {i: [] for i in ids}
        if ids:
            rows = self._s.exec(
                select(IssueSupport).where(IssueSupport.issue_id.in_(ids)).order_by(IssueSupport.id)
            )
            for row in rows:
                found[row.issue_id].append(row.handle)
        return found

    def save(self, issue: Issue) -> None:
        self._s.add(issue)
        self._s.flush()
