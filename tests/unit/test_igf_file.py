"""Reading the IGF's calendar file: all-day ranges end on their last day, timed events on
their own day, the kind read from the title and categories, and a file that is no calendar
or an event with unreadable dates refused whole."""

from __future__ import annotations

from datetime import date

import pytest
from support import EXAMPLES

from handlers.base import UserError
from handlers.igf_calendar import guess_kind, read_events


def test_the_example_file_reads_as_three_events_with_their_days_and_kinds():
    found = read_events((EXAMPLES / "igf-2027.ics").read_bytes())

    assert [(e["starts"], e["ends"], e["kind"]) for e in found] == [
        (date(2027, 2, 16), date(2027, 2, 18), "open-consultation"),
        (date(2027, 4, 20), date(2027, 4, 20), "mag"),
        (date(2027, 11, 16), date(2027, 11, 20), "annual-meeting"),
    ]
    assert found[1]["uid"] == "igf2027-mag2@intgovforum.example"


@pytest.mark.parametrize(
    "text, kind",
    [
        ("IGF 2027 Open Consultations", "open-consultation"),
        ("MAG virtual meeting", "mag"),
        ("Third MAG-meeting", "mag"),
        ("Multistakeholder Advisory Group retreat", "mag"),
        ("IGF 2027 Annual Meeting", "annual-meeting"),
        ("Magnificent launch", "other"),
    ],
)
def test_the_kind_is_read_from_the_words_the_igf_uses(text, kind):
    assert guess_kind(text) == kind


@pytest.mark.parametrize(
    "data, refusal",
    [
        (b"\xff\xfe garbage", "It is not an iCalendar file I can read"),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nDTSTART:notadate\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n",
            "Event 1 of the file (x) has dates I cannot read; nothing imported.",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270101\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n",
            "Event 1 of the file has no title or no start; nothing imported.",
        ),
        (b"BEGIN:VCALENDAR\r\n" + b"X" * 1_000_001, "The calendar file is over 1000 kB"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_why(data, refusal):
    with pytest.raises(UserError) as refused:
        read_events(data)

    assert str(refused.value).startswith(refusal)
