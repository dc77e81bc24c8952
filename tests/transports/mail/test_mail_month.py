"""A month of the group by mail, against a real Dovecot and a real SMTP server: the agenda
and the reminders go to the list, apologies come by mail in three languages, an objection
by a reply to the announcement, votes by mail; a forged From, an out-of-office and the bot's
own mail change nothing."""

from __future__ import annotations

from mailservers import BOT, LIST, mail
from sqlmodel import select

from storage.models import Apology, Objection, Vote

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


def test_an_objection_by_reply_then_votes_by_mail_and_the_tally_threaded_under_the_poll(world):
    world.say("@amina: I'll be presenting our work at RightsCon on 20 December")
    [announcement] = world.sent(LIST)
    assert announcement["Subject"].startswith("Outreach 1:")
    assert "RightsCon" in announcement.text()

    objection = mail(
        BRUNO,
        "I object: the draft is not agreed yet.\n\nOn Tue, pnbot wrote:\n> Outreach 1: ...",
        subject="Re: " + announcement["Subject"],
        in_reply_to=announcement["Message-ID"],
    )
    assert world.deliver(objection) == 1
    with world.app.store() as uow:
        [standing] = uow.session.exec(select(Objection)).all()
        assert (standing.member, standing.reason) == ("bruno", "the draft is not agreed yet")

    world.say("!advance 3d1h")  # the window closes with the objection standing: a poll opens
    [poll] = [r for r in world.sent(LIST) if r["Subject"].startswith("Poll 1")]
    assert "reply to this mail with one of these as the first line" in poll.text()
    assert "agree" in poll.text()

    by_reply = mail(
        AMINA,
        "Agree\n\nOn Fri, pnbot wrote:\n> Poll 1",
        subject="Re: " + poll["Subject"],
        in_reply_to=poll["Message-ID"],
    )
    by_command = mail(CHEN, "vote 1 abstain", subject="my vote", to=BOT)
    assert world.deliver(by_reply) == 1
    assert world.deliver(by_command) == 1
    with world.app.store() as uow:
        votes = {(v.member, v.option) for v in uow.session.exec(select(Vote))}
    assert {("amina", "agree"), ("chen", "abstain")} <= votes

    world.say("@facilitator: /pn poll close 1")
    [tally] = [
        r
        for r in world.sent(LIST)
        if r["Message-ID"] != poll["Message-ID"] and r["In-Reply-To"] == poll["Message-ID"]
    ]
    assert poll["Message-ID"] in tally["References"]


def test_mail_a_machine_wrote_and_the_bots_own_mail_never_act(world):
    world.say(SCHEDULE)
    world.say("!now 2026-12-03 09:00 UTC")
    out_of_office = mail(
        AMINA,
        "I am out of the office until 10 December and cannot attend Tuesday's call.",
        subject="Automatic reply: pn-ai",
        headers={"Auto-Submitted": "auto-replied"},
    )
    bulk = mail(BRUNO, "Apologies, I can't make Tuesday's call.", headers={"Precedence": "bulk"})
    bounce = mail(
        "MAILER-DAEMON@telco.example",
        "Apologies, I can't make Tuesday's call.",
        subject="Undelivered Mail",
    )
    assert world.deliver(out_of_office) == 0
    assert world.deliver(bulk) == 0
    assert world.deliver(bounce) == 0
    assert apologies(world) == []
    assert world.system.received == []  # no answer either: answering machines makes loops

    world.say("@amina: I'll be presenting our work at RightsCon on 20 December")
    sent = len(world.system.received)
    assert world.bot.poll_once() == 0  # the list's copy and the bot's own copy of it
    assert len(world.system.received) == sent


def test_each_mail_is_read_once(world):
    world.say(SCHEDULE)
    world.say("!now 2026-12-03 09:00 UTC")
    raw = mail(AMINA, "Apologies, I can't make Tuesday's call.")
    assert world.deliver(raw) == 1
    world.dovecot.append(raw)  # the same mail again (a second copy, by the list and directly)
    world.bot.poll_once()
    assert apologies(world) == ["amina"]
    assert len(world.sent(AMINA)) == 1


def test_a_stranger_is_not_read(world):
    world.say(SCHEDULE)
    raw = mail("eve@elsewhere.example", "vote 1 block", to=BOT)
    assert world.deliver(raw) == 0
    assert world.system.received == []


def test_an_objection_sent_to_the_bot_alone_still_answers_the_announcement(world):
    world.say("@amina: I'll be presenting our work at RightsCon on 20 December")
    [announcement] = world.sent(LIST)
    private = mail(
        BRUNO,
        "I object: not before the plenary has seen it",
        subject="Re: " + announcement["Subject"],
        to=BOT,
        in_reply_to=announcement["Message-ID"],
    )
    assert world.deliver(private) == 1
    with world.app.store() as uow:
        [standing] = uow.session.exec(select(Objection)).all()
        assert (standing.member, standing.reason) == ("bruno", "not before the plenary has seen it")
    [receipt] = world.sent(BRUNO)
    assert receipt.recipients == [BRUNO, BOT]


def test_the_secretariats_room_hears_of_an_apology_that_came_by_mail(world):
    from dataclasses import replace

    from support import Transcript

    from bot.app import build
    from bot.transports.email import MailBot

    app = build(replace(world.app.settings, secretariat_room="#secretariat"), migrate=False)
    chat = Transcript(app)
    chat.say("!group pn-ai")
    bot = MailBot(app, runtime=chat.console.runtime)
    chat.say(SCHEDULE)
    chat.say("!now 2026-12-03 09:00 UTC")
    world.dovecot.append(mail(AMINA, "Apologies, I can't make Tuesday's call."))
    start = chat.out.tell()
    assert bot.poll_once() == 1
    told = chat.out.getvalue()[start:]
    assert "#secretariat pnbot" in told and "Apologies from amina" in told, told
    assert len(world.sent(AMINA)) == 1  # the confirmation, by mail
    app.engine.dispose()


def test_undo_by_replying_to_the_confirmation(world):
    world.say(SCHEDULE)
    world.say("!now 2026-12-03 09:00 UTC")
    world.deliver(mail(AMINA, "Apologies, I can't make Tuesday's call."))
    [confirmation] = world.sent(AMINA)
    assert "1. Undo" in confirmation.text()
    undo = mail(
        AMINA,
        "undo\n\nOn Thu, pnbot wrote:\n> Noted: ...",
        subject="Re: x",
        to=BOT,
        in_reply_to=confirmation["Message-ID"],
    )
    assert world.deliver(undo) == 1
    assert apologies(world) == []
