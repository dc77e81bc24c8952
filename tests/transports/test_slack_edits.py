"""Edits and deletions of a captured message on Slack (`message_changed`, `message_deleted`):
the record takes the new text or is withdrawn, the author is told in the message's thread (or
by a direct message after a deletion), and an edit Slack retries is processed once."""

from __future__ import annotations

from slackfake import AMINA, BOT_ID, BOT_USER, BRUNO, ROOM, FakeSlack, snapshot, start_group

APOLOGY = "apologies, I can't make the 15 December call"
OUTREACH = "I'll be presenting our work at RightsCon on 5 May"


def apologies(core) -> list[tuple[str, str | None]]:
    with core.store() as uow:
        return [(a.handle, a.reason) for a in uow.apologies.for_meetings([1])]


def in_thread(fake: FakeSlack, ts: str) -> list[str]:
    return [c.text() for c in fake.to("chat.postMessage") if c.body.get("thread_ts") == ts]


def test_an_edit_that_adds_a_reason_updates_the_apologies_in_their_thread(driver, fake, core):
    start_group(driver)
    ts, _ = driver.say(APOLOGY, user=AMINA)

    sent = driver.edit(ts, APOLOGY, APOLOGY + " because I am travelling")

    assert sent.status == 200
    assert apologies(core) == [(AMINA, "I am travelling")]
    assert in_thread(fake, ts)[-1].startswith("Updated your apologies for the meeting of <!date^")
    assert in_thread(fake, ts)[-1].endswith(": I am travelling.")


def test_an_edit_that_is_no_notice_any_more_withdraws_the_apologies(driver, fake, core):
    start_group(driver)
    ts, _ = driver.say(APOLOGY, user=AMINA)

    driver.edit(ts, APOLOGY, "see you all on the call")

    assert apologies(core) == []
    assert in_thread(fake, ts)[-1].startswith(
        "Your edited message no longer reads as apologies, so I withdrew your apologies"
    )


def test_a_message_edited_into_apologies_is_captured(driver, fake, core):
    start_group(driver)
    ts, _ = driver.say("hello all", user=AMINA)
    assert apologies(core) == []

    driver.edit(ts, "hello all", APOLOGY)

    assert apologies(core) == [(AMINA, None)]
    assert in_thread(fake, ts)[-1].startswith("Noted: you will miss the pn-ai meeting")


def test_deleting_the_message_withdraws_the_apologies_and_tells_the_author_privately(
    driver, fake, core
):
    start_group(driver)
    ts, _ = driver.say(APOLOGY, user=AMINA)
    opened = len(fake.to("conversations.open"))

    driver.delete(ts, APOLOGY)

    assert apologies(core) == []
    assert [c.body["users"] for c in fake.to("conversations.open")][opened:][0] == AMINA
    told = [c for c in fake.to("chat.postMessage") if c.body["channel"] == "DAMINA001"]
    assert told[-1].text().startswith("You deleted your message, so I withdrew your apologies")


def test_a_deleted_message_with_replies_arrives_as_a_tombstone_and_withdraws_too(
    driver, fake, core
):
    start_group(driver)
    ts, _ = driver.say(APOLOGY, user=AMINA)
    tombstone = {
        "type": "message",
        "subtype": "tombstone",
        "hidden": True,
        "user": "USLACKBOT",
        "text": "This message was deleted.",
        "ts": ts,
        "thread_ts": ts,
        "reply_count": 1,
    }
    original = {"type": "message", "user": AMINA, "text": APOLOGY, "ts": ts, "thread_ts": ts}

    driver.event(
        {
            "type": "message",
            "subtype": "message_changed",
            "hidden": True,
            "channel": ROOM,
            "channel_type": "channel",
            "message": tombstone,
            "previous_message": original,
            "ts": driver.ts(),
            "event_ts": driver.ts(),
        }
    )

    assert apologies(core) == []


def test_an_edit_slack_retries_is_processed_once(driver, fake, core):
    start_group(driver)
    ts, _ = driver.say(APOLOGY, user=AMINA)
    new = APOLOGY + " because I am travelling"
    driver.edit(ts, APOLOGY, new, event_id="Ev0EDIT0001")
    calls = len(fake.calls)

    retried = driver.edit(ts, APOLOGY, new, event_id="Ev0EDIT0001", retry=1)

    assert retried.status == 200
    assert len(fake.calls) == calls
    assert apologies(core) == [(AMINA, "I am travelling")]


def test_a_change_that_leaves_the_text_alone_is_no_edit(driver, fake, core):
    # Slack sends message_changed when a reply is added to the message's thread.
    start_group(driver)
    ts, _ = driver.say(APOLOGY, user=AMINA)
    before, calls = snapshot(core.engine), len(fake.calls)

    driver.edit(ts, APOLOGY, APOLOGY)

    after = snapshot(core.engine)
    after.pop("processed_events"), before.pop("processed_events")
    assert after == before
    assert len(fake.calls) == calls


def test_edits_of_the_bots_own_messages_are_not_read(driver, fake, core):
    start_group(driver)
    before, calls = snapshot(core.engine), len(fake.calls)
    ts = driver.ts()

    driver.edit(ts, "Outreach 1: ...", APOLOGY, user=BOT_USER)
    original = {"type": "message", "user": "UOTHERBOT", "bot_id": BOT_ID, "text": "x", "ts": ts}
    driver.event(
        {
            "type": "message",
            "subtype": "message_deleted",
            "channel": ROOM,
            "deleted_ts": ts,
            "previous_message": original,
            "ts": driver.ts(),
        }
    )

    after = snapshot(core.engine)
    after.pop("processed_events"), before.pop("processed_events")
    assert after == before
    assert len(fake.calls) == calls


def test_an_objection_edited_in_the_announcements_thread_takes_the_new_reason(driver, fake, core):
    start_group(driver)
    driver.say(OUTREACH, user=AMINA)
    [post] = [c for c in fake.to("chat.postMessage") if c.text().startswith("Outreach 1:")]
    announced = fake.answer_of(post)["ts"]
    old = "I object: the sponsor is a vendor we assess"
    ts, _ = driver.say(old, user=BRUNO, thread=announced)

    driver.edit(
        ts, old, "I object: the event is not multistakeholder", user=BRUNO, thread=announced
    )

    with core.store() as uow:
        [objection] = uow.objections.for_outreach([1])
        shown = (objection.member, objection.reason, objection.status)
    assert shown == (BRUNO, "the event is not multistakeholder", "standing")
    assert in_thread(fake, announced)[-1].startswith("Updated after your edit. Recorded your")

    driver.delete(ts, "I object: the event is not multistakeholder", user=BRUNO, thread=announced)

    with core.store() as uow:
        assert [o.status for o in uow.objections.for_outreach([1])] == ["withdrawn"]


def test_deleting_an_announcement_withdraws_the_outreach(driver, fake, core):
    start_group(driver)
    ts, _ = driver.say(OUTREACH, user=AMINA)

    driver.delete(ts, OUTREACH)

    with core.store() as uow:
        [record] = uow.outreach.all(uow.groups.named("pn-ai").id)
        assert record.status == "withdrawn"
    told = [c for c in fake.to("chat.postMessage") if c.body["channel"] == "DAMINA001"]
    assert told[-1].text() == "You deleted your message, so I withdrew outreach 1 (RightsCon)."
