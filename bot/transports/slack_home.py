"""The App Home tab: the core's page for one person (handlers/home.py) laid out as Block Kit,
within one view's limits: past what one view holds, a group's most recent outreach records and
a pointer to the rest.
"""

from __future__ import annotations

from datetime import datetime

from bot.transports.slack_blocks import SECTION_LIMIT, buttons, chunks, escape, mrkdwn, section
from handlers import home

MAX_BLOCKS = 100  # Slack's limit for a Home tab view
# Blocks one group's outreach may take, tried in turn until the whole view fits (None: all).
OUTREACH_CAPS = (None, 24, 12, 6, 2)


def home_view(core, user: str, now: datetime, command: str = "/pn") -> dict:
    """The Home tab of `user` at `now`, as the core says it; `command` is the slash command's
    name."""
    with core.store() as uow:
        page = home.home(uow, user, now, getattr(core, "default_tz", "UTC"), command)
    if not page.groups:
        return {"type": "home", "blocks": [section(mrkdwn(page.nowhere))]}
    return {"type": "home", "blocks": fit_view([_group_parts(g) for g in page.groups], command)}


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
        return [section("*My outreach:* none announced.")]
    shown = _outreach_sections(lines)
    if cap is None or len(shown) <= cap:
        return shown
    kept = _most_recent(lines, cap - 1)
    hidden = len(lines) - kept
    return _outreach_sections(lines[hidden:]) + [_context(mrkdwn(home.older(hidden, command)))]


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


def _group_parts(page: home.GroupPage) -> tuple[list[dict], list[str], list[dict]]:
    """One group's blocks before its outreach, its outreach lines and the blocks after."""
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": page.name[:150]}}]
    for part in page.sections:
        blocks += _section_blocks(part)
    lines = [mrkdwn(f"• {item.text}") for item in page.outreach.items]
    return blocks, lines, [{"type": "divider"}]


def _section_blocks(part: home.Section) -> list[dict]:
    """A section's title and items: one block for plain lines, a block and its buttons for
    each item that can be acted on."""
    title = f"*{escape(part.title)}:*"
    if not part.items:
        return [section(f"{title} {mrkdwn(part.empty)}")]
    if part.inline:
        return [section(f"{title} {mrkdwn(part.items[0].text)}")]
    if not any(item.actions for item in part.items):
        lines = "\n".join(mrkdwn(f"• {item.text}") for item in part.items)
        return [section(f"{title}\n{lines}")]
    blocks = [section(title)]
    for item in part.items:
        blocks.append(section(mrkdwn(item.text)))
        blocks += buttons(item.actions)
    return blocks
