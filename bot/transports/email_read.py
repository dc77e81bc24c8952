"""Reading a mail: who sent it, to where, in answer to what, whether a machine wrote it, what
the receiving server vouched for, and what the person wrote above the quote and signature.

Every step is bounded by the mail's size (the IMAP fetch is capped, headers are read up to a
length, the body up to a number of characters), so any mail costs milliseconds.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import EmailPolicy
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

import authres
from mailparser_reply import EmailReplyParser

MAX_BYTES = 256_000  # a mail larger than this is read from its first part only
MAX_HEADER = 2_000  # characters of one header that are read
MAX_AUTH_HEADERS = 10
MAX_TEXT = 8_000  # characters of the body that are read
PROBE_LINES = 25  # lines the reply parser sees at most
PROBE_WIDTH = 100  # characters of a line it sees (a longer line is no marker)
# The line a mail client puts above the quoted mail, in the group's languages.
QUOTE_HEADERS = (
    "wrote:",
    "a écrit :",
    "a écrit:",
    "escribió:",
    "schrieb:",
    "ha scritto:",
    "escreveu:",
)
MAX_IDS = 30  # message ids of References that are kept
MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
REPLY_LANGUAGES = ["en", "fr", "es", "de", "it", "pt", "nl"]
# What auto-responders put in a subject, in the languages the group writes in.
AUTO_SUBJECT = re.compile(
    r"^\s*(out of (the )?office|automatic reply|auto[- ]?reply|autoreply|away from|"
    r"absence|abwesenheit|réponse automatique|respuesta automática|absent|"
    r"undeliverable|undelivered mail|delivery status notification|mail delivery failed|"
    r"returned mail|failure notice)",
    re.IGNORECASE,
)
BOUNCERS = ("mailer-daemon", "postmaster")


class _Bounded(EmailPolicy):
    """The standard policy, reading at most MAX_HEADER characters of any header (the
    email package's header parser slows down on a very long one)."""

    def header_fetch_parse(self, name, value):
        return super().header_fetch_parse(name, value[:MAX_HEADER])


BOUNDED = _Bounded()


@dataclass(frozen=True)
class Mail:
    """One mail as the bot reads it."""

    message_id: str
    sender: str  # the From address, lower case
    name: str
    to: tuple[str, ...]
    subject: str
    in_reply_to: str | None
    references: tuple[str, ...]
    list_id: str | None
    at_header: str | None
    text: str  # what the person wrote, without quote and signature
    machine: str | None = None  # why a machine, not a person, wrote it
    verified: frozenset[str] = field(default_factory=frozenset)  # domains DKIM/SPF passed for

    @property
    def domain(self) -> str:
        return self.sender.rpartition("@")[2]

    @property
    def thread_root(self) -> str | None:
        """The first mail of the thread this one answers."""
        return self.references[0] if self.references else self.in_reply_to

    @property
    def answered(self) -> tuple[str, ...]:
        """The mails this one answers, the nearest first."""
        ids = [self.in_reply_to] if self.in_reply_to else []
        ids += [r for r in reversed(self.references) if r not in ids]
        return tuple(ids)


MAX_HEADERS = 200  # header fields of a mail that are looked at


class Headers:
    """A mail's header fields as their raw text, each cut to MAX_HEADER characters: what the
    bot needs from them is read with the light parsers of `email.utils`, not the header
    registry (which parses every field it is asked for, slowly)."""

    def __init__(self, message: EmailMessage):
        self._fields: dict[str, list[str]] = {}
        for name, value in itertools.islice(message.raw_items(), MAX_HEADERS):
            text = str(value)[:MAX_HEADER]
            self._fields.setdefault(name.lower(), []).append(" ".join(text.split()))

    def get(self, name: str) -> str:
        return (self._fields.get(name.lower()) or [""])[0]

    def all(self, name: str) -> list[str]:
        return self._fields.get(name.lower(), [])

    def decoded(self, name: str) -> str:
        """An unstructured field (Subject) with its RFC 2047 encoded words decoded."""
        value = self.get(name)
        if "=?" not in value:
            return value
        try:
            return str(make_header(decode_header(value)))
        except (ValueError, LookupError, UnicodeError):
            return value


def _ids(value: str) -> tuple[str, ...]:
    return tuple(MESSAGE_ID.findall(value[: MAX_HEADER * 4])[-MAX_IDS:])


def parse(raw: bytes, authserv_id: str | None) -> Mail | None:
    """The mail in `raw` (None when it has no sender or Message-ID to know it by)."""
    message = BytesParser(policy=BOUNDED).parsebytes(raw[:MAX_BYTES])
    headers = Headers(message)
    name, sender = parseaddr(headers.decoded("From"))
    ids = MESSAGE_ID.findall(headers.get("Message-ID"))
    if not sender or "@" not in sender or not ids:
        return None
    recipients = getaddresses(
        [headers.get("To"), headers.get("Cc"), *headers.all("Delivered-To")[:5]]
    )
    in_reply = _ids(headers.get("In-Reply-To"))
    subject = headers.decoded("Subject")[:300]
    return Mail(
        message_id=ids[0],
        sender=sender.lower(),
        name=name,
        to=tuple(a.lower() for _, a in recipients if a),
        subject=subject,
        in_reply_to=in_reply[0] if in_reply else None,
        references=_ids(headers.get("References")),
        list_id=headers.get("List-Id") or None,
        at_header=headers.get("Date") or None,
        text=reply_text(body_text(message)),
        machine=machine_written(message, headers, sender.lower(), subject),
        verified=verified_domains(headers, authserv_id),
    )


def sent_at(mail: Mail):
    """When the mail says it was written, if it says so readably."""
    try:
        return parsedate_to_datetime(mail.at_header) if mail.at_header else None
    except (TypeError, ValueError, IndexError):
        return None


def machine_written(
    message: EmailMessage, headers: Headers, sender: str, subject: str
) -> str | None:
    """Why the mail was written by a machine (an auto-reply, a bounce, bulk), or None."""
    auto = headers.get("Auto-Submitted").lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto[:40]}"
    precedence = headers.get("Precedence").lower()
    if precedence in ("bulk", "junk", "auto_reply"):
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress-Reply"):
        if headers.get(name):
            return name
    if message.get_content_type() == "multipart/report":
        return "a delivery or read report"
    if headers.get("Return-Path").replace(" ", "") == "<>":
        return "a bounce (empty return path)"
    if sender.partition("@")[0] in BOUNCERS:
        return f"sent by {sender.partition('@')[0]}"
    if AUTO_SUBJECT.match(subject):
        return "an automatic reply (by its subject)"
    return None


def verified_domains(headers: Headers, authserv_id: str | None) -> frozenset[str]:
    """The domains for which the receiving server (`authserv_id`) says DKIM or SPF passed.

    Only that server's Authentication-Results count: anyone can write the header, and a
    receiving server removes the ones that claim its name before adding its own."""
    if not authserv_id:
        return frozenset()
    passed = set()
    for text in headers.all("Authentication-Results")[:MAX_AUTH_HEADERS]:
        try:
            parsed = authres.AuthenticationResultsHeader.parse_value(text)
        except Exception:  # authres raises its own SyntaxError and others on bad input
            continue
        if (parsed.authserv_id or "").lower() != authserv_id.lower():
            continue
        for result in parsed.results:
            if result.result != "pass" or result.method not in ("dkim", "spf"):
                continue
            for prop in result.properties:
                key = f"{prop.type}.{prop.name}"
                if key in ("header.d", "header.i", "smtp.mailfrom", "smtp.from"):
                    value = (prop.value or "").rpartition("@")[2].lower().strip(".")
                    if value:
                        passed.add(value)
    return frozenset(passed)


def body_text(message: EmailMessage) -> str:
    """The mail's text: its text/plain part, else its HTML reduced to text."""
    try:
        part = message.get_body(preferencelist=("plain", "html"))
        text = part.get_content() if part is not None else ""
    except (KeyError, LookupError, ValueError, TypeError, AssertionError):
        return ""
    if not isinstance(text, str):
        return ""
    text = text[: MAX_TEXT * 4]
    if part.get_content_type() == "text/html":
        text = _html_text(text)
    return text


_BLOCKS = re.compile(r"(?i)<\s*(br|/p|/div|/li|/tr|/h\d)\b[^>]{0,200}>")
_QUOTES = re.compile(r"(?is)<blockquote\b.*", re.DOTALL)
_TAGS = re.compile(r"<[^<>]{0,2000}>")


def _html_text(html: str) -> str:
    from html import unescape

    html = _QUOTES.sub("", html)  # what an HTML mail quotes comes after the answer
    return unescape(_TAGS.sub("", _BLOCKS.sub("\n", html)))


def reply_text(text: str) -> str:
    """What the person wrote, without the quoted mail and the signature.

    The usual quote and signature markers are cut in one pass; the reply parser, whose rules
    know many more (in several languages) but whose regular expressions slow down on
    adversarial text, sees only the first lines, each cut short: where it stops within them,
    the reply stops; when it keeps them all, the rest is kept too."""
    lines = text.replace("\r\n", "\n")[:MAX_TEXT].split("\n")
    for i, line in enumerate(lines):
        stripped = line.rstrip()
        if line.startswith(">") or stripped in ("--", "-- ", "-----Original Message-----"):
            lines = lines[:i]
            break
        if stripped.endswith(QUOTE_HEADERS) and len(stripped) < 300:
            lines = lines[:i]
            break
    probe = [line if len(line) <= PROBE_WIDTH else "x" for line in lines[:PROBE_LINES]]
    if "".join(probe).strip():
        try:
            kept = EmailReplyParser(languages=REPLY_LANGUAGES).parse_reply(text="\n".join(probe))
        except Exception:  # the parser on odd text: the one-pass cut stands
            kept = None
        if kept is not None:
            count = len(kept.rstrip().split("\n")) if kept.strip() else 0
            if count < len(probe):
                lines = lines[:count]
    return "\n".join(lines).strip()
