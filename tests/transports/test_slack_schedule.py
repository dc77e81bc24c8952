"""What the bot says on a schedule goes out through Slack's chat.postMessage, with each
meeting time as a date token, and a rate-limited or refused post is delayed, never lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from slackfake import FACILITATOR, ROOM, FakeSlack, start_group

from bot.scheduler import Scheduler
from handlers.schedule import Deployment

MEETING = datetime(2026, 12, 15, 13, 0, tzinfo=UTC)
TOKEN = f"<!date^{int(MEETING.timestamp())}^{{date_long_pretty}} at {{time}}|Tue 15 Dec 2026, 13:00 UTC>"


@pytest.fixture
def scheduler(core, bolt) -> Scheduler:
    return Scheduler(
        core.store,
        bolt.out.deliver,
        worker="slack-test",
        deployment=Deployment(facilitators=frozenset({FACILITATOR})),
    )


def in_room(fake: FakeSlack, since: int) -> list[str]:
    return [
        c.text()
        for c in fake.to("chat.postMessage")[since:]
        if c.body["channel"] == ROOM and not c.headers.get("x-fake-limited")
    ]


def test_call_for_items_agenda_and_reminders_are_posted_with_date_tokens(
    driver, fake, core, scheduler, clock
):
    start_group(driver)
    driver.command("agenda add Review the outline of the annual output", user="UAMINA001")
    start = len(fake.to("chat.postMessage"))

    scheduler.tick(datetime(2026, 12, 5, 13, 0, tzinfo=UTC))
    [call] = in_room(fake, start)
    assert call.startswith(f"Call for agenda items: the pn-ai meeting of {TOKEN}.")

    clock.now = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    driver.command("agenda approve")
    seen = len(fake.to("chat.postMessage"))
    scheduler.tick(datetime(2026, 12, 10, 13, 0, tzinfo=UTC))
    [agenda] = in_room(fake, seen)
    assert agenda.startswith(f"Agenda of the pn-ai meeting of {TOKEN}, 60 min.")
    assert "Review the outline of the annual output" in agenda

    seen = len(fake.to("chat.postMessage"))
    scheduler.tick(datetime(2026, 12, 14, 13, 0, tzinfo=UTC))
    scheduler.tick(datetime(2026, 12, 15, 12, 0, tzinfo=UTC))
    assert in_room(fake, seen) == [
        f"Reminder: the pn-ai meeting is tomorrow, {TOKEN}. Open to observers; `agenda` shows the agenda.",
        f"Reminder: the pn-ai meeting is in one hour, {TOKEN}. Open to observers; `agenda` shows the agenda.",
    ]
    sections = fake.to("chat.postMessage")[-1].body["blocks"]
    assert sections[0]["text"]["text"] == in_room(fake, seen)[-1]


def test_a_rate_limited_post_waits_for_retry_after_and_is_then_delivered(
    driver, fake, core, scheduler
):
    start_group(driver)
    fake.rate_limit("chat.postMessage", times=2)
    fake.retry_after = 20
    due = datetime(2026, 12, 5, 13, 0, tzinfo=UTC)

    # Each 429 holds the item back for its Retry-After (no thread sleeps on it); the delivery
    # loop sends it once that has passed.
    assert scheduler.tick(due) == 0
    with core.store() as uow:
        assert uow.outbox.next_due() == due + timedelta(seconds=20)
    assert scheduler.tick(due + timedelta(seconds=10)) == 0
    assert scheduler.tick(due + timedelta(seconds=20)) == 0
    assert scheduler.tick(due + timedelta(seconds=40)) == 1

    tries = [c for c in fake.to("chat.postMessage") if c.body["channel"] == ROOM][-3:]
    assert [bool(c.headers.get("x-fake-limited")) for c in tries] == [True, True, False]
    assert tries[-1].text().startswith("Call for agenda items")
    assert len({c.body["text"] for c in tries}) == 1


def test_a_post_slack_fails_to_take_is_kept_and_sent_at_the_next_tick(
    driver, fake, core, scheduler
):
    start_group(driver)
    fake.answers["chat.postMessage"] = {"ok": False, "error": "fatal_error"}
    due = datetime(2026, 12, 5, 13, 0, tzinfo=UTC)

    assert scheduler.tick(due) == 0
    with core.store() as uow:
        assert uow.outbox.next_due() == due  # still waiting

    del fake.answers["chat.postMessage"]
    assert scheduler.tick(datetime(2026, 12, 5, 13, 1, tzinfo=UTC)) == 1
    assert in_room(fake, 0)[-1].startswith("Call for agenda items")


def test_a_post_slack_refuses_for_good_is_marked_failed_and_the_facilitator_told_once(
    driver, fake, core, scheduler
):
    start_group(driver)
    fake.refused[ROOM] = "channel_not_found"
    due = datetime(2026, 12, 5, 13, 0, tzinfo=UTC)

    assert scheduler.tick(due) == 1  # the word to the facilitator
    for later in (1, 2, 60):
        scheduler.tick(due + timedelta(minutes=later))

    with core.store() as uow:
        [failed] = uow.outbox.failed()
        assert failed.text.startswith("Call for agenda items")
        assert failed.last_error == "Slack: channel_not_found"
    tries = [t for t in in_room(fake, 0) if t.startswith("Call for agenda items")]
    assert len(tries) == 1  # never retried
    told = [c for c in fake.to("chat.postMessage") if "could not deliver" in c.text()]
    assert len(told) == 1
    assert "channel_not_found" in told[0].text()
