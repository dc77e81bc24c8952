"""Trust: a mail counts as its sender's only when the receiving server vouches for the From
domain (DKIM or SPF passed, in its own Authentication-Results); otherwise what would change
the record waits until the sender confirms from their roster address."""

from __future__ import annotations

import pytest
from mailservers import BOT, LIST, mail
from sqlmodel import select
from support import snapshot

from storage.models import Apology

AMINA = "amina@datarights.example"
SCHEDULE = (
    "@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 "
    "tz=Europe/Zurich duration=90"
)
APOLOGY = "Apologies, I can't make Tuesday's call."


def standing(world) -> list[str]:
    with world.app.store() as uow:
        return [a.handle for a in uow.session.exec(select(Apology)) if a.withdrawn_at is None]


def set_up(world) -> None:
    world.say(SCHEDULE)
    world.say("!now 2026-12-03 09:00 UTC")


def test_a_forged_from_changes_nothing_and_the_real_owner_is_asked(world):
    set_up(world)
    before = snapshot(world.app.engine)
    forged = mail(AMINA, APOLOGY, subject="Regrets", auth=None)
    assert world.deliver(forged) == 0
    assert standing(world) == []
    [question] = world.sent(AMINA)  # to the roster's address, which the forger cannot read
    assert question.recipients == [AMINA, BOT]
    assert "Reply to this mail" in question.text()
    assert "[pnbot-confirm:" in question["Subject"]
    after = snapshot(world.app.engine)
    assert {k: v for k, v in after.items() if k != "transport_state"} == {
        k: v for k, v in before.items() if k != "transport_state"
    }


def test_the_sender_confirms_by_replying_and_the_held_mail_acts_once(world):
    set_up(world)
    world.deliver(mail(AMINA, APOLOGY, subject="Regrets", auth=None))
    [question] = world.sent(AMINA)
    confirm = mail(
        AMINA,
        "yes, that was me",
        subject="Re: " + question["Subject"],
        auth=None,
        to=BOT,
        in_reply_to=question["Message-ID"],
    )
    world.deliver(confirm)
    assert standing(world) == ["amina"]
    world.deliver(confirm.replace(b"Message-ID: <", b"Message-ID: <again."))  # confirmed twice
    assert standing(world) == ["amina"]
    assert len([r for r in world.sent(AMINA) if "Noted" in r.text()]) == 1


def test_a_confirmation_from_another_address_releases_nothing(world):
    set_up(world)
    world.deliver(mail(AMINA, APOLOGY, subject="Regrets", auth=None))
    [question] = world.sent(AMINA)
    world.deliver(
        mail(
            "bruno@telco.example",
            "confirm",
            subject=question["Subject"],
            to=BOT,
            in_reply_to=question["Message-ID"],
        )
    )
    assert standing(world) == []


def test_only_the_configured_server_is_believed(world):
    set_up(world)
    # Anyone can write an Authentication-Results header; only the bot's own server counts.
    claimed = mail(AMINA, APOLOGY, subject="Regrets", authserv="mx.forger.example")
    other_domain = mail(AMINA, APOLOGY, subject="Regrets", auth="dkim=pass").replace(
        b"header.d=datarights.example", b"header.d=forger.example"
    )
    failed = mail(AMINA, APOLOGY, subject="Regrets", auth="dkim=fail")
    for raw in (claimed, other_domain, failed):
        world.deliver(raw)
    assert standing(world) == []
    assert len(world.sent(AMINA)) == 3  # one question per held mail


def test_spf_for_the_from_domain_is_enough(world):
    set_up(world)
    assert world.deliver(mail(AMINA, APOLOGY, subject="Regrets", auth="spf=pass")) == 1
    assert standing(world) == ["amina"]


def test_what_only_reads_is_answered_without_a_question(world):
    set_up(world)
    assert world.deliver(mail(AMINA, "meetings", to=BOT, auth=None)) == 1
    [answer] = world.sent(AMINA)
    assert "Tue 8 Dec 2026" in answer.text()
    assert "pnbot-confirm" not in answer["Subject"]
    assert LIST not in (answer["To"] or "")


@pytest.mark.parametrize("world", ["sqlite", "postgres"], indirect=True)
def test_held_confirmed_and_read_once_on_either_database(world):
    set_up(world)
    held = mail(AMINA, APOLOGY, subject="Regrets", auth=None)
    world.deliver(held)
    world.dovecot.append(held)  # the same mail again: one question, not two
    world.bot.poll_once()
    [question] = world.sent(AMINA)
    world.deliver(
        mail(AMINA, "yes", subject="Re: x", auth=None, to=BOT, in_reply_to=question["Message-ID"])
    )
    assert standing(world) == ["amina"]
