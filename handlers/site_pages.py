"""The public record of a group, as the pages of its website show it (terms of reference I:
"open and transparent"; III: meetings "open to observers unless stated otherwise").

Read through the unit of work and reduced to what anyone may read: names, stakeholder
groups, regions and roles of people; gender only as counts; no time zone, no personal
organisation, no call link in the pages; nothing of a private meeting; no name behind an
anonymous poll's votes; no observer's handle; no apology's reason; attendance as a count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace

from handlers import calendar, composition
from handlers.base import VOTING_ROLES
from handlers.events import strip_marks
from handlers.polls import decision_words, is_choice
from handlers.privacy import WITHHELD
from handlers.site_workplan import Workplan, workplan
from handlers.tally import summary

PUBLIC_OUTREACH = ("cleared",)
ISSUE_SECTIONS = (
    ("Open", ("open", "proposed", "deferred")),
    ("On an agenda", ()),
    ("Resolved or closed", ("resolved", "closed")),
)
LATEST_DECISIONS = 5


@dataclass(frozen=True)
class Count:
    label: str
    count: int
    target: float


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    stakeholder_group: str
    region: str


@dataclass(frozen=True)
class Former:
    name: str
    role: str
    stakeholder_group: str
    since: datetime
    until: datetime


@dataclass(frozen=True)
class Composition:
    total: int
    target: int
    stakeholder_groups: list[Count]
    regions: list[Count]
    genders: list[Count]
    members: dict[str, list[Person]]
    co_moderators: list[str]
    organisations: list[str]
    personal_capacity: int
    former: list[Former]
    others: list[Person]  # the facilitator, the secretariat and observers on the roster


@dataclass(frozen=True)
class AgendaLine:
    number: int
    text: str
    by: str
    issue: int | None


@dataclass(frozen=True)
class MinutesEntry:
    kind: str  # info, link, idea, agreed, action
    text: str
    url: str | None


@dataclass(frozen=True)
class MinutesTopic:
    title: str
    entries: tuple[MinutesEntry, ...]


@dataclass(frozen=True)
class MeetingPage:
    slug: str
    starts_at: datetime
    duration_minutes: int
    status: str
    held: bool
    agenda_approved: bool
    agenda: list[AgendaLine]
    apologies: int
    attended: int | None
    # the approved minutes' record, topic by topic, without who said what
    minutes: tuple[MinutesTopic, ...] = ()

    @property
    def title(self) -> str:
        return f"Meeting of {self.starts_at:%-d %B %Y}"


@dataclass(frozen=True)
class Dissent:
    who: str
    option: str
    reason: str


@dataclass(frozen=True)
class Earlier:
    decision: str
    rationale: str
    declared_at: datetime | None
    amended_at: datetime


@dataclass(frozen=True)
class Decision:
    number: int
    question: str
    outcome: str
    rationale: str
    declared_at: datetime
    closed_at: datetime | None
    anonymous: bool
    choice: bool
    options: list[str]
    counts: dict[str, int]
    by_group: list[tuple[str, int, dict[str, int]]]
    voted: int
    eligible: int
    quorum_needed: int
    quorum_met: bool
    suggestion: str | None
    in_one_line: str
    dissent: list[Dissent]
    observers: int
    earlier: list[Earlier]


@dataclass(frozen=True)
class Turnout:
    number: int
    question: str
    closed_at: datetime
    voted: int
    eligible: int


@dataclass(frozen=True)
class OutreachItem:
    number: int
    who: str
    event: str
    date: object
    place: str | None
    link: str | None
    report: str | None


@dataclass(frozen=True)
class IssueItem:
    number: int
    text: str
    by: str
    status: str
    raised_at: datetime
    supporters: int
    meeting: str | None


@dataclass(frozen=True)
class GroupSite:
    name: str
    now: datetime
    composition: Composition
    meetings: list[MeetingPage]
    decisions: list[Decision]
    turnout: list[Turnout]
    outreach: list[OutreachItem]
    issues: list[tuple[str, list[IssueItem]]]
    calendar: str
    workplan: Workplan

    @property
    def upcoming(self) -> list[MeetingPage]:
        return [m for m in self.meetings if not m.held and m.status == "scheduled"]

    @property
    def past(self) -> list[MeetingPage]:
        return sorted((m for m in self.meetings if m.held), key=lambda m: m.starts_at, reverse=True)

    @property
    def next_meeting(self) -> MeetingPage | None:
        return self.upcoming[0] if self.upcoming else None

    @property
    def latest_decisions(self) -> list[Decision]:
        return sorted(self.decisions, key=lambda d: d.declared_at, reverse=True)[:LATEST_DECISIONS]

    @property
    def issue_count(self) -> int:
        return sum(len(items) for _, items in self.issues)

    @property
    def attendance(self) -> list[MeetingPage]:
        """Held meetings with attendance recorded, oldest first (for the chart)."""
        return [m for m in reversed(self.past) if m.attended is not None]


def group_site(uow, group, now: datetime) -> GroupSite:
    """Everything the group's public pages show, read once through the unit of work."""
    people = uow.members.history(group.id)
    names = _names(people)
    current = [m for m in people if m.removed_at is None]
    rows = uow.meetings.all(group.id)
    public = [m for m in rows if not m.private]
    slugs = meeting_slugs(public)
    decisions, turnout = _decisions(uow, group, names)
    milestones, igf_events = uow.milestones.all(group.id), uow.igf.all(group.id)
    return GroupSite(
        name=group.name,
        now=now,
        composition=_composition(current, people, group.target_size),
        meetings=_meetings(uow, public, slugs, now, names),
        decisions=decisions,
        turnout=turnout,
        outreach=_outreach(uow, group, names),
        issues=_issues(uow, group, names, public, slugs),
        calendar=public_calendar(
            group, uow.meetings.series(group.id), rows, milestones, igf_events
        ),
        workplan=workplan(milestones, igf_events, now),
    )


def _names(people) -> dict[str, str]:
    """Each handle's name as the roster last gave it."""
    found = {}
    for m in sorted(people, key=lambda m: m.added_at):
        found[m.handle] = m.name
    return found


def _name(names: dict[str, str], handle: str | None, otherwise: str = "a member") -> str:
    return names.get(handle or "", otherwise)


def _composition(current, people, target: int) -> Composition:
    b = composition.balance(current, target)
    voters = composition.counted(current)
    by_group: dict[str, list[Person]] = {g: [] for g in composition.STAKEHOLDER_GROUPS}
    others = []
    for m in sorted(current, key=lambda m: (m.name.casefold(), m.handle)):
        person = Person(m.name, m.role, m.stakeholder_group or "-", m.region or "-")
        if m.role in VOTING_ROLES:
            by_group.setdefault(m.stakeholder_group or "-", []).append(person)
        else:
            others.append(person)
    # Organisations that delegated a representative are public (terms of reference V); who
    # represents which, and a member's organisation in a personal capacity, are not.
    organisations = sorted(
        {m.organisation.strip() for m in voters if m.organisation and m.capacity != "personal"},
        key=str.casefold,
    )
    former = [
        Former(m.name, m.role, m.stakeholder_group or "-", m.added_at, m.removed_at)
        for m in sorted(people, key=lambda m: (m.removed_at or m.added_at, m.id))
        if m.removed_at is not None
    ]
    gender_share = b.total / 2  # parity: as many women as men
    return Composition(
        total=b.total,
        target=target,
        stakeholder_groups=[Count(k, v, b.group_share) for k, v in b.stakeholder_groups.items()],
        regions=[Count(k, v, b.region_share) for k, v in b.regions.items()],
        genders=[
            Count(k, v, gender_share if k in ("woman", "man") else 0) for k, v in b.genders.items()
        ],
        members={g: listed for g, listed in by_group.items() if listed},
        co_moderators=[p.name for ps in by_group.values() for p in ps if p.role == "co-moderator"],
        organisations=organisations,
        personal_capacity=sum(1 for m in voters if m.capacity == "personal"),
        former=former,
        others=others,
    )


OPENING = "Opening"


def _minutes(uow, meeting, now: datetime) -> tuple[MinutesTopic, ...]:
    """What an approved meeting's minutes recorded (a draft is the group's to correct first);
    names are left out, as attendance is (the page shows counts)."""
    taken = uow.minutes.of_meeting(meeting.id)
    if taken is None or taken.approved_at is None or taken.approved_at > now:
        return ()
    topics: list[tuple[str, list[MinutesEntry]]] = []
    for line in uow.minutes.lines(taken.id):
        if line.undone_at is not None:
            continue
        if line.kind == "topic":
            topics.append((strip_marks(line.text), []))
            continue
        if not topics:
            topics.append((OPENING, []))
        url = line.url if line.url and line.url.startswith(("https://", "http://")) else None
        topics[-1][1].append(MinutesEntry(line.kind, strip_marks(line.text), url))
    return tuple(MinutesTopic(title, tuple(entries)) for title, entries in topics)


def _meetings(uow, public, slugs, now: datetime, names) -> list[MeetingPage]:
    ids = [m.id for m in public]
    apologies: dict[int, int] = {}
    for a in uow.apologies.for_meetings(ids):
        apologies[a.meeting_id] = apologies.get(a.meeting_id, 0) + 1
    attended: dict[int, int] = {}
    for a in uow.attendance.for_meetings(ids):
        attended[a.meeting_id] = attended.get(a.meeting_id, 0) + 1
    pages = []
    for m in sorted(public, key=lambda m: m.starts_at):
        approved = m.agenda_status == "approved"
        items = uow.agendas.items(m.id) if approved else []
        pages.append(
            MeetingPage(
                slug=slugs[m.id],
                starts_at=m.starts_at.astimezone(UTC),
                duration_minutes=m.duration_minutes,
                status=m.status,
                held=m.status == "scheduled" and m.starts_at <= now,
                agenda_approved=approved,
                agenda=[
                    AgendaLine(i.number, strip_marks(i.text), _name(names, i.author), i.issue_id)
                    for i in items
                ],
                apologies=apologies.get(m.id, 0),
                attended=attended.get(m.id),
                minutes=_minutes(uow, m, now),
            )
        )
    return pages


def meeting_slugs(meetings) -> dict[int, str]:
    """Each meeting's stable address: its day in UTC; a later-created meeting on a day already
    taken adds its time (`2026-12-08-1500`), so an address never moves to another meeting."""
    slugs, taken = {}, set()
    for m in sorted(meetings, key=lambda m: (m.created_at, m.id)):
        start = m.occurrence.astimezone(UTC)
        slug = f"{start:%Y-%m-%d}"
        if slug in taken:
            slug = f"{start:%Y-%m-%d-%H%M}"
        if slug in taken:
            slug = f"{start:%Y-%m-%d-%H%M}-{m.id}"
        taken.add(slug)
        slugs[m.id] = slug
    return slugs


def _decisions(uow, group, names) -> tuple[list[Decision], list[Turnout]]:
    polls = uow.polls.all(group.id)
    latest = uow.tallies.latest([p.id for p in polls])
    decisions, turnout = [], []
    for p in polls:
        kept = latest.get(p.id)
        frozen = kept.tally if kept else None
        if frozen is not None:
            turnout.append(
                Turnout(
                    p.id,
                    strip_marks(p.question),
                    kept.closed_at,
                    frozen.get("voted", 0),
                    frozen.get("eligible", 0),
                )
            )
        if not p.outcome or p.decided_at is None:
            continue
        decisions.append(_decision(uow, p, frozen or {}, names))
    return decisions, turnout


def _decision(uow, p, frozen: dict, names) -> Decision:
    options = list(frozen.get("options") or [o["name"] for o in p.options])
    eligible = frozen.get("eligible_by_stakeholder_group", {})
    by_group = frozen.get("by_stakeholder_group", {})
    groups = sorted(set(eligible) | set(by_group))
    dissent = [
        Dissent(
            WITHHELD if p.anonymous else _name(names, d.get("member")),
            d.get("option", ""),
            strip_marks(d.get("reason") or "(no reason given)"),
        )
        for d in frozen.get("dissent", [])
    ]
    return Decision(
        number=p.id,
        question=strip_marks(p.question),
        outcome=decision_words(p, p.outcome),
        rationale=strip_marks(p.rationale or ""),
        declared_at=p.decided_at,
        closed_at=p.closed_at,
        anonymous=p.anonymous,
        choice=is_choice(p),
        options=options,
        counts={o: frozen.get("counts", {}).get(o, 0) for o in options},
        by_group=[
            (g, eligible.get(g, 0), {o: by_group.get(g, {}).get(o, 0) for o in options})
            for g in groups
        ],
        voted=frozen.get("voted", 0),
        eligible=frozen.get("eligible", 0),
        quorum_needed=frozen.get("quorum_needed", 0),
        quorum_met=frozen.get("quorum_met", False),
        suggestion=frozen.get("suggestion"),
        in_one_line=summary(frozen) if frozen.get("options") else "",
        dissent=dissent,
        # observers are not on the roster: their views are counted, never named here
        observers=len(frozen.get("views", [])),
        earlier=[
            Earlier(
                decision_words(p, a.decision),
                strip_marks(a.rationale or ""),
                a.decided_at,
                a.amended_at,
            )
            for a in uow.amendments.of(p.id)
        ],
    )


def _outreach(uow, group, names) -> list[OutreachItem]:
    return [
        OutreachItem(
            r.id,
            _name(names, r.member),
            strip_marks(r.event),
            r.date,
            strip_marks(r.place) if r.place else None,
            _web_address(r.link),
            strip_marks(r.report) if r.report else None,
        )
        for r in uow.outreach.all(group.id)
        if r.status in PUBLIC_OUTREACH
    ]


def _web_address(link: str | None) -> str | None:
    """A link a page may carry: a web address, nothing else (no `javascript:`)."""
    return link if link and link.lower().startswith(("https://", "http://")) else None


def _issues(uow, group, names, public, slugs) -> list[tuple[str, list[IssueItem]]]:
    issues = uow.issues.all(group.id)
    supporters = uow.issues.supporters([i.id for i in issues])
    # an issue on a private meeting's agenda is listed by its status alone
    on_agenda: dict[int, str] = {}
    for m in public:
        if m.agenda_status == "approved":
            for item in uow.agendas.items(m.id):
                if item.issue_id:
                    on_agenda[item.issue_id] = slugs[m.id]
    items = [
        IssueItem(
            i.id,
            strip_marks(i.text),
            _name(names, i.author),
            i.status,
            i.created_at,
            len(supporters.get(i.id, [])),
            on_agenda.get(i.id),
        )
        for i in issues
    ]
    sections = []
    for title, statuses in ISSUE_SECTIONS:
        if statuses:
            chosen = [i for i in items if i.status in statuses and i.meeting is None]
        else:
            chosen = [
                i for i in items if i.meeting is not None and i.status not in ("resolved", "closed")
            ]
        sections.append((title, chosen))
    return sections


def public_calendar(group, series, meetings, milestones=(), igf_events=()) -> str:
    """The group's calendar for anyone: a private meeting is not in it at all (an occurrence
    of the series that is private is left out as if cancelled), and the rest as observers get it;
    the workplan's milestones and the IGF dates as the workplan page shows them (no slides)."""
    shown = []
    for m in meetings:
        if not m.private:
            shown.append(m)
        elif series is not None and m.series_id == series.id:
            shown.append(_as_cancelled(m))
    return calendar.build(
        group,
        series,
        shown,
        outsider=True,
        milestones=milestones,
        igf_events=igf_events,
        slides=False,
    )


def _as_cancelled(m):
    """A private occurrence, seen by the calendar as a cancelled one (an EXDATE): nothing of it
    but the series' own gap."""
    fields = {
        k: getattr(m, k)
        for k in ("id", "series_id", "occurrence", "starts_at", "duration_minutes", "call_link")
    }
    return SimpleNamespace(**fields, status="cancelled", private=False)
