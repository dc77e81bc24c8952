"""Attendance through the console: who came, who sent apologies, who was absent without
notice, and who has now missed two meetings in a row without a word.

The group meets on the second Tuesday at 13:00 Paris time: Tuesday 8 December 2026 and
Tuesday 12 January 2027, both at 12:00 UTC. The clock starts on 1 December, 09:00 UTC.
"""

from __future__ import annotations

import csv

import pytest
from support import DECEMBER, EXAMPLES, SCHEDULE, snapshot, the_reply

from handlers.base import VOTING_ROLES

JANUARY = "Tue 12 Jan 2027, 12:00 UTC"
# Jump after a meeting and let one tick happen, so what the scheduler had due is said (or
# skipped) before the dialog goes on.
AFTER_DECEMBER = "!now 2026-12-08 14:00 UTC\n!advance 1m"
AFTER_JANUARY = "!now 2027-01-12 14:00 UTC\n!advance 1m"


def members() -> list[str]:
    """The handles with an equal say on the example roster."""
    with (EXAMPLES / "roster.csv").open(newline="", encoding="utf-8") as handle:
        return sorted(
            row["handle"] for row in csv.DictReader(handle) if row["role"] in VOTING_ROLES
        )


def everyone_but(*handles: str) -> list[str]:
    return [h for h in members() if h not in handles]


def mentions(handles) -> str:
    return ", ".join(f"@{h}" for h in handles)


def spaced(handles) -> str:
    return " ".join(f"@{h}" for h in handles)


@pytest.fixture
def chat(transcript):
    """pn-ai with the example roster and its monthly series, on 1 December."""
    transcript.say("!roster-import roster.csv")
    transcript.say(SCHEDULE)
    return transcript


def test_attended_records_the_latest_meeting_and_counts_apologies_and_absences(chat):
    chat.say("@chen: /pn away 8 December travelling")
    chat.say(AFTER_DECEMBER)

    answer = the_reply(chat.say("@facilitator: /pn attended @amina @bruno"))

    absent = everyone_but("amina", "bruno", "chen")
    assert answer.only == "facilitator"
    assert answer.text == (
        f"Recorded 2 new attendees for the meeting of {DECEMBER}: 2 attended, "
        f"1 sent apologies, {len(absent)} absent without notice ({mentions(absent)})."
    )


def test_attendance_of_one_meeting_lists_who_came_who_sent_apologies_and_who_was_absent(chat):
    chat.say(
        f"""
        @chen: /pn away 8 December travelling
        @dana: je ne pourrai pas assister à la réunion du 8 décembre
        {AFTER_DECEMBER}
        @facilitator: /pn attended @amina @bruno
        """
    )

    answer = the_reply(chat.say("@facilitator: /pn attendance 2026-12-08"))

    assert answer.text.splitlines() == [
        f"Meeting of {DECEMBER}:",
        "  attended: @amina, @bruno",
        "  apologies: @chen, @dana",
        f"  absent: {mentions(everyone_but('amina', 'bruno', 'chen', 'dana'))}",
    ]


def test_attendance_of_a_meeting_named_by_day_and_month_after_it_was_held(chat):
    chat.say(
        f"""
        {AFTER_DECEMBER}
        @facilitator: /pn attended @amina @bruno
        !advance 2d
        """
    )  # Thursday 10 December

    answer = the_reply(chat.say("@facilitator: /pn attendance 8 December"))

    assert answer.text.splitlines()[:2] == [f"Meeting of {DECEMBER}:", "  attended: @amina, @bruno"]


def test_attended_with_a_meeting_named_by_day_and_month_records_that_meeting(chat):
    chat.say(AFTER_JANUARY)

    answer = the_reply(chat.say("@facilitator: /pn attended @amina meeting=8 December"))

    assert answer.text.startswith(f"Recorded 1 new attendee for the meeting of {DECEMBER}:")


def test_attended_with_a_meeting_date_records_that_meeting(chat):
    chat.say(AFTER_JANUARY)

    answer = the_reply(chat.say("@facilitator: /pn attended @amina meeting=2026-12-08"))

    assert answer.text.startswith(f"Recorded 1 new attendee for the meeting of {DECEMBER}:")
    january = the_reply(chat.say("@facilitator: /pn attendance 2027-01-12"))
    assert january.text == f"No attendance was recorded for the meeting of {JANUARY}."


def test_recording_someone_twice_counts_them_once(chat):
    chat.say(
        f"""
        {AFTER_DECEMBER}
        @facilitator: /pn attended @amina @bruno
        """
    )

    answer = the_reply(chat.say("@facilitator: /pn attended @amina @chen"))

    assert answer.text.startswith(
        f"Recorded 1 new attendee for the meeting of {DECEMBER}: 3 attended, 0 sent apologies"
    )


def test_someone_who_sent_apologies_but_came_counts_as_attended(chat):
    chat.say(
        f"""
        @chen: /pn away 8 December travelling
        {AFTER_DECEMBER}
        """
    )

    answer = the_reply(chat.say("@facilitator: /pn attended @amina @chen"))

    assert ": 2 attended, 0 sent apologies," in answer.text


def test_attended_with_someone_not_on_the_roster_records_nobody(app, chat):
    chat.say(AFTER_DECEMBER)
    before = snapshot(app.engine)

    answer = the_reply(chat.say("@facilitator: /pn attended @amina @zoe"))

    assert answer.text == "@zoe is not on the roster of pn-ai; nothing was recorded."
    assert snapshot(app.engine) == before


def test_attended_before_any_meeting_was_held_says_so(app, chat):
    before = snapshot(app.engine)

    answer = the_reply(chat.say("@facilitator: /pn attended @amina"))

    assert answer.text == "pn-ai has held no meeting yet."
    assert snapshot(app.engine) == before


def test_attendance_of_a_meeting_still_ahead_is_refused(chat):
    chat.say(AFTER_DECEMBER)

    answer = the_reply(chat.say("@facilitator: /pn attendance 12 January"))

    assert answer.text == f"The meeting of {JANUARY} has not taken place yet."


def test_a_cancelled_meeting_is_not_the_latest_meeting(chat):
    chat.say(
        f"""
        @facilitator: /pn meeting cancel 12 January
        {AFTER_JANUARY}
        """
    )

    answer = the_reply(chat.say("@facilitator: /pn attended @amina"))

    assert answer.text.startswith(f"Recorded 1 new attendee for the meeting of {DECEMBER}:")


def test_a_member_who_joined_after_a_meeting_is_not_counted_absent_from_it(chat):
    chat.say(
        f"""
        {AFTER_DECEMBER}
        @facilitator: /pn member add @uma group=civil-society region=africa gender=woman org="Uma Lab"
        """
    )

    answer = the_reply(chat.say("@facilitator: /pn attended @amina"))

    assert "@uma" not in answer.text
    assert f"{len(members()) - 1} absent without notice" in answer.text


def test_absent_without_notice_twice_in_a_row_is_pointed_out_to_the_facilitator(chat):
    chat.say(
        f"""
        @chen: /pn away 8 December travelling
        {AFTER_DECEMBER}
        @facilitator: /pn attended @amina @bruno @elif
        @dana: /pn away 12 January
        {AFTER_JANUARY}
        """
    )
    came_in_january = everyone_but("dana", "farid", "grace")  # chen and elif came; amina too

    answer = the_reply(chat.say(f"@facilitator: /pn attended {spaced(came_in_january)}"))

    assert answer.only == "facilitator"
    # dana sent apologies in January, so only farid and grace were absent twice without notice
    assert answer.text.splitlines()[1] == "Absent without notice twice in a row: @farid, @grace."


def test_the_attendance_review_counts_each_members_meetings_and_flags_two_absences(chat):
    chat.say(
        f"""
        @chen: /pn away 8 December travelling
        {AFTER_DECEMBER}
        @facilitator: /pn attended @amina @bruno @elif
        @dana: /pn away 12 January
        {AFTER_JANUARY}
        @facilitator: /pn attended @amina @chen
        """
    )

    answer = the_reply(chat.say("@facilitator: /pn attendance"))

    lines = answer.text.splitlines()
    assert lines[0] == (
        "Attendance over the last 2 meetings with a record (attended / apologies / absent):"
    )
    assert "  @amina: 2 / 0 / 0" in lines
    assert "  @chen: 1 / 1 / 0" in lines
    assert "  @dana: 0 / 1 / 1" in lines
    assert "  @elif: 1 / 0 / 1" in lines
    assert "  @farid: 0 / 0 / 2" in lines
    assert len([line for line in lines if line.startswith("  @")]) == len(members())
    twice = everyone_but("amina", "bruno", "chen", "dana", "elif")
    assert lines[-1] == f"Absent without notice twice in a row: {mentions(twice)}."


def test_attendance_with_nothing_recorded_says_so(chat):
    chat.say(AFTER_DECEMBER)

    answer = the_reply(chat.say("@facilitator: /pn attendance last=3"))

    assert answer.text == "No attendance is recorded for the last 3 meetings of pn-ai."
