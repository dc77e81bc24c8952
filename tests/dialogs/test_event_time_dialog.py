"""Votes and objections are judged by when they were cast, not by whether the scheduler has
closed their poll or window yet (the record is permanent: DESIGN.md).

A vote or objection made after the close is refused even before the scheduler has ticked. One
made in time but processed after the close (a Matrix or Slack replay after a restart, an inbox
event processed late) counts: a closed poll keeps the tally posted at its close and gets an
amended tally after it, with an audit entry and a post in the room; an outreach the window
cleared without hearing the objection goes to a poll.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from support import START, dms, said, snapshot, the_reply

from handlers.events import Command, strip_marks

QUESTION = "Should the output recommend a common incident reporting format?"
CLOSES = START + timedelta(days=5)  # Sun 6 Dec 2026, 09:00 UTC


def replay(chat, user: str, text: str, at, key: str) -> str:
    """`user`'s command `/pn text`, cast at `at` and reaching the bot only now (a replay)."""
    start = chat.out.tell()
    event = Command(
        transport="console", room="#pn-ai", user=user, key=key, at=at, message_id=None, text=text
    )
    chat.console.runtime.receive(event)
    return chat.out.getvalue()[start:]


def votes(app, poll: int = 1) -> dict[str, str]:
    with app.store() as uow:
        return {v.member: v.option for v in uow.votes.for_poll(poll)}


def tallies(app, poll: int = 1) -> list[dict]:
    with app.store() as uow:
        return [t.tally["counts"] for t in uow.tallies.of(poll)]


@pytest.fixture
def polling(transcript):
    """pn-ai on the example roster; the facilitator's poll 1 closes Sun 6 Dec, 09:00 UTC."""
    transcript.say(
        f"""
        !roster-import roster.csv
        @facilitator: /pn poll "{QUESTION}" closes=5d
        @amina: /pn vote 1 agree
        """
    )
    return transcript


def test_a_block_cast_after_the_deadline_is_refused_before_the_scheduler_ticks(app, polling):
    polling.say("!now 2026-12-08 09:00 UTC")  # two days late; no tick has run since

    printed = polling.say("@chen: /pn vote 1 block the timeline is unrealistic")

    refused, closing = said(printed)
    assert refused.text == (
        "Poll 1 closed Sun 6 Dec 2026, 09:00 UTC (17:00 Asia/Shanghai); votes are no longer taken."
    )
    assert votes(app) == {"amina": "agree"}
    assert closing.lines[0] == f"Poll 1 is closed: {QUESTION}"
    assert "Votes: agree 1, abstain 0, disagree 0, block 0." in closing.lines


def test_a_vote_cast_before_the_close_and_processed_after_it_amends_the_kept_tally(app, polling):
    closed = next(s for s in said(polling.say("!advance 5d")) if s.post)
    assert "Votes: agree 1, abstain 0, disagree 0, block 0." in closed.lines

    printed = replay(
        polling,
        "chen",
        "vote 1 disagree no room for consultation",
        CLOSES - timedelta(minutes=10),
        "r1",
    )

    reply, post = said(printed)
    assert (reply.only, reply.text) == (
        "chen",
        "Your vote on poll 1 (disagree) was cast before it closed, so it counts: the tally "
        "posted at the close is kept and an amended one is posted.",
    )
    assert post.lines[0] == (
        "Poll 1's tally is amended: a vote cast Sun 6 Dec 2026, 08:50 UTC, before the close, "
        "reached the bot after it. The tally posted at the close is kept."
    )
    assert "Votes: agree 1, abstain 0, disagree 1, block 0." in post.lines
    assert "Dissent, disagree: @chen: no room for consultation" in post.lines
    assert votes(app) == {"amina": "agree", "chen": "disagree"}
    # both tallies are kept: the one posted at the close, then the amended one
    assert [t["disagree"] for t in tallies(app)] == [0, 1]
    shown = the_reply(polling.say("@amina: /pn poll show 1"))
    assert "Votes: agree 1, abstain 0, disagree 1, block 0." in shown.lines
    audit = the_reply(polling.say("@facilitator: /pn audit"))
    assert "poll tally amend, poll 1" in audit.text
    assert "before the close Sun 6 Dec 2026, 09:00 UTC, was processed after it" in audit.text


def test_a_late_processed_vote_after_the_outcome_tells_the_facilitator_to_amend_it(app, polling):
    polling.say(
        """
        !advance 5d
        @facilitator: /pn outcome 1 no-consensus "Too few voted"
        """
    )

    printed = replay(polling, "chen", "vote 1 agree", CLOSES - timedelta(minutes=10), "r2")

    assert "The outcome (no consensus) was declared on the earlier tally." in printed
    assert any("outcome amend 1" in text for text in dms(printed)["facilitator"])
    with app.store() as uow:
        assert uow.polls.get(uow.groups.named("pn-ai").id, 1).outcome == "no-consensus"


def test_a_replayed_vote_older_than_the_members_last_one_does_not_replace_it(app, polling):
    polling.say("@chen: /pn vote 1 agree")
    before = snapshot(app.engine)

    printed = replay(polling, "chen", "vote 1 block no", START - timedelta(minutes=1), "r3")

    assert "after your later one (agree), which stands" in the_reply(printed).text
    assert snapshot(app.engine) == before


def test_a_vote_made_after_a_poll_closed_early_is_still_refused(app, polling):
    polling.say("@facilitator: /pn poll close 1")
    before = snapshot(app.engine)

    refused = the_reply(polling.say("@chen: /pn vote 1 agree"))

    assert refused.text == "Poll 1 is closed; votes are no longer taken."
    assert snapshot(app.engine) == before


# objections -------------------------------------------------------------------------------


@pytest.fixture
def announced(transcript):
    """@amina's RightsCon announcement said in chat (post b1); its window closes Fri 4 Dec,
    09:00 UTC."""
    transcript.say(
        """
        !roster-import roster.csv
        @amina: I'll be presenting our work at RightsCon on 5 May in Taipei
        """
    )
    return transcript


def outreach_status(app) -> str:
    with app.store() as uow:
        return uow.outreach.get(uow.groups.named("pn-ai").id, 1).status


def test_an_objection_made_in_the_window_and_processed_after_it_cleared_opens_a_poll(
    app, announced
):
    cleared = announced.say("!advance 3d")
    assert "outreach 1 is cleared" in cleared
    made = START + timedelta(days=3) - timedelta(minutes=30)

    printed = replay(announced, "bruno", "object 1 the sponsor is a vendor we assess", made, "o1")

    assert outreach_status(app) == "polling"
    assert "it counts although it reached the bot after" in dms(printed)["bruno"][0] or any(
        "it counts although it reached the bot after" in s.text for s in said(printed)
    )
    thread = [s.text for s in said(printed) if s.thread]
    assert thread == [
        "An objection made before the window closed reached the bot late, so outreach 1 is "
        "not cleared after all: the group decides in poll 1."
    ]
    with app.store() as uow:
        poll = uow.polls.get(uow.groups.named("pn-ai").id, 1)
        assert (poll.outreach_id, poll.status) == (1, "open")
        assert "@bruno: the sponsor is a vendor we assess" in strip_marks(poll.question)


def test_an_objection_made_after_the_window_closed_is_refused_before_the_tick(app, announced):
    announced.say("!now 2026-12-04 10:00 UTC")  # an hour late; no tick has run since

    printed = announced.say("@bruno: /pn object 1 too late, I know")

    assert "The objection window of outreach 1 closed Fri 4 Dec 2026, 09:00 UTC" in printed
    with app.store() as uow:
        assert uow.objections.for_outreach([1]) == []
