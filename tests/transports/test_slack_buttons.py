"""Every kind of button the bot draws works when clicked, exactly as it was drawn: undo an
apology, vote on a poll, withdraw an outreach, approve an agenda."""

from __future__ import annotations

from datetime import UTC, datetime

from slackfake import AMINA, BRUNO, FACILITATOR, ROOM, FakeSlack, snapshot, start_group

from bot.scheduler import Scheduler
from handlers.schedule import Deployment

APOLOGY = "apologies, I can't make the 15 December call"


def sent_with_button(fake: FakeSlack, action: str):
    """The last message carrying a button for `action`, and that button."""
    for call in reversed(fake.posts()):
        for button in call.buttons():
            if button["action_id"].split("~")[0] == action:
                return call, button
    raise AssertionError(f"no {action} button was sent")


def test_the_undo_button_of_a_captured_apology_withdraws_it(driver, fake, core):
    start_group(driver)
    driver.say(APOLOGY, user=AMINA)
    message, undo = sent_with_button(fake, "availability.undo")

    sent = driver.click(undo, user=AMINA, message_ts=fake.answer_of(message)["ts"])

    assert sent.status == 200
    with core.store() as uow:
        assert uow.apologies.for_meetings([1]) == []
    answer = fake.to("chat.postEphemeral")[-1]
    assert answer.body["user"] == AMINA
    assert answer.text().startswith("Withdrawn: you are expected at the meeting")


def test_someone_elses_undo_button_is_refused_and_changes_nothing(driver, fake, core):
    start_group(driver)
    driver.say(APOLOGY, user=AMINA)
    _, undo = sent_with_button(fake, "availability.undo")
    before = snapshot(core.engine)

    driver.click(undo, user=BRUNO)

    after = snapshot(core.engine)
    after.pop("processed_events"), before.pop("processed_events")
    assert after == before
    answer = fake.to("chat.postEphemeral")[-1]
    assert (answer.body["user"], answer.text()) == (
        BRUNO,
        "There is no apology of yours to undo there (it may be withdrawn already).",
    )


def test_poll_buttons_have_distinct_ids_and_each_records_its_option(driver, fake, core):
    start_group(driver)
    driver.command('poll "Adopt the outline of the annual output?" closes=5d')
    [announcement] = [c for c in fake.to("chat.postMessage") if c.body["channel"] == ROOM][-1:]
    buttons = announcement.buttons()
    assert [b["text"]["text"] for b in buttons] == ["agree", "abstain", "disagree", "block"]
    assert [b["action_id"] for b in buttons] == [
        "poll.vote",
        "poll.vote~2",
        "poll.vote~3",
        "poll.vote~4",
    ]
    in_her_dm = next(c for c in fake.to("chat.postMessage") if c.body["channel"] == "DAMINA001")

    driver.click(buttons[1], user=BRUNO, message_ts=fake.answer_of(announcement)["ts"])
    driver.click(in_her_dm.buttons()[0], user=AMINA, channel="DAMINA001")

    with core.store() as uow:
        votes = [(v.member, v.option) for v in uow.votes.for_poll(1)]
    assert votes == [(AMINA, "agree"), (BRUNO, "abstain")]


def test_the_withdraw_button_of_a_captured_outreach_withdraws_it(driver, fake, core):
    start_group(driver)
    driver.say("I'll be presenting our work at RightsCon on 5 May", user=AMINA)
    message, withdraw = sent_with_button(fake, "outreach.withdraw")
    assert message.body["thread_ts"]  # the confirmation is in the member's message thread

    driver.click(withdraw, user=AMINA, message_ts=fake.answer_of(message)["ts"])

    with core.store() as uow:
        assert [r.status for r in uow.outreach.all(uow.groups.named("pn-ai").id)] == ["withdrawn"]
    assert any(c.text() == "Withdrew outreach 1 (RightsCon)." for c in fake.posts())


def test_the_approve_button_on_the_draft_sent_on_schedule_approves_the_agenda(
    driver, fake, core, bolt, clock
):
    start_group(driver)
    scheduler = Scheduler(
        core.store,
        bolt.out.deliver,
        worker="slack-test",
        deployment=Deployment(facilitators=frozenset({FACILITATOR})),
    )
    draft_time = datetime(2026, 12, 8, 13, 0, tzinfo=UTC)
    scheduler.tick(draft_time)
    draft, approve = sent_with_button(fake, "agenda.approve")
    assert draft.body["channel"] == "DFACIL001"
    assert draft.text().startswith("The draft agenda of the pn-ai meeting is ready")

    clock.now = draft_time
    driver.click(approve, user=FACILITATOR, channel="DFACIL001")

    with core.store() as uow:
        assert uow.meetings.get(uow.groups.named("pn-ai").id, 1).agenda_status == "approved"
    assert fake.posts()[-1].text().startswith("Approved the agenda of")
