"""The year's work on the fake Slack: a time poll's answer buttons in a member's direct
message, each clicked as drawn, and an overdue workplan milestone on the agenda's Block Kit
layout."""

from __future__ import annotations

from datetime import UTC, datetime

from slackfake import AMINA, FACILITATOR, ROOM, start_group

from bot.scheduler import Scheduler
from handlers.schedule import Deployment


def test_time_poll_buttons_in_a_direct_message_record_each_answer(driver, fake, core):
    start_group(driver)
    driver.command('timepoll "Meeting time" slots="Tue 13:00 UTC, Wed 06:00 UTC" closes=5d')
    in_her_dm = next(c for c in fake.to("chat.postMessage") if c.body["channel"] == "DAMINA001")
    buttons = in_her_dm.buttons()
    assert [b["text"]["text"] for b in buttons] == [
        "1 yes",
        "1 if need be",
        "1 no",
        "2 yes",
        "2 if need be",
        "2 no",
    ]
    assert len({b["action_id"] for b in buttons}) == 6  # Slack wants them distinct

    driver.click(buttons[0], user=AMINA, channel="DAMINA001")
    driver.click(buttons[4], user=AMINA, channel="DAMINA001")

    with core.store() as uow:
        answers = [(a.member, a.slot, a.answer) for a in uow.timepolls.answers(1)]
    assert answers == [(AMINA, 1, "yes"), (AMINA, 2, "maybe")]


def test_an_overdue_milestone_is_on_the_agenda_layout(driver, fake, core, clock, bolt):
    start_group(driver)  # the meeting is on 15 December 2026
    driver.command(f'milestone add "Outline shared" due=2026-12-05 owner=<@{AMINA}|amina>')
    clock.now = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    driver.command("agenda approve")
    scheduler = Scheduler(
        core.store,
        bolt.out.deliver,
        worker="slack-test",
        deployment=Deployment(facilitators=frozenset({FACILITATOR})),
    )

    scheduler.tick(datetime(2026, 12, 10, 13, 0, tzinfo=UTC))

    [posted] = [
        c.body
        for c in fake.to("chat.postMessage")
        if c.body["channel"] == ROOM and c.text().startswith("Agenda of the pn-ai meeting")
    ]
    late = [b for b in posted["blocks"] if b["type"] == "context"][-1]
    assert late["elements"][0]["text"] == (
        f"Workplan milestones overdue by the meeting: #1 Outline shared (due 2026-12-05, <@{AMINA}>)"
    )
    assert "Workplan milestones overdue by the meeting:" in posted["text"]
