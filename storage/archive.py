"""Export the whole record as JSON with stable keys, and restore it into an empty database.

The format is documented in docs/export.md; export → import → export is identical.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy.exc import StatementError
from sqlmodel import Session, select

from storage.archive_links import export_links, move_sequences_past_ids, restore_links
from storage.archive_minutes import export_minutes, restore_minutes
from storage.archive_record import export_audit, export_polls, restore_audit, restore_polls
from storage.archive_year import export_year, restore_year
from storage.models import (
    AgendaItem,
    Apology,
    Attendance,
    Group,
    Issue,
    IssueSupport,
    Meeting,
    MeetingSeries,
    Member,
    MemberChange,
    Objection,
    Outreach,
    Poll,
    Room,
)

FORMAT_VERSION = 1
MEMBER_KEYS = (
    "handle",
    "name",
    "role",
    "stakeholder_group",
    "region",
    "gender",
    "organisation",
    "capacity",
    "timezone",
    "email",
)


class ArchiveError(Exception):
    """The archive cannot be restored here; the message says why."""


def export(session: Session, group: str | None = None) -> dict:
    query = select(Group).order_by(Group.name)
    if group is not None:
        query = query.where(Group.name == group)
    groups = list(session.exec(query))
    if group is not None and not groups:
        raise ArchiveError(f"there is no group called {group}")
    return {"format": FORMAT_VERSION, "groups": [_group(session, g) for g in groups]}


def _group(session: Session, group: Group) -> dict:
    rooms = session.exec(
        select(Room).where(Room.group_id == group.id).order_by(Room.transport, Room.room)
    )
    members = session.exec(
        select(Member)
        .where(Member.group_id == group.id)
        .order_by(Member.handle, Member.added_at, Member.id)
    )
    issues = list(session.exec(select(Issue).where(Issue.group_id == group.id).order_by(Issue.id)))
    issue_number = {issue.id: n for n, issue in enumerate(issues, start=1)}
    series = session.exec(select(MeetingSeries).where(MeetingSeries.group_id == group.id)).first()
    meetings = session.exec(
        select(Meeting).where(Meeting.group_id == group.id).order_by(Meeting.occurrence)
    )
    polls = session.exec(select(Poll.id).where(Poll.group_id == group.id).order_by(Poll.id))
    poll_number = {poll_id: n for n, poll_id in enumerate(polls, start=1)}
    found = {
        "name": group.name,
        "target_size": group.target_size,
        "settings": group.settings or {},
        "created_at": group.created_at.isoformat(),
        "series": _series(series),
        "meetings": [_meeting(session, m, issue_number, poll_number) for m in meetings],
        "issues": [_issue(session, i) for i in issues],
        **_outreach_and_polls(session, group),
        **export_year(session, group),
        "audit": export_audit(session, group),
        "rooms": [{"transport": r.transport, "room": r.room, "main": r.main} for r in rooms],
        "links": export_links(session, group),
        "members": [_member(session, m) for m in members],
    }
    # the register of decisions holds those agreed in meetings too (derived, like the others)
    for m in found["meetings"]:
        for d in (m["minutes"] or {}).get("decisions", []):
            found["decisions"].append({"meeting": m["occurrence"], **d})
    return found


def _member(session: Session, m: Member) -> dict:
    """One membership period: the details it has (or had when it ended), and each change."""
    changes = session.exec(
        select(MemberChange)
        .where(MemberChange.member_id == m.id)
        .order_by(MemberChange.changed_at, MemberChange.id)
    )
    return {
        **{k: getattr(m, k) for k in MEMBER_KEYS},
        "added_at": m.added_at.isoformat(),
        "removed_at": _iso(m.removed_at),
        "removed_by": m.removed_by,
        "removed_reason": m.removed_reason,
        "changes": [
            {
                "field": c.field,
                "old": c.old,
                "new": c.new,
                "at": c.changed_at.isoformat(),
                "by": c.changed_by,
            }
            for c in changes
        ],
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _series(series: MeetingSeries | None) -> dict | None:
    if series is None:
        return None
    return {
        "rrule": series.rrule,
        "starts": series.starts.isoformat(),
        "timezone": series.timezone,
        "duration_minutes": series.duration_minutes,
        "call_link": series.call_link,
        "created_at": series.created_at.isoformat(),
    }


def _meeting(
    session: Session, m: Meeting, issue_number: dict[int, int], poll_number: dict[int, int]
) -> dict:
    apologies = session.exec(
        select(Apology)
        .where(Apology.meeting_id == m.id)
        .order_by(Apology.handle, Apology.created_at, Apology.id)
    )
    items = session.exec(
        select(AgendaItem).where(AgendaItem.meeting_id == m.id).order_by(AgendaItem.number)
    )
    came = session.exec(
        select(Attendance).where(Attendance.meeting_id == m.id).order_by(Attendance.handle)
    )
    return {
        "occurrence": m.occurrence.isoformat(),
        "starts_at": m.starts_at.isoformat(),
        "in_series": m.series_id is not None,
        "status": m.status,
        "duration_minutes": m.duration_minutes,
        "call_link": m.call_link,
        "private": m.private,
        "created_at": m.created_at.isoformat(),
        "apologies": [
            {
                "id": a.id,
                "member": a.handle,
                "reason": a.reason,
                "source": a.source,
                "created_at": a.created_at.isoformat(),
                "status": a.status,
                "withdrawn_at": _iso(a.withdrawn_at),
            }
            for a in apologies
        ],
        "agenda": {
            "status": m.agenda_status,
            "approved_at": _iso(m.agenda_approved_at),
            "approved_by": m.agenda_approved_by,
            "items": [
                {
                    "number": i.number,
                    "author": i.author,
                    "text": i.text,
                    "issue": issue_number.get(i.issue_id),
                    "created_at": i.created_at.isoformat(),
                }
                for i in items
            ],
        },
        "attendance": [
            {"member": a.handle, "recorded_at": a.recorded_at.isoformat()} for a in came
        ],
        "minutes": export_minutes(session, m.id, poll_number),
    }


def _issue(session: Session, issue: Issue) -> dict:
    supports = session.exec(
        select(IssueSupport).where(IssueSupport.issue_id == issue.id).order_by(IssueSupport.id)
    )
    return {
        "id": issue.id,
        "author": issue.author,
        "text": issue.text,
        "status": issue.status,
        "created_at": issue.created_at.isoformat(),
        "supporters": [
            {"member": s.handle, "created_at": s.created_at.isoformat()} for s in supports
        ],
    }


def _outreach_and_polls(session: Session, group: Group) -> dict:
    records = list(
        session.exec(select(Outreach).where(Outreach.group_id == group.id).order_by(Outreach.id))
    )
    number = {r.id: n for n, r in enumerate(records, start=1)}
    outreach = []
    for r in records:
        objections = session.exec(
            select(Objection).where(Objection.outreach_id == r.id).order_by(Objection.id)
        )
        outreach.append(
            {
                "id": r.id,
                "member": r.member,
                "event": r.event,
                "date": r.date.isoformat(),
                "place": r.place,
                "link": r.link,
                "status": r.status,
                "source": r.source,
                "announced_at": r.announced_at.isoformat(),
                "window_closes_at": r.window_closes_at.isoformat(),
                "report": r.report,
                "reported_at": _iso(r.reported_at),
                "objections": [
                    {
                        "id": o.id,
                        "member": o.member,
                        "reason": o.reason,
                        "status": o.status,
                        "source": o.source,
                        "created_at": o.created_at.isoformat(),
                    }
                    for o in objections
                ],
            }
        )
    return {"outreach": outreach, **export_polls(session, group, number)}


def _restore_outreach_and_polls(session: Session, group: Group, g: dict) -> list[int]:
    outreach_ids = []
    for r in g.get("outreach", []):
        record = Outreach(
            id=r.get("id"),
            group_id=group.id,
            member=r["member"],
            event=r["event"],
            date=date.fromisoformat(r["date"]),
            place=r["place"],
            link=r["link"],
            status=r["status"],
            source=r["source"],
            announced_at=_when(r["announced_at"]),
            window_closes_at=_when(r["window_closes_at"]),
            report=r["report"],
            reported_at=_when(r["reported_at"]),
        )
        session.add(record)
        session.flush()
        outreach_ids.append(record.id)
        for o in r["objections"]:
            session.add(
                Objection(
                    id=o.get("id"),
                    outreach_id=record.id,
                    member=o["member"],
                    reason=o["reason"],
                    status=o["status"],
                    source=o["source"],
                    created_at=_when(o["created_at"]),
                )
            )
    return restore_polls(session, group, g.get("polls", []), outreach_ids)


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def restore(session: Session, data: dict, check: Callable[[dict], None] | None = None) -> int:
    """Load an export into an empty database; returns the number of groups restored.

    `check(data)` runs before anything is written: the caller's rules for what may be
    restored, raising its own error to refuse the document."""
    if session.exec(select(Group.id)).first() is not None:
        raise ArchiveError("the database already holds groups; import only into an empty one")
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
        raise ArchiveError(f"not a pnbot export of format {FORMAT_VERSION}")
    if check is not None:
        check(data)
    try:
        for g in data["groups"]:
            group = Group(
                name=g["name"],
                target_size=g["target_size"],
                settings=g.get("settings", {}),
                created_at=datetime.fromisoformat(g["created_at"]),
            )
            session.add(group)
            session.flush()
            meeting_ids = _restore_meetings(session, group, g)
            poll_ids = _restore_outreach_and_polls(session, group, g)
            for meeting_id, m in zip(meeting_ids, g.get("meetings", []), strict=True):
                if m.get("minutes"):  # an export from before minutes has none
                    restore_minutes(session, group.id, meeting_id, m["minutes"], poll_ids)
            restore_year(session, group, g)
            restore_audit(session, group, g.get("audit", []))
            for r in g["rooms"]:
                session.add(Room(group_id=group.id, **r))
            for m in g["members"]:
                _restore_member(session, group, m)
            restore_links(session, g.get("links", {}))
        move_sequences_past_ids(session)
        session.flush()
    except KeyError as error:
        raise ArchiveError(f"the export is incomplete: a record lacks {error.args[0]!r}") from None
    except (TypeError, ValueError, IndexError) as error:
        raise ArchiveError(f"the export is malformed: {error}") from None
    except StatementError as error:
        # what a check let through and the database refuses (a duplicate, a naive time)
        reason = str(error.orig).splitlines()[0] if error.orig else "it breaks a rule"
        raise ArchiveError(f"the database refuses a record: {reason}") from None
    return len(data["groups"])


def _restore_member(session: Session, group: Group, m: dict) -> None:
    """One membership period and its changes (an export before periods has neither)."""
    member = Member(
        group_id=group.id,
        added_at=datetime.fromisoformat(m["added_at"]),
        removed_at=_when(m.get("removed_at")),
        removed_by=m.get("removed_by"),
        removed_reason=m.get("removed_reason"),
        **{k: m.get(k) for k in MEMBER_KEYS},
    )
    session.add(member)
    session.flush()
    for c in m.get("changes", []):
        session.add(
            MemberChange(
                member_id=member.id,
                field=c["field"],
                old=c["old"],
                new=c["new"],
                changed_at=_when(c["at"]),
                changed_by=c["by"],
            )
        )


def _restore_meetings(session: Session, group: Group, g: dict) -> list[int]:
    """Restore the group's issues, series and meetings; the meetings' ids in export order."""
    issue_ids, meeting_ids = [], []
    for i in g.get("issues", []):
        issue = Issue(
            id=i.get("id"),
            group_id=group.id,
            author=i["author"],
            text=i["text"],
            status=i["status"],
            created_at=_when(i["created_at"]),
        )
        session.add(issue)
        session.flush()
        issue_ids.append(issue.id)
        for s in i["supporters"]:
            session.add(
                IssueSupport(
                    issue_id=issue.id, handle=s["member"], created_at=_when(s["created_at"])
                )
            )
    series_id = None
    if g.get("series"):
        s = g["series"]
        series = MeetingSeries(
            group_id=group.id,
            rrule=s["rrule"],
            starts=_when(s["starts"]),
            timezone=s["timezone"],
            duration_minutes=s["duration_minutes"],
            call_link=s["call_link"],
            created_at=_when(s["created_at"]),
        )
        session.add(series)
        session.flush()
        series_id = series.id
    for m in g.get("meetings", []):
        meeting = Meeting(
            group_id=group.id,
            series_id=series_id if m["in_series"] else None,
            occurrence=_when(m["occurrence"]),
            starts_at=_when(m["starts_at"]),
            duration_minutes=m["duration_minutes"],
            call_link=m["call_link"],
            private=m.get("private", False),  # an export from before meetings could be private
            status=m["status"],
            agenda_status=m["agenda"]["status"],
            agenda_approved_at=_when(m["agenda"]["approved_at"]),
            agenda_approved_by=m["agenda"]["approved_by"],
            created_at=_when(m["created_at"]),
        )
        session.add(meeting)
        session.flush()
        meeting_ids.append(meeting.id)
        for a in m["apologies"]:
            session.add(
                Apology(
                    id=a.get("id"),
                    meeting_id=meeting.id,
                    handle=a["member"],
                    reason=a["reason"],
                    source=a["source"],
                    created_at=_when(a["created_at"]),
                    status=a.get("status", "standing"),
                    withdrawn_at=_when(a.get("withdrawn_at")),
                )
            )
        for i in m["agenda"]["items"]:
            issue_id = issue_ids[i["issue"] - 1] if i["issue"] else None
            session.add(
                AgendaItem(
                    meeting_id=meeting.id,
                    number=i["number"],
                    author=i["author"],
                    text=i["text"],
                    issue_id=issue_id,
                    created_at=_when(i["created_at"]),
                )
            )
        for a in m["attendance"]:
            session.add(
                Attendance(
                    meeting_id=meeting.id, handle=a["member"], recorded_at=_when(a["recorded_at"])
                )
            )
    return meeting_ids
