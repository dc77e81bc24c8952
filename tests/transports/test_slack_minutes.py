"""A meeting minuted on the fake Slack: the Start minutes button posted when the meeting
starts works when clicked, tagged lines with Slack mentions are read in the channel and in a
thread (answered there), and #agreed's Confirm by poll button opens a consensus poll."""

from __future__ import annotations

from datetime import UTC, datetime

from slackfake import AMINA, BRUNO, FACILITATOR, ROOM, FakeSlack, start_group

from bot.scheduler import Scheduler
from handlers.schedule import Deployment

START = datetime(2026, 12, 15, 13, 0, tzinfo=UTC)


def sent_with_button(fake: FakeSlack, action: str):
    for call in reversed(fake.posts()):
        for button in call.buttons():
            if button["action_id"].split("~")[0] == action:
                return call, button
    raise AssertionError(f"no {action} button was sent")


def test_a_meeting_is_minuted_in_the_channel_and_its_thread(driver, fake, core, bolt, clock):
    start_group(driver)
    scheduler = Scheduler(
        core.store,
        bolt.out.deliver,
        worker="slack-test",
        deployment=Deployment(facilitators=frozenset({FACILITATOR})),
    )
    clock.now = START
    scheduler.tick(START)
    post, start = sent_with_button(fake, "minutes.start")
    assert post.body["channel"] == ROOM
    assert start["text"]["text"] == "Start minutes"

    driver.click(start, user=FACILITATOR, message_ts=fake.answer_of(post)["ts"])
    opened, _ = driver.say("#topic Outreach plan", user=FACILITATOR)
    driver.say(
        f"#action <@{AMINA}> <@{BRUNO}|bruno> Draft the summary due=20 December", user=FACILITATOR
    )
    driver.say("#info The consultation closes in January", user=BRUNO, thread=opened)
    driver.say("#topic Next steps", user=BRUNO, thread=opened)
    driver.say("#agreed We publish the outline", user=BRUNO)  # a member: refused
    driver.say("#agreed The outline goes to public comment", user=FACILITATOR)
    message, confirm = sent_with_button(fake, "minutes.poll")
    driver.click(confirm, user=FACILITATOR, message_ts=fake.answer_of(message)["ts"])

    with core.store() as uow:
        (minutes,) = uow.minutes.all(1)
        lines = [(ln.kind, ln.author, ln.text) for ln in uow.minutes.lines(minutes.id)]
        owners = [(a.owner, str(a.due)) for a in uow.actions.of_group(1)]
        decisions = [(d.status, d.poll_id) for d in uow.decisions.of_group(1)]
        polls = [p.question for p in uow.polls.all(1)]
    assert lines == [
        ("topic", FACILITATOR, "Outreach plan"),
        ("action", FACILITATOR, "Draft the summary"),
        ("info", BRUNO, "The consultation closes in January"),
        ("topic", BRUNO, "Next steps"),
        ("agreed", FACILITATOR, "The outline goes to public comment"),
    ]
    assert owners == [(AMINA, "2026-12-20"), (BRUNO, "2026-12-20")]
    assert decisions == [("polled", 1)]
    assert polls == ["The outline goes to public comment"]
    [refusal] = [c for c in fake.to("chat.postEphemeral") if c.body["user"] == BRUNO]
    assert refusal.text().startswith("Only a chair records a decision with #agreed")
    # a tagged line in a thread is answered in that thread
    topic = next(c for c in fake.posts() if c.text().startswith("Topic 2: Next steps"))
    assert topic.body["thread_ts"] == opened
