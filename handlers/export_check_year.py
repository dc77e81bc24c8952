"""What `pnbot import` may restore of the year's work: workplan milestones, time polls,
review rounds of the output document and the IGF calendar, each passing the commands' own
checks, so nothing imported can make the scheduler fail later (see docs/export.md)."""

from __future__ import annotations

from datetime import date

from handlers import igf_calendar, rotation, timepoll, workplan
from handlers.base import UserError
from handlers.record_fields import Record

HANDLE = 255


def check_year(g: Record, polls: int) -> None:
    """Refuse (UserError, one line) the first bad record of the group's year's work."""
    for m in g.records("workplan", "milestone", name="title", default=[]):
        m.text("title", workplan.MAX_TITLE)
        m.one_of("kind", workplan.KINDS)
        _day(m, "due")
        m.text("owner", HANDLE, null=True)
        m.one_of("status", workplan.STATUSES)
        m.text("created_by", HANDLE)
        m.moment("created_at")
        m.moment("closed_at", null=True)
        for h in m.records("history", "change"):
            h.moment("at")
            h.text("by", HANDLE)
            h.one_of("action", ("done", "dropped", "moved"))
            h.text("note", workplan.MAX_NOTE, null=True, blank=True)
    for p in g.records("timepolls", "time poll", name="title", default=[]):
        p.text("title", 200, blank=True)
        slots = p.records("slots", "slot")
        if not 2 <= len(slots) <= timepoll.MAX_SLOTS:
            p.fail("slots", f"should hold 2 to {timepoll.MAX_SLOTS} slots")
        for s in slots:
            s.moment("at")
            s.text("label", timepoll.MAX_SLOT_TEXT)
        p.text("opened_by", HANDLE)
        if p.moment("closes_at") <= p.moment("opened_at"):
            p.fail("closes_at", "a time poll closes after it opens")
        p.moment("closed_at", null=True)
        Record(f"{p.where}, tally", p.get("tally"))
        for a in p.records("answers", "answer", name="member"):
            a.text("member", HANDLE)
            a.whole("slot", 1, len(slots))
            a.one_of("answer", tuple(timepoll.SAID))
            a.moment("answered_at")
    for d in g.records("drafts", "draft", name="title", default=[]):
        d.text("title", 200)
        d.text("link", 500)
        d.text("shared_by", HANDLE)
        if d.moment("comments_until") <= d.moment("shared_at"):
            d.fail("comments_until", "a review round ends after the draft is shared")
        d.flag("endorse")
        d.moment("closed_at", null=True)
        d.index("poll", polls, "poll")
        for c in d.records("comments", "comment", name="member"):
            c.text("member", HANDLE)
            c.one_of("kind", ("comment", "ack"))
            c.text("text", 4000, null=True)
            c.one_of("source", ("command", "thread"))
            c.moment("created_at")
    uids = set()
    for e in g.records("igf", "IGF event", name="title", default=[]):
        e.text("title", igf_calendar.MAX_TITLE)
        e.one_of("kind", igf_calendar.KINDS)
        starts, ends = _day(e, "starts"), _day(e, "ends")
        e.check("ends", lambda span: igf_calendar.check_span(*span), (starts, ends))
        uid = e.text("uid", HANDLE, null=True)
        if uid is not None and uid in uids:
            e.fail("uid", "a second event with that UID")
        uids.add(uid)
        e.one_of("source", ("command", "import"))
        e.text("created_by", HANDLE)
        e.moment("created_at")
        for key, limit in (("presenter", HANDLE), ("slides", 500), ("briefing_by", HANDLE)):
            e.text(key, limit, null=True)
        e.moment("briefing_at", null=True)
        e.text("report", igf_calendar.MAX_REPORT, null=True, blank=True)
        e.text("reported_by", HANDLE, null=True)
        e.moment("reported_at", null=True)


def check_rotation(settings: Record) -> None:
    """The meeting times a series takes turns at, as `meeting schedule … rotate=` keeps them."""
    turns = settings.get("rotate", None)
    if turns is None:
        return

    def valid(value):
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            raise UserError('should be a list of times such as ["13:00 UTC", "06:00 UTC"]')
        if rotation.read(", ".join(value), "UTC") != value:
            raise UserError('should be times written as "13:00 UTC"')

    settings.check("rotate", valid)


def _day(r: Record, key: str) -> date:
    text = r.text(key, 10)
    try:
        return date.fromisoformat(text)
    except ValueError:
        r.fail(key, f"`{text}` is not a date such as 2027-05-05")
