"""The App Home tab: what one member has on in each of their groups, read through the core's
unit of work (no queries here) and drawn as Block Kit.

It shows the next meeting, the member's apologies for the coming meetings, the open polls
they have not voted on (with a button per option) and their outreach.
"""

from __future__ import annotations

from datetime import datetime

from bot.transports.slack_blocks import buttons, escape, mrkdwn, section
from handlers import meetings, outreach, polls
from handlers.base import VOTING_ROLES
from handlers.timefmt import when

MAX_BLOCKS = 100  # Slack's limit for a Home tab view
UPCOMING = 5


def home_view(core, user: str, now: datetime, command: str = "/pn") -> dict:
    """The Home tab of `user` at `now`, from what the core has recorded; `command` is the
    slash command's name."""
    blocks: list[dict] = []
    with core.store() as uow:
        groups = uow.members.groups_of(user)
        for group in groups:
            blocks += _group_blocks(uow, group, uow.members.get(group.id, user), now, core)
    if not groups:
        blocks = [
            section(
                "You are on no working group's roster yet. The facilitator adds members with "
                f"`{command} member add @you ...`; `{command} help` lists what everyone can do."
            )
        ]
    if len(blocks) > MAX_BLOCKS:
        blocks = blocks[: MAX_BLOCKS - 1] + [section("…")]
    return {"type": "home", "blocks": blocks}


def _group_blocks(uow, group, me, now: datetime, core) -> list[dict]:
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

    records = [r for r in uow.outreach.all(group.id) if r.member == me.handle]
    if records:
        lines = [f"• {r.id}. {outreach.describe(r)} [{r.status}]" for r in records]
        blocks.append(section(mrkdwn("*My outreach:*\n" + "\n".join(lines))))
    else:
        blocks.append(section(escape("*My outreach:* none announced.")))
    blocks.append({"type": "divider"})
    return blocks
