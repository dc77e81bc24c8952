"""Matrix's side of the text: what the core writes, as an `m.notice` with HTML and a plain
fallback, and what Matrix sends (reply fallbacks, mentions, emoji) as the text the core reads.

Rendering only: nothing here decides what is said. Times stay as the core writes them (UTC,
then the reader's zone). A roster handle written `@alice:example.org` becomes a mention
link; `:name:` emoji codes the core uses become the emoji. Matrix bots have no buttons: a
message's buttons are listed with a number each, and reacting with that number (1️⃣) or
replying to the message with it presses the button. The buttons travel in the event's
content under `ACTIONS_KEY`, so the homeserver keeps them and a restart loses none.
"""

from __future__ import annotations

import html
import re

from handlers.events import Outgoing, Reply, strip_marks

ACTIONS_KEY = "org.pnbot.actions"
MAX_BUTTONS = 10

# The emoji the core names, and their Matrix reaction keys.
EMOJI = {
    "no_entry": "\u26d4",
    "+1": "\U0001f44d",
    "thumbsup": "\U0001f44d",
    "white_check_mark": "\u2705",
    "x": "\u274c",
    "calendar": "\U0001f4c5",
}
NAMES = {emoji: name for name, emoji in reversed(EMOJI.items())}
# Keycaps 1️⃣..9️⃣ and 🔟 press the buttons of a message, in their listed order.
KEYCAPS = [f"{n}\ufe0f\u20e3" for n in range(1, 10)] + ["\U0001f51f"]

_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)
_USER = re.compile(r"(?<![\w@])@([a-z0-9._=\-/+]+:[A-Za-z0-9.\-]+(?::\d+)?)")
_EMOJI_CODE = re.compile(r":([a-z0-9_+\-]+):")
_REPLY_QUOTE = re.compile(r"\A(?:> ?[^\n]*\n)+\n?")


# outbound -----------------------------------------------------------------------------------


def emoji(text: str) -> str:
    return _EMOJI_CODE.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)


def _prose(part: str) -> str:
    part = html.escape(emoji(part), quote=False)
    return _USER.sub(
        lambda m: f'<a href="https://matrix.to/#/@{m.group(1)}">@{m.group(1)}</a>', part
    )


def _code(part: str) -> str:
    if part.startswith("```"):
        return f"<pre><code>{html.escape(part[3:-3].strip(chr(10)), quote=False)}</code></pre>"
    return f"<code>{html.escape(part[1:-1], quote=False)}</code>"


def to_html(text: str) -> str:
    """The core's text as Matrix HTML: escaped, code spans kept, lines kept, handles linked."""
    parts = _CODE.split(strip_marks(text))
    rendered = "".join(_code(p) if i % 2 else _prose(p) for i, p in enumerate(parts))
    return rendered.replace("\n", "<br>")


def button_lines(actions: list[dict]) -> list[str]:
    return [f"{KEYCAPS[i]} {a['label']}" for i, a in enumerate(actions[:MAX_BUTTONS])]


def content(out: Outgoing) -> dict:
    """The event content of a message the core wants said."""
    filename = out.data.get("filename")
    # The bot's mentions are plain `@handle` text here (its intentional mentions are empty),
    # so the marks of the core's own mentions are only taken out.
    text = strip_marks(out.text)
    if isinstance(out, Reply) and filename:
        body = f"{filename}\n{text}"
        formatted = (
            f"<p><strong>{html.escape(filename)}</strong></p>"
            f"<pre><code>{html.escape(text, quote=False)}</code></pre>"
        )
    else:
        body, formatted = emoji(text), to_html(text)
    actions = (out.data.get("actions") or [])[:MAX_BUTTONS]
    message = {"msgtype": "m.notice", "body": body, "format": "org.matrix.custom.html"}
    # Intentional mentions, empty: clients then notify no one for what the text contains, so
    # an "@room" or a name typed into a reason or an agenda item and echoed back pings nobody.
    message["m.mentions"] = {}
    if actions:
        hint = "React with a number, or reply to this message with it:"
        lines = button_lines(actions)
        body += "\n" + hint + " " + " · ".join(lines)
        formatted += "<br><em>" + html.escape(hint) + "</em> " + " · ".join(map(html.escape, lines))
        message[ACTIONS_KEY] = [
            {"label": a["label"], "action": a["action"], "value": a["value"]} for a in actions
        ]
    message["body"] = body
    message["formatted_body"] = formatted
    return message


# inbound ------------------------------------------------------------------------------------


def strip_reply_fallback(body: str) -> str:
    """A reply's body without the quote of the message it answers (`> <@bob:x> ...`)."""
    return _REPLY_QUOTE.sub("", body, count=1)


def reaction_name(key: str) -> str:
    """The core's name of a reaction key: `no_entry` for ⛔; other keys pass unchanged."""
    key = key.strip()
    return NAMES.get(key) or NAMES.get(key.replace("\ufe0f", "")) or key


def button_number(text: str) -> int | None:
    """Which button (1-based) a reaction key or a reply names, if any."""
    text = text.strip().replace("\ufe0f", "")
    keycaps = [k.replace("\ufe0f", "") for k in KEYCAPS]
    if text in keycaps:
        return keycaps.index(text) + 1
    if text.isdigit() and 1 <= int(text) <= MAX_BUTTONS:
        return int(text)
    return None
