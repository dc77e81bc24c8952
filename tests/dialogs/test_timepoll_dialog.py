"""Time polls through the console, over the example roster's members in five regions: each
member sees the slots in their own time zone with their night flagged, answers by command or
button, and the tally shows who can attend per slot by stakeholder group and region and how
many would meet at night (with names for the staff alone). A member without a time zone is
said to have none, not guessed.

The clock starts on Tuesday 1 December 2026 at 09:00 UTC; the poll closes 7 days later.
"""

from __future__ import annotations

import json

import pytest
from support import dms, said, snapshot, the_reply

from handlers.events import strip_marks
from storage.archive import export, restore

OPEN = (
    '@facilitator: /pn timepoll "Our 2027 meeting time" '
    'slots="Tue 13:00 UTC, Wed 06:00 UTC, Thu 20:00 UTC" closes=7d'
)


def text(printed: str) -> str:
    return strip_marks(the_reply(printed).text)


@pytest.fixture
def chat(transcript):
    transcript.say("!roster-import roster.csv")
    # a member who never set a time zone
    transcript.say(
        "@facilitator: /pn member add @zoe group=civil-society region=africa gender=woman "
        'org="Digital Futures Kenya" name="Zoe Wanjiru"'
    )
    return transcript


def test_each_member_sees_the_slots_in_their_own_zone_with_the_night_flagged(chat):
    printed = chat.say(OPEN)

    told = dms(printed)
    posted = [s for s in said(printed) if s.post]
    assert [s.lines[:4] for s in posted] == [
        [
            "Time poll 1: Our 2027 meeting time (until Tue 8 Dec 2026, 09:00 UTC)",
            "  1. Tue 13:00 UTC (Tue 15 Dec 2026, 13:00 UTC)",
            "  2. Wed 06:00 UTC (Wed 9 Dec 2026, 06:00 UTC)",
            "  3. Thu 20:00 UTC (Thu 10 Dec 2026, 20:00 UTC)",
        ]
    ]
    assert len(told) == 21  # the 20 members and zoe; not the facilitator
    assert told["amina"][0].splitlines()[1:4] == [
        "  1. Tue 13:00 UTC — for you Tue 16:00 (Africa/Nairobi)",
        "  2. Wed 06:00 UTC — for you Wed 09:00 (Africa/Nairobi)",
        "  3. Thu 20:00 UTC — for you Thu 23:00 (Africa/Nairobi), at night",
    ]
    assert told["rosa"][0].splitlines()[2] == (
        "  2. Wed 06:00 UTC — for you Wed 01:00 (America/Lima), at night"
    )
    assert told["chen"][0].splitlines()[3] == (
        "  3. Thu 20:00 UTC — for you Fri 04:00 (Asia/Shanghai), at night"
    )
    assert told["zoe"][0].splitlines()[1:5] == [
        "  1. Tue 13:00 UTC",
        "  2. Wed 06:00 UTC",
        "  3. Thu 20:00 UTC",
        "You have no time zone set, so times are in UTC; `tz <zone>` sets yours.",
    ]
    assert "[2 if need be: click timepoll.answer 1:2:maybe]" in printed


def test_answers_by_command_and_button_replace_earlier_ones(chat):
    chat.say(OPEN)

    first = text(chat.say("@amina: /pn timepoll answer 1 yes maybe no"))
    clicked = text(chat.say("@amina click timepoll.answer 1:3:maybe"))

    assert first == (
        "Your answers to time poll 1: 1. Tue 13:00 UTC: yes, 2. Wed 06:00 UTC: if need be, "
        "3. Thu 20:00 UTC: no."
    )
    assert clicked == (
        "Your answers to time poll 1: 1. Tue 13:00 UTC: yes, 2. Wed 06:00 UTC: if need be, "
        "3. Thu 20:00 UTC: if need be."
    )


def test_the_tally_counts_by_stakeholder_group_and_region_and_names_night_to_the_staff(chat):
    chat.say(OPEN)
    chat.say("@amina: /pn timepoll answer 1 yes maybe no")  # civil-society, africa
    chat.say("@chen: /pn timepoll answer 1 yes yes no")  # private-sector, asia-pacific
    chat.say("@rosa: /pn timepoll answer 1 yes no yes")  # government, latin-america-caribbean
    chat.say("@dana: /pn timepoll answer 1 1=yes")  # government, eastern-europe
    chat.say("@hugo: /pn timepoll answer 1 no yes yes")  # private-sector, western-europe-others

    staff = text(chat.say("@facilitator: /pn timepoll show 1"))
    member = text(chat.say("@amina: /pn timepoll show 1"))

    assert staff.splitlines()[4:-1] == [
        "5 of 21 members answered.",
        "  1. Tue 13:00 UTC: 4 yes, 0 if need be, 1 no.",
        "     can attend by stakeholder group: government 2, private-sector 1, civil-society 1",
        "     by region: africa 1, asia-pacific 1, eastern-europe 1, latin-america-caribbean 1",
        "     at night for no one",
        "  2. Wed 06:00 UTC: 2 yes, 1 if need be, 1 no.",
        "     can attend by stakeholder group: private-sector 2, civil-society 1",
        "     by region: africa 1, asia-pacific 1, western-europe-others 1",
        "     at night for 5 (africa 1, latin-america-caribbean 4): "
        "@bruno, @grace, @ines, @paula, @rosa",
        "  3. Thu 20:00 UTC: 2 yes, 0 if need be, 2 no.",
        "     can attend by stakeholder group: government 1, private-sector 1",
        "     by region: latin-america-caribbean 1, western-europe-others 1",
        "     at night for 7 (africa 2, asia-pacific 4, eastern-europe 1): "
        "@amina, @chen, @farid, @lena, @nadia, @omar, @sami",
        "No time zone set for 1 member: @zoe; their night is not known.",
    ]
    # a member sees the counts, not who is at night where
    assert "     at night for 5 (africa 1, latin-america-caribbean 4)" in member.splitlines()
    assert "@rosa" not in member
    assert "No time zone set for 1 member; their night is not known." in member.splitlines()


def test_the_poll_closes_on_time_posts_its_tally_and_takes_no_more_answers(chat, app):
    chat.say(OPEN)
    chat.say("@amina: /pn timepoll answer 1 yes maybe no")

    printed = chat.say("!advance 7d")
    late = text(chat.say("@chen: /pn timepoll answer 1 yes yes yes"))

    [closed] = [s for s in said(printed) if s.post]
    assert closed.at == "2026-12-08 09:00 UTC"
    assert closed.lines[:2] == [
        "Time poll 1 closed: Our 2027 meeting time",
        "1 of 21 members answered.",
    ]
    assert "@" not in strip_marks(closed.text)
    assert "@rosa" in strip_marks(dms(printed)["facilitator"][0])
    assert late == "Time poll 1 is closed; answers are no longer taken."


@pytest.mark.parametrize(
    "line, answer",
    [
        (
            '@facilitator: /pn timepoll "X" slots="Tue 13:00 UTC"',
            'Give 2 to 8 slots separated by commas: `slots="Tue 13:00 UTC, Wed 06:00 UTC, '
            'Thu 20:00 Europe/Paris"`.',
        ),
        (
            '@facilitator: /pn timepoll "X" slots="Tue 25:00 UTC, Wed 06:00 UTC"',
            "`25:00` is not a time of day.",
        ),
        (
            '@facilitator: /pn timepoll "X" slots="soon, Wed 06:00 UTC"',
            '`soon` is not a slot: a weekday, a time and a zone, like `slots="Tue 13:00 UTC, '
            'Wed 06:00 UTC, Thu 20:00 Europe/Paris"`.',
        ),
        (
            '@facilitator: /pn timepoll "X" slots="Tue 13:00 Mars/Olympus, Wed 06:00 UTC"',
            "`Mars/Olympus` is not a time zone I know. Use an IANA name such as "
            "Europe/Zurich, America/Sao_Paulo or Africa/Nairobi.",
        ),
        ('@amina: /pn timepoll "X" slots="Tue 13:00 UTC, Wed 06:00 UTC"', None),
        ("@amina: /pn timepoll answer 1 yes perhaps no", None),
        ("@amina: /pn timepoll answer 1 4=yes", None),
        (
            "@amina: /pn timepoll answer 7 yes",
            "There is no time poll 7 in pn-ai; see `timepoll show <n>`.",
        ),
        (
            "@facilitator: /pn timepoll answer 1 yes yes yes",
            "Time polls are answered by the group's members.",
        ),
    ],
)
def test_bad_input_is_refused_clearly_and_changes_nothing(chat, app, line, answer):
    chat.say(OPEN)
    before = snapshot(app.engine)

    reply = text(chat.say(line))

    if answer is not None:
        assert reply == answer
    else:
        assert "`timepoll answer 1 yes yes yes`" in reply or "facilitator" in reply
    assert snapshot(app.engine) == before


def test_time_polls_are_in_the_export_and_survive_a_round_trip(chat, app, tmp_path):
    chat.say(OPEN)
    chat.say("@amina: /pn timepoll answer 1 yes maybe no")
    chat.say("!advance 7d")

    with app.store() as uow:
        first = export(uow.session)
    [polls] = [g["timepolls"] for g in first["groups"]]
    assert [(p["title"], p["closed_at"], len(p["answers"])) for p in polls] == [
        ("Our 2027 meeting time", "2026-12-08T09:00:00+00:00", 3)
    ]
    assert polls[0]["tally"]["slots"][2]["night_by_region"] == {
        "africa": 2,
        "asia-pacific": 4,
        "eastern-europe": 1,
    }

    from bot.app import build
    from bot.config import Settings

    twin = build(Settings(database_url=f"sqlite:///{tmp_path / 'twin.db'}"))
    with twin.store() as uow:
        restore(uow.session, json.loads(json.dumps(first)))
        uow.commit()
    with twin.store() as uow:
        again = export(uow.session)
    twin.engine.dispose()
    assert json.dumps(again, sort_keys=True) == json.dumps(first, sort_keys=True)


# taking turns and the fairness count over a year --------------------------------------------

ROTATE = (
    "@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=UTC "
    'duration=90 rotate="13:00 UTC, 06:00 UTC"'
)


def test_a_rotated_series_takes_turns_month_by_month_without_calling_them_moves(chat):
    scheduled = text(chat.say(ROTATE))
    listing = text(chat.say("@amina: /pn meetings count=4"))

    assert scheduled == (
        "pn-ai meets monthly on the second Tuesday at 13:00 UTC, taking turns at "
        "13:00 UTC / 06:00 UTC. Next: Tue 8 Dec 2026, 13:00 UTC; Tue 12 Jan 2027, 06:00 UTC; "
        "Tue 9 Feb 2027, 13:00 UTC"
    )
    assert listing.splitlines()[1:5] == [
        "  Tue 8 Dec 2026, 13:00 UTC (16:00 Africa/Nairobi), 90 min",
        "  Tue 12 Jan 2027, 06:00 UTC (09:00 Africa/Nairobi), 90 min",
        "  Tue 9 Feb 2027, 13:00 UTC (16:00 Africa/Nairobi), 90 min",
        "  Tue 9 Mar 2027, 06:00 UTC (09:00 Africa/Nairobi), 90 min",
    ]


def test_the_calendar_gives_each_turn_as_an_override_of_the_series(chat):
    from icalendar import Calendar

    chat.say(ROTATE)

    ics = the_reply(chat.say("@amina: /pn meetings ics")).text
    overrides = [
        (e.decoded("recurrence-id").isoformat(), e.decoded("dtstart").isoformat())
        for e in Calendar.from_ical(ics).walk("VEVENT")
        if "recurrence-id" in e
    ]

    assert overrides[:2] == [
        ("2027-01-12T13:00:00+00:00", "2027-01-12T06:00:00+00:00"),
        ("2027-03-09T13:00:00+00:00", "2027-03-09T06:00:00+00:00"),
    ]
    assert len(overrides) == 6  # January to November 2027: every other month of the horizon


def test_the_fairness_count_over_a_rotated_year_shows_who_carried_the_night(chat):
    chat.say(ROTATE)
    chat.say("!advance 365d")

    staff = text(chat.say("@facilitator: /pn fairness"))
    rosa = text(chat.say("@rosa: /pn fairness"))

    # 12 meetings, six at 06:00 UTC: night in Latin America (Lima 01:00, São Paulo 03:00) and
    # in Accra (06:00); never at 13:00 UTC, which is 21:00 in Shanghai
    assert staff.splitlines()[:7] == [
        "pn-ai: 12 meetings from Tue 8 Dec 2026 to Tue 9 Nov 2027; night is 22:00 to 07:00 in "
        "each member's own time zone.",
        "By region (member-meetings at night):",
        "  africa: 6 of 48",
        "  asia-pacific: 0 of 48",
        "  eastern-europe: 0 of 36",
        "  latin-america-caribbean: 24 of 48",
        "  western-europe-others: 0 of 60",
    ]
    assert staff.splitlines()[7:13] == [
        "By member (meetings at night):",
        "  @bruno: 6 of 12",
        "  @grace: 6 of 12",
        "  @ines: 6 of 12",
        "  @paula: 6 of 12",
        "  @rosa: 6 of 12",
    ]
    assert staff.splitlines()[-1] == (
        "No time zone set, so not counted: @zoe (`tz <zone>` sets one)."
    )
    assert rosa.splitlines()[-3:] == [
        "You:",
        "  @rosa: 6 of 12",
        "No time zone set, so not counted: @zoe (`tz <zone>` sets one).",
    ]
    assert "@grace" not in rosa


def test_without_rotation_the_same_year_puts_no_one_at_night(chat):
    chat.say(
        "@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=UTC "
        "duration=90"
    )
    chat.say("!advance 365d")

    staff = text(chat.say("@facilitator: /pn fairness"))

    assert "  latin-america-caribbean: 0 of 48" in staff.splitlines()


def test_a_bad_rotation_is_refused_and_changes_nothing(chat, app):
    before = snapshot(app.engine)

    reply = text(
        chat.say(
            "@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=UTC "
            'rotate="13:00 UTC"'
        )
    )

    assert reply == 'Give 2 to 4 times of day to take turns: `rotate="13:00 UTC, 06:00 UTC"`.'
    assert snapshot(app.engine) == before


def test_with_many_slots_the_buttons_stay_within_ten(chat):
    printed = chat.say(
        '@facilitator: /pn timepoll "Wide" slots="Mon 13:00 UTC, Tue 13:00 UTC, Wed 13:00 UTC, '
        'Thu 13:00 UTC, Fri 13:00 UTC, Sat 13:00 UTC" closes=7d'
    )

    buttons = dms(printed)["amina"][0].splitlines()[-1]
    assert buttons.count("click timepoll.answer") == 6
    assert "[6 yes: click timepoll.answer 1:6:yes]" in buttons


def test_a_same_day_move_outlives_a_new_link_for_the_same_series(chat):
    series = "@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=UTC"
    chat.say(series + " duration=90")
    chat.say("@facilitator: /pn meeting move 12 January to 12 January 2027 15:00 UTC")

    chat.say(series + " duration=90 link=https://meet.example.org/new")
    listing = text(chat.say("@amina: /pn meetings count=2"))

    assert listing.splitlines()[2].startswith("  Tue 12 Jan 2027, 15:00 UTC")
    assert "(moved from Tue 12 Jan 2027)" in listing.splitlines()[2]


def test_a_rotation_taken_back_returns_every_meeting_to_the_series_time(chat):
    chat.say(ROTATE)

    chat.say(
        "@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=UTC "
        "duration=90"
    )
    listing = text(chat.say("@amina: /pn meetings count=3"))

    assert [line.split(" (")[0] for line in listing.splitlines()[1:4]] == [
        "  Tue 8 Dec 2026, 13:00 UTC",
        "  Tue 12 Jan 2027, 13:00 UTC",
        "  Tue 9 Feb 2027, 13:00 UTC",
    ]
