"""The mail transport as `pnbot run` starts it: the mailbox read on a thread of its own,
waiting in IDLE, events handled by the runtime's workers, answers sent by its delivery loop."""

from __future__ import annotations

import time

from mailservers import BOT, mail

from bot.runtime import Runtime
from bot.transports import email


def test_a_mail_to_the_bot_is_answered_by_the_running_bot(world):
    world.say(
        "@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 "
        "tz=Europe/Zurich duration=90"
    )
    runtime = Runtime(world.app, [])
    bot = email.start_beside(world.app, runtime, announce=lambda *args, **kwargs: None)
    runtime.start(tick_seconds=3600)
    try:
        world.dovecot.append(mail("dana@ietf.example", "meetings", to=BOT))
        deadline = time.monotonic() + 30
        while not world.sent("dana@ietf.example") and time.monotonic() < deadline:
            time.sleep(0.1)  # the bot's own threads, on real servers: nothing to step
    finally:
        bot.stop()
        runtime.stop()
    [answer] = world.sent("dana@ietf.example")
    assert answer.text().startswith("pn-ai meets monthly on the second Tuesday")
    assert answer["Subject"] == "Re: your mail"  # the mail had no subject


def test_a_mail_that_comes_just_before_the_wait_in_idle_ends_the_wait(world, monkeypatch):
    """A mail delivered between the bot's look at the mailbox and its IDLE: a server need not
    announce it in IDLE (Dovecot would, 30 s later), so the bot asks once more."""
    from imapclient import IMAPClient

    idle = IMAPClient.idle

    def mail_then_idle(client):
        world.dovecot.append(mail("dana@ietf.example", "meetings", to=BOT))
        return idle(client)

    monkeypatch.setattr(IMAPClient, "idle", mail_then_idle)
    started = time.monotonic()
    assert world.bot.wait_for_mail(20) is True
    assert time.monotonic() - started < 5
