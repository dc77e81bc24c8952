"""The rules of the public pages that are pure: stable meeting addresses, the calendar anyone
gets (a private meeting is not in it), and which links a page may carry."""

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from handlers.site_pages import _web_address, meeting_slugs, public_calendar
from storage.models import Group, Meeting, MeetingSeries

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def meeting(id, starts, created, private=False, series_id=None, link="https://meet.example.org/o"):
    return Meeting(
        id=id,
        group_id=1,
        series_id=series_id,
        occurrence=starts,
        starts_at=starts,
        created_at=created,
        private=private,
        call_link=link,
        duration_minutes=60,
    )


def test_a_meeting_keeps_its_address_when_another_is_added_on_its_day():
    first = meeting(1, datetime(2026, 12, 8, 13, 0, tzinfo=UTC), T0)
    assert meeting_slugs([first]) == {1: "2026-12-08"}
    # a meeting added later the same day, earlier in the day: the first keeps the plain date
    earlier = meeting(2, datetime(2026, 12, 8, 9, 30, tzinfo=UTC), T0 + timedelta(days=3))
    again = meeting(3, datetime(2026, 12, 8, 9, 30, tzinfo=UTC), T0 + timedelta(days=4))
    assert meeting_slugs([earlier, again, first]) == {
        1: "2026-12-08",
        2: "2026-12-08-0930",
        3: "2026-12-08-0930-3",
    }


def test_the_public_calendar_leaves_a_private_meeting_out_whole():
    group = Group(id=1, name="pn-ai", created_at=T0)
    series = MeetingSeries(
        id=1,
        group_id=1,
        rrule="FREQ=MONTHLY;BYDAY=2TU",
        starts=datetime(2026, 12, 8, 13, 0, tzinfo=UTC),
        timezone="UTC",
        duration_minutes=60,
        call_link="https://meet.example.org/open",
        created_at=T0,
    )
    december = meeting(
        1,
        datetime(2026, 12, 8, 13, 0, tzinfo=UTC),
        T0,
        series_id=1,
        link="https://meet.example.org/open",
    )
    january = meeting(
        2,
        datetime(2027, 1, 12, 13, 0, tzinfo=UTC),
        T0,
        private=True,
        series_id=1,
        link="https://meet.example.org/secret",
    )
    one_off = meeting(
        3,
        datetime(2026, 12, 20, 15, 0, tzinfo=UTC),
        T0,
        private=True,
        link="https://meet.example.org/secret-2",
    )
    text = public_calendar(group, series, [december, january, one_off])
    assert "secret" not in text and "members only" not in text
    events = Calendar.from_ical(text).walk("VEVENT")
    assert len(events) == 1  # the series alone: no override, no one-off
    [exdate] = events[0]["EXDATE"].dts
    assert exdate.dt == datetime(2027, 1, 12, 13, 0, tzinfo=UTC)  # the private occurrence's gap
    assert str(events[0]["URL"]) == "https://meet.example.org/open"


def test_a_page_links_only_to_web_addresses():
    assert _web_address("https://rightscon.org") == "https://rightscon.org"
    assert _web_address("HTTP://example.org/x") == "HTTP://example.org/x"
    assert _web_address("javascript:alert(1)") is None
    assert _web_address("data:text/html,hi") is None
    assert _web_address(None) is None
