"""The part of the export that a meeting keeps of itself: its minutes, with their tagged lines
(undone ones and edits included), the corrections sent in review, the action items and the
decisions agreed. Lines are named by their number within the minutes, polls by their 1-based
position in the export (see docs/export.md)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from storage.models import (
    ActionItem,
    MeetingDecision,
    MinuteEdit,
    MinuteLine,
    Minutes,
    MinutesCorrection,
)


def _iso(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment else None


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def export_minutes(session: Session, meeting_id: int, poll_number: dict[int, int]) -> dict | None:
    """The minutes of one meeting, or None when none were taken."""
    m = session.exec(select(Minutes).where(Minutes.meeting_id == meeting_id)).first()
    if m is None:
        return None
    lines = list(
        session.exec(
            select(MinuteLine).where(MinuteLine.minutes_id == m.id).order_by(MinuteLine.number)
        )
    )
    number = {ln.id: ln.number for ln in lines}
    edits: dict[int, list] = {}
    if lines:
        query = (
            select(MinuteEdit).where(MinuteEdit.line_id.in_(list(number))).order_by(MinuteEdit.id)
        )
        for e in session.exec(query):
            edits.setdefault(e.line_id, []).append(
                {"old": e.old_text, "new": e.new_text, "by": e.edited_by, "at": _iso(e.edited_at)}
            )
    corrections = session.exec(
        select(MinutesCorrection)
        .where(MinutesCorrection.minutes_id == m.id)
        .order_by(MinutesCorrection.id)
    )
    actions = session.exec(
        select(ActionItem).where(ActionItem.minutes_id == m.id).order_by(ActionItem.id)
    )
    decisions = session.exec(
        select(MeetingDecision)
        .where(MeetingDecision.minutes_id == m.id)
        .order_by(MeetingDecision.id)
    )
    return {
        "transport": m.transport,
        "room": m.room,
        "status": m.status,
        "chairs": list(m.chairs),
        "started_by": m.started_by,
        "started_at": _iso(m.started_at),
        "ended_by": m.ended_by,
        "ended_at": _iso(m.ended_at),
        "review_until": _iso(m.review_until),
        "approved_by": m.approved_by,
        "approved_at": _iso(m.approved_at),
        "lines": [
            {
                "number": ln.number,
                "kind": ln.kind,
                "author": ln.author,
                "text": ln.text,
                "url": ln.url,
                "agenda_number": ln.agenda_number,
                "created_at": _iso(ln.created_at),
                "undone_at": _iso(ln.undone_at),
                "undone_by": ln.undone_by,
                "edits": edits.get(ln.id, []),
            }
            for ln in lines
        ],
        "corrections": [
            {
                "author": c.author,
                "text": c.text,
                "status": c.status,
                "created_at": _iso(c.created_at),
                "settled_at": _iso(c.settled_at),
            }
            for c in corrections
        ],
        "actions": [
            {
                "line": number[a.line_id],
                "owner": a.owner,
                "text": a.text,
                "due": _iso(a.due),
                "status": a.status,
                "created_at": _iso(a.created_at),
                "done_at": _iso(a.done_at),
                "done_note": a.done_note,
            }
            for a in actions
        ],
        "decisions": [
            {
                "line": number[d.line_id],
                "text": d.text,
                "by": d.decided_by,
                "at": _iso(d.decided_at),
                "status": d.status,
                "poll": poll_number.get(d.poll_id),
            }
            for d in decisions
        ],
    }


def restore_minutes(
    session: Session, group_id: int, meeting_id: int, m: dict, poll_ids: list[int]
) -> None:
    """Restore one meeting's minutes as exported; `poll_ids` are the restored polls' ids in
    the export's order."""
    minutes = Minutes(
        group_id=group_id,
        meeting_id=meeting_id,
        transport=m["transport"],
        room=m["room"],
        status=m["status"],
        chairs=list(m["chairs"]),
        started_by=m["started_by"],
        started_at=_when(m["started_at"]),
        ended_by=m["ended_by"],
        ended_at=_when(m["ended_at"]),
        review_until=_when(m["review_until"]),
        approved_by=m["approved_by"],
        approved_at=_when(m["approved_at"]),
    )
    session.add(minutes)
    session.flush()
    line_ids = {}
    for ln in m["lines"]:
        line = MinuteLine(
            minutes_id=minutes.id,
            number=ln["number"],
            kind=ln["kind"],
            author=ln["author"],
            text=ln["text"],
            url=ln["url"],
            agenda_number=ln["agenda_number"],
            created_at=_when(ln["created_at"]),
            undone_at=_when(ln["undone_at"]),
            undone_by=ln["undone_by"],
        )
        session.add(line)
        session.flush()
        line_ids[ln["number"]] = line.id
        for e in ln["edits"]:
            session.add(
                MinuteEdit(
                    line_id=line.id,
                    old_text=e["old"],
                    new_text=e["new"],
                    edited_by=e["by"],
                    edited_at=_when(e["at"]),
                )
            )
    for c in m["corrections"]:
        session.add(
            MinutesCorrection(
                minutes_id=minutes.id,
                author=c["author"],
                text=c["text"],
                status=c["status"],
                created_at=_when(c["created_at"]),
                settled_at=_when(c["settled_at"]),
            )
        )
    for a in m["actions"]:
        session.add(
            ActionItem(
                group_id=group_id,
                minutes_id=minutes.id,
                line_id=line_ids[a["line"]],
                owner=a["owner"],
                text=a["text"],
                due=date.fromisoformat(a["due"]) if a["due"] else None,
                status=a["status"],
                created_at=_when(a["created_at"]),
                done_at=_when(a["done_at"]),
                done_note=a["done_note"],
            )
        )
    for d in m["decisions"]:
        session.add(
            MeetingDecision(
                group_id=group_id,
                minutes_id=minutes.id,
                line_id=line_ids[d["line"]],
                text=d["text"],
                decided_by=d["by"],
                decided_at=_when(d["at"]),
                status=d["status"],
                poll_id=poll_ids[d["poll"] - 1] if d["poll"] else None,
            )
        )
    session.flush()
