"""What `pnbot import` may restore: every record of an export document passes the checks
the commands apply (roles, stakeholder groups, regions, genders, time zones, rules, group
names, sizes), so nothing imported can make the scheduler fail later. The first refusal
names its record and says why, in one line (see docs/export.md)."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from handlers import (
    agenda,
    export_check_year,
    groups,
    meetings,
    polls,
    recurrence,
    roster,
    zones,
)
from handlers.base import UserError
from handlers.export_ids import Ids
from handlers.outcomes import OUTCOMES
from handlers.record_fields import Record, one_line

HANDLE = 255
SOURCES = ("command", "chat")
OUTREACH_STATUSES = ("announced", "cleared", "polling", "declined", "withdrawn")
OBJECTION_STATUSES = ("standing", "awaiting-reason", "withdrawn")


def check_export(data: dict) -> None:
    """Refuse (UserError, one line) the first record of `data` the bot would not accept."""
    document = Record("", data)
    names, rooms, ids = set(), set(), Ids()
    for g in document.records("groups", "group", name="name"):
        name = g.check("name", _group_name)
        g.where = f"group {name}"
        if name in names:
            g.fail("name", "a second group of that name")
        names.add(name)
        _check_group(g, rooms, ids)


def _group_name(given) -> str:
    if not isinstance(given, str) or groups.check_name(given) != given:
        raise UserError(
            f"`{str(given)[:50]}` is not a group name: 1 to 40 lowercase letters, digits and dashes"
        )
    return given


def _check_group(g: Record, rooms: set, ids: Ids) -> None:
    ids.start_group()
    g.whole("target_size", 1, 500)
    g.moment("created_at")
    _check_settings(g)
    series = g.get("series", None)
    if series is not None:
        _check_series(Record(f"{g.where}, series", series))
    issues = g.records("issues", "issue", name="author", default=[])
    for i in issues:
        _check_issue(i)
        ids.take(i, "issue")
    occurrences = set()
    for m in g.records("meetings", "meeting", name="occurrence", default=[]):
        occurrence = m.moment("occurrence")
        if occurrence in occurrences:
            m.fail("occurrence", "a second meeting at that time")
        occurrences.add(occurrence)
        if m.flag("in_series") and series is None:
            m.fail("in_series", "is true, but the group has no series")
        _check_meeting(m, len(issues), ids)
        if m.get("minutes", None) is not None:
            _check_minutes(Record(f"{m.where}, minutes", m.get("minutes")), g)
    outreach = g.records("outreach", "outreach", default=[])
    for r in outreach:
        _check_outreach(r, ids)
    polls_kept = g.records("polls", "poll", default=[])
    for p in polls_kept:
        _check_poll(p, len(outreach))
        ids.take(p, "poll")
    export_check_year.check_year(g, len(polls_kept))
    for e in g.records("audit", "audit entry", default=[]):
        for key, limit in (("by", HANDLE), ("action", 40), ("subject", 200)):
            e.text(key, limit)
        e.text("detail", 1000, null=True, blank=True)
        e.text("reason", 2000, null=True, blank=True)
        e.moment("at")
    for r in g.records("rooms", "room", name="room"):
        place = (r.text("transport", 20), r.text("room", 255))
        r.flag("main")
        if place in rooms:
            r.fail("room", "a second binding of that room (a room belongs to one group)")
        rooms.add(place)
    _check_members(g)
    ids.check_links(g)


def _check_settings(g: Record) -> None:
    settings = Record(f"{g.where}, settings", g.get("settings", {}))
    timing = Record(f"{settings.where}, agenda", settings.get("agenda", {}))
    for key, value in timing.data.items():
        timing.one_of(key, agenda.DEFAULT_TIMING)  # an unknown key is named as such
        try:
            ok = timedelta(hours=1) <= agenda.offset(value) <= timedelta(days=30)
        except (ValueError, AttributeError):
            ok = False
        if not ok:
            timing.fail(
                key, f"`{str(value)[:20]}` should be days or hours such as 10d or 36h, at most 30d"
            )
    rules = Record(f"{settings.where}, consensus", settings.get("consensus", {}))
    for key in rules.data:
        rules.one_of(key, ("quorum", "blocks", "disagree"), default=None)
        value = rules.data[key]
        fraction = (
            not isinstance(value, bool) and isinstance(value, int | float) and 0 <= value <= 1
        )
        if key == "blocks":
            rules.whole(key, 0)
        elif not fraction:
            rules.fail(key, f"`{value}` should be a fraction from 0 to 1 (0.5 for 50%)")
    export_check_year.check_rotation(settings)
    window = Record(f"{settings.where}, outreach", settings.get("outreach", {}))
    if "window_hours" in window.data:
        window.whole("window_hours", 1, 24 * 90)


def _check_series(s: Record) -> None:
    rule = s.check("rrule", _rule)
    starts = s.moment("starts")
    zone = s.check("timezone", _zone)
    found = recurrence.occurrences(rule, starts, zone, starts, starts + timedelta(days=400))
    if not found:
        s.fail("rrule", "gives no meeting in the year after `starts`")
    s.check("rrule", recurrence.check_pace, found)
    s.whole("duration_minutes", 10, 600)
    s.check("call_link", _link)
    s.moment("created_at")


def _link(link) -> str | None:
    if link is not None and not isinstance(link, str):
        raise UserError("should be a web address starting with https://, or null")
    return meetings.read_link(link)


def _rule(rule) -> str:
    if not isinstance(rule, str) or recurrence.check_rrule(rule) != rule:
        raise UserError(
            f"`{str(rule)[:80]}` is not an RFC 5545 RRULE such as FREQ=MONTHLY;BYDAY=+2TU"
        )
    return rule


def _zone(zone) -> str:
    if not isinstance(zone, str):
        raise UserError(f"`{zone}` is not a time zone; use an IANA name such as {zones.EXAMPLES}")
    found = zones.check_zone(zone)
    if found != zone:
        raise UserError(f"`{zone[:60]}` is written `{found}` (IANA names)")
    return zone


def _check_meeting(m: Record, issues: int, ids: Ids) -> None:
    m.moment("starts_at")
    m.moment("created_at")
    m.one_of("status", ("scheduled", "cancelled"))
    m.whole("duration_minutes", 10, 600)
    m.check("call_link", _link)
    m.flag("private", default=False)
    standing = set()
    for a in m.records("apologies", "apology", name="member"):
        ids.take(a, "apology")
        member = a.text("member", HANDLE)
        a.text("reason", 500, null=True, blank=True)
        a.one_of("source", SOURCES)
        a.moment("created_at")
        withdrawn = a.one_of("status", ("standing", "withdrawn"), default="standing") == "withdrawn"
        if withdrawn != (a.moment("withdrawn_at", null=True, default=None) is not None):
            a.fail("withdrawn_at", "is set exactly when the status is withdrawn")
        if not withdrawn:
            if member in standing:
                a.fail("member", f"a second standing apology of @{member} for this meeting")
            standing.add(member)
    plan = Record(f"{m.where}, agenda", m.get("agenda"))
    approved = plan.one_of("status", ("draft", "approved")) == "approved"
    at = plan.moment("approved_at", null=True)
    by = plan.text("approved_by", HANDLE, null=True)
    if approved and (at is None or by is None):
        plan.fail(
            "approved_at" if at is None else "approved_by",
            "an approved agenda says when and by whom",
        )
    numbers = set()
    for i in plan.records("items", "item", name="author"):
        number = i.whole("number", 1)
        if number in numbers:
            i.fail("number", f"a second item {number}")
        numbers.add(number)
        i.text("author", HANDLE)
        i.text("text", 1000)
        i.index("issue", issues, "issue")
        i.moment("created_at")
    _unique(m, "attendance", "attendee", "recorded_at")


def _unique(r: Record, key: str, label: str, moment: str) -> None:
    """A list of `{member, <moment>}` naming each member once."""
    seen = set()
    for e in r.records(key, label, name="member"):
        member = e.text("member", HANDLE)
        e.moment(moment)
        if member in seen:
            e.fail("member", f"@{member} is listed twice")
        seen.add(member)


def _check_issue(i: Record) -> None:
    i.text("author", HANDLE)
    i.text("text", 1000)
    i.one_of("status", ("open", "proposed"))
    i.moment("created_at")
    _unique(i, "supporters", "supporter", "created_at")


def _check_outreach(r: Record, ids: Ids) -> None:
    ids.take(r, "outreach")
    r.text("member", HANDLE)
    r.text("event", 200)
    day = r.text("date", 10)
    try:
        date.fromisoformat(day)
    except ValueError:
        r.fail("date", f"`{day}` is not a date such as 2027-05-05")
    r.text("place", 200, null=True)
    r.check("link", _link)
    r.one_of("status", OUTREACH_STATUSES)
    r.one_of("source", SOURCES)
    r.moment("announced_at")
    r.moment("window_closes_at")
    r.text("report", 2000, null=True, blank=True)
    r.moment("reported_at", null=True)
    seen = set()
    for o in r.records("objections", "objection", name="member"):
        member = o.text("member", HANDLE)
        if member in seen:
            o.fail("member", f"a second objection of @{member}")
        seen.add(member)
        ids.take(o, "objection")
        o.text("reason", 1000, null=True, blank=True)
        o.one_of("status", OBJECTION_STATUSES)
        o.one_of("source", SOURCES)
        o.moment("created_at")


def _check_poll(p: Record, outreach: int) -> None:
    p.text("question", polls.MAX_QUESTION)
    names = p.check("options", _options)
    p.flag("anonymous", default=False)
    closed = p.one_of("status", ("open", "closed")) == "closed"
    p.index("outreach", outreach, "outreach announcement")
    p.text("opened_by", HANDLE)
    opened = p.moment("opened_at")
    if p.moment("closes_at") <= opened:
        p.fail("closes_at", "a poll closes after it opens")
    if closed and p.moment("closed_at", null=True) is None:
        p.fail("closed_at", "a closed poll says when it closed")
    p.moment("closed_at", null=True)
    seen = set()
    for v in p.records("votes", "vote", name="member"):
        member = v.text("member", HANDLE)
        if member in seen:
            v.fail("member", f"a second vote of @{member}")
        seen.add(member)
        v.one_of("option", names)
        v.text("reason", 1000, null=True, blank=True)
        v.flag("advisory")
        v.moment("cast_at")
    numbers = set()
    for t in p.records("tallies", "tally", default=[]):
        number = t.whole("number", 1)
        if number in numbers:
            t.fail("number", f"a second tally {number}")
        numbers.add(number)
        t.moment("closed_at")
        Record(f"{t.where}, tally", t.get("tally"))
    choice = polls.is_choice(SimpleNamespace(options=p.get("options")))
    decisions = (*names, polls.NO_CHOICE) if choice else (*OUTCOMES, "withdrawn")
    if p.get("outcome") is not None:
        _decision(Record(f"{p.where}, outcome", p.get("outcome")), decisions)
    for a in p.records("amendments", "amendment", default=[]):
        _decision(a, decisions)
        a.text("amended_by", HANDLE)
        a.moment("amended_at")


def _options(options) -> tuple[str, ...]:
    """The options' names, if they are what `poll open options=…` would store."""
    shape = "a list of 2 to 10 options, each {name, meaning}"
    if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
        raise UserError(f"should be {shape}")
    if any(set(o) != {"name", "meaning"} or not isinstance(o["meaning"], str) for o in options):
        raise UserError(f"should be {shape}")
    names = [o["name"] for o in options]
    if not all(isinstance(n, str) for n in names):
        raise UserError(f"should be {shape}")
    polls.read_options(",".join(names))  # the command's own rules for option names
    if names != [n.strip().lower() for n in names]:
        raise UserError("option names are lowercase single words")
    return tuple(names)


def _decision(r: Record, decisions: tuple[str, ...]) -> None:
    r.one_of("decision", decisions)
    r.text("rationale", 2000, null=True, blank=True, default=None)
    r.text("by", HANDLE, null=True, default=None)
    r.moment("at", null=True, default=None)


def _check_members(g: Record) -> None:
    current, periods = set(), set()
    for m in g.records("members", "member", name="handle"):
        raw = {key: m.get(key) for key in roster.FIELDS}
        for key, value in raw.items():
            if value is not None and not isinstance(value, str):
                m.fail(key, f"should be text or null, not {value!r}"[:80])
        try:
            entry = roster.check_entry(raw)
        except UserError as error:
            raise UserError(f"{m.where}: {one_line(str(error))}") from None
        for key in roster.FIELDS:
            if getattr(entry, key) != raw[key]:
                m.fail(key, f"`{raw[key]}` is stored as `{getattr(entry, key)}` by the bot")
        added = m.moment("added_at")
        removed = m.moment("removed_at", null=True, default=None)
        if removed is not None and removed < added:
            m.fail("removed_at", "a membership ends after it begins")
        m.text("removed_by", HANDLE, null=True, default=None)
        m.text("removed_reason", 500, null=True, blank=True, default=None)
        if (entry.handle, added) in periods:
            m.fail("added_at", f"a second membership of @{entry.handle} from that time")
        periods.add((entry.handle, added))
        if removed is None:
            if entry.handle in current:
                m.fail("handle", f"@{entry.handle} has a second current membership")
            current.add(entry.handle)
        for c in m.records("changes", "change", name="field", default=[]):
            c.one_of("field", roster.FIELDS[1:])
            c.text("old", 200, null=True, blank=True)
            c.text("new", 200, null=True, blank=True)
            c.moment("at")
            c.text("by", HANDLE)


MINUTES_STATUSES = ("open", "draft", "approved")
LINE_KINDS = ("topic", "info", "link", "idea", "action", "agreed")


def _check_minutes(r: Record, g: Record) -> None:
    """A meeting's minutes: their lines numbered once each, and every action item and
    decision on one of those lines."""
    polls = g.get("polls", [])
    r.text("transport", 20)
    r.text("room", 255)
    r.one_of("status", MINUTES_STATUSES)
    chairs = r.get("chairs")
    if not isinstance(chairs, list) or not all(
        isinstance(c, str) and 0 < len(c) <= HANDLE for c in chairs
    ):
        r.fail("chairs", "should be a list of handles")
    r.text("started_by", HANDLE)
    r.moment("started_at")
    for key in ("ended_by", "approved_by"):
        r.text(key, HANDLE, null=True)
    for key in ("ended_at", "review_until", "approved_at"):
        r.moment(key, null=True)
    numbers = set()
    for ln in r.records("lines", "line", name="kind"):
        number = ln.whole("number", 1)
        if number in numbers:
            ln.fail("number", f"a second line {number}")
        numbers.add(number)
        ln.one_of("kind", LINE_KINDS)
        ln.text("author", HANDLE)
        ln.text("text", 2000, blank=True)
        ln.check("url", _link)
        if ln.get("agenda_number") is not None:
            ln.whole("agenda_number", 1)
        ln.moment("created_at")
        ln.moment("undone_at", null=True)
        ln.text("undone_by", HANDLE, null=True)
        for e in ln.records("edits", "edit"):
            e.text("old", 2000, blank=True)
            e.text("new", 2000, blank=True)
            e.text("by", HANDLE)
            e.moment("at")
    for c in r.records("corrections", "correction", name="author"):
        c.text("author", HANDLE)
        c.text("text", 2000)
        c.one_of("status", ("standing", "settled"))
        c.moment("created_at")
        c.moment("settled_at", null=True)
    for a in r.records("actions", "action item", name="owner"):
        if a.get("line") not in numbers:
            a.fail("line", "names no line of these minutes")
        a.text("owner", HANDLE)
        a.text("text", 2000)
        a.check("due", _day)
        a.one_of("status", ("open", "done", "withdrawn"))
        a.moment("created_at")
        a.moment("done_at", null=True)
        a.text("done_note", 1000, null=True, blank=True)
    for d in r.records("decisions", "decision", name="text"):
        if d.get("line") not in numbers:
            d.fail("line", "names no line of these minutes")
        d.text("text", 2000)
        d.text("by", HANDLE)
        d.moment("at")
        d.one_of("status", ("taken", "polled", "withdrawn"))
        d.index("poll", len(polls) if isinstance(polls, list) else 0, "poll")


def _day(value) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise UserError(
            f"`{str(value)[:20]}` should be a date such as 2026-12-20, or null"
        ) from None
