"""Queries for the minutes taken in meetings: their tagged lines, edits and corrections, the
action items and the decisions they hold."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from storage.models import (
    ActionItem,
    MeetingDecision,
    MinuteEdit,
    MinuteLine,
    Minutes,
    MinutesCorrection,
)


class MinutesRecords:
    def __init__(self, session: Session):
        self._s = session

    def get(self, minutes_id: int) -> Minutes | None:
        return self._s.get(Minutes, minutes_id)

    def of_meeting(self, meeting_id: int) -> Minutes | None:
        return self._s.exec(select(Minutes).where(Minutes.meeting_id == meeting_id)).first()

    def open_of(self, group_id: int) -> Minutes | None:
        return self._s.exec(
            select(Minutes).where(Minutes.group_id == group_id, Minutes.status == "open")
        ).first()

    def all(self, group_id: int) -> list[Minutes]:
        return list(
            self._s.exec(select(Minutes).where(Minutes.group_id == group_id).order_by(Minutes.id))
        )

    def in_review(self) -> list[Minutes]:
        """Draft minutes of every group: what the review window's producer looks at."""
        return list(
            self._s.exec(
                select(Minutes).where(Minutes.status == "draft").order_by(Minutes.review_until)
            )
        )

    def latest_ended(self, group_id: int, before: datetime) -> Minutes | None:
        return self._s.exec(
            select(Minutes)
            .where(
                Minutes.group_id == group_id,
                Minutes.ended_at.is_not(None),
                Minutes.ended_at < before,
            )
            .order_by(Minutes.ended_at.desc())
        ).first()

    def add(self, **fields) -> Minutes:
        minutes = Minutes(**fields)
        self._s.add(minutes)
        self._s.flush()
        return minutes

    def save(self, minutes: Minutes) -> None:
        # a JSON list changed in place is not seen as a change: give it a new list
        minutes.chairs = list(minutes.chairs)
        self._s.add(minutes)
        self._s.flush()

    # lines ---------------------------------------------------------------------------------
    def lines(self, minutes_id: int) -> list[MinuteLine]:
        return list(
            self._s.exec(
                select(MinuteLine)
                .where(MinuteLine.minutes_id == minutes_id)
                .order_by(MinuteLine.number)
            )
        )

    def line(self, minutes_id: int, number: int) -> MinuteLine | None:
        return self._s.exec(
            select(MinuteLine).where(
                MinuteLine.minutes_id == minutes_id, MinuteLine.number == number
            )
        ).first()

    def add_line(self, minutes_id: int, **fields) -> MinuteLine:
        last = self._s.exec(
            select(func.max(MinuteLine.number)).where(MinuteLine.minutes_id == minutes_id)
        ).one()
        line = MinuteLine(minutes_id=minutes_id, number=(last or 0) + 1, **fields)
        self._s.add(line)
        self._s.flush()
        return line

    def save_line(self, line: MinuteLine) -> None:
        self._s.add(line)
        self._s.flush()

    def edit_line(self, line: MinuteLine, text: str, by: str, now: datetime) -> None:
        """Give a line a new text, keeping the old one."""
        self._s.add(
            MinuteEdit(
                line_id=line.id, old_text=line.text, new_text=text, edited_by=by, edited_at=now
            )
        )
        line.text = text
        self.save_line(line)

    # corrections ---------------------------------------------------------------------------
    def correct(self, minutes_id: int, author: str, text: str, now: datetime) -> MinutesCorrection:
        row = MinutesCorrection(minutes_id=minutes_id, author=author, text=text, created_at=now)
        self._s.add(row)
        self._s.flush()
        return row

    def corrections(self, minutes_id: int) -> list[MinutesCorrection]:
        return list(
            self._s.exec(
                select(MinutesCorrection)
                .where(MinutesCorrection.minutes_id == minutes_id)
                .order_by(MinutesCorrection.id)
            )
        )

    def settle(self, minutes_id: int, now: datetime) -> int:
        """Mark every standing correction settled; how many there were."""
        standing = [c for c in self.corrections(minutes_id) if c.status == "standing"]
        for c in standing:
            c.status, c.settled_at = "settled", now
            self._s.add(c)
        self._s.flush()
        return len(standing)


class ActionItems:
    def __init__(self, session: Session):
        self._s = session

    def add(self, **fields) -> ActionItem:
        item = ActionItem(**fields)
        self._s.add(item)
        self._s.flush()
        return item

    def get(self, group_id: int, item_id: int) -> ActionItem | None:
        item = self._s.get(ActionItem, item_id)
        return item if item and item.group_id == group_id else None

    def of_group(self, group_id: int, status: str | None = None) -> list[ActionItem]:
        query = select(ActionItem).where(ActionItem.group_id == group_id)
        if status:
            query = query.where(ActionItem.status == status)
        return list(self._s.exec(query.order_by(ActionItem.id)))

    def of_minutes(self, minutes_id: int) -> list[ActionItem]:
        return list(
            self._s.exec(
                select(ActionItem)
                .where(ActionItem.minutes_id == minutes_id)
                .order_by(ActionItem.id)
            )
        )

    def of_line(self, line_id: int) -> list[ActionItem]:
        return list(
            self._s.exec(
                select(ActionItem).where(ActionItem.line_id == line_id).order_by(ActionItem.id)
            )
        )

    def open_everywhere(self) -> list[ActionItem]:
        """Open items of every group: what the reminders look at."""
        return list(
            self._s.exec(
                select(ActionItem).where(ActionItem.status == "open").order_by(ActionItem.id)
            )
        )

    def save(self, item: ActionItem) -> None:
        self._s.add(item)
        self._s.flush()


class MeetingDecisions:
    def __init__(self, session: Session):
        self._s = session

    def add(self, **fields) -> MeetingDecision:
        decision = MeetingDecision(**fields)
        self._s.add(decision)
        self._s.flush()
        return decision

    def get(self, group_id: int, decision_id: int) -> MeetingDecision | None:
        found = self._s.get(MeetingDecision, decision_id)
        return found if found and found.group_id == group_id else None

    def group_of(self, decision_id: int) -> int | None:
        found = self._s.get(MeetingDecision, decision_id)
        return found.group_id if found else None

    def of_group(self, group_id: int) -> list[MeetingDecision]:
        return list(
            self._s.exec(
                select(MeetingDecision)
                .where(MeetingDecision.group_id == group_id)
                .order_by(MeetingDecision.id)
            )
        )

    def of_minutes(self, minutes_id: int) -> list[MeetingDecision]:
        return list(
            self._s.exec(
                select(MeetingDecision)
                .where(MeetingDecision.minutes_id == minutes_id)
                .order_by(MeetingDecision.id)
            )
        )

    def of_line(self, line_id: int) -> MeetingDecision | None:
        return self._s.exec(
            select(MeetingDecision).where(MeetingDecision.line_id == line_id)
        ).first()

    def save(self, decision: MeetingDecision) -> None:
        self._s.add(decision)
        self._s.flush()
