"""Which invitations the bot accepts, and what it keeps across a restart: the sync token (so
nothing is replayed and nothing missed) and the direct rooms it opened."""

from __future__ import annotations

from dataclasses import replace

from matrixpeople import bodies, membership, start_group

from bot.transports.matrix import SYNC_TOKEN, TRANSPORT, MatrixBot

APOLOGY = "apologies, I can't make the 15 December call"
OUTREACH = "I'll be presenting our work at RightsCon on 5 May"


def count(core, query) -> int:
    with core.store() as uow:
        return len(query(uow))


def stored_token(core) -> str | None:
    with core.store() as uow:
        return uow.transport_state.get(TRANSPORT, SYNC_TOKEN)


def test_a_strangers_invitation_is_declined_and_the_facilitators_accepted(world):
    bot = world.bot.me.user_id
    elsewhere = world.stranger.create_room("random", [bot])
    group_room = world.facilitator.create_room("pn-ai", [bot])

    world.bot_reads()

    assert membership(world.stranger, elsewhere, bot) == "leave"
    assert membership(world.facilitator, group_room, bot) == "join"


def test_a_configured_room_is_joined_whoever_invites(world):
    bot = world.bot.me.user_id
    room = world.stranger.create_room("configured", [])
    world.bot.settings = replace(world.bot.settings, matrix_rooms=frozenset({room}))

    world.stranger.invite(room, bot)
    world.bot_reads()

    assert membership(world.stranger, room, bot) == "join"


def test_a_member_may_open_a_direct_chat_and_a_stranger_may_not(world):
    start_group(world)
    bot = world.bot.me.user_id
    mine = world.amina.create_room("", [bot], direct=True)
    theirs = world.stranger.create_room("", [bot], direct=True)
    world.bot_reads()
    assert membership(world.amina, mine, bot) == "join"
    assert membership(world.stranger, theirs, bot) == "leave"

    world.amina.say(mine, "meetings")
    assert world.bot_reads() == 1

    [answer] = bodies(world.amina.from_user(mine, bot))
    assert "Tue 15 Dec 2026, 13:00 UTC" in answer


def test_a_restart_resumes_after_the_last_batch_without_replaying_it(world):
    room = start_group(world)
    world.amina.say(room, APOLOGY)
    world.bot_reads()
    assert stored_token(world.core) == world.bot.token
    world.loop.run(world.bot.close())

    world.amina.say(room, OUTREACH)  # while the bot is down
    restarted = MatrixBot(world.core, clock=world.clock)
    world.loop.run(restarted.start())
    world.bot = restarted

    assert restarted.token == stored_token(world.core)
    assert world.bot_reads() == 1  # the outreach only: not the apology, nor the setup
    assert world.bot_reads() == 0  # its own answers are not read
    assert count(world.core, lambda uow: uow.apologies.for_meetings([1])) == 1
    assert count(world.core, lambda uow: uow.outreach.all(1)) == 1
    said = bodies(world.amina.from_user(room, restarted.me.user_id))
    assert sum(b.startswith("Noted: you will miss") for b in said) == 1
    assert sum(b.startswith("Outreach 1:") for b in said) == 1


def test_a_batch_handled_just_before_a_crash_is_not_handled_twice(world):
    room = start_group(world)
    before = world.bot.token
    world.amina.say(room, APOLOGY)
    world.bot_reads()
    said = len(world.amina.from_user(room, world.bot.me.user_id))
    world.loop.run(world.bot.close())
    # The crash came after the apology was handled and before the new token was stored.
    with world.core.store() as uow:
        uow.transport_state.put(TRANSPORT, SYNC_TOKEN, before, world.clock())
        uow.commit()

    restarted = MatrixBot(world.core, clock=world.clock)
    world.loop.run(restarted.start())
    world.bot = restarted
    world.bot_reads()

    assert count(world.core, lambda uow: uow.apologies.for_meetings([1])) == 1
    assert len(world.amina.from_user(room, restarted.me.user_id)) == said
