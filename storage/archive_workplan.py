"""The year's work in the export: workplan milestones and time polls (see docs/export.md)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from storage.models import Group, Milestone, TimeAnswer, TimePoll


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def export_workplan(session: Session, group: Group) -> dict:
    milestones = session.exec(
        select(Milestone).where(Milestone.group_id == group.id).order_by(Milestone.id)
    )
    polls = list(
        session.exec(select(TimePoll).where(TimePoll.group_id == group.id).order_by(TimePoll.id))
    )
    return {
        "workplan": [
            {
                "title": m.title,
                "kind": m.kind,
                "due": m.due.isoformat(),
                "owner": m.owner,
                "status": m.status,
                "created_by": m.created_by,
                "created_at": m.created_at.isoformat(),
                "closed_at": _iso(m.closed_at),
                "history": list(m.history),
            }
            for m in milestones
        ],
        "timepolls": [_timepoll(session, p) for p in polls],
    }


def _timepoll(session: Session, poll: TimePoll) -> dict:
    answers = session.exec(
        select(TimeAnswer)
        .where(TimeAnswer.poll_id == poll.id)
        .order_by(TimeAnswer.member, TimeAnswer.slot)
    )
    return {
        "title": poll.title,
        "slots": list(poll.slots),
        "opened_by": poll.opened_by,
        "opened_at": poll.opened_at.isoformat(),
        "closes_at": poll.closes_at.isoformat(),
        "closed_at": _iso(poll.closed_at),
        "tally": dict(poll.tally),
        "answers": [
            {
                "member": a.member,
                "slot": a.slot,
                "answer": a.answer,
                "answered_at": a.answered_at.isoformat(),
            }
            for a in answers
        ],
    }


def restore_workplan(session: Session, group: Group, g: dict) -> None:
    """The milestones and time polls of one exported group (an older export has none)."""
    for m in g.get("workplan", []):
        session.add(
            Milestone(
                group_id=group.id,
                title=m["title"],
                kind=m["kind"],
                due=date.fromisoformat(m["due"]),
                owner=m["owner"],
                status=m["status"],
                created_by=m["created_by"],
                created_at=_when(m["created_at"]),
                closed_at=_when(m["closed_at"]),
                history=list(m["history"]),
            )
        )
        session.flush()  # ids in the order exported
    for p in g.get("timepolls", []):
        poll = TimePoll(
            group_id=group.id,
            title=p["title"],
            slots=list(p["slots"]),
            opened_by=p["opened_by"],
            opened_at=_when(p["opened_at"]),
            closes_at=_when(p["closes_at"]),
            closed_at=_when(p["closed_at"]),
            tally=dict(p["tally"]),
        )
        session.add(poll)
        session.flush()
        for a in p["answers"]:
            session.add(
                TimeAnswer(
                    poll_id=poll.id,
                    member=a["member"],
                    slot=a["slot"],
                    answer=a["answer"],
                    answered_at=_when(a["answered_at"]),
                )
            )
