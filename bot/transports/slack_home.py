"""The App Home tab: what one member has on in each of their groups, read through the core's
unit of work (no queries here) and drawn as Block Kit.

It shows the next meeting, the member's apologies for the coming meetings, the open polls
they have not voted on (with a button per option) and their outreach: as many sections as its
length needs, and past what one view holds, the most recent records and a pointer to the rest.
"""

from __future__ import annotations

from datetime import datetime

from bot.transports.slack_blocks import SECTION_LIMIT, buttons, chunks, escape, mrkdwn, section
from handlers import meetings, outreach, polls
from handlers.base import VOTING_ROLES
from handlers.timefmt import when

MAX_BLOCKS = 100  # Slack's limit for a Home tab view
UPCOMING = 5
# Blocks one group's outreach may take, tried in turn until the whole view fits (None: all).
OUTREACH_CAPS = (None, 24, 12, 6, 2)


def home_view(core, user: str, now: datetime, command: str = "/pn") -> dict:
    """The Home tab of `user` at `now`, from what the core has recorded; `command` is the
    slash command's name."""
    with core.store() as uow:
        groups = uow.members.groups_of(user)
        parts = [_group_parts(uow, g, uow.members.get(g.id, user), now, core) for g in groups]
    if not groups:
        blocks = [
            section(
                "You are on no working group's roster yet. The facilitator adds members with "
                f"`{command} member add @you ...`; `{command} help` lists what everyone can do."
            )
        ]
    else:
        blocks = fit_view(parts, command)
    return {"type": "home", "blocks": blocks}


def fit_view(parts: list[tuple[list[dict], list[str], list[dict]]], command: str) -> list[dict]:
    """The blocks of each group's (before, outreach lines, after) within one view's limit:
    the oldest outreach records give way first."""
    for cap in OUTREACH_CAPS:
        blocks = [
            block
            for before, lines, after in parts
            for block in (*before, *outreach_blocks(lines, command, cap), *after)
        ]
        if len(blocks) <= MAX_BLOCKS:
            return blocks
    # More groups and polls than one view holds even so: say where the rest is.
    return blocks[: MAX_BLOCKS - 1] + [_context(f"More than a Home tab holds: `{command} help`.")]


def outreach_blocks(lines: list[str], command: str, cap: int | None = None) -> list[dict]:
    """The member's outreach `lines` (oldest first, mrkdwn) as sections within Slack's limit,
    in at most `cap` blocks: the most recent, then how many older ones are not shown."""
    if not lines:
        return [section(escape("*My outreach:* none announced."))]
    shown = _outreach_sections(lines)
    if cap is None or len(shown) <= cap:
        return shown
    kept = _most_recent(lines, cap - 1)
    hidden = len(lines) - kept
    older = "1 older record is" if hidden == 1 else f"{hidden} older records are"
    return _outreach_sections(lines[hidden:]) + [
        _context(f"{older} not shown; `{command} outreach list` lists them all.")
    ]


def _outreach_sections(lines: list[str]) -> list[dict]:
    return [
        section(piece) for piece in chunks("\n".join(["*My outreach:*", *lines]), SECTION_LIMIT)
    ]


def _most_recent(lines: list[str], room: int) -> int:
    """How many of the newest `lines` fit in `room` sections (at least one)."""
    low, high = 1, len(lines)  # bisect: sections only grow with the lines kept
    while low < high:
        middle = (low + high + 1) // 2
        if len(_outreach_sections(lines[-middle:])) <= room:
            low = middle
        else:
            high = middle - 1
    return low


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _group_parts(uow, group, me, now: datetime, core) -> tuple[list[dict], list[str], list[dict]]:
    """One group's blocks before its outreach, its outreach lines and the blocks after."""
    tz = me.timezone or getattr(core, "default_tz", "UTC")
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": group.name[:150]}},
    ]
    upcoming = uow.meetings.upcoming(group.id, now, limit=UPCOMING)
    if upcoming:
        blocks.append(
            section(mrkdwn(f"*Next meeting:* {meetings.describe(upcoming[0], tz)}")),
        )
    else:
        blocks.append(section("*Next meeting:* none scheduled yet."))

    mine = [a for a in uow.apologies.for_meetings(m.id for m in upcoming) if a.handle == me.handle]
    starts = {m.id: m.starts_at for m in upcoming}
    if mine:
        lines = [
            f"• {when(starts[a.meeting_id], tz)}" + (f": {a.reason}" if a.reason else "")
            for a in mine
        ]
        blocks.append(section(mrkdwn("*My apologies:*\n" + "\n".join(lines))))
    else:
        blocks.append(section("*My apologies:* none for the coming meetings."))

    if me.role in VOTING_ROLES:
        waiting = [
            p
            for p in uow.polls.all(group.id)
            if p.status == "open" and me.handle not in uow.votes.voters(p.id)
        ]
        if waiting:
            blocks.append(section("*Polls I have not voted on:*"))
            for poll in waiting:
                blocks.append(
                    section(
                        mrkdwn(
                            f"Poll {poll.id}: {poll.question}\nOpen until {when(poll.closes_at, tz)}."
                        )
                    )
                )
                blocks += buttons(polls.buttons(poll))
        else:
            blocks.append(section("*Polls I have not voted on:* none."))

    # by date, oldest first: the view keeps the latest when it cannot hold them all
    records = [r for r in uow.outreach.all(group.id) if r.member == me.handle]
    lines = [mrkdwn(f"• {r.id}. {outreach.describe(r)} [{r.status}]") for r in records]
    return blocks, lines, [{"type": "divider"}]
