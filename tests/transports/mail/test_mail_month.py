"""A month of the group by mail, against a real Dovecot and a real SMTP server: the agenda
and the reminders go to the list, apologies come by mail in three languages, an objection
by a reply to the announcement, votes by mail; a forged From, an out-of-office and the bot's
own mail change nothing."""

from __future__ import annotations

from mailservers import BOT, LIST, mail
from sqlmodel import select

from storage.models import Apology

AMINA, BRUNO, CHEN, DANA = (
    "amina@datarights.example",
    "bruno@telco.example",
    "chen@gov.example",
    "dana@ietf.example",
)
SCHEDULE = (
    "@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 "
    "tz=Europe/Zurich duration=90 link=https://meet.example.org/pn-ai"
)


def apologies(world) -> list[str]:
    with world.app.store() as uow:
        return sorted(a.handle for a in uow.session.exec(select(Apology)) if a.withdrawn_at is None)


def test_apologies_by_mail_in_three_languages_are_recorded_and_confirmed_to_the_sender_alone(world):
    world.say(SCHEDULE)
    world.say("!now 2026-12-03 09:00 UTC")  # a Thursday: "Tuesday" is the 8th
    english = mail(AMINA, "Sorry, travelling that day.", subject="Regrets for Tuesday's call")
    french = mail(
        BRUNO, "Je ne pourrai pas assister à la réunion de mardi, désolé.", subject="Re: pn-ai"
    )
    spanish = mail(
        CHEN,
        "Lo siento, no podré asistir a la reunión del martes.\n\n-- \nChen\nMinistry",
        subject="Disculpas",
    )
    assert world.deliver(english) == 1
    assert world.deliver(french) == 1
    assert world.deliver(spanish) == 1
    assert apologies(world) == ["amina", "bruno", "chen"]
    for address in (AMINA, BRUNO, CHEN):
        [confirmation] = world.sent(address)
        assert confirmation.recipients == [address, BOT]  # the sender, and the bot's own copy
        assert LIST not in (confirmation["To"] or "")
        assert "Tue 8 Dec 2026" in confirmation.text()
        assert confirmation["In-Reply-To"]
        assert confirmation["Subject"].startswith("Re: ")
    assert world.sent(LIST) == []  # nothing about an apology goes to the whole list


def test_the_call_for_items_the_agenda_and_the_24h_reminder_go_to_the_list(world):
    world.say(SCHEDULE)
    world.say("@amina: /pn agenda add Review of the incident reporting draft")
    world.say("!now 2026-12-04 09:00 UTC")  # the draft was due 7 days before; approve it
    world.say("@facilitator: /pn agenda approve")
    world.say("!advance 3d3h30m")  # past the 24-hour reminder
    world.say("!advance 23h")  # past the 1-hour reminder
    subjects = [r["Subject"] for r in world.sent(LIST)]
    assert any(s.startswith("Agenda of the pn-ai meeting") for s in subjects), subjects
    assert any(s.startswith("Reminder: the pn-ai meeting is tomorrow") for s in subjects), subjects
    assert not any("in one hour" in s for s in subjects)  # the 1-hour reminder stays in chat
    [agenda] = [r for r in world.sent(LIST) if r["Subject"].startswith("Agenda")]
    assert "Review of the incident reporting draft" in agenda.text()
    assert "<p>" in agenda.html() and "Review of the incident reporting draft" in agenda.html()
    assert (
        agenda["Message-ID"].startswith("<pnbot.") and agenda["Auto-Submitted"] == "auto-generated"
    )
    assert agenda["Reply-To"] == LIST
    assert "https://pn.example.org/pn-ai.ics" in agenda.text()
