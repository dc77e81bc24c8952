"""Fixtures of the e-mail tests: one Dovecot and one SMTP server per test session (skipped with
a reason where Dovecot is not installed or cannot start, failing instead when
PNBOT_REQUIRE_DOVECOT=1, as in CI), and a group whose list is served by the bot."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from mailservers import AUTHSERV, BOT, LIST, Dovecot, MailSystem, Smtp, dovecot_problem
from support import Transcript

from bot.app import build
from bot.config import Settings
from bot.transports.email import MailBot

REQUIRE_DOVECOT = os.environ.get("PNBOT_REQUIRE_DOVECOT") == "1"
PEOPLE = {
    "amina": ("amina@datarights.example", "civil-society", "africa", "woman"),
    "bruno": ("bruno@telco.example", "private-sector", "latin-america-caribbean", "man"),
    "chen": ("chen@gov.example", "government", "asia-pacific", "man"),
    "dana": ("dana@ietf.example", "technical-community", "western-europe-others", "woman"),
}


def _unavailable(problem: str) -> None:
    if REQUIRE_DOVECOT:
        pytest.fail(problem + " and PNBOT_REQUIRE_DOVECOT=1: CI must run the e-mail tests")
    pytest.skip(problem + "; the e-mail tests need a real IMAP server")


@pytest.fixture(scope="session")
def dovecot():
    problem = dovecot_problem()
    if problem:
        _unavailable(problem)
    # Not under pytest's private temporary directory: Dovecot's own users must read it.
    root = Path(tempfile.mkdtemp(prefix="pnbot-dovecot-"))
    root.chmod(0o755)
    server = Dovecot(root)
    try:
        server.start()
    except Exception as error:  # whatever stops it, the tests say so
        server.stop()
        _unavailable(f"Dovecot cannot start here: {error}")
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def mail_system(dovecot):
    system = MailSystem(dovecot)
    smtp = Smtp(system)
    smtp.start()
    system.url = smtp.url
    yield system
    smtp.stop()


def mail_settings(db_url: str, dovecot: Dovecot, system: MailSystem, **extra) -> Settings:
    return Settings(
        database_url=db_url,
        facilitators=frozenset({"facilitator"}),
        smtp_url=system.url,
        imap_url=dovecot.url,
        mail_from=BOT,
        mail_list_address=LIST,
        mail_group="pn-ai",
        mail_authserv_id=AUTHSERV,
        mail_calendar_url="https://pn.example.org/pn-ai.ics",
        **extra,
    )


@dataclass
class World:
    """One test's bot: the console for the facilitator, the mail transport on its runtime,
    the servers."""

    chat: Transcript
    bot: MailBot
    dovecot: Dovecot
    system: MailSystem
    app: object

    def say(self, text: str) -> str:
        return self.chat.say(text)

    def deliver(self, raw: bytes) -> int:
        """A mail reaches the bot's mailbox; the bot reads its mail once."""
        self.dovecot.append(raw)
        return self.bot.poll_once()

    def sent(self, to: str = LIST) -> list:
        return self.system.to(to)


@pytest.fixture
def world(request, dovecot, mail_system, sqlite_template, tmp_path):
    """On a SQLite file; `@pytest.mark.parametrize("world", ["postgres"], indirect=True)`
    runs a test on PostgreSQL instead."""
    if getattr(request, "param", "sqlite") == "postgres":
        db_url = request.getfixturevalue("postgres_url")
    else:
        path = tmp_path / "pnbot.db"
        shutil.copyfile(sqlite_template, path)
        db_url = f"sqlite:///{path}"
    dovecot.empty()
    mail_system.received.clear()
    mail_system.refuse.clear()
    mail_system.later.clear()
    app = build(mail_settings(db_url, dovecot, mail_system))
    chat = Transcript(app)
    chat.say("!group pn-ai")
    for handle, (address, group, region, gender) in PEOPLE.items():
        chat.say(
            f"@facilitator: /pn member add @{handle} group={group} region={region} gender={gender} "
            f'org="Org of {handle}" email={address}'
        )
    bot = MailBot(app, runtime=chat.console.runtime)
    assert bot.poll_once() == 0  # binds the list, and notes where the mailbox is
    yield World(chat, bot, dovecot, mail_system, app)
    app.engine.dispose()
