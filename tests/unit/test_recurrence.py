from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from handlers import recurrence
from handlers.base import UserError

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("words", "rule", "at"),
    [
        ("monthly on the second tuesday at 13:00", "FREQ=MONTHLY;BYDAY=+2TU", time(13)),
        ("Monthly on the LAST friday at 9", "FREQ=MONTHLY;BYDAY=-1FR", time(9)),
        ("every third wednesday of the month at 15:30", "FREQ=MONTHLY;BYDAY=+3WE", time(15, 30)),
        ("monthly on day 10 at 8:05", "FREQ=MONTHLY;BYMONTHDAY=10", time(8, 5)),
        ("weekly on thursday at 16:00", "FREQ=WEEKLY;INTERVAL=1;BYDAY=TH", time(16)),
        ("every 2 weeks on mondays at 7:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", time(7)),
    ],
)
def test_the_facilitators_words_become_an_rrule_dateutil_reads(words, rule, at):
    assert recurrence.parse(words) == (rule, at)
    rrulestr(f"RRULE:{rule}", dtstart=datetime(2026, 1, 1))  # raises if it is not RFC 5545


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        ("monthly on the second tuesday", "with a time"),
        ("monthly on the second tuesday at 25:00", "is not a time of day"),
        ("fortnightly on tuesday at 13:00", "can't read"),
        ("monthly on day 31 at 10:00", "1 to 28"),
        ("every 20 weeks on monday at 10:00", "every 1 to 12 weeks"),
    ],
)
def test_patterns_it_cannot_read_are_refused_with_the_reason(words, problem):
    with pytest.raises(UserError, match=problem):
        recurrence.parse(words)


def test_a_raw_rrule_must_repeat_and_be_valid():
    assert recurrence.check_rrule("rrule:freq=monthly;byday=+1MO") == "FREQ=MONTHLY;BYDAY=+1MO"
    with pytest.raises(UserError, match="RFC 5545"):
        recurrence.check_rrule("FREQ=SOMETIMES")
    with pytest.raises(UserError, match="keeps repeating"):
        recurrence.check_rrule("FREQ=MONTHLY;COUNT=3")


def test_second_tuesdays_keep_paris_wall_time_across_the_october_change():
    start = datetime(2026, 9, 8, 13, 0, tzinfo=PARIS)
    found = recurrence.occurrences(
        "FREQ=MONTHLY;BYDAY=+2TU",
        start,
        "Europe/Paris",
        datetime(2026, 9, 1, tzinfo=UTC),
        datetime(2027, 1, 1, tzinfo=UTC),
    )
    assert [m.isoformat() for m in found] == [
        "2026-09-08T11:00:00+00:00",  # summer time, UTC+2
        "2026-10-13T11:00:00+00:00",
        "2026-11-10T12:00:00+00:00",  # winter time from 25 October, UTC+1
        "2026-12-08T12:00:00+00:00",
    ]
    assert {m.astimezone(PARIS).hour for m in found} == {13}


def test_occurrences_are_limited_to_the_window_and_in_utc():
    start = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    found = recurrence.occurrences(
        "FREQ=WEEKLY;INTERVAL=1;BYDAY=TH",
        start,
        "UTC",
        datetime(2026, 12, 3, 9, 0, tzinfo=UTC),
        datetime(2026, 12, 17, 9, 0, tzinfo=UTC),
    )
    assert found == [datetime(2026, 12, 3, 9, tzinfo=UTC), datetime(2026, 12, 10, 9, tzinfo=UTC)]


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=MONTHLY;BYDAY=+2TU", "monthly on the second Tuesday"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "monthly on the last Friday"),
        ("FREQ=MONTHLY;BYMONTHDAY=10", "monthly on day 10"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "every 2 weeks on Monday"),
        ("FREQ=WEEKLY;INTERVAL=1;BYDAY=TH", "weekly on Thursday"),
        ("FREQ=YEARLY", "RRULE FREQ=YEARLY"),
    ],
)
def test_a_rule_is_described_in_words(rule, words):
    assert recurrence.describe(rule) == words
