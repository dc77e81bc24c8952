"""What people write in the group's channel is read by the chat capture: apologies, outreach,
objections in an announcement's thread and by reaction; the bot's own messages and other
bots' are not captured, and a retried event is processed once (edits and deletions:
test_slack_edits.py)."""

from __future__ import annotations

from slackfake import (
    AMINA,
    BOT_ID,
    BOT_USER,
    BRUNO,
    FACILITATOR,
    ROOM,
    FakeSlack,
    snapshot,
    start_group,
)

APOLOGY = "apologies, I can't make the 15 December call"
OUTREACH = "I'll be presenting our work at RightsCon on 5 May"
OBJECTION = "I object: the event is sponsored by a vendor we assess"


def apologies(core) -> list[tuple[str, str]]:
    with core.store() as uow:
        return [(a.handle, a.source) for a in uow.apologies.for_meetings([1])]


def objections(core) -> list[tuple[str, str, str]]:
    with core.store() as uow:
        return [(o.member, o.status, o.source) for o in uow.objections.for_outreach([1])]


def announce(driver, fake: FakeSlack) -> str:
    """Amina announces outreach in chat; the ts of the bot's announcement in the channel."""
    driver.say(OUTREACH, user=AMINA)
    [announcement] = [c for c in fake.to("chat.postMessage") if c.text().startswith("Outreach 1:")]
    assert announcement.body["channel"] == ROOM
    assert "thread_ts" not in announcement.body
    return fake.answer_of(announcement)["ts"]


def test_an_apology_in_the_channel_is_recorded_and_confirmed_in_its_thread(driver, fake, core):
    start_group(driver)

    ts, sent = driver.say(APOLOGY, user=AMINA)

    assert sent.status == 200
    assert apologies(core) == [(AMINA, "chat")]
    confirmation = next(c for c in fake.to("chat.postMessage") if c.body.get("thread_ts") == ts)
    assert confirmation.body["channel"] == ROOM
    assert confirmation.text().startswith("Noted: you will miss the pn-ai meeting")
    assert [b["action_id"] for b in confirmation.buttons()] == ["availability.undo"]


def test_outreach_said_in_the_channel_is_announced_and_its_ts_remembered(driver, fake, core):
    start_group(driver)

    ts, _ = driver.say(OUTREACH, user=AMINA)

    with core.store() as uow:
        [record] = uow.outreach.all(uow.groups.named("pn-ai").id)
        shown = (record.member, record.event, record.source)
        remembered = [(p.room, p.message_id) for p in uow.posts.messages("outreach:1")]
    assert shown == (AMINA, "RightsCon", "chat")
    announcement = next(
        c for c in fake.to("chat.postMessage") if c.text().startswith("Outreach 1:")
    )
    # Both the member's message and the bot's announcement lead to the record.
    assert remembered == [(ROOM, ts), (ROOM, fake.answer_of(announcement)["ts"])]
    confirmation = next(c for c in fake.to("chat.postMessage") if c.body.get("thread_ts") == ts)
    assert [b["action_id"] for b in confirmation.buttons()] == ["outreach.withdraw"]


def test_an_objection_in_the_announcements_thread_is_recorded_and_answered_there(
    driver, fake, core
):
    start_group(driver)
    announced = announce(driver, fake)

    driver.say(OBJECTION, user=BRUNO, thread=announced)

    assert objections(core) == [(BRUNO, "standing", "thread")]
    answer = [c for c in fake.to("chat.postMessage") if c.body.get("thread_ts") == announced]
    assert answer[-1].text().startswith("Recorded your objection 1 to outreach 1")


def test_the_objection_reaction_on_the_announcement_objects_and_asks_why(driver, fake, core):
    start_group(driver)
    announced = announce(driver, fake)

    driver.react("no_entry", announced, user=BRUNO)

    assert objections(core) == [(BRUNO, "awaiting-reason", "reaction")]
    assert [c.body["users"] for c in fake.to("conversations.open")] == [BRUNO, FACILITATOR]
    asked = fake.to("chat.postMessage")[-2]  # then the facilitator is told
    assert asked.body["channel"] == "DBRUNO001"
    assert "with a reaction. Why?" in asked.text()

    driver.react("no_entry", announced, user=BRUNO, added=False)

    assert objections(core) == [(BRUNO, "withdrawn", "reaction")]


def test_a_reaction_on_a_message_that_announces_nothing_does_nothing(driver, fake, core):
    start_group(driver)
    ts, _ = driver.say("Good morning all", user=AMINA)
    before, calls = snapshot(core.engine), len(fake.calls)

    driver.react("no_entry", ts, user=BRUNO)

    after = snapshot(core.engine)
    after.pop("processed_events"), before.pop("processed_events")
    assert after == before
    assert len(fake.calls) == calls


def test_a_retried_event_is_processed_once(driver, fake, core):
    start_group(driver)
    ts = driver.ts()
    event = {
        "type": "message",
        "channel": ROOM,
        "channel_type": "channel",
        "user": AMINA,
        "text": APOLOGY,
        "ts": ts,
    }
    driver.event(event, event_id="Ev0APOLOGY1")
    calls = len(fake.calls)

    retried = driver.event(event, event_id="Ev0APOLOGY1", retry=1)
    again = driver.event(event, event_id="Ev0APOLOGY1", retry=2)

    assert (retried.status, again.status) == (200, 200)
    assert apologies(core) == [(AMINA, "chat")]
    assert len(fake.calls) == calls


def test_the_bots_own_messages_and_other_bots_are_not_read(driver, fake, core):
    start_group(driver)
    before, calls = snapshot(core.engine), len(fake.calls)

    driver.say(APOLOGY, user=BOT_USER, bot_id=BOT_ID)
    driver.say(APOLOGY, user="UOTHERBOT", bot_id="BOTHER001")
    driver.say(APOLOGY, user=None, bot_id="BOTHER001", subtype="bot_message")

    assert snapshot(core.engine) == before
    assert len(fake.calls) == calls


def test_a_mention_in_the_channel_is_acted_on_once_though_slack_sends_it_twice(driver, fake, core):
    start_group(driver)
    ts = driver.ts()
    text = f"<@{BOT_USER}> {APOLOGY}"
    base = {"channel": ROOM, "user": AMINA, "text": text, "ts": ts}

    driver.event(base | {"type": "app_mention"})
    driver.event(base | {"type": "message", "channel_type": "channel"})

    assert apologies(core) == [(AMINA, "chat")]
    answers = [c for c in fake.posts() if c.text().startswith("Noted:")]
    assert len(answers) == 1


def test_a_thumbs_up_on_a_raised_issue_supports_it(driver, fake, core):
    start_group(driver)
    driver.command("raise New EU rules on AI audits", user=AMINA)
    [raised] = [c for c in fake.to("chat.postMessage") if "Emerging issue #1" in c.text()]
    assert raised.body["channel"] == ROOM and ":+1: reaction" in raised.text()

    driver.react("+1", raised.answer["ts"], user=BRUNO)

    [answer] = fake.to("chat.postEphemeral")[-1:]
    assert answer.body["user"] == BRUNO
    assert answer.text().startswith("You support issue #1 (2 supporters from 2 stakeholder")
    with core.store() as uow:
        assert uow.issues.supporters([1])[1] == [AMINA, BRUNO]

    driver.react("+1", raised.answer["ts"], user=BRUNO, added=False)

    assert fake.to("chat.postEphemeral")[-1].text() == (
        "Issue #1 is already proposed; removing the reaction changes nothing."
    )
