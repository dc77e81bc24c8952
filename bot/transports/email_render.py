"""Writing a mail from what the core says: a plain-text and an HTML part from the same
template, a Message-ID that the outbox key names for good, and the threading headers."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from jinja2 import Environment

from handlers.events import MARK_CLOSE, MARK_OPEN, MARKED, strip_marks

SUBJECT_LENGTH = 90
TEXT = Environment(autoescape=False, trim_blocks=True, lstrip_blocks=True).from_string(
    """{{ body }}
{% if buttons %}

To answer, reply to this mail with one of these as the first line:
{% for b in buttons %}
  {{ loop.index }}. {{ b.label }}
{% endfor %}
{% endif %}
{% if calendar %}

Times are in UTC unless a zone is named. Calendar: {{ calendar }}
{% endif %}
--
{{ signature }}
"""
)


def _code(line: str):
    """`text` in backticks as <code>, the rest escaped."""
    from markupsafe import Markup, escape

    parts = line.split("`")
    out = Markup("")
    for i, part in enumerate(parts):
        out += Markup("<code>{}</code>").format(part) if i % 2 else escape(part)
    return out


_HTML_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_HTML_ENV.filters["code"] = _code
HTML = _HTML_ENV.from_string(
    """<!DOCTYPE html>
<html><body>
{% for paragraph in paragraphs %}
<p>{% for line in paragraph %}{{ line | code }}{% if not loop.last %}<br>
{% endif %}{% endfor %}</p>
{% endfor %}
{% if buttons %}
<p>To answer, reply to this mail with one of these as the first line:</p>
<ol>{% for b in buttons %}<li>{{ b.label }}</li>{% endfor %}</ol>
{% endif %}
{% if calendar %}
<p>Times are in UTC unless a zone is named. <a href="{{ calendar }}">Calendar</a></p>
{% endif %}
<p style="color:#666">-- <br>{{ signature }}</p>
</body></html>
"""
)


def message_id(key: str | None, domain: str) -> str:
    """The Message-ID of the mail sending outbox item `key`: the same for every attempt."""
    if not key:
        return make_msgid("pnbot", domain)
    return f"<pnbot.{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def is_own(message_id: str, domain: str) -> bool:
    return message_id.startswith("<pnbot.") and message_id.endswith(f"@{domain}>")


def readable(text: str, name_of: Callable[[str], str | None]) -> str:
    """The core's text for people: a marked handle becomes the person's name."""

    names = {handle: name_of(handle) for handle in set(MARKED.findall(text[:20_000]))}
    for handle, name in names.items():
        if name:  # "Amina Odhiambo (@amina)" reads "Amina Odhiambo" in a mail
            text = text.replace(f"{name} ({MARK_OPEN}@{handle}{MARK_CLOSE})", name)

    def named(match: re.Match) -> str:
        return names.get(match.group(1)) or f"@{match.group(1)}"

    return strip_marks(MARKED.sub(named, text))


def subject_of(text: str, answering: str | None = None) -> str:
    """A subject: `Re:` the answered mail's, or the text's first line, shortened."""
    if answering is not None:
        answering = " ".join(answering.split())
        return answering if answering.lower().startswith("re:") else f"Re: {answering}"[:200]
    first = next((line.strip() for line in text.splitlines() if line.strip()), "pnbot")
    first = first.replace("`", "")
    if len(first) <= SUBJECT_LENGTH:
        return first
    return first[: SUBJECT_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def build(
    *,
    sender: str,
    to: list[str],
    text: str,
    msgid: str,
    subject: str,
    at: datetime,
    buttons: list[dict] | None = None,
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    calendar: str | None = None,
    list_address: str | None = None,
    signature: str = "pnbot, the working group's assistant",
) -> EmailMessage:
    """One mail, plain text and HTML."""
    mail = EmailMessage()
    mail["From"] = Address("pnbot", addr_spec=sender)
    mail["To"] = ", ".join(to)
    mail["Subject"] = subject
    mail["Date"] = format_datetime(at)
    mail["Message-ID"] = msgid
    # RFC 3834: a machine wrote it, so out-of-office responders leave it alone.
    mail["Auto-Submitted"] = "auto-generated"
    if in_reply_to:
        mail["In-Reply-To"] = in_reply_to
        mail["References"] = " ".join(dict.fromkeys([*(references or []), in_reply_to]))
    if list_address and list_address in to:
        mail["Reply-To"] = list_address
    buttons = [b for b in (buttons or []) if isinstance(b, dict) and b.get("label")]
    values = {"buttons": buttons, "calendar": calendar, "signature": signature}
    # Quoted-printable keeps every line 7-bit: no server has to speak 8BITMIME.
    mail.set_content(TEXT.render(body=text, **values), cte="quoted-printable")
    paragraphs = [p.splitlines() for p in re.split(r"\n\s*\n", text) if p.strip()]
    mail.add_alternative(
        HTML.render(paragraphs=paragraphs, **values), subtype="html", cte="quoted-printable"
    )
    return mail
