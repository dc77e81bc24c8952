"""Minutes taken in the meeting itself, as MeetBot does: `meeting start` opens them, tagged
lines (#topic, #info, #link, #idea, #action, #agreed, #undo) fill them, `meeting end` closes
them and circulates the draft. Everyone who speaks meanwhile is recorded present."""

from __future__ import annotations

from datetime import timedelta

from handlers import audit, meetings, minutes_render, minutes_text, notify
from handlers.base import Args, Context, UserError, action, button, command, record_number, reply
from handlers.events import DirectMessage, Edited, Post, mention
from handlers.timefmt import when
from handlers.wording import plural

# A meeting this near to now is the one `meeting start` opens; otherwise an ad-hoc one.
NEAR = timedelta(hours=3)
DEFAULT_REVIEW_HOURS = 72
BOT = audit.BOT
CHAIR_ROLES = ("facilitator", "co-moderator")


def review_hours(group) -> int:
    """How long draft minutes stay open to corrections in this group."""
    return int((group.settings or {}).get("minutes", {}).get("review_hours", DEFAULT_REVIEW_HOURS))


def is_chair(ctx: Context, minutes) -> bool:
    """The facilitator and the co-moderators chair (terms of reference III); `chair @x` adds one."""
    return ctx.is_facilitator or ctx.role == "co-moderator" or ctx.user in (minutes.chairs or [])


def _open(ctx: Context):
    group = ctx.require_group()
    found = ctx.uow.minutes.open_of(group.id)
    if found is None:
        raise UserError(f"No {group.name} meeting is open; a chair opens one with `meeting start`.")
    return found


def _meeting_now(ctx: Context):
    """The scheduled meeting nearest to now within NEAR, or a new ad-hoc one starting now."""
    group = ctx.group
    near = [
        m
        for m in ctx.uow.meetings.between(group.id, ctx.now - NEAR, ctx.now + NEAR)
        if m.status == "scheduled"
    ]
    if near:
        return min(near, key=lambda m: abs(m.starts_at - ctx.now))
    occurrence = ctx.now.replace(second=0, microsecond=0)
    while ctx.uow.meetings.at_occurrence(group.id, occurrence):
        occurrence += timedelta(seconds=1)
    series = ctx.uow.meetings.series(group.id)
    ctx.uow.meetings.add(
        group.id,
        occurrence,
        ctx.now,
        starts_at=ctx.now,
        duration_minutes=series.duration_minutes if series else 60,
    )
    audit.record(ctx, "meeting add", f"meeting of {when(ctx.now)}", "ad hoc, by meeting start")
    return ctx.uow.meetings.at_occurrence(group.id, occurrence)


def _may_start(ctx: Context) -> None:
    if not (ctx.is_facilitator or ctx.role == "co-moderator"):
        raise UserError(
            "The facilitator or a co-moderator opens the minutes (terms of reference III); "
            "ask one of them to. Once they are open, a chair can make you one with `chair @you`."
        )


def start(ctx: Context, meeting=None):
    """Open the minutes of `meeting` (default: the one now) in the room of the event."""
    group = ctx.require_group()
    _may_start(ctx)
    if ctx.event.is_direct:
        raise UserError("Open the minutes in the group's room, where the meeting is held.")
    already = ctx.uow.minutes.open_of(group.id)
    if already is not None:
        held = ctx.uow.meetings.get(group.id, already.meeting_id)
        raise UserError(
            f"The minutes of the meeting of {when(held.starts_at, ctx.tz)} are open already; "
            "`meeting end` closes them."
        )
    meeting = meeting or _meeting_now(ctx)
    taken = ctx.uow.minutes.of_meeting(meeting.id)
    if taken is not None:
        raise UserError(
            f"The minutes of the meeting of {when(meeting.starts_at, ctx.tz)} were taken already "
            f"({taken.status}); `minutes {meeting.starts_at:%Y-%m-%d}` shows them."
        )
    minutes = ctx.uow.minutes.add(
        group_id=group.id,
        meeting_id=meeting.id,
        transport=ctx.event.transport,
        room=ctx.event.room,
        chairs=[ctx.user],
        started_by=ctx.user,
        started_at=ctx.now,
    )
    present(ctx, meeting)
    items = ctx.uow.agendas.items(meeting.id)
    first = ""
    if items:
        ctx.uow.minutes.add_line(
            minutes.id,
            kind="topic",
            author=BOT,
            text=items[0].text,
            agenda_number=items[0].number,
            created_at=ctx.now,
        )
        first = f"\nTopic 1 (agenda item 1): {items[0].text}"
    audit.record(ctx, "minutes start", f"meeting of {when(meeting.starts_at)}")
    apologies = ctx.uow.apologies.for_meetings([meeting.id])
    sorry = (
        "\nApologies: " + ", ".join(f"@{a.handle}" for a in apologies) + "." if apologies else ""
    )
    return reply(
        f"Minutes open for the {group.name} meeting of {when(meeting.starts_at)}, chaired by "
        f"{mention(ctx.user)}. Tag lines: #topic, #info, #link, #idea, #action @who, "
        f"#agreed (chairs), #undo. Silent attendees: `here`. `meeting end` closes the minutes."
        f"{sorry}{first}"
    )


def present(ctx: Context, meeting) -> None:
    """Record the author present at `meeting` when they are on the roster."""
    if ctx.me is not None:
        ctx.uow.attendance.record(meeting.id, ctx.user, ctx.now)


@command("meeting start")
def start_command(ctx: Context, args: Args):
    """Open the minutes of the meeting now (the scheduled one within 3 hours, or an ad-hoc one).

    meeting start

    The facilitator or a co-moderator opens them, in the group's room; tagged lines then fill them.
    Tags: `#topic [title]` (alone: the next agenda item), `#info <text>`, `#link <url> [text]`, `#idea <text>`, `#action @who [@who2] <text> [due=<date>]`, `#agreed <text>` (chairs), `#undo`; also #sujet/#tema, #lien/#enlace, #idée, #acción, #accord/#acuerdo, #annuler/#deshacer.
    """
    return start(ctx)


@action(
    "minutes.start",
    group_of=lambda uow, value: (
        uow.meetings.group_of(n) if (n := record_number(value)) is not None else None
    ),
)
def start_button(ctx: Context, value: str):
    group = ctx.require_group()
    _may_start(ctx)
    meeting = ctx.uow.meetings.get(group.id, n) if (n := record_number(value)) is not None else None
    if meeting is None or meeting.status != "scheduled":
        raise UserError("That meeting was cancelled; `meeting start` opens the minutes of one now.")
    if abs(meeting.starts_at - ctx.now) > NEAR:
        raise UserError(
            f"The meeting of {when(meeting.starts_at, ctx.tz)} is not now; `meeting start` "
            "opens the minutes of one now."
        )
    return start(ctx, meeting)


def start_button_for(meeting) -> dict:
    return button("Start minutes", "minutes.start", str(meeting.id))


@command("meeting end")
def end_command(ctx: Context, args: Args):
    """Close the minutes of the open meeting and circulate the draft for review.

    meeting end
    """
    group = ctx.require_group()
    minutes = _open(ctx)
    if not is_chair(ctx, minutes):
        raise UserError(
            "A chair closes the minutes: the facilitator, a co-moderator, or a chair named with `chair @x`."
        )
    meeting = ctx.uow.meetings.get(group.id, minutes.meeting_id)
    hours = review_hours(group)
    minutes.status, minutes.ended_by, minutes.ended_at = "draft", ctx.user, ctx.now
    minutes.review_until = ctx.now + timedelta(hours=hours)
    ctx.uow.minutes.save(minutes)
    audit.record(ctx, "minutes end", f"meeting of {when(meeting.starts_at)}")
    data = minutes_render.data(ctx.uow, group, minutes, ctx.now)
    counts = data["counts"]
    summary = (
        f"Minutes of the {group.name} meeting of {when(meeting.starts_at)} (draft): "
        f"{plural(counts['topics'], 'topic')}, {plural(counts['decisions'], 'decision')}, "
        f"{plural(counts['actions'], 'action item')}, {counts['present']} present. "
        f"Review until {when(minutes.review_until)}: `minutes` shows them, "
        "`minutes correct <text>` sends a correction to the facilitator."
    )
    # a private meeting's minutes are for the members: the room, open to observers, gets
    # the summary alone
    text = summary if meeting.private else summary + "\n\n" + minutes_render.render(data, "txt")
    out = [
        Post(transport=r.transport, room=r.room, text=text)
        for r in ctx.uow.groups.main_rooms(group.id)
    ]
    draft = minutes_render.render(data | {"numbered": True}, "md")
    for handle in notify.staff(ctx.uow, group, ctx.facilitators):
        out.append(
            DirectMessage(
                transport=ctx.event.transport,
                user=handle,
                text=(
                    f"The draft minutes of the {group.name} meeting, for review until "
                    f"{when(minutes.review_until)}. Edit a line with `minutes edit <line> <text>`, "
                    "approve with `minutes approve`.\n\n" + draft
                ),
                data={"filename": f"{group.name}-{meeting.starts_at:%Y-%m-%d}-minutes.md"},
            )
        )
    for person in data["by_person"]:
        listing = "\n".join(f"  {a['id']}. {a['text']}{a['due_text']}" for a in person["items"])
        out.append(
            DirectMessage(
                transport=ctx.event.transport,
                user=person["owner"],
                text=(
                    f"Your action items from the {group.name} meeting of {when(meeting.starts_at)}:\n"
                    f"{listing}\nWhen one is done: `action done <n> [note]`."
                ),
            )
        )
    return reply("Minutes closed.", private=True) + out


@command("chair")
def add_chair(ctx: Context, args: Args):
    """Make someone a chair of the open meeting (they may record decisions and close it).

    chair @person

    Example: chair @amina
    """
    minutes = _open(ctx)
    if not is_chair(ctx, minutes):
        raise UserError("Only a chair names another chair.")
    handle = args.words[0]
    if handle in minutes.chairs:
        raise UserError(f"{mention(handle)} chairs this meeting already.")
    if ctx.uow.members.get(ctx.group.id, handle) is None and handle not in ctx.facilitators:
        raise UserError(f"{mention(handle)} is not on the roster of {ctx.group.name}.")
    minutes.chairs = [*minutes.chairs, handle]
    ctx.uow.minutes.save(minutes)
    audit.record(ctx, "minutes chair", f"minutes {minutes.id}", f"@{handle}")
    return reply(f"{mention(handle)} now chairs this meeting too.")


@command("here")
def say_here(ctx: Context, args: Args):
    """Say you attend the open meeting without speaking.

    here
    """
    minutes = _open(ctx)
    if ctx.me is None:
        raise UserError(
            "Only people on the roster are recorded present; observers are welcome as they are."
        )
    meeting = ctx.uow.meetings.get(ctx.group.id, minutes.meeting_id)
    present(ctx, meeting)
    return reply("Noted: you are present.", private=True)


# -- tagged lines ------------------------------------------------------------------------------
def on_message(ctx: Context) -> list | None:
    """Read a message in an open meeting: record its author present, and take a tagged line;
    None when no meeting is open or the message holds no tag (other readings go on)."""
    if ctx.event.is_direct or ctx.group is None or isinstance(ctx.event, Edited):
        # an edited line is no new line: the minutes keep what was said (and `#undo`)
        return None
    minutes = ctx.uow.minutes.open_of(ctx.group.id)
    if minutes is None:
        if minutes_text.tag_of(ctx.event.text) is None:
            return None
        return reply(
            "No meeting is open, so that tagged line goes into no minutes. A chair opens them "
            "with `meeting start`; `minutes` shows the last ones.",
            private=True,
        )
    meeting = ctx.uow.meetings.get(ctx.group.id, minutes.meeting_id)
    try:
        tagged = minutes_text.read(ctx.event.text)
    except minutes_text.TagError as error:
        raise UserError(str(error)) from None
    present(ctx, meeting)
    if tagged is None:
        return None
    if tagged.kind == "undo":
        return _undo(ctx, minutes)
    if tagged.kind == "topic":
        return _topic(ctx, minutes, meeting, tagged.text)
    if tagged.kind == "action":
        return _action(ctx, minutes, tagged)
    if tagged.kind == "agreed":
        return _agreed(ctx, minutes, tagged.text)
    ctx.uow.minutes.add_line(
        minutes.id,
        kind=tagged.kind,
        author=ctx.user,
        text=tagged.text,
        url=tagged.url,
        created_at=ctx.now,
    )
    return []


def _topic(ctx: Context, minutes, meeting, title: str):
    lines = ctx.uow.minutes.lines(minutes.id)
    agenda_number = None
    if not title:
        reached = max((ln.agenda_number or 0 for ln in lines if ln.undone_at is None), default=0)
        following = [i for i in ctx.uow.agendas.items(meeting.id) if i.number > reached]
        if not following:
            raise UserError("The agenda has no item left: give the topic, `#topic <title>`.")
        title, agenda_number = following[0].text, following[0].number
    number = 1 + sum(1 for ln in lines if ln.kind == "topic" and ln.undone_at is None)
    ctx.uow.minutes.add_line(
        minutes.id,
        kind="topic",
        author=ctx.user,
        text=title,
        agenda_number=agenda_number,
        created_at=ctx.now,
    )
    item = f" (agenda item {agenda_number})" if agenda_number else ""
    return _said(ctx, f"Topic {number}{item}: {title}")


def _action(ctx: Context, minutes, tagged):
    group = ctx.group
    for handle in tagged.owners:
        if ctx.uow.members.get(group.id, handle) is None and handle not in ctx.facilitators:
            raise UserError(
                f"{mention(handle)} is not on the roster of {group.name}; an action goes to "
                "someone on it. Nothing was recorded."
            )
    due = meetings.read_day(tagged.due, ctx) if tagged.due else None
    line = ctx.uow.minutes.add_line(
        minutes.id, kind="action", author=ctx.user, text=tagged.text, created_at=ctx.now
    )
    made = [
        ctx.uow.actions.add(
            group_id=group.id,
            minutes_id=minutes.id,
            line_id=line.id,
            owner=handle,
            text=tagged.text,
            due=due,
            created_at=ctx.now,
        )
        for handle in tagged.owners
    ]
    due_text = f", due {due:%a %-d %b %Y}" if due else ""
    listed = "; ".join(f"{a.id} for {mention(a.owner)}" for a in made)
    label = "Action item" if len(made) == 1 else "Action items"
    return _said(ctx, f"{label} {listed}: {tagged.text}{due_text}")


def _agreed(ctx: Context, minutes, text: str):
    if not is_chair(ctx, minutes):
        raise UserError(
            "Only a chair records a decision with #agreed (the facilitator, a co-moderator, or "
            "someone made chair with `chair @x`). Say it as `#idea <text>`, or ask the chair to "
            "record it."
        )
    line = ctx.uow.minutes.add_line(
        minutes.id, kind="agreed", author=ctx.user, text=text, created_at=ctx.now
    )
    decision = ctx.uow.decisions.add(
        group_id=ctx.group.id,
        minutes_id=minutes.id,
        line_id=line.id,
        text=text,
        decided_by=ctx.user,
        decided_at=ctx.now,
    )
    audit.record(ctx, "decision record", f"meeting decision {decision.id}", text)
    return _said(
        ctx,
        f"Decision {decision.id} recorded: {text}\nIf members who were absent should have their "
        "say, a chair can send it to a consensus poll instead.",
        data={"actions": [button("Confirm by poll", "minutes.poll", str(decision.id))]},
    )


def _undo(ctx: Context, minutes):
    chair = is_chair(ctx, minutes)
    lines = [
        ln
        for ln in ctx.uow.minutes.lines(minutes.id)
        if ln.undone_at is None and ln.author != BOT and (chair or ln.author == ctx.user)
    ]
    if not lines:
        raise UserError("You have no tagged line in this meeting to undo.")
    line = lines[-1]
    decision = ctx.uow.decisions.of_line(line.id) if line.kind == "agreed" else None
    if decision is not None and decision.status == "polled":
        raise UserError(
            f"Decision {decision.id} went to poll {decision.poll_id}; the poll decides it now."
        )
    line.undone_at, line.undone_by = ctx.now, ctx.user
    ctx.uow.minutes.save_line(line)
    if decision is not None:
        decision.status = "withdrawn"
        ctx.uow.decisions.save(decision)
    for item in ctx.uow.actions.of_line(line.id):
        item.status = "withdrawn"
        ctx.uow.actions.save(item)
    shown = f"{line.url} {line.text}".strip() if line.url else line.text
    return _said(ctx, f"Undone: #{line.kind} {shown}")


def _said(ctx: Context, text: str, data: dict | None = None):
    """An answer to a tagged line, in the thread it was written in, if any."""
    return reply(text, data=data, in_thread=bool(ctx.event.thread))


# -- a decision sent to a poll -------------------------------------------------------------------
@action(
    "minutes.poll",
    group_of=lambda uow, value: (
        uow.decisions.group_of(n) if (n := record_number(value)) is not None else None
    ),
)
def poll_button(ctx: Context, value: str):
    from handlers import polls, tally

    group = ctx.require_group()
    n = record_number(value)
    decision = ctx.uow.decisions.get(group.id, n) if n is not None else None
    if decision is None or decision.status == "withdrawn":
        raise UserError("That decision was undone; there is nothing to send to a poll.")
    minutes = ctx.uow.minutes.get(decision.minutes_id)
    if not is_chair(ctx, minutes):
        raise UserError("Only a chair sends a meeting's decision to a consensus poll.")
    if decision.status == "polled":
        raise UserError(f"Decision {decision.id} is in poll {decision.poll_id} already.")
    poll, out = polls.open_poll(
        ctx.uow,
        group,
        decision.text,
        [dict(o) for o in tally.DEFAULT_OPTIONS],
        ctx.now + polls.DEFAULT_DURATION,
        ctx.now,
        ctx.user,
    )
    decision.status, decision.poll_id = "polled", poll.id
    ctx.uow.decisions.save(decision)
    audit.record(ctx, "decision to poll", f"meeting decision {decision.id}", f"poll {poll.id}")
    return (
        reply(
            f"Decision {decision.id} goes to consensus poll {poll.id}, so every member has an "
            "equal say; the minutes will say so.",
            private=True,
        )
        + out
    )
