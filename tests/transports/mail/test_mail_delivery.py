"""Delivery by mail through the outbox: a crash between sending and marking sent does not
send a mail twice (the note taken when the server accepted it, or the bot's own copy in its
mailbox, says it went out); a crash before sending sends it once; a refused address fails
for good; the same outbox key always makes the same Message-ID."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from mailservers import LIST
from sqlmodel import select

from bot.transports import email_render
from storage.models import OutboxItem, SentPost, TransportState

ANNOUNCE = "@amina: I'll be presenting our work at RightsCon on 20 December"


class Killed(BaseException):
    """The process dying inside a send: nothing after it runs, nothing catches it."""


def kill(world, before_sending: bool) -> None:
    send = world.bot.deliver

    def dying(out):
        if not before_sending:
            send(out)
        raise Killed

    world.bot.deliver = dying


def announcement_row(world) -> SimpleNamespace:
    with world.app.store() as uow:
        [row] = [
            r
            for r in uow.session.exec(select(OutboxItem))
            if r.transport == "email" and r.text.startswith("Outreach 1")
        ]
        fields = ("id", "key", "sent_at", "attempts", "last_error", "skipped_at")
        return SimpleNamespace(**{name: getattr(row, name) for name in fields})


def restart(world) -> int:
    """A new process after the claim's lease ran out: it delivers what is due."""
    del world.bot.deliver  # the transport's own method again
    world.chat.console.set_now(world.chat.console.now + timedelta(minutes=6))
    return world.bot.runtime.drain()


@pytest.mark.parametrize("note_kept", [True, False], ids=["noted", "copy-in-mailbox"])
def test_a_crash_after_the_server_accepted_the_mail_does_not_send_it_again(world, note_kept):
    kill(world, before_sending=False)
    with pytest.raises(Killed):
        world.say(ANNOUNCE)
    assert len(world.sent(LIST)) == 1
    row = announcement_row(world)
    assert row.sent_at is None and row.attempts == 1
    if not note_kept:  # died before even the note: the mailbox's copy is all there is
        with world.app.store() as uow:
            for state in uow.session.exec(select(TransportState)):
                if state.name.startswith("sent:"):
                    uow.session.delete(state)
            uow.commit()
    restart(world)
    assert len(world.sent(LIST)) == 1
    row = announcement_row(world)
    assert row.sent_at is not None
    msgid = email_render.message_id(row.key, "pn.example.org")
    assert world.sent(LIST)[0]["Message-ID"] == msgid
    with world.app.store() as uow:  # linked, so a reply in its thread finds the outreach
        linked = uow.session.exec(select(SentPost).where(SentPost.message_id == msgid)).all()
        assert [p.ref for p in linked] == ["outreach:1"]


def test_a_crash_before_sending_sends_the_mail_once(world):
    kill(world, before_sending=True)
    with pytest.raises(Killed):
        world.say(ANNOUNCE)
    assert world.sent(LIST) == []
    restart(world)
    [sent] = world.sent(LIST)
    assert sent["Message-ID"] == email_render.message_id(
        announcement_row(world).key, "pn.example.org"
    )


def test_an_address_the_server_refuses_fails_for_good(world):
    world.system.refuse.add(LIST)
    world.say(ANNOUNCE)
    row = announcement_row(world)
    assert row.sent_at is None
    assert row.last_error and "refused" in row.last_error
    assert world.bot.runtime.drain() == 0  # not retried


def test_the_bot_waits_in_idle_and_wakes_when_mail_comes(world):
    import threading

    from mailservers import mail

    assert world.bot.wait_for_mail(0.2) is False  # nothing new: the wait ends by its timeout
    woke: list = []
    waiting = threading.Thread(target=lambda: woke.append(world.bot.wait_for_mail(30)))
    waiting.start()
    world.dovecot.append(mail("amina@datarights.example", "hello"))
    waiting.join(30)
    assert woke == [True]
    # Mail that came after the last read and before the wait wakes it at once.
    assert world.bot.wait_for_mail(30) is True
    world.bot.poll_once()
    assert world.bot.wait_for_mail(0.2) is False


def test_a_server_that_asks_to_wait_gets_the_mail_later_once(world):
    world.system.later.add(LIST)
    world.say(ANNOUNCE)
    row = announcement_row(world)
    assert row.sent_at is None and "try again later" in row.last_error
    world.system.later.clear()
    world.chat.console.set_now(world.chat.console.now + timedelta(minutes=1))
    world.bot.runtime.drain()
    assert announcement_row(world).sent_at is not None
    assert len(world.sent(LIST)) == 1
