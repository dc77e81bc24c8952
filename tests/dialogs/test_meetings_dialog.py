"""Meetings through the console: the recurring series, one-offs, cancellations and moves,
the calendar file, re-scheduling, refusals, and the whole record's export and restore.

The group meets on the second Tuesday at 13:00 Paris time: 8 December 2026 and 12 January
2027 are 12:00 UTC (winter time), the clock starts on Tuesday 1 December 2026 at 09:00 UTC.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from support import LINK, SCHEDULE, Said, said, snapshot

from bot.app import build
from bot.config import Settings
from storage.archive import export, restore

PARIS = ZoneInfo("Europe/Paris")


def the_reply(printed: str) -> str:
    replies = said(printed)
    assert len(replies) == 1, printed
    return replies[0].text


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def meetings_of(app) -> list[tuple[datetime, datetime, str, bool]]:
    """(occurrence, starts_at, status, in series) of every meeting of pn-ai, in UTC."""
    with app.store() as uow:
        group = uow.groups.named("pn-ai")
        return [
            (
                m.occurrence.astimezone(UTC),
                m.starts_at.astimezone(UTC),
                m.status,
                m.series_id is not None,
            )
            for m in uow.meetings.all(group.id)
        ]


def apologies_of(app) -> dict[tuple[datetime, str], tuple[str, str | None]]:
    """{(meeting start, member): (meeting status, reason)} for every notice recorded."""
    with app.store() as uow:
        group = uow.groups.named("pn-ai")
        found = {}
        for m in uow.meetings.all(group.id):
            for a in uow.apologies.for_meetings([m.id]):
                found[(m.starts_at.astimezone(UTC), a.handle)] = (m.status, a.reason)
        return found


@pytest.fixture
def chat(transcript):
    """pn-ai with the example roster and its monthly series."""
    transcript.say("!roster-import roster.csv")
    transcript.say(SCHEDULE)
    return transcript


# scheduling and listing ----------------------------------------------------------------------


def test_scheduling_a_series_answers_with_the_pattern_and_the_next_three(transcript):
    transcript.say("!roster-import roster.csv")

    printed = transcript.say(SCHEDULE)

    assert said(printed) == [
        Said(
            "2026-12-01 09:00 UTC",
            "#pn-ai",
            "pn-ai meets monthly on the second Tuesday at 13:00 Europe/Paris. Next: "
            "Tue 8 Dec 2026, 12:00 UTC; Tue 12 Jan 2027, 12:00 UTC; Tue 9 Feb 2027, 12:00 UTC",
        )
    ]


def test_meetings_shows_the_next_three_in_the_askers_zone_and_in_utc(chat):
    printed = chat.say("@amina: /pn meetings")

    [answer] = said(printed)
    assert answer.only == "amina"
    assert answer.text.splitlines() == [
        "pn-ai meets monthly on the second Tuesday at 13:00 Europe/Paris. Open to observers unless marked private.",
        f"  Tue 8 Dec 2026, 12:00 UTC (15:00 Africa/Nairobi), 90 min, {LINK}",
        f"  Tue 12 Jan 2027, 12:00 UTC (15:00 Africa/Nairobi), 90 min, {LINK}",
        f"  Tue 9 Feb 2027, 12:00 UTC (15:00 Africa/Nairobi), 90 min, {LINK}",
        "Subscribe: `meetings ics` gives the calendar file.",
    ]


def test_meetings_for_someone_in_the_series_zone_shows_the_paris_time(chat):
    answer = the_reply(chat.say("@hugo: /pn meetings"))

    assert f"  Tue 8 Dec 2026, 12:00 UTC (13:00 Europe/Paris), 90 min, {LINK}" in answer


def test_meetings_before_any_schedule_says_how_to_set_one(transcript):
    answer = the_reply(transcript.say("@facilitator: /pn meetings"))

    assert answer == (
        "pn-ai has no meetings scheduled. A facilitator sets them with `meeting schedule`."
    )


def test_a_one_off_meeting_joins_the_list_with_the_series_link(chat):
    added = the_reply(chat.say("@facilitator: /pn meeting add 15 January 14:00 duration=60"))

    assert added == f"Added a pn-ai meeting: Fri 15 Jan 2027, 14:00 UTC, 60 min, {LINK}."
    listing = the_reply(chat.say("@facilitator: /pn meetings count=4")).splitlines()
    assert listing[1:5] == [
        f"  Tue 8 Dec 2026, 12:00 UTC, 90 min, {LINK}",
        f"  Tue 12 Jan 2027, 12:00 UTC, 90 min, {LINK}",
        f"  Fri 15 Jan 2027, 14:00 UTC, 60 min, {LINK}",
        f"  Tue 9 Feb 2027, 12:00 UTC, 90 min, {LINK}",
    ]


def test_a_cancelled_meeting_leaves_the_list_and_is_shown_as_cancelled(app, chat):
    answer = the_reply(chat.say("@facilitator: /pn meeting cancel 12 January"))

    assert answer == "Cancelled the pn-ai meeting of Tue 12 Jan 2027, 12:00 UTC."
    listing = the_reply(chat.say("@facilitator: /pn meetings")).splitlines()
    assert listing[1:] == [
        f"  Tue 8 Dec 2026, 12:00 UTC, 90 min, {LINK}",
        f"  Tue 9 Feb 2027, 12:00 UTC, 90 min, {LINK}",
        f"  Tue 9 Mar 2027, 12:00 UTC, 90 min, {LINK}",
        "  cancelled: Tue 12 Jan 2027, 12:00 UTC",
        "Subscribe: `meetings ics` gives the calendar file.",
    ]
    assert (utc(2027, 1, 12, 12), utc(2027, 1, 12, 12), "cancelled", True) in meetings_of(app)


def test_a_moved_meeting_keeps_its_place_in_the_series_and_says_where_it_came_from(app, chat):
    answer = the_reply(chat.say("@facilitator: /pn meeting move 9 February to 10 February 15:00"))

    assert answer == (
        "Moved the pn-ai meeting of Tue 9 Feb 2027, 12:00 UTC to Wed 10 Feb 2027, 15:00 UTC."
    )
    listing = the_reply(chat.say("@facilitator: /pn meetings")).splitlines()
    assert listing[3] == f"  Wed 10 Feb 2027, 15:00 UTC, 90 min, {LINK} (moved from Tue 9 Feb 2027)"
    assert (utc(2027, 2, 9, 12), utc(2027, 2, 10, 15), "scheduled", True) in meetings_of(app)


def test_a_move_is_read_in_the_facilitators_own_time_zone(app, chat):
    chat.say(
        "@facilitator: /pn member add @fran group=government region=western-europe-others gender=woman org=Secretariat role=facilitator tz=Europe/Paris"
    )

    answer = the_reply(chat.say("@fran: /pn meeting move 9 February to 10 February 15:00"))

    assert answer == (
        "Moved the pn-ai meeting of Tue 9 Feb 2027, 12:00 UTC (13:00 Europe/Paris) "
        "to Wed 10 Feb 2027, 14:00 UTC (15:00 Europe/Paris)."
    )
    assert (utc(2027, 2, 9, 12), utc(2027, 2, 10, 14), "scheduled", True) in meetings_of(app)


# the calendar file ---------------------------------------------------------------------------


def calendar_of(chat, who: str = "amina") -> Calendar:
    answer = said(chat.say(f"@{who}: /pn meetings ics"))
    assert len(answer) == 1 and answer[0].only == who
    return Calendar.from_ical(answer[0].text)


def test_the_calendar_holds_the_rule_the_cancellation_the_move_and_the_one_off(chat):
    chat.say(
        """
        @facilitator: /pn meeting add 15 January 14:00 duration=60
        @facilitator: /pn meeting cancel 12 January
        @facilitator: /pn meeting move 9 February to 10 February 15:00
        """
    )

    calendar = calendar_of(chat)

    events = list(calendar.walk("VEVENT"))
    [master] = [e for e in events if "RRULE" in e]
    [override] = [e for e in events if "RECURRENCE-ID" in e]
    [one_off] = [e for e in events if "RRULE" not in e and "RECURRENCE-ID" not in e]
    assert len(events) == 3
    assert master["RRULE"].to_ical() == b"FREQ=MONTHLY;BYDAY=+2TU"
    assert master.decoded("DTSTART") == datetime(2026, 12, 8, 13, 0, tzinfo=PARIS)
    assert master.decoded("DTEND") - master.decoded("DTSTART") == (
        utc(2026, 12, 8, 13, 30) - utc(2026, 12, 8, 12)
    )
    exdates = [d.dt for d in master["EXDATE"].dts] if "EXDATE" in master else []
    assert [d.astimezone(UTC) for d in exdates] == [utc(2027, 1, 12, 12)]
    assert override["UID"] == master["UID"]
    assert override.decoded("RECURRENCE-ID").astimezone(UTC) == utc(2027, 2, 9, 12)
    assert override.decoded("DTSTART").astimezone(UTC) == utc(2027, 2, 10, 15)
    assert one_off["UID"] != master["UID"]
    assert one_off.decoded("DTSTART").astimezone(UTC) == utc(2027, 1, 15, 14)
    assert one_off.decoded("DTEND").astimezone(UTC) == utc(2027, 1, 15, 15)
    assert str(master["URL"]) == LINK
    assert "open to observers" in str(master["DESCRIPTION"]).lower()


def test_the_calendar_keeps_paris_time_so_calendars_follow_daylight_saving(chat):
    calendar = calendar_of(chat, who="zoe")  # observers subscribe too

    [master] = [e for e in calendar.walk("VEVENT") if "RRULE" in e]
    assert master["DTSTART"].params.get("TZID") == "Europe/Paris"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


# re-scheduling -------------------------------------------------------------------------------


def test_rescheduling_cancels_a_meeting_with_apologies_that_no_longer_fits_and_drops_the_rest(
    app, chat
):
    chat.say("@amina: /pn away 12 January travelling")

    answer = the_reply(
        chat.say(
            "@facilitator: /pn meeting schedule monthly on the second tuesday at 15:00 tz=Europe/Paris"
        )
    )

    assert answer.endswith(
        "\nCancelled from the old pattern (they had apologies or agenda items): Tue 12 Jan 2027"
        "\nMoved from Tue 12 Jan 2027 to the meeting of Tue 12 Jan 2027, 14:00 UTC: apologies of @amina."
    )
    rows = meetings_of(app)
    # the meeting with apologies is kept, cancelled; the apology goes to the same day's new one
    assert (utc(2027, 1, 12, 12), utc(2027, 1, 12, 12), "cancelled", True) in rows
    assert apologies_of(app) == {(utc(2027, 1, 12, 14), "amina"): ("scheduled", "travelling")}
    # the old pattern's other meetings are gone
    assert not [r for r in rows if r[1] in (utc(2026, 12, 8, 12), utc(2027, 2, 9, 12))]


def test_rescheduling_creates_every_meeting_of_the_new_pattern_from_now_on(app, chat):
    chat.say("@amina: /pn away 12 January travelling")

    answer = the_reply(
        chat.say(
            "@facilitator: /pn meeting schedule monthly on the second tuesday at 15:00 tz=Europe/Paris"
        )
    )

    assert answer.startswith(
        "pn-ai meets monthly on the second Tuesday at 15:00 Europe/Paris. Next: "
        "Tue 8 Dec 2026, 14:00 UTC; Tue 12 Jan 2027, 14:00 UTC; Tue 9 Feb 2027, 14:00 UTC"
    )
    scheduled = [r[1] for r in meetings_of(app) if r[2] == "scheduled"][:3]
    assert scheduled == [utc(2026, 12, 8, 14), utc(2027, 1, 12, 14), utc(2027, 2, 9, 14)]


def test_rescheduling_the_same_days_keeps_a_meeting_with_apologies_as_it_is(app, chat):
    chat.say("@amina: /pn away 12 January travelling")

    answer = the_reply(
        chat.say(
            "@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=Europe/Paris duration=60"
        )
    )

    assert "Cancelled" not in answer
    assert apologies_of(app) == {(utc(2027, 1, 12, 12), "amina"): ("scheduled", "travelling")}
    listing = the_reply(chat.say("@facilitator: /pn meetings")).splitlines()
    assert [line.split(", 1")[0] for line in listing[1:4]] == [
        "  Tue 8 Dec 2026",
        "  Tue 12 Jan 2027",
        "  Tue 9 Feb 2027",
    ], "the December meeting of the unchanged pattern should still be there"


def test_rescheduling_keeps_one_off_meetings(app, chat):
    chat.say("@facilitator: /pn meeting add 15 January 14:00")

    chat.say("@facilitator: /pn meeting schedule weekly on thursday at 9:30 tz=UTC")

    assert (utc(2027, 1, 15, 14), utc(2027, 1, 15, 14), "scheduled", False) in meetings_of(app)


# refusals ------------------------------------------------------------------------------------

REFUSED = [
    (
        "a pattern it cannot read",
        "@facilitator: /pn meeting schedule fortnightly on mondays at 10:00",
        [
            "I can't read `fortnightly on mondays` as a meeting pattern",
            "monthly on the second tuesday at 13:00",
        ],
    ),
    (
        "a pattern with no time",
        "@facilitator: /pn meeting schedule monthly on the second tuesday",
        ["Say when the meetings are, with a time"],
    ),
    (
        "a fifth weekday",
        "@facilitator: /pn meeting schedule monthly on the fifth tuesday at 10:00",
        ["I can't read `monthly on the fifth tuesday` as a meeting pattern"],
    ),
    (
        "a day some months lack",
        "@facilitator: /pn meeting schedule monthly on day 31 at 10:00",
        ["Use a day of the month from 1 to 28"],
    ),
    (
        "an hour past 23",
        "@facilitator: /pn meeting schedule monthly on the second tuesday at 25:00",
        ["`25:00` is not a time of day."],
    ),
    (
        "an unknown zone",
        "@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=Mars/Base",
        ["`Mars/Base` is not a time zone"],
    ),
    (
        "a five-minute meeting",
        "@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 duration=5",
        ["`duration=5` should be minutes (90) or hours and minutes (1h30), 10 to 600."],
    ),
    (
        "a link that is no web address",
        "@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 link=ftp://x",
        ["`link=ftp://x` should be the call's web address, starting with https://."],
    ),
    (
        "a rule that stops repeating",
        "@facilitator: /pn meeting schedule at 13:00 rrule=FREQ=MONTHLY;COUNT=3",
        ["Give a rule that keeps repeating (no COUNT or UNTIL)."],
    ),
    (
        "a rule that is no RRULE",
        "@facilitator: /pn meeting schedule at 13:00 rrule=NONSENSE",
        ["`NONSENSE` is not an RFC 5545 RRULE"],
    ),
    (
        "a one-off in the past",
        "@facilitator: /pn meeting add 2026-11-30 14:00 UTC",
        ["Mon 30 Nov 2026, 14:00 UTC is in the past."],
    ),
    (
        "a one-off earlier today",
        "@facilitator: /pn meeting add 2026-12-01 08:00 UTC",
        ["Tue 1 Dec 2026, 08:00 UTC is in the past."],
    ),
    (
        "a one-off without a time of day",
        "@facilitator: /pn meeting add 15 January",
        ["`15 January` has a date but no time: add one, e.g. `15 January 14:00`"],
    ),
    (
        "a one-off at the time of a series meeting",
        "@facilitator: /pn meeting add 2027-01-12 12:00 UTC",
        ["There is already a meeting at Tue 12 Jan 2027, 12:00 UTC."],
    ),
    (
        "a cancellation of a day without a meeting",
        "@facilitator: /pn meeting cancel 20 December",
        ["There is no pn-ai meeting on Sun 20 Dec 2026. See `meetings`."],
    ),
    (
        "a cancellation of no date",
        "@facilitator: /pn meeting cancel blurg",
        ["`blurg` is not a date I can read. Try `9 December` or `2026-12-09`."],
    ),
    (
        "a move without `to`",
        "@facilitator: /pn meeting move 8 December 9 December 14:00",
        ["Say where it moves: `meeting move 9 December to 10 December 15:00`."],
    ),
    (
        "a move into the past",
        "@facilitator: /pn meeting move 8 December to 2026-11-30 10:00 UTC",
        ["Mon 30 Nov 2026, 10:00 UTC is in the past."],
    ),
    (
        "a move onto another meeting's start",
        "@facilitator: /pn meeting move 8 December to 2027-01-12 12:00 UTC",
        ["There is already a meeting at Tue 12 Jan 2027, 12:00 UTC."],
    ),
    (
        "a move of a day without a meeting",
        "@facilitator: /pn meeting move 9 December to 10 December 15:00",
        ["There is no pn-ai meeting on Wed 9 Dec 2026. See `meetings`."],
    ),
    (
        "a count of none",
        "@amina: /pn meetings count=0",
        ["`count=` should be a number from 1 to 24."],
    ),
]


@pytest.mark.parametrize(
    ("line", "expected"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED]
)
def test_bad_meeting_input_gets_a_specific_reply_and_changes_nothing(app, chat, line, expected):
    before = snapshot(app.engine)

    answer = said(chat.say(line))

    assert len(answer) == 1 and answer[0].only is not None, answer
    for fragment in expected:
        assert fragment in answer[0].text
    assert snapshot(app.engine) == before


def test_a_move_into_the_middle_of_another_meeting_is_refused_as_a_clash(app, chat):
    chat.say("@facilitator: /pn meeting add 2027-01-15 14:00 UTC")
    before = snapshot(app.engine)

    # the 12 January meeting runs 12:00 to 13:30 UTC
    answer = the_reply(
        chat.say("@facilitator: /pn meeting move 15 January to 2027-01-12 12:30 UTC")
    )

    assert "already a meeting" in answer, answer
    assert snapshot(app.engine) == before


def test_a_one_off_at_the_new_time_of_a_moved_meeting_is_refused_as_a_clash(app, chat):
    chat.say("@facilitator: /pn meeting move 9 February to 2027-02-10 15:00 UTC")
    before = snapshot(app.engine)

    answer = the_reply(chat.say("@facilitator: /pn meeting add 2027-02-10 15:00 UTC"))

    assert answer == "There is already a meeting at Wed 10 Feb 2027, 15:00 UTC.", answer
    assert snapshot(app.engine) == before


def test_a_meeting_that_has_started_can_no_longer_be_cancelled_or_moved(app, chat):
    chat.say("!now 2026-12-08 12:29 UTC\n!advance 1m")  # the Start minutes button is posted
    before = snapshot(app.engine)

    cancel = the_reply(chat.say("@facilitator: /pn meeting cancel 2026-12-08"))
    move = the_reply(chat.say("@facilitator: /pn meeting move 2026-12-08 to 2026-12-09 12:00 UTC"))

    assert cancel == "That meeting has already started; it can no longer be cancelled."
    assert move == "That meeting has already started; it can no longer be moved."
    after = snapshot(app.engine)
    assert {t: rows for t, rows in after.items() if t not in ("processed_events", "outbox")} == {
        t: rows for t, rows in before.items() if t not in ("processed_events", "outbox")
    }


# export and restore --------------------------------------------------------------------------


@pytest.fixture
def busy_month(chat):
    """A month of meetings: a one-off, a cancellation, a move, apologies, an approved agenda
    with an emerging issue on it, and attendance."""
    chat.say(
        """
        @facilitator: /pn meeting add 15 January 14:00 duration=60
        @facilitator: /pn meeting cancel 12 January
        @facilitator: /pn meeting move 9 February to 10 February 15:00
        @chen: /pn away 8 December travelling
        @dana: je ne pourrai pas assister à la réunion du 8 décembre
        @amina: /pn agenda add Review the draft outline
        @amina: /pn raise New EU rules on AI audits
        @chen: /pn support 1
        @farid: /pn raise Open data licences
        @facilitator: /pn agenda approve
        !now 2026-12-08 14:00 UTC
        @facilitator: /pn attended @amina @bruno @dana
        """
    )
    return chat


def exported(app) -> dict:
    with app.store() as uow:
        return export(uow.session)


def test_the_export_holds_series_meetings_apologies_agendas_attendance_and_issues(app, busy_month):
    [group] = exported(app)["groups"]

    assert group["series"] == {
        "rrule": "FREQ=MONTHLY;BYDAY=+2TU",
        "starts": "2026-12-08T12:00:00+00:00",
        "timezone": "Europe/Paris",
        "duration_minutes": 90,
        "call_link": LINK,
        "created_at": "2026-12-01T09:00:00+00:00",
    }
    by_start = {m["starts_at"]: m for m in group["meetings"]}
    december = by_start["2026-12-08T12:00:00+00:00"]
    assert december["status"] == "scheduled"
    assert [{"member": a["member"], "reason": a["reason"]} for a in december["apologies"]] == [
        {"member": "chen", "reason": "travelling"},
        {"member": "dana", "reason": None},
    ]
    assert december["agenda"]["status"] == "approved"
    assert [
        (i["number"], i["author"], i["text"], i["issue"]) for i in december["agenda"]["items"]
    ] == [
        (1, "amina", "Review the draft outline", None),
        (2, "amina", "Emerging issue #1: New EU rules on AI audits", 1),
    ]
    assert [a["member"] for a in december["attendance"]] == ["amina", "bruno", "dana"]
    assert by_start["2027-01-12T12:00:00+00:00"]["status"] == "cancelled"
    moved = by_start["2027-02-10T15:00:00+00:00"]
    assert (moved["occurrence"], moved["in_series"]) == ("2027-02-09T12:00:00+00:00", True)
    one_off = by_start["2027-01-15T14:00:00+00:00"]
    assert (one_off["in_series"], one_off["duration_minutes"]) == (False, 60)
    assert [(i["author"], i["text"], i["status"]) for i in group["issues"]] == [
        ("amina", "New EU rules on AI audits", "proposed"),
        ("farid", "Open data licences", "open"),
    ]
    assert [s["member"] for s in group["issues"][0]["supporters"]] == ["amina", "chen"]


def test_export_restore_export_gives_the_same_record(app, busy_month, second_url):
    first = exported(app)
    restored = build(Settings(database_url=second_url, facilitators=frozenset({"facilitator"})))
    try:
        with restored.store() as uow:
            assert restore(uow.session, json.loads(json.dumps(first))) == 1
            uow.commit()

        again = exported(restored)
    finally:
        restored.engine.dispose()

    assert json.dumps(again, sort_keys=True) == json.dumps(first, sort_keys=True)
    assert len(first["groups"][0]["meetings"]) > 12  # the series' rolling horizon is in it
