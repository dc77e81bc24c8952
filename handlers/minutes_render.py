"""Minutes as data, and as Markdown, HTML or plain text from the templates in
handlers/templates (HTML escaped by Jinja2's autoescape).

Handles are written as plain `@handle`, never as the core's mentions: minutes are read, and
posting them pings no one."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from handlers import history
from handlers.base import VOTING_ROLES
from handlers.timefmt import day, when

FORMATS = ("md", "html", "txt")
TEMPLATES = Path(__file__).parent / "templates"
OPENING = "Opening"

if TYPE_CHECKING:
    import jinja2


@cache
def _environment() -> jinja2.Environment:
    import jinja2  # loaded with the first minutes, not with every start of the bot

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["handle"] = lambda handle: handle if handle == "pnbot" else f"@{handle}"
    return env


def render(data: dict, fmt: str = "md") -> str:
    """The minutes in `fmt` (md, html or txt)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    return _environment().get_template(f"minutes.{fmt}.j2").render(**data).rstrip("\n") + "\n"


def status_of(uow, minutes, now: datetime) -> str:
    """open, draft or approved; draft minutes past their window with no correction standing
    are approved, whether or not the scheduler has said so yet."""
    if minutes.status != "draft" or minutes.review_until is None or now < minutes.review_until:
        return minutes.status
    standing = [c for c in uow.minutes.corrections(minutes.id) if c.status == "standing"]
    return "draft" if standing else "approved"


def data(uow, group, minutes, now: datetime, numbered: bool = False) -> dict:
    """Everything the templates show about `minutes`, as of `now`."""
    meeting = uow.meetings.get(group.id, minutes.meeting_id)
    lines = [ln for ln in uow.minutes.lines(minutes.id) if ln.undone_at is None]
    decisions = {d.line_id: d for d in uow.decisions.of_minutes(minutes.id)}
    items = [a for a in uow.actions.of_minutes(minutes.id) if a.status != "withdrawn"]
    by_line: dict[int, list] = {}
    for a in items:
        by_line.setdefault(a.line_id, []).append(a)
    topics: list[dict] = []
    for ln in lines:
        if ln.kind == "topic":
            topics.append({"title": ln.text, "number": ln.number, "entries": []})
            continue
        if not topics:
            topics.append({"title": OPENING, "number": None, "entries": []})
        entry = {
            "kind": ln.kind,
            "text": ln.text,
            "url": ln.url,
            "author": ln.author,
            "number": ln.number,
        }
        if ln.kind == "agreed" and ln.id in decisions:
            d = decisions[ln.id]
            entry["decision"] = d.id
            entry["poll"] = d.poll_id if d.status == "polled" else None
        if ln.kind == "action":
            entry["owners"] = [a.owner for a in by_line.get(ln.id, [])]
            entry["ids"] = [a.id for a in by_line.get(ln.id, [])]
            entry["due"] = _due(by_line[ln.id][0]) if by_line.get(ln.id) else ""
        topics[-1]["entries"].append(entry)
    came = sorted(a.handle for a in uow.attendance.for_meetings([meeting.id]))
    sorry = sorted({a.handle for a in uow.apologies.for_meetings([meeting.id])} - set(came))
    voters = [
        v.handle for v in history.roster_at(uow, group, meeting.starts_at) if v.role in VOTING_ROLES
    ]
    absent = sorted(set(voters) - set(came) - set(sorry))
    owners: dict[str, list] = {}
    for a in items:
        owners.setdefault(a.owner, []).append(
            {
                "id": a.id,
                "text": a.text,
                "due": _due(a),
                "due_text": _due(a, ", due "),
                "status": a.status,
            }
        )
    status = status_of(uow, minutes, now)
    return {
        "group": group.name,
        "meeting": when(meeting.starts_at),
        "date": f"{meeting.starts_at:%Y-%m-%d}",
        "status": status,
        "chairs": list(minutes.chairs),
        "present": came,
        "apologies": sorry,
        "absent": absent if minutes.status != "open" else [],
        "topics": topics,
        "by_person": [{"owner": o, "items": owners[o]} for o in sorted(owners)],
        "started": when(minutes.started_at),
        "ended": when(minutes.ended_at) if minutes.ended_at else None,
        "review_until": when(minutes.review_until) if minutes.review_until else None,
        "approved": _approval(minutes, status),
        "numbered": numbered,
        "counts": {
            "topics": sum(1 for t in topics if t["number"] is not None),
            "decisions": sum(1 for ln in lines if ln.kind == "agreed"),
            "actions": len(items),
            "present": len(came),
        },
    }


def _due(item, lead: str = "") -> str:
    return f"{lead}{day(item.due)}" if item.due else ""


def _approval(minutes, status: str) -> str | None:
    if status != "approved":
        return None
    if minutes.approved_at is None:  # the window closed; the scheduler has not written it yet
        return f"at the end of the review window, {when(minutes.review_until)}"
    if minutes.approved_by == "pnbot":
        return f"at the end of the review window, {when(minutes.approved_at)}"
    return f"by @{minutes.approved_by}, {when(minutes.approved_at)}"
