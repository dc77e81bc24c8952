"""A working group's month on a real Synapse: members write, react and reply with Matrix
clients, the bot answers in HTML with a plain fallback, and what is due goes out when the
scheduler's tick is told the time."""

from __future__ import annotations

from datetime import UTC, datetime

from matrixpeople import bodies, start_group

APOLOGY = "apologies, I can't make the 15 December call"
OUTREACH = "I'll be presenting our work at RightsCon on 5 May"
MEETING = "Tue 15 Dec 2026, 13:00 UTC"
NO_ENTRY = "\u26d4"
ONE = "1\ufe0f\u20e3"


def rows(core, query):
    with core.store() as uow:
        return query(uow)


def apologies(core):
    return rows(core, lambda uow: [(a.handle, a.source) for a in uow.apologies.for_meetings([1])])


def objections(core):
    return rows(
        core,
        lambda uow: [(o.member, o.status, o.source) for o in uow.objections.for_outreach([1])],
    )


def votes(core):
    return rows(core, lambda uow: sorted((v.member, v.option) for v in uow.votes.for_poll(1)))


def test_an_apology_is_captured_and_confirmed_in_its_thread(world):
    room = start_group(world)

    said = world.amina.say(room, APOLOGY)

    assert world.bot_reads() == 1
    assert apologies(world.core) == [("amina:pnbot.test", "chat")]
    [confirmation] = world.amina.from_user(room, world.bot.me.user_id)[-1:]
    content = confirmation["content"]
    assert content["m.relates_to"]["rel_type"] == "m.thread"
    assert content["m.relates_to"]["event_id"] == said
    assert content["msgtype"] == "m.notice"
    # A thread is public: the time in UTC alone, not in the member's own zone.
    assert content["body"].startswith(f"Noted: you will miss the pn-ai meeting of {MEETING}.")
    assert "Africa/Nairobi" not in content["body"]
    assert "<code>back 2026-12-15</code>" in content["formatted_body"]
    assert content["org.pnbot.actions"] == [
        {"label": "Undo", "action": "availability.undo", "value": "1"}
    ]


def test_the_undo_button_is_pressed_by_reacting_with_its_number(world):
    room = start_group(world)
    world.amina.say(room, APOLOGY)
    world.bot_reads()
    [confirmation] = world.amina.from_user(room, world.bot.me.user_id)[-1:]

    world.bruno.react(room, confirmation["event_id"], ONE)  # not bruno's apology
    world.bot_reads()
    assert apologies(world.core) == [("amina:pnbot.test", "chat")]

    world.amina.react(room, confirmation["event_id"], ONE)
    assert world.bot_reads() == 1
    assert apologies(world.core) == []


def test_the_agenda_is_posted_on_schedule_in_the_room(world, scheduler):
    room = start_group(world)
    world.amina.say(room, "!pn agenda add Review the outline of the annual output")
    world.bot_reads()

    assert scheduler.tick(datetime(2026, 12, 5, 13, 0, tzinfo=UTC)) == 1
    world.amina.sync()
    [call] = bodies(world.amina.from_user(room, world.bot.me.user_id)[-1:])
    assert call.startswith(f"Call for agenda items: the pn-ai meeting of {MEETING}.")

    world.clock.now = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    world.facilitator.say(room, "!pn agenda approve")
    world.bot_reads()
    seen = len(world.amina.from_user(room, world.bot.me.user_id))
    assert scheduler.tick(datetime(2026, 12, 10, 13, 0, tzinfo=UTC)) == 1
    assert scheduler.tick(datetime(2026, 12, 10, 13, 0, tzinfo=UTC)) == 0  # sent once
    world.amina.sync()
    [agenda] = world.amina.from_user(room, world.bot.me.user_id)[seen:]
    assert agenda["content"]["body"].startswith(
        f"Agenda of the pn-ai meeting of {MEETING}, 60 min."
    )
    assert "Review the outline of the annual output" in agenda["content"]["formatted_body"]


def test_an_objection_by_reaction_asks_for_a_reason_and_its_removal_withdraws_it(world):
    room = start_group(world)
    world.amina.say(room, OUTREACH)
    world.bot_reads()
    [announcement] = [
        e
        for e in world.bruno.from_user(room, world.bot.me.user_id)
        if e["content"]["body"].startswith("Outreach 1:")
    ]
    assert "react with \u26d4" in announcement["content"]["body"]

    reaction = world.bruno.react(room, announcement["event_id"], NO_ENTRY)
    assert world.bot_reads() == 1

    assert objections(world.core) == [("bruno:pnbot.test", "awaiting-reason", "reaction")]
    [direct] = world.bruno.direct_rooms_with(world.bot.me.user_id)
    [question] = bodies(world.bruno.from_user(direct, world.bot.me.user_id))
    assert question.startswith("You objected to outreach 1 (RightsCon) with a reaction. Why?")
    told = [
        body
        for room_id in world.facilitator.direct_rooms_with(world.bot.me.user_id)
        for body in bodies(world.facilitator.from_user(room_id, world.bot.me.user_id))
    ]
    assert any(b.startswith("Objection 1 by @bruno:pnbot.test to outreach 1") for b in told)

    world.bruno.redact(room, reaction)
    world.bot_reads()
    assert objections(world.core) == [("bruno:pnbot.test", "withdrawn", "reaction")]

    world.bruno.say(
        room,
        "I object: the event is sponsored by a vendor we assess",
        thread=announcement["event_id"],
    )
    world.bot_reads()
    assert objections(world.core) == [("bruno:pnbot.test", "standing", "reaction")]


def test_a_poll_is_voted_by_reaction_by_numbered_reply_and_by_command_then_tallied(
    world, scheduler
):
    room = start_group(world)
    world.facilitator.say(room, '!pn poll "Adopt the outline?" closes=3d')
    world.bot_reads()
    [poll] = [
        e
        for e in world.amina.from_user(room, world.bot.me.user_id)
        if e["content"]["body"].startswith("Poll 1: Adopt the outline?")
    ]
    labels = [a["label"] for a in poll["content"]["org.pnbot.actions"]]
    assert labels == ["agree", "abstain", "disagree", "block"]
    assert "1\ufe0f\u20e3 agree · 2\ufe0f\u20e3 abstain" in poll["content"]["body"]

    world.amina.react(room, poll["event_id"], ONE)
    world.bruno.say(room, "3", reply_to=poll["event_id"])  # disagree needs a reason
    world.bot_reads()
    assert votes(world.core) == [("amina:pnbot.test", "agree")]
    [direct] = world.bruno.direct_rooms_with(world.bot.me.user_id)
    assert "Please say why you disagree: `vote 1 disagree <reason>`." in bodies(
        world.bruno.from_user(direct, world.bot.me.user_id)
    )

    world.bruno.say(room, "!pn vote 1 disagree the timeline leaves no room for consultation")
    world.bruno.say(room, "!pn vote 1 frobnicate")
    world.bot_reads()
    assert votes(world.core) == [("amina:pnbot.test", "agree"), ("bruno:pnbot.test", "disagree")]
    answers = bodies(world.bruno.from_user(direct, world.bot.me.user_id))
    assert answers[-1] == (
        "`frobnicate` is not an option of poll 1: agree, abstain, disagree, block."
    )

    seen = len(world.amina.from_user(room, world.bot.me.user_id))
    scheduler.tick(datetime(2026, 12, 4, 9, 0, tzinfo=UTC))
    world.amina.sync()
    [tally] = [
        e["content"]
        for e in world.amina.from_user(room, world.bot.me.user_id)[seen:]
        if e["content"]["body"].startswith("Poll 1 is closed")
    ]
    assert "@bruno:pnbot.test" in tally["body"]
    assert "the timeline leaves no room for consultation" in tally["body"]
    assert '<a href="https://matrix.to/#/@bruno:pnbot.test">' in tally["formatted_body"]


def test_a_mention_or_a_direct_message_is_a_command_and_bad_input_gets_a_clear_answer(world):
    room = start_group(world)
    world.amina.say(room, "pnbot: help")
    world.amina.say(room, "!pn frobnicate <b>now</b>")
    world.bot_reads()

    [direct] = world.amina.direct_rooms_with(world.bot.me.user_id)
    answers = world.amina.from_user(direct, world.bot.me.user_id)
    assert any("type them after !pn" in b for b in bodies(answers[:-1]))
    unknown = answers[-1]["content"]
    assert "frobnicate" in unknown["body"] and "Traceback" not in unknown["body"]
    assert "<b>" not in unknown["formatted_body"]

    world.amina.say(direct, "meetings")
    world.bot_reads()
    [listed] = bodies(world.amina.from_user(direct, world.bot.me.user_id)[-1:])
    assert MEETING in listed


def test_an_edit_is_read_again_and_a_deletion_withdraws_the_apology(world):
    room = start_group(world)
    first = world.amina.say(room, APOLOGY)
    world.bot_reads()
    assert apologies(world.core) == [("amina:pnbot.test", "chat")]

    world.amina.edit(room, first, "good news, the workshop moved")
    world.bot_reads()
    assert apologies(world.core) == []

    second = world.bruno.say(room, "sorry, I will miss the call on 15 December")
    world.bot_reads()
    assert apologies(world.core) == [("bruno:pnbot.test", "chat")]
    world.bruno.redact(room, second)
    world.bot_reads()
    assert apologies(world.core) == []


def test_a_scheduled_message_sent_twice_after_an_interruption_appears_once(world):
    from handlers.events import Post

    room = start_group(world)
    seen = len(world.amina.from_user(room, world.bot.me.user_id))
    post = Post(transport="matrix", room=room, text="Reminder: the meeting", key="reminder:1:24h")

    world.bot.deliver(post)
    world.bot.deliver(post)  # the first attempt got through; its mark as sent did not
    world.amina.sync()

    assert bodies(world.amina.from_user(room, world.bot.me.user_id)[seen:]) == [
        "Reminder: the meeting"
    ]


def test_a_thumbs_up_on_a_raised_issue_supports_it(world):
    room = start_group(world)
    world.amina.say(room, "!pn raise New EU rules on AI audits")
    world.bot_reads()
    [raised] = [
        e
        for e in world.bruno.from_user(room, world.bot.me.user_id)
        if e["content"]["body"].startswith("Emerging issue #1")
    ]
    assert "a \U0001f44d reaction to this message" in raised["content"]["body"]

    world.bruno.react(room, raised["event_id"], "\U0001f44d")
    assert world.bot_reads() == 1

    supporters = rows(world.core, lambda uow: uow.issues.supporters([1])[1])
    assert supporters == ["amina:pnbot.test", "bruno:pnbot.test"]
    [direct] = world.bruno.direct_rooms_with(world.bot.me.user_id)
    [answer] = bodies(world.bruno.from_user(direct, world.bot.me.user_id))
    assert answer.startswith("You support issue #1 (2 supporters")
