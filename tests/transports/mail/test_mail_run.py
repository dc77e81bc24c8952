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
