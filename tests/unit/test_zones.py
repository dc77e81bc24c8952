"""Time-zone names as people type them, and text that passes for something it is not."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot import cli, config
from handlers import lookalikes, recurrence, zones
from handlers.base import UserError
from handlers.events import strip_marks
from handlers.roster import check_entry
from handlers.timefmt import impossible_date, parse_moment

ENTRY = {
    "handle": "uma",
    "stakeholder_group": "civil-society",
    "region": "africa",
    "gender": "woman",
    "organisation": "Data Rights Lab",
}


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("europe/paris", "Europe/Paris"),
        ("EUROPE/ZURICH", "Europe/Zurich"),
        ("utc", "UTC"),
        ("America/New York", "America/New_York"),
        ("america/argentina/buenos_aires", "America/Argentina/Buenos_Aires"),
    ],
)
def test_a_zone_is_read_in_any_case_and_given_in_its_own(typed, zone):
    assert zones.check_zone(typed) == zone


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("Europe/Geneva", "Europe/Zurich"),
        ("geneva", "Europe/Zurich"),
        ("Europe/Pariss", "Europe/Paris"),
        ("Africa/Nairobbi", "Africa/Nairobi"),
    ],
)
def test_a_misspelt_zone_is_answered_with_close_real_ones(typed, suggested):
    with pytest.raises(UserError, match=f"Did you mean {suggested}") as refused:
        zones.check_zone(typed)
    assert "Europe/Geneva or" not in str(refused.value)


@pytest.mark.parametrize("folder", ["America", "America/Argentina", "Asia", "asia", "Europe/"])
def test_a_region_folder_is_no_zone(folder):
    with pytest.raises(UserError, match="is a region, not a time zone: name one of its IANA zones"):
        zones.check_zone(folder)


def test_no_message_suggests_a_zone_that_does_not_exist():
    import zoneinfo

    for name in {*zones.CITIES.values(), *zones.EXAMPLES.replace(" or ", ", ").split(", ")}:
        assert name in zoneinfo.available_timezones(), name


def test_a_roster_row_with_a_folder_for_a_zone_is_refused_not_crashed():
    with pytest.raises(UserError, match="`America` is a region"):
        check_entry({**ENTRY, "timezone": "America"})


def test_a_zone_named_at_the_end_of_a_time_is_read_in_any_case():
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert parse_moment("15 December 14:00 europe/paris", now, "UTC") == datetime(
        2026, 12, 15, 13, tzinfo=UTC
    )
    assert parse_moment("15 December 14:00 America", now, "UTC") is None


def test_the_default_zone_setting_names_a_real_one():
    with pytest.raises(config.ConfigError, match="PNBOT_DEFAULT_TZ: `Asia` is a region"):
        config.load({"PNBOT_DEFAULT_TZ": "Asia"}, dotenv_path=None)
    with pytest.raises(config.ConfigError, match="Did you mean Europe/Zurich"):
        config.load({"PNBOT_DEFAULT_TZ": "Europe/Geneva"}, dotenv_path=None)
    assert config.load({"PNBOT_DEFAULT_TZ": "europe/zurich"}, dotenv_path=None).default_tz == (
        "Europe/Zurich"
    )


@pytest.mark.parametrize("zone", ["America", "America/Argentina"])
def test_explain_refuses_a_folder_for_a_zone_in_one_line(zone, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for key in list(os.environ):
        if key == "DATABASE_URL" or key.startswith(("PNBOT_", "SLACK_")):
            monkeypatch.delenv(key)

    status = cli.main(["explain", "some text", "--tz", zone, "--at", "2026-12-01T09:00:00"])

    out, err = capsys.readouterr()
    assert (status != 0, out) == (True, "")
    (line,) = err.splitlines()
    assert line.startswith(
        f"pnbot: --tz: `{zone}` is a region, not a time zone: name one of its IANA"
    )


# dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("31 November", "`31 November` is not a date: November has 30 days."),
        ("november 31st", "`november 31st` is not a date: November has 30 days."),
        (
            "30 February 2027 14:00",
            "`30 February 2027` is not a date: February has 28 days in 2027.",
        ),
        ("2027-02-29", "`2027-02-29` is not a date: February has 28 days in 2027."),
        ("2027-13-01 10:00", "`2027-13-01` is not a date: there is no month 13."),
    ],
)
def test_an_impossible_date_is_named(text, problem):
    assert impossible_date(text) == problem


@pytest.mark.parametrize(
    "text", ["29 February", "2028-02-29", "30 November", "9 December at the IGF"]
)
def test_a_real_date_is_not_impossible(text):
    assert impossible_date(text) is None


# recurring rules ------------------------------------------------------------------------------

START = datetime(2026, 12, 8, 13, tzinfo=UTC)


@pytest.mark.parametrize("freq", ["SECONDLY", "MINUTELY", "HOURLY"])
def test_a_rule_finer_than_daily_is_refused(freq):
    with pytest.raises(UserError, match="more often than once a day"):
        recurrence.check_rrule(f"FREQ={freq};INTERVAL=1")


def test_a_rule_with_several_times_a_day_is_refused():
    with pytest.raises(UserError, match="not BYHOUR"):
        recurrence.check_rrule("FREQ=DAILY;BYHOUR=9,10,11")


@pytest.mark.parametrize(
    "rule", ["FREQ=DAILY;BYYEARDAY=366;BYMONTH=1", "FREQ=MONTHLY;BYMONTHDAY=1;BYDAY=5MO"]
)
def test_a_rule_that_never_happens_is_found_empty_in_well_under_a_second(rule):
    # dateutil alone searches up to the year 9999 for these: 2 s to 30 s
    began = time.perf_counter()
    found = recurrence.occurrences(rule, START, "Europe/Paris", START, START + timedelta(days=400))
    assert found == []
    assert time.perf_counter() - began < 1.0


def test_occurrences_far_from_the_years_they_are_computed_in_are_the_same():
    # the calendar runs on identical years near 9999; leap days and weekdays must match
    rule = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"
    found = recurrence.occurrences(rule, START, "UTC", START, START + timedelta(days=2000))
    assert found == [datetime(2028, 2, 29, 13, tzinfo=UTC), datetime(2032, 2, 29, 13, tzinfo=UTC)]
    tuesdays = recurrence.occurrences(
        "FREQ=MONTHLY;BYDAY=+2TU", START, "Europe/Paris", START, START + timedelta(days=100)
    )
    assert [t.day for t in tuesdays] == [8, 12, 9, 9]


def test_too_many_meetings_in_the_horizon_are_refused():
    daily = recurrence.occurrences("FREQ=DAILY", START, "UTC", START, START + timedelta(days=400))
    with pytest.raises(UserError, match="gives 400 meetings in the coming 400 days"):
        recurrence.check_pace(daily)
    weekly = recurrence.occurrences(
        "FREQ=WEEKLY;BYDAY=MO,TH", START, "UTC", START, START + timedelta(days=400)
    )
    recurrence.check_pace(weekly)


# lookalikes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "char", ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f"]
)
def test_a_direction_control_is_named(char):
    assert f"(U+{ord(char):04X})" in lookalikes.bidi_error(f"Review{char} the draft", "title")


@pytest.mark.parametrize(
    ("handle", "others", "problem"),
    [
        ("\u0430mina", ["amina"], "mixes letters of several scripts"),
        ("\u0430\u0441\u0435", ["ace"], "looks like @ace"),
        ("\u03bf\u03bd", ["ov"], "looks like @ov"),
    ],
)
def test_a_lookalike_handle_is_refused(handle, others, problem):
    assert problem in strip_marks(lookalikes.handle_error(handle, others))


@pytest.mark.parametrize(
    ("handle", "others"),
    [("ivan", ["amina"]), ("\u0438\u0432\u0430\u043d", ["ivan"]), ("U012AB", ["U012AC"])],
)
def test_a_handle_of_one_script_unlike_the_others_is_fine(handle, others):
    assert lookalikes.handle_error(handle, others) is None
