"""A meeting minuted on a real Synapse: the Start minutes button is posted when the meeting
starts and pressed by reacting with its number, members tag lines in the room and in a
thread, a member's #agreed is refused privately, and `meeting end` posts the minutes."""

from __future__ import annotations

from datetime import UTC, datetime

from matrixpeople import bodies, start_group

MEETING = "Tue 15 Dec 2026, 13:00 UTC"
ONE = "1\ufe0f\u20e3"


def lines_of(core) -> list[tuple[str, str, str]]:
    with core.store() as uow:
        (minutes,) = uow.minutes.all(1)
        return [
            (ln.kind, ln.author, ln.text)
            for ln in uow.minutes.lines(minutes.id)
            if ln.undone_at is None
        ]


def test_a_meeting_is_minuted_in_the_room_and_its_minutes_posted(world, scheduler):
    room = start_group(world)
    bot = world.bot.me.user_id
    amina, bruno = world.amina.user_id, world.bruno.user_id

    world.clock.now = datetime(2026, 12, 15, 13, 0, tzinfo=UTC)
    scheduler.tick(world.clock.now)
    world.facilitator.sync()
    [start] = [
        e
        for e in world.facilitator.from_user(room, bot)
        if e["content"]["body"].startswith(f"The meeting of {MEETING} is starting.")
    ]
    assert start["content"]["org.pnbot.actions"] == [
        {"label": "Start minutes", "action": "minutes.start", "value": "1"}
    ]

    world.clock.now = datetime(2026, 12, 15, 13, 2, tzinfo=UTC)
    world.facilitator.react(room, start["event_id"], ONE)
    assert world.bot_reads() == 1
    world.amina.say(room, "#info The consultation closes on 15 January")
    world.bruno.say(room, "#idée Invite the regional IGFs", thread=start["event_id"])
    world.amina.say(room, "#agreed We publish the outline")
    world.facilitator.say(room, f"#action {amina} {bruno} Draft the summary due=2026-12-20")
    world.facilitator.say(room, "#acuerdo The outline goes to public comment")
    world.bot_reads()

    assert lines_of(world.core) == [
        ("info", "amina:pnbot.test", "The consultation closes on 15 January"),
        ("idea", "bruno:pnbot.test", "Invite the regional IGFs"),
        ("action", world.facilitator.handle, "Draft the summary"),
        ("agreed", world.facilitator.handle, "The outline goes to public comment"),
    ]
    [direct] = world.amina.direct_rooms_with(bot)
    assert bodies(world.amina.from_user(direct, bot))[-1].startswith(
        "Only a chair records a decision with #agreed"
    )
    # an #idea is noted silently: nothing in the thread it was written in
    assert not [
        e
        for e in world.bruno.from_user(room, bot)
        if e["content"].get("m.relates_to", {}).get("rel_type") == "m.thread"
    ]

    world.facilitator.say(room, "!pn meeting end")
    world.bot_reads()

    [minutes] = [
        e["content"]
        for e in world.amina.from_user(room, bot)
        if e["content"]["body"].startswith(f"Minutes of the pn-ai meeting of {MEETING} (draft)")
    ]
    assert "Present: @amina:pnbot.test, @bruno:pnbot.test" in minutes["body"]
    assert "ACTION @amina:pnbot.test @bruno:pnbot.test: Draft the summary" in minutes["body"]
    assert "AGREED (decision 1): The outline goes to public comment" in minutes["body"]
    with world.core.store() as uow:
        came = sorted(a.handle for a in uow.attendance.for_meetings([1]))
        owners = [(a.owner, a.due.isoformat()) for a in uow.actions.of_group(1)]
    assert came == ["amina:pnbot.test", "bruno:pnbot.test"]
    assert owners == [("amina:pnbot.test", "2026-12-20"), ("bruno:pnbot.test", "2026-12-20")]
