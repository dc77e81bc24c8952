"""Real mail servers on loopback for the e-mail tests: Dovecot (IMAP) with a throw-away
configuration in a temporary directory, and an aiosmtpd SMTP server that records every mail
and hands it on as a mail system would: to the bot's mailbox (IMAP APPEND) for the bot's
address, and to every subscriber of the list, the bot included, for the list's address."""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid
from pathlib import Path

from aiosmtpd.controller import Controller

BOT = "pnbot@pn.example.org"
PASSWORD = "not-a-secret"
LIST = "pn-ai@lists.example.org"
AUTHSERV = "mx.pn.example.org"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dovecot_problem() -> str | None:
    if shutil.which("dovecot") is None:
        return "dovecot is not installed (apt-get install dovecot-imapd)"
    return None


class Dovecot:
    """One Dovecot serving IMAP on a free loopback port, its mail in a Maildir under `root`."""

    def __init__(self, root: Path):
        self.root = root
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        mail = self.root / "mail"
        run = self.root / "run"
        mail.mkdir()
        run.mkdir()
        me = pwd.getpwuid(os.getuid())
        if os.getuid() == 0:
            # Dovecot never opens mail as root: the mailbox belongs to nobody.
            owner = pwd.getpwnam("nobody")
            os.chown(mail, owner.pw_uid, owner.pw_gid)
            uid, gid, login, internal = owner.pw_uid, owner.pw_gid, "dovenull", "dovecot"
        else:
            uid, gid, login, internal = me.pw_uid, me.pw_gid, me.pw_name, me.pw_name
        (self.root / "users").write_text(
            f"{BOT}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{mail}/bot\n", encoding="utf-8"
        )
        self.config = self.root / "dovecot.conf"
        self.config.write_text(
            f"""
base_dir = {run}
state_dir = {run}/state
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = {self.root}/dovecot.log
first_valid_uid = 1
default_login_user = {login}
default_internal_user = {internal}
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = {self.root}/users
}}
userdb {{
  driver = passwd-file
  args = {self.root}/users
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
protocol imap {{
  mail_max_userip_connections = 100
}}
""",
            encoding="utf-8",
        )
        self.process = subprocess.Popen(
            ["dovecot", "-F", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Dovecot stopped: {self.process.stderr.read().decode()[:500]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("Dovecot did not answer within 20 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    @property
    def url(self) -> str:
        return f"imap://{BOT.replace('@', '%40')}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    def connect(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(BOT, PASSWORD)
        return conn

    def append(self, raw: bytes) -> None:
        """Deliver a mail into the bot's mailbox, as the mail system does."""
        conn = self.connect()
        try:
            status, answer = conn.append("INBOX", None, None, raw)
            assert status == "OK", answer
        finally:
            conn.logout()

    def empty(self) -> None:
        """Remove every mail (between tests; the bot's stored UIDs say where it was)."""
        conn = self.connect()
        try:
            conn.select("INBOX")
            conn.store("1:*", "+FLAGS", "\\Deleted")
            conn.expunge()
        except imaplib.IMAP4.error:
            pass
        finally:
            conn.logout()

    def message_ids(self) -> list[str]:
        conn = self.connect()
        try:
            conn.select("INBOX", readonly=True)
            status, data = conn.fetch("1:*", "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
            if status != "OK":
                return []
            return [
                part[1].decode().split(":", 1)[1].strip()
                for part in data
                if isinstance(part, tuple)
            ]
        finally:
            conn.logout()


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()

    def __getitem__(self, header: str) -> str | None:
        value = self.message[header]
        return str(value) if value is not None else None


@dataclass
class MailSystem:
    """What the SMTP server received, and the hand-on to the bot's mailbox."""

    dovecot: Dovecot
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # addresses answered 550
    later: set[str] = field(default_factory=set)  # addresses answered 451

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 no such user here"
        if address.lower() in self.later:
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        rcpts = [r.lower() for r in envelope.rcpt_tos]
        self.received.append(Received(envelope.mail_from, rcpts, message))
        if BOT in rcpts:
            self.dovecot.append(envelope.content)
        if LIST in rcpts:  # the list sends its copy to every subscriber, the bot among them
            listed = BytesParser(policy=policy.default).parsebytes(envelope.content)
            listed["List-Id"] = f"<{LIST.replace('@', '.')}>"
            listed["Precedence"] = "list"
            self.dovecot.append(listed.as_bytes())
        return "250 Message accepted"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address.lower() in (r["To"] or "").lower()]


class Smtp:
    def __init__(self, system: MailSystem):
        self.port = free_port()
        self.system = system
        self.controller = Controller(system, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


def mail(
    sender: str,
    text: str,
    *,
    subject: str = "",
    to: str = LIST,
    auth: str | None = "dkim=pass",
    authserv: str = AUTHSERV,
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    headers: dict[str, str] | None = None,
    on_list: bool | None = None,
    html: str | None = None,
) -> bytes:
    """A mail as it reaches the bot's mailbox: through the list (List-Id) when sent to it,
    with the receiving server's Authentication-Results for its sender's domain."""
    message = EmailMessage()
    domain = sender.rpartition("@")[2]
    if auth:
        method = auth.split("=", 1)[0]
        prop = f"header.d={domain}" if method == "dkim" else f"smtp.mailfrom={sender}"
        message["Authentication-Results"] = f"{authserv}; {auth} {prop}"
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(__import__("datetime").datetime.now().astimezone())
    message["Message-ID"] = make_msgid("m", domain)
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = " ".join([*(references or []), in_reply_to])
    if on_list if on_list is not None else to == LIST:
        message["List-Id"] = f"<{LIST.replace('@', '.')}>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message.as_bytes()
