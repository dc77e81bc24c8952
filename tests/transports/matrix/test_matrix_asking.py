"""When capture is unsure, the author alone is asked on Matrix: a direct message with Yes and
No buttons (pressed by reacting with their number); Yes records the notice, No nothing."""

from __future__ import annotations

from matrixpeople import bodies, start_group

UNCLEAR = "Please note my absence on 15 December"
ONE = "1\ufe0f\u20e3"
TWO = "2\ufe0f\u20e3"


def apologies(core):
    with core.store() as uow:
        return [(a.handle, a.source) for a in uow.apologies.for_meetings([1])]


def asked_in_a_direct_message(world):
    """Amina's unclear message, and the bot's question to her alone."""
    room = start_group(world)
    world.amina.say(room, UNCLEAR)
    world.bot_reads()
    assert apologies(world.core) == []
    # nothing in the room for everyone
    assert not [
        b for b in bodies(world.amina.from_user(room, world.bot.me.user_id)) if "absence" in b
    ]
    [direct] = world.amina.direct_rooms_with(world.bot.me.user_id)
    [question] = world.amina.from_user(direct, world.bot.me.user_id)[-1:]
    content = question["content"]
    assert content["body"].startswith("Shall I record this as your apologies for the pn-ai meeting")
    assert [a["action"] for a in content["org.pnbot.actions"]] == ["capture.yes", "capture.no"]
    return direct, question


def test_an_unclear_apology_is_asked_about_in_a_direct_message_and_yes_records_it(world):
    direct, question = asked_in_a_direct_message(world)

    world.amina.react(direct, question["event_id"], ONE)
    assert world.bot_reads() == 1

    assert apologies(world.core) == [("amina:pnbot.test", "chat")]
    answers = bodies(world.amina.from_user(direct, world.bot.me.user_id))
    assert any(a.startswith("Noted: you will miss the pn-ai meeting") for a in answers)


def test_no_records_nothing(world):
    direct, question = asked_in_a_direct_message(world)

    world.amina.react(direct, question["event_id"], TWO)
    world.bot_reads()

    assert apologies(world.core) == []
    answers = bodies(world.amina.from_user(direct, world.bot.me.user_id))
    assert answers[-1].startswith("Understood: I recorded nothing")
