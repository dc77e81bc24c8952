"""The e-mail transport: the group's mailing list and the bot's own mailbox.

Out, by SMTP: what goes to the list's room (the list address, bound to the group named by
MAIL_GROUP as a main room) is posted to the list; an answer to a mail goes to its sender
alone; a direct message goes to the person's roster address. Every mail has a Message-ID
made from its outbox key, and the bot's own address is an envelope recipient of each, so a
copy lands in its mailbox: after a crash between sending and marking sent, the copy (or
the note written the moment the server accepted the mail) says it went out. A tally is
threaded under its poll's mail (`In-Reply-To`, found by the record both name).

In, by IMAP: each new mail in the bot's mailbox is read once (its UID is stored; its
Message-ID is the inbox key). Mail the bot sent, mail a machine wrote (auto-replies,
bounces, bulk) and mail from an address on no roster never act. A mail to the list is a
message in the list's room; a mail to the bot is a direct message (commands work there).
The quote and the signature are taken off first. A reply whose first line names one of the
options listed in the bot's mail (a poll's) presses that option.

Trust: a From header is easy to forge. A mail counts as its sender's when the receiving
server (MAIL_AUTHSERV_ID) says in Authentication-Results that DKIM or SPF passed for the
From domain. Otherwise, when handling it would change the record, it is held and the
sender is asked, by a mail to the roster address, to confirm by replying; a forger never
sees that mail.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import imaplib
import json
import logging
import re
import secrets
import smtplib
import ssl
import threading
import time
from datetime import datetime
from urllib.parse import unquote, urlparse

from bot import inbound as inbound_rows
from bot.outbox import to_row
from bot.runtime import Runtime
from bot.transports import email_read as read
from bot.transports import email_render as render
from bot.transports.base import Limits, Refused, Sent
from handlers.events import (
    Action,
    Address,
    DirectMessage,
    Inbound,
    Message,
    Outgoing,
    Post,
    Reply,
    Update,
)

log = logging.getLogger(__name__)

TRANSPORT = "email"
TIMEOUT = 30.0
BATCH = 200  # mails read in one round at most; the rest wait for the next
POLL_SECONDS = 60.0
IDLE_SECONDS = 25 * 60  # servers end an IDLE after 30 minutes (RFC 2177)
STOP_CHECK_SECONDS = 2.0
UID_NEXT = "imap:uid_next"
UID_VALIDITY = "imap:uid_validity"
SECRET = "secret"
CONFIRM = "pnbot-confirm"
# Scheduled steps that stay in chat: a mail an hour before the call is only noise.
CHAT_ONLY = (":remind-1h:",)
MAX_OWN = 10  # of the bot's mails a mail answers, those looked up


def _address_of(value: str) -> str:
    return value.strip().lower()


class MailBot:
    """The bot's mailbox and the list, serving the core through `runtime` (one is made when
    none is given). `clock` is the runtime's clock: a mail's time is when it was read."""

    name = TRANSPORT
    limits = Limits()

    def __init__(self, app, runtime: Runtime | None = None, inline: bool = False, clock=None):
        self.app = app
        self.settings = app.settings
        self.store = app.store
        self.list_address = _address_of(self.settings.mail_list_address or "") or None
        self.sender = _address_of(self.settings.mail_from or "")
        self.domain = self.sender.rpartition("@")[2]
        if runtime is None:
            kwargs = {"clock": clock} if clock else {}
            runtime = Runtime(app, [self], inline=inline, **kwargs)
        else:
            runtime.add(self)
        self.runtime = runtime
        self._stop = threading.Event()

    def now(self) -> datetime:
        return self.runtime.clock()

    # state ----------------------------------------------------------------------------
    def _get(self, name: str) -> str | None:
        with self.store() as uow:
            return uow.transport_state.get(TRANSPORT, name)

    def _put(self, name: str, value: str) -> None:
        with self.store() as uow:
            uow.transport_state.put(TRANSPORT, name[:255], value, self.now())
            uow.commit()

    def _secret(self) -> str:
        found = self._get(SECRET)
        if found is None:
            self._put(SECRET, secrets.token_hex(16))
            found = self._get(SECRET)
        return found

    def bind_list(self) -> bool:
        """Make the list a main room of the group MAIL_GROUP names (once it exists)."""
        name = self.settings.mail_group
        if not self.list_address or not name:
            return False
        with self.store() as uow:
            if uow.groups.room(TRANSPORT, self.list_address) is not None:
                return True
            group = uow.groups.named(name)
            if group is None:
                return False
            main = not any(r.main and r.transport == TRANSPORT for r in uow.groups.rooms(group.id))
            uow.groups.bind(group, TRANSPORT, self.list_address, main=main)
            uow.commit()
        log.info("the list %s is now a room of %s", self.list_address, name)
        return True

    def group_started(self) -> None:
        self.bind_list()

    # connections ----------------------------------------------------------------------
    def smtp(self) -> smtplib.SMTP:
        return connect_smtp(self.settings.smtp_url)

    def imap(self) -> imaplib.IMAP4:
        return connect_imap(self.settings.imap_url)

    def folder(self) -> str:
        return folder_of(self.settings.imap_url)

    # inbound --------------------------------------------------------------------------
    def poll_once(self) -> int:
        """Read the mail that came since the last round; how many mails reached the core."""
        self.bind_list()
        conn = self.imap()
        try:
            status, _ = conn.select(self.folder(), readonly=True)
            if status != "OK":
                raise ConnectionError(f"IMAP: cannot open the folder {self.folder()}")
            validity = (conn.response("UIDVALIDITY")[1] or [b"0"])[0].decode()
            stored = self._get(UID_NEXT)
            if stored is None or self._get(UID_VALIDITY) != validity:
                # A new mailbox (or one renumbered): what is there already is not for the bot
                # (the inbox would skip what it has read anyway).
                status, found = conn.uid("SEARCH", None, "ALL")
                uids = [int(u) for u in (found[0] or b"").split()]
                announced = (conn.response("UIDNEXT")[1] or [b"1"])[0] or b"1"
                self._put(UID_VALIDITY, validity)
                self._put(UID_NEXT, str(max(int(announced), max(uids, default=0) + 1)))
                return 0
            first = int(stored)
            status, found = conn.uid("SEARCH", None, f"UID {first}:*")
            uids = sorted(u for u in (int(x) for x in (found[0] or b"").split()) if u >= first)
            handled = 0
            for uid in uids[:BATCH]:
                status, data = conn.uid("FETCH", str(uid), f"(BODY.PEEK[]<0.{read.MAX_BYTES}>)")
                raw = next((part[1] for part in data if isinstance(part, tuple)), None)
                if raw:
                    handled += self.on_mail(raw) == "received"
                self._put(UID_NEXT, str(uid + 1))
            return handled
        finally:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                conn.logout()

    def on_mail(self, raw: bytes) -> str:
        """Handle one mail; what became of it (received, held, confirmed, or why it was not)."""
        try:
            mail = read.parse(raw, self.settings.mail_authserv_id)
        except Exception:  # a mail the parser chokes on: logged, never acted on
            log.exception("cannot read a mail")
            return "unreadable"
        if mail is None:
            return "unreadable"
        if mail.sender == self.sender or render.is_own(mail.message_id, self.domain):
            return "own"
        if mail.machine:
            log.info("ignoring mail %s from %s: %s", mail.message_id, mail.sender, mail.machine)
            return "machine"
        handle = self._handle_of(mail.sender)
        if handle is None:
            log.info("ignoring mail %s: %s is on no roster", mail.message_id, mail.sender)
            return "stranger"
        if self._confirms(mail):
            return "confirmed"
        event, extra = self._event(mail, handle)
        if not self._trusted(mail) and self._writes(event):
            self._hold(mail, event, extra)
            return "held"
        self.runtime.receive(event, extra)
        return "received"

    def _handle_of(self, sender: str) -> str | None:
        with self.store() as uow:
            members = uow.members.with_email(sender)
            if not members:
                return None
            if self.list_address:
                group = uow.groups.for_room(TRANSPORT, self.list_address)
                mine = [m for m in members if group is not None and m.group_id == group.id]
                if mine:
                    return mine[0].handle
            return members[0].handle

    def _trusted(self, mail: read.Mail) -> bool:
        domain = mail.domain
        return any(domain == d or domain.endswith("." + d) for d in mail.verified)

    def _writes(self, event: Inbound) -> bool:
        return self.runtime.dispatcher.writes(event)

    def _is_list(self, mail: read.Mail) -> bool:
        if not self.list_address:
            return False
        if self.list_address in mail.to:
            return True
        local, _, domain = self.list_address.partition("@")
        return bool(mail.list_id) and f"<{local}.{domain}>" in mail.list_id.lower()

    def _on_the_list(self, message_ids: list[str]) -> bool:
        """Whether one of these mails of the bot's went to the list about a record."""
        if not self.list_address or not message_ids:
            return False
        with self.store() as uow:
            return any(
                uow.posts.ref_for(TRANSPORT, self.list_address, m) for m in message_ids[:MAX_OWN]
            )

    def _event(self, mail: read.Mail, handle: str) -> tuple[Inbound, dict]:
        on_list = self._is_list(mail)
        own = [m for m in mail.references if render.is_own(m, self.domain)]
        if mail.in_reply_to and render.is_own(mail.in_reply_to, self.domain):
            own = own or [mail.in_reply_to]
        thread = own[0] if own else mail.thread_root
        # An answer to the bot's list mail sent to the bot alone is still in the list's
        # thread (an objection to an announcement); it stays a direct message otherwise.
        in_list_thread = on_list or self._on_the_list(own)
        room = self.list_address if in_list_thread else mail.sender
        text = mail.text
        answering = mail.subject.lower().startswith(("re:", "aw:", "réf", "rv:", "sv:"))
        if not text or (on_list and not answering and mail.subject):
            text = f"{mail.subject}\n{text}".strip()
        base = {
            "transport": TRANSPORT,
            "room": room,
            "user": handle,
            "key": _key(mail.message_id),
            "at": self.now(),
            "message_id": mail.message_id,
            "thread": thread,
            "is_direct": not on_list,
        }
        extra = {
            "from": mail.sender,
            "subject": mail.subject,
            "message_id": mail.message_id,
            "references": list(mail.references[-10:]),
        }
        pressed = self._button(mail, text)
        if pressed is not None:
            target, button = pressed
            return Action(
                action=str(button.get("action", "")),
                value=str(button.get("value", "")),
                target=target,
                **(base | {"message_id": target}),
            ), extra
        return Message(text=text, **base), extra

    def _button(self, mail: read.Mail, text: str) -> tuple[str, dict] | None:
        """The option of the bot's mail this one answers that its first line names."""
        if not mail.in_reply_to or not render.is_own(mail.in_reply_to, self.domain):
            return None
        stored = self._get(f"buttons:{mail.in_reply_to}")
        if not stored:
            return None
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        first = first.strip(" .!*_").lower()
        buttons = json.loads(stored)
        for i, button in enumerate(buttons, 1):
            label = str(button.get("label", "")).lower()
            if first in (label, str(i), f"{i}. {label}", f"{i}.{label}"):
                return mail.in_reply_to, button
        return None

    # holding an unverified mail -------------------------------------------------------
    def _token(self, message_id: str) -> str:
        digest = hashlib.sha256(f"{self._secret()}:{message_id}".encode()).hexdigest()
        return digest[:24]

    def _hold(self, mail: read.Mail, event: Inbound, extra: dict) -> None:
        token = self._token(mail.message_id)
        held = {
            "sender": mail.sender,
            "kind": inbound_rows.kind_of(event),
            "payload": inbound_rows.to_payload(event, extra),
        }
        key = f"mail-confirm:{token}"
        subject = f"Please confirm: {mail.subject or 'your mail'} [{CONFIRM}:{token}]"
        text = (
            f"Your mail “{mail.subject or '(no subject)'}” would change the group's record, but "
            "your mail server's signature could not be checked, so I need to know it was you.\n"
            "Reply to this mail (the reply may be empty) and I will act on it.\n"
            "If you did not write it, ignore this mail: nothing changes."
        )
        to = Address(
            transport=TRANSPORT,
            room=mail.sender,
            user=event.user,
            is_direct=True,
            extra={
                "from": mail.sender,
                "subject": subject,
                "message_id": mail.message_id,
                "references": list(mail.references[-10:]),
                "fresh_subject": True,
            },
        )
        with self.store() as uow:
            if uow.transport_state.get(TRANSPORT, f"held:{token}") is None:
                uow.transport_state.put(TRANSPORT, f"held:{token}", json.dumps(held), self.now())
                uow.transport_state.put(
                    TRANSPORT, f"confirm:{render.message_id(key, self.domain)}", token, self.now()
                )
                uow.outbox.enqueue(to_row(Reply(text=text, to=to), key, self.now()))
            ids = uow.outbox.ids_of([key])
            uow.commit()
        self.runtime.delivery.send_ids(ids, self.now())
        log.info("holding mail %s from %s until its sender confirms", mail.message_id, mail.sender)

    def _confirms(self, mail: read.Mail) -> bool:
        """Release the held mail this one confirms (a reply to the request, from its sender)."""
        token = None
        if mail.in_reply_to:
            token = self._get(f"confirm:{mail.in_reply_to}")
        if token is None and f"[{CONFIRM}:" in mail.subject:
            token = mail.subject.split(f"[{CONFIRM}:", 1)[1].split("]", 1)[0][:40]
        if not token:
            return False
        stored = self._get(f"held:{token}")
        if stored is None or stored == "done":
            return stored == "done"
        held = json.loads(stored)
        if held["sender"] != mail.sender:
            log.info("mail %s answers a confirmation meant for someone else", mail.message_id)
            return True
        event, extra = inbound_rows.from_payload(held["kind"], held["payload"])
        self.runtime.receive(event, extra)
        self._put(f"held:{token}", "done")
        log.info("mail %s confirmed by its sender", event.message_id)
        return True

    # outbound -------------------------------------------------------------------------
    def owns(self, handle: str) -> bool:
        # People are known by their chat handles; mail reaches them through the roster.
        return False

    def _email_of(self, handle: str) -> str | None:
        if "@" in handle and "." in handle.rpartition("@")[2]:
            return handle.lower()
        with self.store() as uow:
            found = uow.members.address_of(handle)
        return found

    def _name_of(self, handle: str) -> str | None:
        with self.store() as uow:
            return uow.members.name_of(handle)

    def compose(self, out: Outgoing):
        """The mail that sends `out`, its recipients and where it lands; None when `out` has
        no mail form (an edit) or no one to go to."""
        if out.key and any(step in out.key for step in CHAT_ONLY):
            return None
        msgid = render.message_id(out.key, self.domain)
        text = render.readable(out.text, self._name_of)
        buttons = list((out.data or {}).get("actions") or [])
        in_reply_to, references, subject = None, [], None
        if isinstance(out, Reply):
            extra = out.to.extra if out.to else {}
            recipient = extra.get("from")
            if not recipient:
                raise Refused("a reply to an event that came by no mail")
            to, room = [recipient], out.to.room
            in_reply_to = extra.get("message_id")
            references = list(extra.get("references") or [])
            subject = (
                extra.get("subject")
                if extra.get("fresh_subject")
                else render.subject_of(text, extra.get("subject") or "your mail")
            )
        elif isinstance(out, Post):
            if "@" not in out.room:
                raise Refused(f"{out.room} is not a mail address")
            to, room = [out.room], out.room
            in_reply_to = out.thread or self._thread_of(out)
            references = [in_reply_to] if in_reply_to else []
        elif isinstance(out, DirectMessage):
            address = self._email_of(out.user)
            if address is None:
                log.info("no mail address for %s; %s goes by chat only", out.user, out.key)
                return None
            to, room = [address], address
        elif isinstance(out, Update):
            return None  # a mail cannot be changed once sent; the new text is in the room
        else:
            raise Refused(f"cannot mail {type(out).__name__}")
        subject = subject or render.subject_of(text)
        mail = render.build(
            sender=self.sender,
            to=to,
            text=text,
            msgid=msgid,
            subject=subject,
            at=self.now(),
            buttons=buttons,
            in_reply_to=in_reply_to,
            references=references,
            calendar=self.settings.mail_calendar_url,
            list_address=self.list_address,
        )
        return mail, to, room, msgid, buttons

    def _thread_of(self, out: Post) -> str | None:
        """The first mail on the list about the same record (a tally: its poll's)."""
        ref = (out.data or {}).get("ref")
        if not ref:
            return None
        with self.store() as uow:
            for post in uow.posts.messages(ref):
                if post.transport == TRANSPORT and post.room == out.room:
                    return post.message_id
        return None

    def _chat_for(self, out: Outgoing):
        """The chat transport that holds a room a post meant for mail names (the secretariat's
        room, told of an apology that came by mail): the one other transport served here, or
        the one the room is bound on."""
        if not isinstance(out, Post) or "@" in out.room:
            return None
        others = {n: t for n, t in self.runtime.transports.items() if n != TRANSPORT}
        if len(others) > 1:
            with self.store() as uow:
                others = {n: t for n, t in others.items() if uow.groups.room(n, out.room)}
        return next(iter(others.items())) if len(others) == 1 else None

    def deliver(self, out: Outgoing) -> Sent | None:
        chat = self._chat_for(out)
        if chat is not None:
            name, transport = chat
            return transport.deliver(dataclasses.replace(out, transport=name))
        composed = self.compose(out)
        if composed is None:
            return None
        mail, to, room, msgid, buttons = composed
        if buttons:
            self._put(f"buttons:{msgid}", json.dumps(buttons))
        try:
            with self.smtp() as conn:
                transmit(conn, mail, self.sender, to)
        except smtplib.SMTPAuthenticationError as error:
            # The bot's own login, not the mail: retried until the setting is fixed.
            raise ConnectionError(f"the mail server refused the bot's login: {error}") from None
        except smtplib.SMTPRecipientsRefused as error:
            refused = error.recipients
            said = "; ".join(f"{a}: {c} {m!r}" for a, (c, m) in refused.items())
            if all(code >= 500 for code, _ in refused.values()):
                raise Refused(f"the mail server refused {said}") from None
            raise ConnectionError(f"the mail server asked to try later: {said}") from None
        except smtplib.SMTPResponseException as error:
            if 500 <= error.smtp_code < 600:
                raise Refused(
                    f"the mail server said {error.smtp_code} {error.smtp_error!r}"
                ) from None
            raise
        self._put(f"sent:{msgid}", self.now().isoformat())
        return Sent(room, msgid) if not isinstance(out, DirectMessage) else None

    def delivered(self, out: Outgoing) -> Sent | bool | None:
        chat = self._chat_for(out)
        if chat is not None:
            name, transport = chat
            return transport.delivered(dataclasses.replace(out, transport=name))
        composed = self.compose(out)
        if composed is None:
            return True
        _, _, room, msgid, _ = composed
        found = self._get(f"sent:{msgid}") is not None or self._in_mailbox(msgid)
        if not found:
            return False
        return Sent(room, msgid) if not isinstance(out, DirectMessage) else True

    def _in_mailbox(self, msgid: str) -> bool:
        conn = self.imap()
        try:
            conn.select(self.folder(), readonly=True)
            status, found = conn.uid("SEARCH", None, "HEADER", "Message-ID", msgid)
            return status == "OK" and bool((found[0] or b"").split())
        finally:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                conn.logout()

    # running --------------------------------------------------------------------------
    def wait_for_mail(self, seconds: float) -> bool | None:
        """Wait in IMAP IDLE until the server says mail came (True) or `seconds` pass (False);
        None at once when the server has no IDLE."""
        from imapclient import IMAPClient

        url = urlparse(self.settings.imap_url)
        secure = url.scheme == "imaps"
        context = ssl.create_default_context()
        client = IMAPClient(
            url.hostname,
            port=url.port or (993 if secure else 143),
            ssl=secure,
            ssl_context=context if secure else None,
            timeout=TIMEOUT,
        )
        try:
            if not secure and client.has_capability("STARTTLS"):
                client.starttls(context)
            client.login(unquote(url.username or ""), unquote(url.password or ""))
            if not client.has_capability("IDLE"):
                return None
            selected = client.select_folder(self.folder(), readonly=True)
            stored = self._get(UID_NEXT)
            if stored is not None and int(selected.get(b"UIDNEXT", 0)) > int(stored):
                return True  # came after the last round read the mailbox, before this wait
            client.idle()
            deadline = time.monotonic() + seconds
            try:
                # A mail that came between the EXAMINE above and the IDLE is not announced by
                # every server (Dovecot tells of it only at its next check, 30 s on): now that
                # IDLE reports what comes next, ask once more, on a connection of its own.
                if stored is not None and self._uid_next() > int(stored):
                    return True
                # In short steps, so that `stop` ends the wait soon.
                while not self._stop.is_set() and (left := deadline - time.monotonic()) > 0:
                    news = client.idle_check(timeout=min(left, STOP_CHECK_SECONDS))
                    if any(b"EXISTS" in response for response in news):
                        return True
                return False
            finally:
                client.idle_done()
        finally:
            with contextlib.suppress(Exception):
                client.logout()

    def _uid_next(self) -> int:
        """The folder's UIDNEXT as the server gives it now."""
        conn = self.imap()
        try:
            status, data = conn.status(self.folder(), "(UIDNEXT)")
            found = re.search(rb"UIDNEXT (\d+)", data[0] or b"") if status == "OK" else None
            if found is None:
                raise ConnectionError(f"IMAP: no UIDNEXT for the folder {self.folder()}")
            return int(found.group(1))
        finally:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                conn.logout()

    def poll_forever(self, seconds: float = POLL_SECONDS) -> None:
        """Read new mail, then wait for more: in IDLE where the server has it (still reading
        every IDLE_SECONDS), else `seconds`; a server away is tried again after a growing pause."""
        pause = seconds
        while not self._stop.is_set():
            try:
                self.poll_once()
                if self.wait_for_mail(IDLE_SECONDS) is None:
                    self._stop.wait(seconds)
                pause = seconds
            except Exception as error:  # the server away: the next round reads what came
                log.warning("reading mail failed: %s; trying again in %.0f s", error, pause)
                self._stop.wait(pause)
                pause = min(pause * 2, 600.0)

    def stop(self) -> None:
        self._stop.set()


def transmit(conn: smtplib.SMTP, mail, sender: str, to: list[str]) -> None:
    """Send `mail` to `to`, and a copy to the bot's own address (the copy in its mailbox says
    the mail went out), or to no one: the text goes only once the server took every address
    of `to`, so a copy never stands for a mail the list did not get."""
    conn.ehlo_or_helo_if_needed()
    code, answer = conn.mail(sender)
    if code != 250:
        conn.rset()
        raise smtplib.SMTPSenderRefused(code, answer, sender)
    refused = {}
    for address in [*to, sender]:
        code, answer = conn.rcpt(address)
        if code not in (250, 251):
            refused[address] = (code, answer)
    if any(address in refused for address in to):
        conn.rset()
        raise smtplib.SMTPRecipientsRefused({a: refused[a] for a in to if a in refused})
    code, answer = conn.data(mail.as_bytes(policy=mail.policy.clone(linesep="\r\n")))
    if code != 250:
        conn.rset()
        raise smtplib.SMTPDataError(code, answer)


def connect_smtp(smtp_url: str) -> smtplib.SMTP:
    """A logged-in SMTP connection: STARTTLS when the server offers it, or TLS for smtps."""
    url = urlparse(smtp_url)
    if url.scheme == "smtps":
        context = ssl.create_default_context()
        conn = smtplib.SMTP_SSL(url.hostname, url.port or 465, timeout=TIMEOUT, context=context)
    else:
        conn = smtplib.SMTP(url.hostname, url.port or 587, timeout=TIMEOUT)
        conn.ehlo()
        if conn.has_extn("starttls"):
            conn.starttls(context=ssl.create_default_context())
            conn.ehlo()
    if url.username:
        conn.login(unquote(url.username), unquote(url.password or ""))
    return conn


def connect_imap(imap_url: str) -> imaplib.IMAP4:
    """A logged-in IMAP connection: STARTTLS when the server offers it, or TLS for imaps."""
    url = urlparse(imap_url)
    if url.scheme == "imaps":
        context = ssl.create_default_context()
        conn = imaplib.IMAP4_SSL(
            url.hostname, url.port or 993, ssl_context=context, timeout=TIMEOUT
        )
    else:
        conn = imaplib.IMAP4(url.hostname, url.port or 143, timeout=TIMEOUT)
        if "STARTTLS" in conn.capabilities:
            conn.starttls(ssl_context=ssl.create_default_context())
    conn.login(unquote(url.username or ""), unquote(url.password or ""))
    return conn


def folder_of(imap_url: str) -> str:
    """The folder IMAP_URL names (its path), INBOX by default."""
    return unquote(urlparse(imap_url).path.strip("/")) or "INBOX"


def _key(message_id: str) -> str:
    """The inbox key of a mail: its Message-ID (hashed when it is long)."""
    if len(message_id) <= 200:
        return message_id
    return "sha256:" + hashlib.sha256(message_id.encode()).hexdigest()


def start_beside(app, runtime: Runtime, announce=print) -> MailBot:
    """Serve the list and the bot's mailbox on `runtime`, reading mail on a thread of its own;
    a mailbox that refuses the login stops the start."""
    bot = MailBot(app, runtime=runtime)
    conn = bot.imap()
    conn.logout()
    bot.bind_list()
    threading.Thread(
        target=bot.poll_forever,
        args=(app.settings.mail_poll_seconds,),
        name="pnbot-mail",
        daemon=True,
    ).start()
    announce(f"pnbot: reading mail for {bot.sender}", flush=True)
    return bot
