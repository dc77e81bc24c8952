"""Slack's side of the text: what the core writes, as Block Kit and mrkdwn, and what Slack
sends, as the plain text the core reads.

Rendering only: nothing here decides what is said. The core writes every moment as
`Tue 8 Dec 2026, 13:00 UTC (14:00 Europe/Paris)` (handlers.timefmt.when); that form becomes a
`<!date^...>` token, so each reader sees the moment in their own Slack time zone, with the
core's text as the fallback. A handle the core marked as its own mention (handlers.events.mention)
becomes a real mention when it is a Slack user id; any other `@U012AB3CD`, one a person typed
into an agenda item or a reason, stays text. Code spans are left exactly as written.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from handlers.events import MARKED, Outgoing, Reply, strip_marks

SECTION_LIMIT = 3000  # characters of text in one section block
HEADER_LIMIT = 150  # characters of a header block's text
MAX_BLOCKS = 50  # blocks in one message
# Slack refuses a message whose blocks hold more than about 12,000 characters of text in all
# (msg_blocks_too_long); a margin leaves room for what it counts that we do not.
TEXT_BUDGET = 11_000
FALLBACK_LIMIT = 4000  # characters of a message's `text`, the notification and fallback
BUTTON_LABEL_LIMIT = 75
CONTINUED = " (continued)"
DATE_FORMAT = "{date_long_pretty} at {time}"

_DAYS = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
# handlers.timefmt.when: the UTC moment, then (optionally) the same moment in a named zone.
_WHEN = re.compile(
    rf"\b(?:{_DAYS}) (?P<day>\d{{1,2}}) (?P<month>{_MONTHS}) (?P<year>\d{{4}}), "
    rf"(?P<hour>\d{{2}}):(?P<minute>\d{{2}}) UTC"
    rf"(?: \((?:(?:{_DAYS}) \d{{1,2}} (?:{_MONTHS}), )?\d{{2}}:\d{{2}} [A-Za-z0-9_+\-/]+\))?"
)
_USER_ID = re.compile(r"[UW][A-Z0-9]{6,}")
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)
_TOKEN = re.compile(r"<[^<>\n]*>|&(?:amp|lt|gt);")  # what a cut must not split

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


def _mention(match: re.Match) -> str:
    handle = match.group(1)
    return f"<@{handle}>" if _USER_ID.fullmatch(handle) else f"@{handle}"


def mrkdwn(text: str) -> str:
    """The core's text as Slack mrkdwn: escaped, with the core's mentions and date tokens
    outside code; a handle typed by a person stays plain text, which Slack does not link."""
    parts = _CODE.split(text)
    for i, part in enumerate(parts):
        part = escape(part)
        if i % 2 == 0:  # prose; odd parts are code spans
            part = _WHEN.sub(_moment, MARKED.sub(_mention, part))
        parts[i] = strip_marks(part)
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
            at = cut(line, limit)
            pieces.append(line[:at])
            line = line[at:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current or not pieces:
        pieces.append(current)
    return pieces


def cut(line: str, limit: int) -> int:
    """Where to cut `line` to keep at most `limit` characters: after a space if one is near,
    never inside a `<...>` token or an `&...;` entity, which Slack would show broken."""
    tokens = [m.span() for m in _TOKEN.finditer(line, 0, limit + 1)]

    def inside(at: int) -> bool:
        return any(start < at < end for start, end in tokens)

    spaces = [i + 1 for i in range(limit - 1, limit // 2, -1) if line[i] == " "]
    at = next((i for i in spaces if not inside(i)), limit)
    starts = [start for start, end in tokens if start < at < end]
    # a token longer than half the limit is cut after all, rather than never
    return starts[0] if starts and starts[0] > limit // 2 else at


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
    body = escape(strip_marks(content).replace("\r\n", "\n").rstrip("\n"))
    pieces = chunks(body, SECTION_LIMIT - 8)
    return [section(f"*{escape(filename)}*")] + [section(f"```{piece}```") for piece in pieces]


def render(out: Outgoing) -> tuple[str, list[dict]]:
    """The notification text and the blocks of the first message of `out`; a caller that
    posts only this loses what `messages` would send as continuations."""
    text, parts = _parts(out)
    return text[:39000], parts[0]


def messages(out: Outgoing) -> list[tuple[str, list[dict]]]:
    """`out` as Slack messages within its limits: the first, with every button, then the
    continuations to post in its thread; in order, nothing left out."""
    text, parts = _parts(out)
    return [(fallback(text), parts[0])] + [(continued(text), part) for part in parts[1:]]


def _parts(out: Outgoing) -> tuple[str, list[list[dict]]]:
    """The core's text as mrkdwn, and the blocks of each message; the buttons in the first."""
    text, blocks, actions = _full(out)
    parts = pack(blocks, reserved=actions)
    parts[0] += actions
    return text, parts


def _full(out: Outgoing) -> tuple[str, list[dict], list[dict]]:
    """The notification text, the content blocks (each within Slack's limits for one block)
    and the actions blocks of `out`, before any splitting."""
    filename = out.data.get("filename")
    if isinstance(out, Reply) and filename:
        blocks = file_blocks(filename, out.text)
        text = escape(strip_marks(filename))
    else:
        from bot.transports.slack_layouts import layout  # it builds on this module

        text = mrkdwn(out.text)
        blocks = layout(out.data) or [section(piece) for piece in chunks(text, SECTION_LIMIT)]
    fitted = [piece for block in blocks for piece in fit(block)]
    return text, fitted, buttons(out.data.get("actions") or [])


def fit(block: dict) -> list[dict]:
    """`block` as one or more blocks that each keep to Slack's limits for a single block."""
    if block["type"] == "section" and "text" in block:
        pieces = chunks(block["text"]["text"], SECTION_LIMIT)
        return [block | {"text": block["text"] | {"text": piece}} for piece in pieces]
    if block["type"] == "header":
        return [block | {"text": block["text"] | {"text": block["text"]["text"][:HEADER_LIMIT]}}]
    if block["type"] == "context" and len(block["elements"]) == 1:
        [element] = block["elements"]
        pieces = chunks(element.get("text", ""), SECTION_LIMIT)
        return [block | {"elements": [element | {"text": piece}]} for piece in pieces]
    return [block]


def block_text(block: dict) -> int:
    """How many characters of text `block` holds, as Slack sums them for a message."""
    size = 0
    for key, value in block.items():
        if key == "text" and isinstance(value, str):
            size += len(value)
        elif isinstance(value, dict):
            size += block_text(value)
        elif isinstance(value, list):
            size += sum(block_text(item) for item in value if isinstance(item, dict))
    return size


def pack(blocks: list[dict], reserved: list[dict] | None = None) -> list[list[dict]]:
    """`blocks` in order, in as few messages as Slack's block and text limits allow; the
    first message keeps room for the `reserved` blocks (its buttons)."""
    parts: list[list[dict]] = [[]]
    reserved = reserved or []
    count, size = len(reserved), sum(block_text(b) for b in reserved)
    for block in blocks:
        extra = block_text(block)
        if parts[-1] and (count + 1 > MAX_BLOCKS or size + extra > TEXT_BUDGET):
            parts.append([])
            count, size = 0, 0
        parts[-1].append(block)
        count, size = count + 1, size + extra
    return parts


def fallback(text: str) -> str:
    """The first message's notification: the core's text, cut at a line end when too long."""
    if len(text) <= FALLBACK_LIMIT:
        return text
    return chunks(text, FALLBACK_LIMIT - 2)[0] + "\n…"


def continued(text: str) -> str:
    """A continuation's notification: the first line of the core's text, marked continued."""
    first_line = chunks(text.split("\n", 1)[0], FALLBACK_LIMIT - len(CONTINUED))[0]
    return first_line + CONTINUED


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
