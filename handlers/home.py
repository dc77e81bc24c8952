"""A person's own page (Slack's App Home tab): what they have on in each of their groups.

The core decides what it says (the next meeting, their apologies for the coming meetings, the
open polls they have not voted on, with a button per option, and their outreach) and in which
words; a transport only lays it out within its limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from handlers import meetings, outreach, polls
from handlers.base import VOTING_ROLES
from handlers.timefmt import when

UPCOMING = 5


@dataclass(frozen=True)
class Item:
    """One entry of a section, with the buttons that act on it."""

    text: str
    actions: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    """A titled list; `empty` is said in its place when there is nothing to list. An
    `inline` section holds one item, said beside its title."""

    title: str
    items: list[Item]
    empty: str
    inline: bool = False


@dataclass(frozen=True)
class GroupPage:
    name: str
    sections: list[Section]
    # The section a page too long cuts to its most recent items (see `older`).
    outreach: Section


@dataclass(frozen=True)
class Home:
    groups: list[GroupPage]
    # Said instead when the person is on no group's roster.
    nowhere: str


def home(uow, user: str, now: datetime, default_tz: str, command: str = "/pn") -> Home:
    """What `user` has on at `now`, group by group."""
    pages = []
    for group in uow.members.groups_of(user):
        me = uow.members.get(group.id, user)
        pages.append(_page(uow, group, me, now, me.timezone or default_tz))
    return Home(
        groups=pages,
        nowhere=(
            "You are on no working group's roster yet. The facilitator adds members with "
            f"`{command} member add @you ...`; `{command} help` lists what everyone can do."
        ),
    )


def older(hidden: int, command: str) -> str:
    """What a page says of the outreach records it has no room for."""
    records = "1 older record is" if hidden == 1 else f"{hidden} older records are"
    return f"{records} not shown; `{command} outreach list` lists them all."


def _page(uow, group, me, now: datetime, tz: str) -> GroupPage:
    upcoming = uow.meetings.upcoming(group.id, now, limit=UPCOMING)
    sections = [
        Section(
            "Next meeting",
            [Item(meetings.describe(upcoming[0], tz))] if upcoming else [],
            "none scheduled yet.",
            inline=True,
        )
    ]
    starts = {m.id: m.starts_at for m in upcoming}
    mine = [a for a in uow.apologies.for_meetings(list(starts)) if a.handle == me.handle]
    sections.append(
        Section(
            "My apologies",
            [
                Item(f"{when(starts[a.meeting_id], tz)}" + (f": {a.reason}" if a.reason else ""))
                for a in mine
            ],
            "none for the coming meetings.",
        )
    )
    if me.role in VOTING_ROLES:
        waiting = [
            p
            for p in uow.polls.all(group.id)
            if p.status == "open" and me.handle not in uow.votes.voters(p.id)
        ]
        sections.append(
            Section(
                "Polls I have not voted on",
                [
                    Item(
                        f"Poll {p.id}: {p.question}\nOpen until {when(p.closes_at, tz)}.",
                        polls.buttons(p),
                    )
                    for p in waiting
                ],
                "none.",
            )
        )
    # by date, oldest first: a page too long keeps the latest
    records = [r for r in uow.outreach.all(group.id) if r.member == me.handle]
    mine_out = Section(
        "My outreach",
        [Item(f"{r.id}. {outreach.describe(r)} [{r.status}]") for r in records],
        "none announced.",
    )
    return GroupPage(group.name, sections, mine_out)
