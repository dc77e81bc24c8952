"""The month example, replayed with mail configured, posts to the mailing list: the agendas,
the polls and their tallies (threaded under the poll), the outreach announcements."""

from __future__ import annotations

from mailservers import LIST
from support import EXAMPLES

from bot.cli import main


def test_the_month_example_posts_to_the_list(world, monkeypatch, capsys):
    for name, value in {
        "SMTP_URL": world.system.url,
        "IMAP_URL": world.dovecot.url,
        "MAIL_FROM": world.bot.sender,
        "MAIL_LIST_ADDRESS": LIST,
        "MAIL_GROUP": "pn-ai",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(EXAMPLES)
    world.system.received.clear()
    assert main(["--database", "sqlite://", "console", "--script", "month.txt"]) == 0
    capsys.readouterr()
    mails = world.sent(LIST)
    subjects = [m["Subject"] for m in mails]
    assert any(s.startswith("Agenda of the pn-ai meeting") for s in subjects), subjects
    assert any(s.startswith("Outreach ") for s in subjects), subjects
    polls = [m for m in mails if m["Subject"].startswith("Poll ")]
    assert polls, subjects
    threaded = [m for m in mails if m["In-Reply-To"] in {p["Message-ID"] for p in polls}]
    assert threaded, "a tally is threaded under its poll's mail"
    assert len({m["Message-ID"] for m in mails}) == len(mails)  # each mail once
