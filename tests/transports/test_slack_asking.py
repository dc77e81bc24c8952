"""When capture is unsure, the author alone is asked on Slack: an ephemeral message in the
channel with Yes and No buttons; Yes records the notice, No records nothing."""

from __future__ import annotations

from slackfake import AMINA, BRUNO, ROOM, snapshot, start_group

UNCLEAR = "Please note my absence on 15 December"


def apologies(core) -> list[tuple[str, str]]:
    with core.store() as uow:
        return [(a.handle, a.source) for a in uow.apologies.for_meetings([1])]


def question(fake):
    """The ephemeral question and its Yes and No buttons."""
    [asked] = [c for c in fake.to("chat.postEphemeral") if c.text().startswith("Shall I record")]
    buttons = {b["action_id"].split("~")[0]: b for b in asked.buttons()}
    assert set(buttons) == {"capture.yes", "capture.no"}
    return asked, buttons


def test_an_unclear_apology_is_asked_about_in_an_ephemeral_with_yes_and_no(driver, fake, core):
    start_group(driver)

    driver.say(UNCLEAR, user=AMINA)

    asked, buttons = question(fake)
    assert (asked.body["channel"], asked.body["user"]) == (ROOM, AMINA)
    assert "your apologies for the pn-ai meeting of" in asked.text()
    assert apologies(core) == []
    # nothing about it reached the channel for everyone
    assert not [c for c in fake.to("chat.postMessage") if "absence" in c.text()]

    sent = driver.click(buttons["capture.yes"], user=AMINA)

    assert sent.status == 200
    assert apologies(core) == [(AMINA, "chat")]
    answer = fake.to("chat.postEphemeral")[-1]
    assert answer.body["user"] == AMINA
    assert answer.text().startswith("Noted: you will miss the pn-ai meeting")


def test_no_records_nothing_and_someone_elses_click_is_refused(driver, fake, core):
    start_group(driver)
    driver.say(UNCLEAR, user=AMINA)
    _, buttons = question(fake)
    before = snapshot(core.engine)

    driver.click(buttons["capture.yes"], user=BRUNO)

    after = snapshot(core.engine)
    after.pop("processed_events"), before.pop("processed_events")
    assert after == before
    assert fake.to("chat.postEphemeral")[-1].body["user"] == BRUNO

    driver.click(buttons["capture.no"], user=AMINA)

    answer = fake.to("chat.postEphemeral")[-1]
    assert answer.body["user"] == AMINA
    assert answer.text().startswith("Understood: I recorded nothing")
    assert apologies(core) == []
