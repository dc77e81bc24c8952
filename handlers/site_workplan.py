"""The group's year as its public website shows it: the workplan's milestones (terms of
reference I.1) and the IGF dates at which the group briefs the community (I.4, III).

Reduced to what anyone may read. A milestone shows its title, kind, due date, status and,
once done or dropped, the note said with that outcome; not its owner (the site names no one
behind assigned work, as the minutes' action items carry no names), nor who changed it, nor
the note of a move (which the bot never repeats in the room). An IGF date shows that the
group will brief and, after it, the report; not who presents, the slides or who reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from handlers.events import strip_marks
from handlers.igf_calendar import KIND_WORDS

OUTCOMES = ("done", "dropped")
HOME_IGF_DATES = 3


@dataclass(frozen=True)
class MilestoneItem:
    number: int
    title: str
    kind: str
    due: date
    status: str  # open, done, dropped
    overdue_days: int  # open and past due by this many days; 0 otherwise
    closed_on: date | None
    note: str | None  # said with the outcome (done, dropped)

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


@dataclass(frozen=True)
class IgfDate:
    number: int
    title: str
    kind: str  # in words: open consultation, MAG meeting, annual meeting, IGF date
    starts: date
    ends: date
    briefing: bool  # the group has arranged its briefing
    report: str | None
    past: bool


@dataclass(frozen=True)
class Workplan:
    milestones: list[MilestoneItem]
    igf: list[IgfDate]

    def with_status(self, status: str) -> list[MilestoneItem]:
        return [m for m in self.milestones if m.status == status]

    @property
    def upcoming(self) -> list[MilestoneItem]:
        """Open milestones by due date, the overdue ones first since they are earliest."""
        return self.with_status("open")

    @property
    def overdue(self) -> list[MilestoneItem]:
        return [m for m in self.upcoming if m.overdue]

    @property
    def next_milestone(self) -> MilestoneItem | None:
        """The first open milestone not yet past its due date."""
        return next((m for m in self.upcoming if not m.overdue), None)

    @property
    def coming_igf(self) -> list[IgfDate]:
        return [e for e in self.igf if not e.past]

    @property
    def past_igf(self) -> list[IgfDate]:
        return sorted((e for e in self.igf if e.past), key=lambda e: e.starts, reverse=True)

    @property
    def next_igf(self) -> list[IgfDate]:
        return self.coming_igf[:HOME_IGF_DATES]


def workplan(milestones, igf_events, now: datetime) -> Workplan:
    """The group's milestones and IGF dates (rows by date) as the public pages show them."""
    today = now.date()
    return Workplan(
        milestones=[milestone(m, today) for m in milestones],
        igf=[igf_date(e, today) for e in igf_events],
    )


def milestone(m, today: date) -> MilestoneItem:
    late = (today - m.due).days if m.status == "open" and m.due < today else 0
    note = outcome_note(m.history, m.status) if m.status in OUTCOMES else None
    return MilestoneItem(
        number=m.id,
        title=strip_marks(m.title),
        kind=m.kind,
        due=m.due,
        status=m.status,
        overdue_days=late,
        closed_on=m.closed_at.date() if m.status in OUTCOMES and m.closed_at else None,
        note=strip_marks(note) if note else None,
    )


def outcome_note(history: list, status: str) -> str | None:
    """The note given when the milestone was marked `status` (the bot's answer repeated it)."""
    for entry in reversed(history or []):
        if entry.get("action") == status:
            return entry.get("note") or None
    return None


def igf_date(e, today: date) -> IgfDate:
    return IgfDate(
        number=e.id,
        title=strip_marks(e.title),
        kind=KIND_WORDS.get(e.kind, KIND_WORDS["other"]),
        starts=e.starts,
        ends=e.ends,
        briefing=e.presenter is not None,
        report=strip_marks(e.report) if e.report else None,
        past=e.ends < today,
    )
