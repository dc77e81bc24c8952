"""Counting meetings at night: the 22:00–07:00 boundary, daylight saving, regions summed over
their members, and members without a time zone named rather than guessed."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from handlers.events import strip_marks
from handlers.fairness import count, is_night, lines


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    "moment, zone, night",
    [
        (utc(2027, 1, 12, 22, 0), "UTC", True),
        (utc(2027, 1, 12, 21, 59), "UTC", False),
        (utc(2027, 1, 12, 6, 59), "UTC", True),
        (utc(2027, 1, 12, 7, 0), "UTC", False),
        (utc(2027, 1, 12, 0, 0), "UTC", True),
        # 06:00 UTC is 07:00 in Paris in winter (day) and 08:00 in summer (day)
        (utc(2027, 1, 12, 6, 0), "Europe/Paris", False),
        # 05:30 UTC is 06:30 in Paris in winter (night) and 07:30 in summer (day)
        (utc(2027, 1, 12, 5, 30), "Europe/Paris", True),
        (utc(2027, 7, 13, 5, 30), "Europe/Paris", False),
        # 13:00 UTC is 01:00 the next day in Auckland's summer
        (utc(2027, 1, 12, 13, 0), "Pacific/Auckland", True),
    ],
)
def test_night_is_from_ten_in_the_evening_to_seven_in_the_morning_local_time(moment, zone, night):
    assert is_night(moment, zone) is night


def member(handle, zone, region):
    return SimpleNamespace(handle=handle, timezone=zone, region=region)


ROTATED = [
    utc(2027, 1, 12, 13, 0),
    utc(2027, 2, 9, 6, 0),
    utc(2027, 3, 9, 13, 0),
    utc(2027, 4, 13, 6, 0),
]


def test_nights_are_counted_per_member_and_summed_per_region():
    members = [
        member("rosa", "America/Lima", "latin-america-caribbean"),  # 06:00 UTC is 01:00
        member("paula", "America/Sao_Paulo", "latin-america-caribbean"),  # 03:00
        member("chen", "Asia/Shanghai", "asia-pacific"),  # 13:00 UTC is 21:00: day
        member("hugo", "Europe/Paris", "western-europe-others"),
    ]

    found = count(ROTATED, members)

    assert found.meetings == 4
    assert found.nights == {"rosa": 2, "paula": 2, "chen": 0, "hugo": 0}
    assert found.regions == {
        "asia-pacific": (0, 4),
        "latin-america-caribbean": (4, 8),
        "western-europe-others": (0, 4),
    }
    assert found.no_zone == []


def test_a_member_without_a_time_zone_is_named_and_not_counted():
    members = [member("zoe", None, "africa"), member("amina", "Africa/Nairobi", "africa")]

    found = count(ROTATED, members)

    assert found.nights == {"amina": 0}
    assert found.regions == {"africa": (0, 4)}
    assert found.no_zone == ["zoe"]
    words = [strip_marks(line) for line in lines(found, {}, staff=True, me=None)]
    assert words[-1] == "No time zone set, so not counted: @zoe (`tz <zone>` sets one)."


def test_a_member_reads_the_regions_and_their_own_count_only():
    members = [
        member("rosa", "America/Lima", "latin-america-caribbean"),
        member("chen", "Asia/Shanghai", "asia-pacific"),
    ]

    words = [strip_marks(x) for x in lines(count(ROTATED, members), {}, staff=False, me="chen")]

    assert words == [
        "By region (member-meetings at night):",
        "  asia-pacific: 0 of 4",
        "  latin-america-caribbean: 2 of 4",
        "You:",
        "  @chen: 0 of 4",
    ]
