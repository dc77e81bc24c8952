"""Review rounds of the output document (terms of reference I.5): the facilitator shares a
draft until a date; members comment (a command, or a reply in the draft's thread) or
acknowledge it; the facilitator gets the comments grouped by stakeholder group; a round shared
with `endorse=yes` opens a consensus poll on the final version when it closes. Every round is
kept: what was shared when, who commented, what the group endorsed."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers import audit, meetings, polls, privacy
from handlers.base import (
    VOTING_ROLES,
    Args,
    Context,
    UserError,
    command,
    record_number,
    reply,
)
from handlers.composition import STAKEHOLDER_GROUPS
from handlers.events import Post, mention
from handlers.timefmt import when
from handlers.wording import plural

MAX_TITLE = 200
MAX_COMMENT = 4000
NUDGE_BEFORE = timedelta(days=2)
ENDORSE_FOR = timedelta(days=7)
OTHERS = "observers and others"


def read_link(text: str) -> str:
    if not re.match(r"^https?://\S+$", text) or len(text) > 500:
        raise UserError(f"`{text[:60]}` should be the draft's web address, starting with https://.")
    return text


def read_until(text: str, ctx: Context) -> datetime:
    """The end of the day `text` names, in the asker's zone."""
    last_day = meetings.read_day(text, ctx)
    until = datetime.combine(last_day + timedelta(days=1), time(0), ZoneInfo(ctx.tz))
    if not ctx.now + timedelta(hours=2) <= until <= ctx.now + timedelta(days=90):
        raise UserError(
            "A review round runs from today to 90 days ahead: `comments-until=2027-01-15`."
        )
    return until.astimezone(ZoneInfo("UTC"))


def find(ctx: Context, text: str):
    group = ctx.require_group()
    n = record_number(text)
    found = ctx.uow.drafts.get(group.id, n) if n is not None else None
    if found is None:
        raise UserError(f"There is no draft {text[:10]} in {group.name}; see `drafts`.")
    return found


def is_open(draft, now: datetime) -> bool:
    # judged by when it was said: a comment in time counts even if the close ran first
    return now < draft.comments_until


def how_to(draft) -> str:
    return (
        f"Comment with `comment {draft.id} <text>` or by replying in the draft's thread; "
        f"`ack {draft.id}` says you have read it and have no comment."
    )


@command("draft share", facilitator_only=True)
def share(ctx: Context, args: Args):
    """Share a draft of the output document for comments until a date; with endorse=yes a consensus poll on the final version follows.

    draft share <title> <link> comments-until=<date> [endorse=yes|no]

    Example: draft share "Output document, draft 2" https://docs.example.org/pn-ai-draft-2 comments-until=2027-01-15 endorse=yes
    Members who have neither commented nor acknowledged it are reminded two days before the end.
    """
    group = ctx.require_group()
    title = " ".join(args.words[0].split())
    if not title or len(title) > MAX_TITLE:
        raise UserError(f"Give the draft a title of 1 to {MAX_TITLE} characters, in quotes.")
    link = read_link(args.words[1])
    until = read_until(args.options["comments-until"], ctx)
    endorse = privacy.switch("endorse", args.options.get("endorse", "no"))
    draft = ctx.uow.drafts.add(
        group_id=group.id,
        title=title,
        link=link,
        shared_by=ctx.user,
        shared_at=ctx.now,
        comments_until=until,
        endorse=endorse,
    )
    audit.record(ctx, "draft share", f"draft {draft.id}", f"{title} {link}")
    then = "; then a consensus poll on the final version" if endorse else ""
    text = (
        f"Draft {draft.id} for review: {title}\n{link}\n"
        f"Comments until {when(until)}{then}.\n{how_to(draft)}"
    )
    out = [
        Post(transport=r.transport, room=r.room, text=text, data={"ref": f"draft:{draft.id}"})
        for r in ctx.uow.groups.main_rooms(group.id)
    ]
    return reply(f"Shared draft {draft.id} until {when(until, ctx.tz)}.", private=True) + out


def _check(ctx: Context, draft) -> None:
    if not is_open(draft, ctx.now):
        raise UserError(
            f"The review of draft {draft.id} closed {when(draft.comments_until, ctx.tz)}."
        )
    if ctx.me is None:
        raise UserError("Comments on the group's drafts come from people on its roster.")


def add_comment(ctx: Context, draft, text: str, source: str):
    _check(ctx, draft)
    said = " ".join(text.split())
    if not said:
        raise UserError(f"Say what you comment: `comment {draft.id} <text>`.")
    if len(said) > MAX_COMMENT:
        raise UserError(
            f"Keep a comment under {MAX_COMMENT} characters (this one has {len(said)}); send two."
        )
    ctx.uow.drafts.comment(
        round_id=draft.id,
        member=ctx.user,
        kind="comment",
        text=said,
        source=source,
        created_at=ctx.now,
    )
    return f"Recorded your comment on draft {draft.id} ({draft.title}); the facilitator gets every comment when the round closes."


@command("comment")
def comment(ctx: Context, args: Args):
    """Comment on a draft shared for review.

    comment <draft> <text...>

    Example: comment 1 Section 3 should cite the regional consultations.
    """
    draft = find(ctx, args.words[0])
    return reply(add_comment(ctx, draft, args.rest, "command"), private=True)


@command("ack")
def acknowledge(ctx: Context, args: Args):
    """Say you have read a draft and have no comment.

    ack <draft>
    """
    draft = find(ctx, args.words[0])
    _check(ctx, draft)
    ctx.uow.drafts.comment(
        round_id=draft.id, member=ctx.user, kind="ack", source="command", created_at=ctx.now
    )
    return reply(f"Noted: you have read draft {draft.id} ({draft.title}).", private=True)


def on_thread_reply(ctx: Context):
    """A comment written in a shared draft's thread; None when the thread is no draft's."""
    ref = ctx.uow.posts.ref_for(ctx.event.transport, ctx.event.room, ctx.event.thread)
    if not ref or not ref.startswith("draft:"):
        return None
    draft = ctx.uow.drafts.get(ctx.group.id, int(ref.split(":")[1]))
    if draft is None:
        return None
    return reply(add_comment(ctx, draft, ctx.event.text, "thread"), in_thread=True)


def responders(uow, draft) -> set[str]:
    return {c.member for c in uow.drafts.comments(draft.id)}


def grouped(uow, group, draft) -> list[str]:
    """The comments by stakeholder group, in the roster's order, each with its author."""
    roster = {m.handle: m for m in uow.members.history(group.id)}
    by_group: dict[str, list[str]] = defaultdict(list)
    for c in uow.drafts.comments(draft.id):
        if c.kind != "comment":
            continue
        member = roster.get(c.member)
        where = member.stakeholder_group if member and member.stakeholder_group else OTHERS
        by_group[where].append(f"    {mention(c.member)}: {c.text}")
    lines = []
    for name in [*STAKEHOLDER_GROUPS, OTHERS]:
        if by_group[name]:
            lines.append(f"  {name} ({len(by_group[name])}):")
            lines += by_group[name]
    return lines or ["  (no comments)"]


def summary(uow, group, draft) -> str:
    comments = [c for c in uow.drafts.comments(draft.id) if c.kind == "comment"]
    commenters = {c.member for c in comments}
    acked = {c.member for c in uow.drafts.comments(draft.id) if c.kind == "ack"} - commenters
    return (
        f"{plural(len(comments), 'comment')} from {plural(len(commenters), 'person', 'people')}, "
        f"{len(acked)} acknowledged without comment"
    )


@command("draft show")
def show(ctx: Context, args: Args):
    """Show a review round: what was shared when, who commented, and what the group endorsed; the staff see the comments.

    draft show <draft>
    """
    draft = find(ctx, args.words[0])
    group = ctx.group
    state = (
        f"closed {when(draft.closed_at or draft.comments_until, ctx.tz)}"
        if not is_open(draft, ctx.now)
        else f"comments until {when(draft.comments_until, ctx.tz)}"
    )
    lines = [
        f"Draft {draft.id}: {draft.title}, {draft.link}",
        f"Shared by {mention(draft.shared_by)} {when(draft.shared_at, ctx.tz)}; {state}.",
        summary(ctx.uow, group, draft) + ".",
    ]
    who = sorted(responders(ctx.uow, draft))
    if who:
        lines.append("Commented or acknowledged: " + ", ".join(mention(h) for h in who) + ".")
    if privacy.is_staff(ctx):
        lines.append("Comments by stakeholder group:")
        lines += grouped(ctx.uow, group, draft)
    lines += endorsement(ctx.uow, group, draft, ctx.tz)
    return reply("\n".join(lines), private=True)


def endorsement(uow, group, draft, tz: str) -> list[str]:
    if not draft.endorse:
        return []
    poll = uow.polls.get(group.id, draft.poll_id) if draft.poll_id else None
    if poll is None:
        return ["Endorsement: a consensus poll opens when the round closes."]
    if poll.outcome:
        return [f"Endorsement: poll {poll.id}, {polls.decision_words(poll, poll.outcome)}."]
    return [f"Endorsement: poll {poll.id}, {poll.status} until {when(poll.closes_at, tz)}."]


@command("drafts")
def list_drafts(ctx: Context, args: Args):
    """List the output document's review rounds, the latest first.

    drafts
    """
    group = ctx.require_group()
    found = ctx.uow.drafts.all(group.id)
    if not found:
        return reply(
            "No draft has been shared for review yet; the facilitator shares one with `draft share`.",
            private=True,
        )
    lines = [f"Review rounds of {group.name}:"]
    for d in reversed(found):
        state = "open" if is_open(d, ctx.now) else "closed"
        lines.append(
            f"  {d.id}. {d.title}, shared {when(d.shared_at, ctx.tz)}, {state}: "
            f"{summary(ctx.uow, group, d)}"
        )
    return reply("\n".join(lines), private=True)


def waiting(uow, group, draft) -> list:
    """The members (with an equal say) who have neither commented nor acknowledged."""
    done = responders(uow, draft)
    return [m for m in uow.members.all(group.id) if m.role in VOTING_ROLES and m.handle not in done]
