"""An outreach announcement is judged by what the group was told: a clearance holds for the
event, date and place it was given for, a changed announcement gets a whole objection window
of its own, an event too close leaves no time to object and is refused, and an outcome does
not revive an outreach its member withdrew. The clock starts on Tuesday 1 December 2026,
09:00 UTC; @amina is in Nairobi.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from support import said, snapshot, the_reply

ANNOUNCEMENT = "I'll be presenting our work at RightsCon on 5 May in Taipei"


def records(app) -> list[tuple[str, date, str | None, str, datetime]]:
    """(event, date, place, status, window end in UTC) of every outreach."""
    with app.store() as uow:
        group = uow.groups.named("pn-ai")
        return [
            (r.event, r.date, r.place, r.status, r.window_closes_at.astimezone(UTC))
            for r in uow.outreach.all(group.id)
        ]


@pytest.fixture
def chat(transcript):
    transcript.say("!roster-import roster.csv")
    return transcript


@pytest.fixture
def announced(chat):
    """@amina's announcement, message m3 (the bot's announcement is post b1)."""
    printed = chat.say(f"@amina: {ANNOUNCEMENT}")
    assert said(printed)[0].thread == "m3", printed
    return chat


WINDOW_END = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
RIGHTSCON = ("RightsCon", date(2027, 5, 5), "Taipei")


def test_a_cleared_announcement_edited_into_another_event_keeps_its_clearance_for_the_first(
    app, announced
):
    announced.say("!advance 3d")
    assert records(app) == [(*RIGHTSCON, "cleared", WINDOW_END)]
    before = snapshot(app.engine)

    reply = the_reply(
        announced.say("@amina edit m3: I'll be presenting our work at FIRST on 5 June in Paris")
    )

    assert (reply.thread, reply.text) == (
        "m3",
        "Outreach 1 is cleared for RightsCon in Taipei on Wed 5 May 2027 alone, so it stays as "
        "it was: another event, date or place needs the group's word again. To announce it: "
        "`outreach withdraw 1`, then announce the new one.",
    )
    assert snapshot(app.engine) == before


def test_an_announcement_under_a_poll_edited_to_another_date_is_refused(app, announced):
    announced.say(
        """
        @bruno: /pn object 1 the sponsor is a vendor we assess
        !advance 3d
        """
    )
    before = snapshot(app.engine)

    reply = the_reply(announced.say(f"@amina edit m3: {ANNOUNCEMENT.replace('5 May', '9 May')}"))

    assert reply.text.startswith("Outreach 1 is polling for RightsCon in Taipei on Wed 5 May 2027")
    assert snapshot(app.engine) == before


def test_an_announcement_changed_in_its_window_gets_a_whole_new_window(app, announced):
    announced.say("!advance 2d")

    confirmation, post = said(
        announced.say(f"@amina edit m3: {ANNOUNCEMENT.replace('5 May', '9 May')}")
    )
    announced.say("!advance 1d")  # past the first window's end
    objected = said(announced.say("@bruno: /pn object 1 the sponsor is a vendor we assess"))[0]

    new_end = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
    assert records(app) == [("RightsCon", date(2027, 5, 9), "Taipei", "announced", new_end)]
    assert confirmation.text.startswith(
        "Updated outreach 1: RightsCon in Taipei on Sun 9 May 2027; objections are open until "
        "Sun 6 Dec 2026, 09:00 UTC"
    )
    assert post.text.endswith("Objections are open again until Sun 6 Dec 2026, 09:00 UTC.")
    assert objected.text.startswith("Recorded your objection 1 to outreach 1")


def test_an_announcement_for_today_is_refused_for_want_of_an_objection_window(app, chat):
    before = snapshot(app.engine)

    reply = the_reply(chat.say("@amina: /pn outreach Nairobi AI forum on 1 December at Nairobi"))

    assert reply.text == (
        "Nairobi AI forum is on Tue 1 Dec 2026: that leaves the group less than a day to object "
        "before it (objections close when the event's day begins). Announce outreach at least a "
        "day ahead; for a late invitation, ask the facilitator."
    )
    assert "objections are open until" not in reply.text
    assert snapshot(app.engine) == before


def test_an_announcement_edited_to_today_stays_as_announced(app, announced):
    before = snapshot(app.engine)

    reply = the_reply(announced.say(f"@amina edit m3: {ANNOUNCEMENT.replace('5 May', 'today')}"))

    assert reply.text.endswith(
        "Outreach 1 stays as announced: RightsCon in Taipei on Wed 5 May 2027."
    )
    assert snapshot(app.engine) == before


def test_an_outcome_on_a_withdrawn_outreach_is_refused_and_does_not_revive_it(app, announced):
    announced.say(
        """
        @bruno: /pn object 1 the sponsor is a vendor we assess
        !advance 3d
        !advance 7d
        @amina: /pn outreach withdraw 1
        """
    )
    before = snapshot(app.engine)

    reply = the_reply(announced.say('@facilitator: /pn outcome 1 consensus "Broad support"'))

    assert reply.text == (
        "Outreach 1 (RightsCon) was withdrawn, so poll 1 has nothing left to decide; no outcome "
        "is declared. A new announcement starts afresh."
    )
    assert snapshot(app.engine) == before
    assert records(app)[0][3] == "withdrawn"
