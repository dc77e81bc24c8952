"""The year's work in the export: workplan milestones, time polls and the output document's
review rounds and the IGF calendar (see docs/export.md)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from storage.models import (
    DraftComment,
    DraftRound,
    Group,
    IgfEvent,
    Milestone,
    Poll,
    TimeAnswer,
    TimePoll,
)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def export_year(session: Session, group: Group) -> dict:
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
        "drafts": _drafts(session, group),
        "igf": [
            _igf(e)
            for e in session.exec(
                select(IgfEvent).where(IgfEvent.group_id == group.id).order_by(IgfEvent.id)
            )
        ],
    }


IGF_KEYS = ("title", "kind", "uid", "source", "created_by", "presenter", "slides")
IGF_KEYS += ("briefing_by", "report", "reported_by")


def _igf(e: IgfEvent) -> dict:
    return {
        **{k: getattr(e, k) for k in IGF_KEYS},
        "starts": e.starts.isoformat(),
        "ends": e.ends.isoformat(),
        "created_at": e.created_at.isoformat(),
        "briefing_at": _iso(e.briefing_at),
        "reported_at": _iso(e.reported_at),
    }


def _poll_ids(session: Session, group: Group) -> list[int]:
    """The group's poll ids in the order `polls` lists them in the export."""
    return list(session.exec(select(Poll.id).where(Poll.group_id == group.id).order_by(Poll.id)))


def _drafts(session: Session, group: Group) -> list[dict]:
    position = {poll_id: n for n, poll_id in enumerate(_poll_ids(session, group), start=1)}
    rounds = session.exec(
        select(DraftRound).where(DraftRound.group_id == group.id).order_by(DraftRound.id)
    )
    found = []
    for d in rounds:
        comments = session.exec(
            select(DraftComment)
            .where(DraftComment.round_id == d.id)
            .order_by(DraftComment.created_at, DraftComment.id)
        )
        found.append(
            {
                "title": d.title,
                "link": d.link,
                "shared_by": d.shared_by,
                "shared_at": d.shared_at.isoformat(),
                "comments_until": d.comments_until.isoformat(),
                "endorse": d.endorse,
                "closed_at": _iso(d.closed_at),
                "poll": position.get(d.poll_id),
                "comments": [
                    {
                        "member": c.member,
                        "kind": c.kind,
                        "text": c.text,
                        "source": c.source,
                        "created_at": c.created_at.isoformat(),
                    }
                    for c in comments
                ],
            }
        )
    return found


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


def restore_year(session: Session, group: Group, g: dict) -> None:
    """The milestones, time polls and review rounds of one exported group (an older export
    has none); its polls are restored already."""
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
    poll_ids = _poll_ids(session, group)
    for d in g.get("drafts", []):
        draft = DraftRound(
            group_id=group.id,
            title=d["title"],
            link=d["link"],
            shared_by=d["shared_by"],
            shared_at=_when(d["shared_at"]),
            comments_until=_when(d["comments_until"]),
            endorse=d["endorse"],
            closed_at=_when(d["closed_at"]),
            poll_id=poll_ids[d["poll"] - 1] if d["poll"] else None,
        )
        session.add(draft)
        session.flush()
        for c in d["comments"]:
            session.add(
                DraftComment(
                    round_id=draft.id,
                    member=c["member"],
                    kind=c["kind"],
                    text=c["text"],
                    source=c["source"],
                    created_at=_when(c["created_at"]),
                )
            )
    for e in g.get("igf", []):
        session.add(
            IgfEvent(
                group_id=group.id,
                **{k: e[k] for k in IGF_KEYS},
                starts=date.fromisoformat(e["starts"]),
                ends=date.fromisoformat(e["ends"]),
                created_at=_when(e["created_at"]),
                briefing_at=_when(e["briefing_at"]),
                reported_at=_when(e["reported_at"]),
            )
        )
        session.flush()
