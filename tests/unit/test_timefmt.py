from datetime import UTC, date, datetime

from handlers.timefmt import parse_day, parse_moment, too_far, when

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a Tuesday


def test_a_time_is_shown_in_utc_and_in_the_readers_zone():
    moment = datetime(2026, 12, 8, 12, 0, tzinfo=UTC)
    assert when(moment) == "Tue 8 Dec 2026, 12:00 UTC"
    assert when(moment, "Europe/Paris") == "Tue 8 Dec 2026, 12:00 UTC (13:00 Europe/Paris)"


def test_the_readers_day_is_named_when_it_differs_from_utcs():
    moment = datetime(2026, 12, 8, 23, 0, tzinfo=UTC)
    assert when(moment, "Asia/Tokyo") == "Tue 8 Dec 2026, 23:00 UTC (Wed 9 Dec, 08:00 Asia/Tokyo)"


def test_a_typed_time_is_read_in_the_writers_zone():
    assert parse_moment("15 December 14:00", NOW, "Europe/Paris") == datetime(
        2026, 12, 15, 13, 0, tzinfo=UTC
    )
    assert parse_moment("2026-12-15 14:00", NOW, "UTC") == datetime(2026, 12, 15, 14, 0, tzinfo=UTC)
    assert parse_moment("no time at all", NOW, "UTC") is None


def test_a_typed_day_is_relative_to_the_writers_own_date():
    late_evening = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    assert parse_day("tomorrow", late_evening, "Asia/Tokyo") == date(2026, 12, 3)
    assert parse_day("tomorrow", late_evening, "America/Bogota") == date(2026, 12, 2)
    assert parse_day("9 December", NOW, "UTC") == date(2026, 12, 9)
    assert parse_day("martes", NOW, "UTC") == date(2026, 12, 1)  # today is a Tuesday
    assert parse_day("jueves", NOW, "UTC") == date(2026, 12, 3)
    # every language with a phrase file, Portuguese too
    assert parse_day("quinta-feira", NOW, "UTC") == date(2026, 12, 3)
    assert parse_day("10 de dezembro", NOW, "UTC") == date(2026, 12, 10)


def test_an_incomplete_date_means_today_or_the_next_one_or_the_last_one():
    assert parse_day("1 December", NOW, "UTC") == date(2026, 12, 1)
    assert parse_day("30 November", NOW, "UTC") == date(2027, 11, 30)
    assert parse_day("30 November", NOW, "UTC", prefer="past") == date(2026, 11, 30)
    assert parse_day("12 January", NOW, "UTC", prefer="past") == date(2026, 1, 12)
    assert parse_day("tuesday", NOW, "UTC", prefer="past") == date(2026, 12, 1)


def test_too_far_counts_five_years_from_a_29_february_too():
    leap_day = datetime(2028, 2, 29, 12, tzinfo=UTC)
    assert too_far(date(2033, 2, 28), leap_day) is None
    assert too_far(date(2033, 3, 1), leap_day) is not None
    assert too_far(date(2031, 11, 30), NOW) is None
    assert too_far(date(2031, 12, 2), NOW) is not None
