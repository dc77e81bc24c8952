"""The same inbound event (transport, key) is processed once, however often it is delivered."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from support import START, snapshot

from handlers import groups
from handlers.events import Command, Message, Reply, strip_marks

ON_POSTGRES = True  # on both databases: an event delivered twice is claimed once

ROOM = "#pn-ai"
ADD_UMA = 'member add @uma group=civil-society region=africa gender=woman org="Data Rights Lab"'
ADD_VIC = 'member add @vic group=government region=asia-pacific gender=man org="Ministry of ICT"'


@pytest.fixture
def bot(app):
    with app.store() as uow:
        groups.ensure_group(uow, "pn-ai", "console", ROOM, START)
        uow.commit()
    return app


def command(text: str, key: str, transport: str = "console", user: str = "facilitator"):
    return Command(transport=transport, room=ROOM, user=user, key=key, at=START, text=text)


def roster_handles(app) -> list[str]:
    with app.store() as uow:
        return [m.handle for m in uow.members.all(uow.groups.named("pn-ai").id)]


def texts(outgoing) -> list[str]:
    """What each answer says as people read it (without the core's mention marks)."""
    return [strip_marks(out.text) for out in outgoing]


def test_a_command_delivered_twice_adds_the_member_once(bot):
    first = bot.dispatcher.handle(command(ADD_UMA, key="ev-1"))
    second = bot.dispatcher.handle(command(ADD_UMA, key="ev-1"))

    assert [type(out) for out in first] == [Reply]
    assert texts(first)[0].startswith("Added uma (@uma)")
    assert second == []
    assert roster_handles(bot) == ["uma"]


def test_a_redelivery_changes_nothing_in_the_database(bot):
    bot.dispatcher.handle(command(ADD_UMA, key="ev-1"))
    before = snapshot(bot.engine)

    assert bot.dispatcher.handle(command(ADD_UMA, key="ev-1")) == []
    assert snapshot(bot.engine) == before


def test_events_with_different_keys_are_each_processed(bot):
    first = bot.dispatcher.handle(command(ADD_UMA, key="ev-1"))
    second = bot.dispatcher.handle(command(ADD_VIC, key="ev-2"))

    assert texts(first)[0].startswith("Added uma")
    assert texts(second)[0].startswith("Added vic")
    assert sorted(roster_handles(bot)) == ["uma", "vic"]


def test_the_same_command_under_a_new_key_is_processed_again(bot):
    bot.dispatcher.handle(command(ADD_UMA, key="ev-1"))

    again = bot.dispatcher.handle(command(ADD_UMA, key="ev-2"))

    assert texts(again) == ["@uma is already on the roster; `member edit` changes their details."]


def test_the_same_key_on_another_transport_is_another_event(bot):
    on_console = bot.dispatcher.handle(command("help", key="ev-1"))
    on_slack = bot.dispatcher.handle(command("help", key="ev-1", transport="slack"))

    assert texts(on_console)[0].startswith("Commands")
    assert texts(on_slack) == texts(on_console)


def test_a_chat_message_delivered_twice_is_answered_once(bot):
    bot.dispatcher.handle(command(ADD_UMA, key="ev-1"))
    mention = Message(
        transport="console",
        room=ROOM,
        user="uma",
        key="ev-2",
        at=START,
        text="member show",
        mentions_bot=True,
    )

    first = bot.dispatcher.handle(mention)
    second = bot.dispatcher.handle(mention)

    assert texts(first)[0].startswith("uma (@uma) — Data Rights Lab")
    assert second == []


def queued_answers(bot) -> list[str]:
    with bot.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT text FROM outbox ORDER BY id")).scalars()
        return [strip_marks(text) for text in rows]


def test_a_rejected_command_changes_nothing_and_its_retry_is_answered_once(bot):
    bad = command(ADD_UMA.replace("region=africa", "region=mars"), key="ev-1")
    before = snapshot(bot.engine)

    first = bot.dispatcher.handle(bad)
    retry = bot.dispatcher.handle(bad)

    refusal = (
        "`mars` is not a region. Use one of: africa, asia-pacific, eastern-europe, "
        "latin-america-caribbean, western-europe-others."
    )
    assert texts(first) == [refusal]
    assert retry == []
    assert queued_answers(bot) == [refusal]
    assert snapshot(bot.engine) == before
    assert roster_handles(bot) == []


def test_a_refused_command_changes_nothing_and_its_retry_is_answered_once(bot):
    refused = command(ADD_UMA, key="ev-1", user="amina")

    first = bot.dispatcher.handle(refused)
    retry = bot.dispatcher.handle(refused)

    assert texts(first)[0].startswith("Only the facilitator can use `member add`")
    assert retry == []
    assert queued_answers(bot) == texts(first)
    assert roster_handles(bot) == []
