"""Slack's side of the text: what the core writes, as Block Kit and mrkdwn, and what Slack
sends, as the plain text the core reads.

Rendering only: nothing here decides what is said. The core writes every moment as
`Tue 8 Dec 2026, 13:00 UTC (14:00 Europe/Paris)` (handlers.timefmt.when); that form becomes a
`<!date^...>` token, so each reader sees the moment in their own Slack time zone, with the
core's text as the fallback. `@U012AB3CD` (a roster handle that is a Slack user id) becomes a
real mention. Code spans are left exactly as written.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bot.events import Outgoing, Reply

SECTION_LIMIT = 3000  # characters of text in one section block
MAX_BLOCKS = 50  # blocks in one message
BUTTON_LABEL_LIMIT = 75
DATE_FORMAT = "{date_long_pretty} at {time}"

_DAYS = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
# handlers.timefmt.when: the UTC moment, then (optionally) the same moment in a named zone.
_WHEN = re.compile(
    rf"\b(?:{_DAYS}) (?P<day>\d{{1,2}}) (?P<month>{_MONTHS}) (?P<year>\d{{4}}), "
    rf"(?P<hour>\d{{2}}):(?P<minute>\d{{2}}) UTC"
    rf"(?: \((?:(?:{_DAYS}) \d{{1,2}} (?:{_MONTHS}), )?\d{{2}}:\d{{2}} [A-Za-z0-9_+\-/]+\))?"
)
# A handle the core wrote; never one inside `<...>` a person typed, which reaches here
# escaped as `&lt;@U...&gt;` and must stay text, so quoting someone's words pings nobody.
_HANDLE = re.compile(r"(?<![\w<@])(?<!&lt;)@([UW][A-Z0-9]{6,})\b")
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)

# Inbound: Slack escapes &, < and > and wraps links, channels and special mentions in <...>.
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+\|([^>]*)>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")
_SUBTEAM = re.compile(r"<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>")


# outbound -----------------------------------------------------------------------------------


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def date_token(moment: datetime, fallback: str) -> str:
    """`<!date^...>`: Slack shows `moment` in each reader's own time zone."""
    return f"<!date^{int(moment.timestamp())}^{DATE_FORMAT}|{fallback}>"


def _moment(match: re.Match) -> str:
    moment = datetime.strptime(
        f"{match['day']} {match['month']} {match['year']} {match['hour']}:{match['minute']}",
        "%d %b %Y %H:%M",
    ).replace(tzinfo=UTC)
    return date_token(moment, match.group(0))


def mrkdwn(text: str) -> str:
    """The core's text as Slack mrkdwn: escaped, with mentions and date tokens outside code."""
    parts = _CODE.split(text)
    for i, part in enumerate(parts):
        part = escape(part)
        if i % 2 == 0:  # prose; odd parts are code spans
            part = _WHEN.sub(_moment, _HANDLE.sub(r"<@\1>", part))
        parts[i] = part
    return "".join(parts)


def chunks(text: str, limit: int) -> list[str]:
    """Split `text` at line ends into pieces of at most `limit` characters."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current or not pieces:
        pieces.append(current)
    return pieces


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def action_ids(actions: list[dict]) -> list[str]:
    """Slack wants the action ids of one block to differ: a repeated action (one button per
    poll option) gets `~2`, `~3`... appended, which `action_name` takes off again."""
    seen: dict[str, int] = {}
    ids = []
    for item in actions:
        seen[item["action"]] = seen.get(item["action"], 0) + 1
        count = seen[item["action"]]
        ids.append(item["action"] if count == 1 else f"{item['action']}~{count}")
    return ids


def action_name(action_id: str) -> str:
    return action_id.split("~", 1)[0]


def buttons(actions: list[dict]) -> list[dict]:
    """`data["actions"]` as `actions` blocks of buttons (at most 25 elements per block)."""
    elements = [
        {
            "type": "button",
            "action_id": action_id,
            "text": {"type": "plain_text", "text": item["label"][:BUTTON_LABEL_LIMIT]},
            "value": item["value"],
        }
        for item, action_id in zip(actions, action_ids(actions), strict=True)
    ]
    return [
        {"type": "actions", "elements": elements[i : i + 25]} for i in range(0, len(elements), 25)
    ]


def file_blocks(filename: str, content: str) -> list[dict]:
    """A file reply (an .ics calendar) as its name and its content in code blocks."""
    body = escape(content.replace("\r\n", "\n").rstrip("\n"))
    pieces = chunks(body, SECTION_LIMIT - 8)
    return [section(f"*{escape(filename)}*")] + [section(f"```{piece}```") for piece in pieces]


def render(out: Outgoing) -> tuple[str, list[dict]]:
    """The notification text and the blocks of a message the core wants said."""
    filename = out.data.get("filename")
    if isinstance(out, Reply) and filename:
        blocks = file_blocks(filename, out.text)
        text = escape(filename)
    else:
        from bot.transports.slack_layouts import layout  # it builds on this module

        text = mrkdwn(out.text)
        blocks = layout(out.data) or [section(piece) for piece in chunks(text, SECTION_LIMIT)]
    actions = buttons(out.data.get("actions") or [])
    if len(blocks) + len(actions) > MAX_BLOCKS:
        blocks = blocks[: MAX_BLOCKS - len(actions) - 1] + [section("…")]
    return text[:39000], blocks + actions


# inbound ------------------------------------------------------------------------------------


def plain(text: str) -> str:
    """Slack's message text as people typed it; `<@U...>` mentions are kept for the grammar."""
    text = _LINK.sub(r"\1", text)
    text = _CHANNEL.sub(r"#\1", text)
    text = _SPECIAL.sub(r"@\1", text)
    text = _SUBTEAM.sub(lambda m: f"@{m.group(1) or 'group'}".replace("@@", "@"), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def strip_mention(text: str, bot_user_id: str | None) -> tuple[str, bool]:
    """Take the bot's own mention out of `text`; whether it was there."""
    if not bot_user_id:
        return text, False
    mention = re.compile(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>")
    if not mention.search(text):
        return text, False
    leading = re.match(rf"\s*{mention.pattern}[\s:,]*", text)
    if leading:
        text = text[leading.end() :]
    text = re.sub(r"[ \t]{2,}", " ", mention.sub("", text))
    return text.strip(), True
