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


# re-scheduling ----------------------------------------------------------------------------------

SCHEDULE = (
    "@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 "
    "tz=Europe/Paris duration=90 link=https://meet.example.org/pn-ai"
)


def meetings(app) -> list[tuple[datetime, str, int, str | None]]:
    """(start in UTC, status, minutes, link) of every meeting of pn-ai."""
    with app.store() as uow:
        group = uow.groups.named("pn-ai")
        return [
            (m.starts_at.astimezone(UTC), m.status, m.duration_minutes, m.call_link)
            for m in uow.meetings.all(group.id)
        ]


def held(app) -> dict[datetime, list[str]]:
    """{meeting start in UTC: its agenda items and standing apologies}."""
    with app.store() as uow:
        group = uow.groups.named("pn-ai")
        found = {}
        for m in uow.meetings.all(group.id):
            things = [f"item {i.number}: {i.text}" for i in uow.agendas.items(m.id)]
            things += [f"apology @{a.handle}" for a in uow.apologies.for_meetings([m.id])]
            if things:
                found[m.starts_at.astimezone(UTC)] = things
        return found


@pytest.fixture
def series(chat):
    """The monthly series: Tue 8 Dec 2026, 12:00 UTC, then 12 January, 9 February."""
    chat.say(SCHEDULE)
    return chat


def test_a_new_pattern_moves_agenda_items_and_a_proposed_issue_and_tells_what_it_could_not_move(
    app, series
):
    series.say(
        """
        @bruno: /pn agenda add Review the draft outline
        @amina: /pn raise Deepfakes in election campaigns
        @amina: /pn support 1
        @bruno: /pn support 1
        @amina: /pn away 12 January travelling
        """
    )
    assert held(app) == {
        datetime(2026, 12, 8, 12, tzinfo=UTC): [
            "item 1: Review the draft outline",
            "item 2: Emerging issue #1: Deepfakes in election campaigns",
        ],
        datetime(2027, 1, 12, 12, tzinfo=UTC): ["apology @amina"],
    }

    printed = series.say(
        "@facilitator: /pn meeting schedule monthly on the third thursday at 15:00 tz=Europe/Paris"
    )

    answer = [s for s in said(printed) if s.where == "#pn-ai"][0]
    assert answer.lines[1:] == [
        "Cancelled from the old pattern (they had apologies or agenda items): "
        "Tue 8 Dec 2026, Tue 12 Jan 2027",
        'Moved from Tue 8 Dec 2026 to the meeting of Thu 17 Dec 2026, 14:00 UTC: agenda item "Review '
        'the draft outline" by @bruno; agenda item "Emerging issue #1: Deepfakes in election '
        'campaigns" by @amina (emerging issue #1).',
        "Apologies for Tue 12 Jan 2027 not moved (the new meeting is on another day); asked "
        "again: @amina.",
    ]
    assert held(app) == {
        datetime(2026, 12, 17, 14, tzinfo=UTC): [
            "item 1: Review the draft outline",
            "item 2: Emerging issue #1: Deepfakes in election campaigns",
        ],
        datetime(2027, 1, 12, 12, tzinfo=UTC): ["apology @amina"],  # kept where it was given
    }
    [asked] = [s.text for s in said(printed) if s.where == "dm amina"]
    assert asked.startswith(
        "The meeting of Tue 12 Jan 2027, 12:00 UTC you sent apologies for is cancelled: pn-ai now "
        "meets Thu 21 Jan 2027, 14:00 UTC instead."
    )
    agenda = the_reply(series.say("@facilitator: /pn agenda"))
    assert "Deepfakes in election campaigns" in agenda.text


def test_a_new_hour_on_the_same_day_takes_the_apologies_along(app, series):
    series.say("@amina: /pn away 12 January travelling")

    answer = said(
        series.say(
            "@facilitator: /pn meeting schedule monthly on the second tuesday at 15:00 tz=Europe/Paris"
        )
    )[0]

    assert answer.lines[-1] == (
        "Moved from Tue 12 Jan 2027 to the meeting of Tue 12 Jan 2027, 14:00 UTC: apologies of @amina."
    )
    assert held(app) == {datetime(2027, 1, 12, 14, tzinfo=UTC): ["apology @amina"]}


def test_the_same_pattern_with_a_new_link_updates_the_meetings_in_place(app, series):
    series.say(
        """
        @facilitator: /pn meeting move 9 February to 10 February 15:00
        @facilitator: /pn meeting cancel 12 January reason="holidays"
        """
    )
    before = meetings(app)[:4]

    answer = said(
        series.say(
            "@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 "
            "tz=Europe/Paris duration=60 link=https://meet.example.org/new"
        )
    )[0]

    assert "Cancelled" not in answer.text
    new = "https://meet.example.org/new"
    assert before[:3] == [
        (datetime(2026, 12, 8, 12, tzinfo=UTC), "scheduled", 90, "https://meet.example.org/pn-ai"),
        (datetime(2027, 1, 12, 12, tzinfo=UTC), "cancelled", 90, "https://meet.example.org/pn-ai"),
        (datetime(2027, 2, 10, 15, tzinfo=UTC), "scheduled", 90, "https://meet.example.org/pn-ai"),
    ]
    assert meetings(app)[:3] == [
        (datetime(2026, 12, 8, 12, tzinfo=UTC), "scheduled", 60, new),
        # still cancelled (a cancelled meeting needs no link)
        (datetime(2027, 1, 12, 12, tzinfo=UTC), "cancelled", 90, "https://meet.example.org/pn-ai"),
        (datetime(2027, 2, 10, 15, tzinfo=UTC), "scheduled", 60, new),
    ]
