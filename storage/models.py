"""The tables. Every record belongs to a group; datetimes are timezone-aware UTC."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class Group(SQLModel, table=True):
    """One working group: its roster, meetings, polls."""

    __tablename__ = "groups"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=80)
    target_size: int = 20
    settings: dict = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )
    created_at: datetime


class Room(SQLModel, table=True):
    """A chat room bound to a group; the main room is where the bot posts for the group."""

    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("transport", "room"), {"sqlite_autoincrement": True})
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    transport: str = Field(max_length=20)
    room: str = Field(max_length=255)
    main: bool = False


class Member(SQLModel, table=True):
    """A person on a group's roster, with the composition facts the terms of reference ask for."""

    __tablename__ = "members"
    # One current membership per person and group; former ones (removed_at set) stay.
    __table_args__ = (
        Index(
            "uq_members_current",
            "group_id",
            "handle",
            unique=True,
            sqlite_where=text("removed_at IS NULL"),
            postgresql_where=text("removed_at IS NULL"),
        ),
        {"sqlite_autoincrement": True},
    )
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    handle: str = Field(max_length=255)
    name: str = Field(max_length=200)
    role: str = Field(max_length=20)
    stakeholder_group: str | None = Field(default=None, max_length=40)
    region: str | None = Field(default=None, max_length=40)
    gender: str | None = Field(default=None, max_length=20)
    organisation: str | None = Field(default=None, max_length=200)
    capacity: str | None = Field(default=None, max_length=20)
    timezone: str | None = Field(default=None, max_length=64)
    # Where the group's mailing list and the bot's mail reach them (personal data).
    email: str | None = Field(default=None, max_length=254, index=True)
    added_at: datetime
    removed_at: datetime | None = None
    removed_by: str | None = Field(default=None, max_length=255)
    removed_reason: str | None = Field(default=None, max_length=500)


class MemberChange(SQLModel, table=True):
    """One detail of a membership changed (`member edit`, a roster import): the value it had
    until `changed_at`, so the composition on any past date can be shown."""

    __tablename__ = "member_changes"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="members.id", index=True)
    field: str = Field(max_length=40)
    old: str | None = Field(default=None, max_length=200)
    new: str | None = Field(default=None, max_length=200)
    changed_at: datetime
    changed_by: str = Field(max_length=255)


class ProcessedEvent(SQLModel, table=True):
    """An inbound event already handled: the same (transport, key) is processed once."""

    __tablename__ = "processed_events"
    __table_args__ = (UniqueConstraint("transport", "key"), {"sqlite_autoincrement": True})
    id: int | None = Field(default=None, primary_key=True)
    transport: str = Field(max_length=20)
    key: str = Field(max_length=255)
    processed_at: datetime


class InboxEvent(SQLModel, table=True):
    """An inbound event as a transport received it, recorded before the platform is answered:
    processed once (`processed_at`), and after a crash processed at the next start."""

    __tablename__ = "inbox"
    __table_args__ = (UniqueConstraint("transport", "key"), {"sqlite_autoincrement": True})
    id: int | None = Field(default=None, primary_key=True)
    transport: str = Field(max_length=20)
    key: str = Field(max_length=255)
    room: str = Field(max_length=255)
    kind: str = Field(max_length=20)
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    received_at: datetime
    processed_at: datetime | None = Field(default=None, index=True)
    # done, refused (bad input or not allowed: nothing changed) or failed (the bot's fault)
    outcome: str | None = Field(default=None, max_length=20)
    claimed_by: str | None = Field(default=None, max_length=80)
    claimed_at: datetime | None = None
    attempts: int = 0


class OutboxItem(SQLModel, table=True):
    """Something the bot will say, on a schedule or in answer to an event: claimed before it
    is sent, marked sent (with the platform's message id) after, or failed for good with the
    platform's reason. `address` is where an answer goes back to (a reply), or the message an
    update changes; `not_before` holds a retry back until then."""

    __tablename__ = "outbox"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=255)
    group_id: int | None = Field(default=None, foreign_key="groups.id", index=True)
    due_at: datetime = Field(index=True)
    kind: str = Field(max_length=20)
    transport: str = Field(max_length=20)
    target: str = Field(max_length=255)
    thread: str | None = Field(default=None, max_length=255)
    text: str
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    claimed_by: str | None = Field(default=None, max_length=80)
    claimed_at: datetime | None = None
    sent_at: datetime | None = Field(default=None, index=True)
    skipped_at: datetime | None = None
    attempts: int = 0
    last_error: str | None = None
    address: dict = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )
    message_id: str | None = Field(default=None, max_length=255)
    not_before: datetime | None = None
    failed_at: datetime | None = None


class MeetingSeries(SQLModel, table=True):
    """A group's recurring meeting: an RFC 5545 rule kept in the zone its time of day is in."""

    __tablename__ = "meeting_series"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", unique=True)
    rrule: str = Field(max_length=255)
    starts: datetime
    timezone: str = Field(max_length=64)
    duration_minutes: int = 60
    call_link: str | None = Field(default=None, max_length=500)
    created_at: datetime


class Meeting(SQLModel, table=True):
    """One meeting: an occurrence of the series (kept once it exists) or a one-off.

    `occurrence` is the time the series gave it (its RFC 5545 RECURRENCE-ID), so a moved
    meeting keeps its identity; `starts_at` is when it really starts.
    """

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("group_id", "occurrence"), {"sqlite_autoincrement": True})
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    series_id: int | None = Field(default=None, foreign_key="meeting_series.id")
    occurrence: datetime
    starts_at: datetime = Field(index=True)
    duration_minutes: int = 60
    call_link: str | None = Field(default=None, max_length=500)
    status: str = Field(default="scheduled", max_length=20)
    agenda_status: str = Field(default="draft", max_length=20)
    agenda_approved_at: datetime | None = None
    agenda_approved_by: str | None = Field(default=None, max_length=255)
    created_at: datetime
    # Closed to observers (terms of reference III: open to them "unless stated otherwise").
    private: bool = False


class Apology(SQLModel, table=True):
    """An availability notice: a member will miss a meeting, and the secretariat was told."""

    __tablename__ = "apologies"
    # One standing notice per member and meeting; withdrawn ones stay on the record.
    __table_args__ = (
        Index(
            "uq_apologies_standing",
            "meeting_id",
            "handle",
            unique=True,
            sqlite_where=text("withdrawn_at IS NULL"),
            postgresql_where=text("withdrawn_at IS NULL"),
        ),
        {"sqlite_autoincrement": True},
    )
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meetings.id", index=True)
    handle: str = Field(max_length=255)
    reason: str | None = Field(default=None, max_length=500)
    source: str = Field(default="command", max_length=20)
    created_at: datetime
    status: str = Field(default="standing", max_length=20)
    withdrawn_at: datetime | None = None


class Attendance(SQLModel, table=True):
    """Who attended a meeting, as the facilitator recorded it."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "handle"), {"sqlite_autoincrement": True})
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meetings.id", index=True)
    handle: str = Field(max_length=255)
    recorded_at: datetime


class AgendaItem(SQLModel, table=True):
    """An item proposed for a meeting's agenda, numbered within the meeting."""

    __tablename__ = "agenda_items"
    __table_args__ = (UniqueConstraint("meeting_id", "number"), {"sqlite_autoincrement": True})
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meetings.id", index=True)
    number: int
    author: str = Field(max_length=255)
    text: str = Field(max_length=1000)
    issue_id: int | None = Field(default=None, foreign_key="issues.id")
    created_at: datetime


class Issue(SQLModel, table=True):
    """An emerging issue a member brought to the group's attention (terms of reference II.4)."""

    __tablename__ = "issues"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    author: str = Field(max_length=255)
    text: str = Field(max_length=1000)
    status: str = Field(default="open", max_length=20)
    created_at: datetime


class IssueSupport(SQLModel, table=True):
    __tablename__ = "issue_supports"
    __table_args__ = (UniqueConstraint("issue_id", "handle"), {"sqlite_autoincrement": True})
    id: int | None = Field(default=None, primary_key=True)
    issue_id: int = Field(foreign_key="issues.id", index=True)
    handle: str = Field(max_length=255)
    created_at: datetime


class SentPost(SQLModel, table=True):
    """A message the bot posted for a record ("outreach:3"), so replies in its thread and
    reactions on it find the record again."""

    __tablename__ = "sent_posts"
    __table_args__ = (
        UniqueConstraint("transport", "room", "message_id"),
        {"sqlite_autoincrement": True},
    )
    id: int | None = Field(default=None, primary_key=True)
    transport: str = Field(max_length=20)
    room: str = Field(max_length=255)
    message_id: str = Field(max_length=255)
    ref: str = Field(max_length=80, index=True)


class Outreach(SQLModel, table=True):
    """A member's appearance at an outside event, announced to the group (II.3)."""

    __tablename__ = "outreach"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    member: str = Field(max_length=255)
    event: str = Field(max_length=200)
    date: date
    place: str | None = Field(default=None, max_length=200)
    link: str | None = Field(default=None, max_length=500)
    status: str = Field(default="announced", max_length=20)
    source: str = Field(default="command", max_length=20)
    announced_at: datetime
    window_closes_at: datetime = Field(index=True)
    report: str | None = Field(default=None, max_length=2000)
    reported_at: datetime | None = None


class Objection(SQLModel, table=True):
    """An objection to an outreach announcement; without a reason it awaits one."""

    __tablename__ = "objections"
    __table_args__ = (UniqueConstraint("outreach_id", "member"), {"sqlite_autoincrement": True})
    id: int | None = Field(default=None, primary_key=True)
    outreach_id: int = Field(foreign_key="outreach.id", index=True)
    member: str = Field(max_length=255)
    reason: str | None = Field(default=None, max_length=1000)
    status: str = Field(default="standing", max_length=20)
    source: str = Field(default="command", max_length=20)
    created_at: datetime


class Poll(SQLModel, table=True):
    """A consensus poll: a question, its options, and, once closed, the declared outcome."""

    __tablename__ = "polls"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    question: str = Field(max_length=500)
    options: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="open", max_length=20)
    outreach_id: int | None = Field(default=None, foreign_key="outreach.id")
    opened_by: str = Field(max_length=255)
    opened_at: datetime
    closes_at: datetime = Field(index=True)
    closed_at: datetime | None = None
    outcome: str | None = Field(default=None, max_length=20)
    rationale: str | None = Field(default=None, max_length=2000)
    decided_by: str | None = Field(default=None, max_length=255)
    decided_at: datetime | None = None
    # Votes are counted as ever; who voted what is shown to the facilitator alone.
    anonymous: bool = False


class Vote(SQLModel, table=True):
    """One person's vote (or, for an observer, advisory view) on a poll; a new one replaces it."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("poll_id", "member"), {"sqlite_autoincrement": True})
    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="polls.id", index=True)
    member: str = Field(max_length=255)
    option: str = Field(max_length=40)
    reason: str | None = Field(default=None, max_length=1000)
    advisory: bool = False
    cast_at: datetime


class CapturedMessage(SQLModel, table=True):
    """A member's chat message a record was captured from ("apology:4"), so an edit or a
    deletion of the message updates or withdraws the record."""

    __tablename__ = "captured_messages"
    __table_args__ = (
        UniqueConstraint("transport", "room", "message_id"),
        {"sqlite_autoincrement": True},
    )
    id: int | None = Field(default=None, primary_key=True)
    transport: str = Field(max_length=20)
    room: str = Field(max_length=255)
    message_id: str = Field(max_length=255)
    ref: str = Field(max_length=80)
    author: str = Field(max_length=255)
    captured_at: datetime


class TransportState(SQLModel, table=True):
    """What a transport keeps across restarts (the Matrix sync token, its direct rooms)."""

    __tablename__ = "transport_state"
    __table_args__ = (UniqueConstraint("transport", "name"), {"sqlite_autoincrement": True})
    id: int | None = Field(default=None, primary_key=True)
    transport: str = Field(max_length=20)
    name: str = Field(max_length=255)
    value: str
    updated_at: datetime


class PollTally(SQLModel, table=True):
    """A poll's tally as posted when it closed (counts, who could vote, the rules in force,
    the dissent), kept whatever the roster or the rules do later. A poll reopened and closed
    again gets another, numbered from 1."""

    __tablename__ = "poll_tallies"
    __table_args__ = (UniqueConstraint("poll_id", "number"), {"sqlite_autoincrement": True})
    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="polls.id", index=True)
    number: int
    closed_at: datetime
    tally: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class OutcomeAmendment(SQLModel, table=True):
    """A declared outcome as it was before the facilitator amended it, and who amended it when."""

    __tablename__ = "outcome_amendments"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="polls.id", index=True)
    decision: str = Field(max_length=20)
    rationale: str | None = Field(default=None, max_length=2000)
    decided_by: str | None = Field(default=None, max_length=255)
    decided_at: datetime | None = None
    amended_by: str = Field(max_length=255)
    amended_at: datetime


class AuditEntry(SQLModel, table=True):
    """One change to a group's state: who made it (a handle, or pnbot on a schedule), what
    it was, on which record, when and why. Never updated or deleted."""

    __tablename__ = "audit_log"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    at: datetime
    actor: str = Field(max_length=255)
    action: str = Field(max_length=40)
    subject: str = Field(max_length=200)
    detail: str | None = Field(default=None, max_length=1000)
    reason: str | None = Field(default=None, max_length=1000)


class Minutes(SQLModel, table=True):
    """The minutes of one meeting, taken in chat: open while the meeting runs, then a draft
    under review until `review_until`, then approved (by the facilitator, or by the window
    closing with no correction standing)."""

    __tablename__ = "minutes"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    meeting_id: int = Field(foreign_key="meetings.id", unique=True)
    transport: str = Field(max_length=20)
    room: str = Field(max_length=255)
    status: str = Field(default="open", max_length=20)
    chairs: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    started_by: str = Field(max_length=255)
    started_at: datetime
    ended_by: str | None = Field(default=None, max_length=255)
    ended_at: datetime | None = None
    review_until: datetime | None = Field(default=None, index=True)
    approved_by: str | None = Field(default=None, max_length=255)
    approved_at: datetime | None = None


class MinuteLine(SQLModel, table=True):
    """One tagged line of a meeting (#topic, #info, #link, #idea, #action, #agreed), numbered
    within its minutes; an undone one stays, marked undone."""

    __tablename__ = "minute_lines"
    __table_args__ = (UniqueConstraint("minutes_id", "number"), {"sqlite_autoincrement": True})
    id: int | None = Field(default=None, primary_key=True)
    minutes_id: int = Field(foreign_key="minutes.id", index=True)
    number: int
    kind: str = Field(max_length=20)
    author: str = Field(max_length=255)
    text: str = Field(max_length=2000)
    url: str | None = Field(default=None, max_length=500)
    agenda_number: int | None = None
    created_at: datetime
    undone_at: datetime | None = None
    undone_by: str | None = Field(default=None, max_length=255)


class MinuteEdit(SQLModel, table=True):
    """A line of the minutes as it read before the facilitator edited it in review."""

    __tablename__ = "minute_edits"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: int | None = Field(default=None, primary_key=True)
    line_id: int = Field(foreign_key="minute_lines.id", index=True)
    old_text: str = Field(max_length=2000)
    new_text: str = Field(max_length=2000)
    edited_by: str = Field(max_length=255)
    edited_at: datetime


class MinutesCorrection(SQLModel, table=True):
    """A member's correction to draft minutes; it stands until the facilitator approves."""

    __tablename__ = "minutes_corrections"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: int | None = Field(default=None, primary_key=True)
    minutes_id: int = Field(foreign_key="minutes.id", index=True)
    author: str = Field(max_length=255)
    text: str = Field(max_length=2000)
    status: str = Field(default="standing", max_length=20)
    created_at: datetime
    settled_at: datetime | None = None


class ActionItem(SQLModel, table=True):
    """One person's action item from a meeting's #action line: open, done or withdrawn."""

    __tablename__ = "action_items"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    minutes_id: int = Field(foreign_key="minutes.id", index=True)
    line_id: int = Field(foreign_key="minute_lines.id")
    owner: str = Field(max_length=255)
    text: str = Field(max_length=2000)
    due: date | None = None
    status: str = Field(default="open", max_length=20)
    created_at: datetime
    done_at: datetime | None = None
    done_note: str | None = Field(default=None, max_length=1000)


class MeetingDecision(SQLModel, table=True):
    """A decision agreed in a meeting (#agreed): taken there, or sent to a consensus poll."""

    __tablename__ = "meeting_decisions"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    minutes_id: int = Field(foreign_key="minutes.id", index=True)
    line_id: int = Field(foreign_key="minute_lines.id")
    text: str = Field(max_length=2000)
    decided_by: str = Field(max_length=255)
    decided_at: datetime
    status: str = Field(default="taken", max_length=20)
    poll_id: int | None = Field(default=None, foreign_key="polls.id")


class Milestone(SQLModel, table=True):
    """A step of the group's workplan (terms of reference I.1): due on a date, owned by
    someone, open until done or dropped. `history` keeps every change, oldest first."""

    __tablename__ = "milestones"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    title: str = Field(max_length=200)
    kind: str = Field(default="other", max_length=20)
    due: date = Field(index=True)
    owner: str | None = Field(default=None, max_length=255)
    status: str = Field(default="open", max_length=20)
    created_by: str = Field(max_length=255)
    created_at: datetime
    closed_at: datetime | None = None
    history: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class TimePoll(SQLModel, table=True):
    """A poll on when to meet: candidate slots (UTC times, as typed in `labels`) that each
    member answers yes, if need be, or no; the tally is kept as posted when it closes."""

    __tablename__ = "time_polls"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    title: str = Field(max_length=200)
    slots: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    opened_by: str = Field(max_length=255)
    opened_at: datetime
    closes_at: datetime = Field(index=True)
    closed_at: datetime | None = None
    tally: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class TimeAnswer(SQLModel, table=True):
    """One person's answer for one slot of a time poll; a new answer replaces it."""

    __tablename__ = "time_answers"
    __table_args__ = (
        UniqueConstraint("poll_id", "member", "slot"),
        {"sqlite_autoincrement": True},
    )
    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="time_polls.id", index=True)
    member: str = Field(max_length=255)
    slot: int
    answer: str = Field(max_length=20)
    answered_at: datetime


class DraftRound(SQLModel, table=True):
    """A review round of the output document (terms of reference I.5): a draft shared with
    the group until `comments_until`, and with `endorse` a consensus poll (`poll_id`) on the
    final version when the round closes."""

    __tablename__ = "draft_rounds"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    title: str = Field(max_length=200)
    link: str = Field(max_length=500)
    shared_by: str = Field(max_length=255)
    shared_at: datetime
    comments_until: datetime = Field(index=True)
    endorse: bool = False
    closed_at: datetime | None = None
    poll_id: int | None = Field(default=None, foreign_key="polls.id")


class DraftComment(SQLModel, table=True):
    """A comment on a draft (`kind` comment), or an acknowledgement without one (`ack`)."""

    __tablename__ = "draft_comments"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="draft_rounds.id", index=True)
    member: str = Field(max_length=255)
    kind: str = Field(default="comment", max_length=20)
    text: str | None = Field(default=None, max_length=4000)
    source: str = Field(default="command", max_length=20)
    created_at: datetime


class IgfEvent(SQLModel, table=True):
    """A date of the IGF's year the group informs (terms of reference I.4, III): an open
    consultation, a MAG meeting, the annual meeting. Its briefing (who presents, the slides)
    and the short report after it are kept with it; `uid` is the iCalendar UID of an imported
    event, so a second import of the same file adds nothing."""

    __tablename__ = "igf_events"
    __table_args__ = (UniqueConstraint("group_id", "uid"), {"sqlite_autoincrement": True})
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    title: str = Field(max_length=200)
    kind: str = Field(default="other", max_length=20)
    starts: date = Field(index=True)
    ends: date
    uid: str | None = Field(default=None, max_length=255)
    source: str = Field(default="command", max_length=20)
    created_by: str = Field(max_length=255)
    created_at: datetime
    presenter: str | None = Field(default=None, max_length=255)
    slides: str | None = Field(default=None, max_length=500)
    briefing_by: str | None = Field(default=None, max_length=255)
    briefing_at: datetime | None = None
    report: str | None = Field(default=None, max_length=2000)
    reported_by: str | None = Field(default=None, max_length=255)
    reported_at: datetime | None = None


class CaptureQuestion(SQLModel, table=True):
    """The bot asked a message's author whether it was a notice (capture was unsure): what it
    would record, and the answer. A "no" is kept so the bot never asks about that message
    again."""

    __tablename__ = "capture_questions"
    __table_args__ = (
        UniqueConstraint("transport", "room", "message_id"),
        {"sqlite_autoincrement": True},
    )
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="groups.id", index=True)
    transport: str = Field(max_length=20)
    room: str = Field(max_length=255)
    message_id: str = Field(max_length=255)
    thread: str | None = Field(default=None, max_length=255)
    author: str = Field(max_length=255)
    # availability | availability_other (apologies passed on) | outreach | objection
    kind: str = Field(max_length=20)
    day: date | None = None  # the date read, if any
    next_meeting: bool = False
    event: str | None = Field(default=None, max_length=300)
    place: str | None = Field(default=None, max_length=300)
    reason: str | None = Field(default=None, max_length=300)
    status: str = Field(default="asked", max_length=10)  # asked | yes | no
    asked_at: datetime
    answered_at: datetime | None = None
