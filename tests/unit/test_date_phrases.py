"""The date reading both recognisers share: conventions decided once, in `date_phrases`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import pytest

from handlers import phrases
from handlers.date_phrases import NUMERIC, grouped_locator, local_base, read, resolve

ENGLISH = next(f for f in phrases.languages() if f.code == "en").vocabulary
EN_WEEKDAY, EN_DAY_MONTH = ENGLISH["weekday"], ENGLISH["day_month"]

TUESDAY = datetime(2026, 12, 1, 9, 0)  # a wall-clock base: 1 Dec 2026 is a Tuesday
LAST_OF_NOVEMBER = datetime(2026, 11, 30, 16, 0)
NEXT_WEEKDAY = re.compile(rf"^next\s+({EN_WEEKDAY})$", re.IGNORECASE)


@dataclass(frozen=True)
class English:
    """The least a `DateLanguage` needs: a code, a locator, synonyms and next_weekday."""

    dates: re.Pattern[str] = re.compile(
        rf"\b{EN_WEEKDAY}\b|{EN_DAY_MONTH}|\b{NUMERIC}", re.IGNORECASE
    )
    code: str = "en"
    synonyms: tuple = ()
    next_weekday: re.Pattern[str] | None = None


def test_local_base_is_the_wall_clock_time_in_the_writers_zone():
    at = datetime.fromisoformat("2026-12-01T23:30:00+00:00")
    assert local_base(at, "Asia/Tokyo") == datetime(2026, 12, 2, 8, 30)
    assert local_base(datetime(2026, 12, 1, 23, 30), "UTC") == datetime(2026, 12, 1, 23, 30)


@pytest.mark.parametrize(
    ("phrase", "language", "base", "expected"),
    [
        ("Tuesday", "en", TUESDAY, date(2026, 12, 1)),  # a bare weekday: today included
        ("Tuesday's", "en", TUESDAY, date(2026, 12, 1)),
        ("Thursday the 10th of December", "en", TUESDAY, date(2026, 12, 10)),
        ("the 8th", "en", LAST_OF_NOVEMBER, date(2026, 12, 8)),  # next month's
        ("le 15", "fr", TUESDAY, date(2026, 12, 15)),
        ("12/25", "en", TUESDAY, date(2026, 12, 25)),  # only one reading is a date
        ("9/12", "fr", TUESDAY, date(2026, 12, 9)),  # French writes the day first
        ("31/02", "es", TUESDAY, None),
    ],
)
def test_resolve_reads_one_phrase(phrase, language, base, expected):
    assert resolve(phrase, language, base) == (expected, False)


def test_english_day_month_numbers_are_ambiguous_when_both_readings_are_dates():
    assert resolve("9/12", "en", TUESDAY) == (None, True)


def test_next_weekday_is_the_first_such_day_after_today():
    assert resolve("next Tuesday", "en", TUESDAY, next_weekday=NEXT_WEEKDAY) == (
        date(2026, 12, 8),
        False,
    )


def test_synonyms_rewrite_the_phrase_before_dateparser():
    synonyms = ((re.compile(r"^tmrw$"), "tomorrow"),)
    assert resolve("tmrw", "en", TUESDAY, synonyms) == (date(2026, 12, 2), False)


def test_read_settles_on_one_date_or_says_why_not():
    def reading(text: str, **options) -> tuple[date | None, bool, bool]:
        return read(text, 0, len(text), TUESDAY, English(), **options)

    assert reading("Wednesday, 2 December") == (date(2026, 12, 2), False, False)
    assert reading("Wednesday or Thursday") == (None, True, False)
    assert reading("on 2026-11-20") == (None, False, True)  # only a past date
    assert reading("2026-11-20 and Wednesday") == (date(2026, 12, 2), False, False)
    assert reading("nothing here") == (None, False, False)
    # a date right after `until` ends an absence and is skipped
    until = re.compile(r"\buntil\s+$")
    assert reading("9 December; away until 15 December", until=until) == (
        date(2026, 12, 9),
        False,
        False,
    )
    # a cap on how many different phrases go to dateparser; repeats count once
    assert reading("Wednesday, 2 December", max_phrases=1) == (None, True, False)
    assert reading("Wednesday... wednesday", max_phrases=1) == (date(2026, 12, 2), False, False)


def test_a_grouped_locator_marks_ranges_vague_periods_and_the_past():
    locator = grouped_locator(
        ranges=r"\b\d{1,2}-\d{1,2}\s+december\b",
        vague=r"\bnext\s+week\b",
        past=r"\blast\s+week\b",
        days=EN_DAY_MONTH,
    )

    def reading(text: str) -> tuple[date | None, bool, bool]:
        return read(text, 0, len(text), TUESDAY, English(dates=locator))

    assert reading("3-5 December") == (None, True, False)
    assert reading("next week") == (None, True, False)
    assert reading("last week") == (None, False, True)
    assert reading("last week, and again on 9 December") == (date(2026, 12, 9), False, False)


@pytest.mark.parametrize(
    ("phrase", "language", "expected"),
    [
        ("08.12.2026", "en", date(2026, 12, 8)),  # dots are day first, even in English
        ("08.12.2026", "fr", date(2026, 12, 8)),
        ("12/01", "fr", date(2027, 1, 12)),  # the 12th of January, not of this month
        ("12/01/2027", "es", date(2027, 1, 12)),
        ("31/45", "en", None),  # no day and month in either order
    ],
)
def test_numeric_and_dotted_dates(phrase, language, expected):
    assert resolve(phrase, language, TUESDAY) == (expected, False)


def test_a_phrase_longer_than_any_date_is_never_parsed():
    assert resolve("9 " + "december " * 10, "en", TUESDAY) == (None, True)


def test_weekday_and_month_names_come_from_dateparser_with_or_without_accents():
    import re

    from handlers import phrases

    by_code = {f.code: f.vocabulary for f in phrases.languages()}
    assert re.fullmatch(by_code["es"]["weekday"], "miercoles", re.IGNORECASE)
    assert re.fullmatch(by_code["es"]["month"], "setiembre", re.IGNORECASE)
    assert re.fullmatch(by_code["fr"]["month"], "fevr.", re.IGNORECASE)
    assert re.fullmatch(by_code["en"]["weekday"], "tues", re.IGNORECASE)
    # an abbreviation that is an everyday word is left out
    assert not re.fullmatch(by_code["en"]["weekday"], "sun", re.IGNORECASE)
    assert not re.fullmatch(by_code["fr"]["weekday"], "jeu", re.IGNORECASE)
