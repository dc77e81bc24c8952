"""Asking when unsure, through the console: a message with a looser cue ("Please note my absence
on the 8th", "count me as a no") gets a private question to its author with Yes and No buttons;
Yes records it as if capture had been sure, No is kept and that message is never asked about
again; a facilitator turns asking off for the group.

The group meets on the second Tuesday at 13:00 Paris time: Tuesday 8 December 2026. The clock
starts on Tuesday 1 December, 09:00 UTC.
"""

from __future__ import annotations

import re
from datetime import UTC

import pytest
from support import SCHEDULE, said

from handlers.events import strip_marks

_BUTTONS = re.compile(r"\[Yes: click capture\.yes (\d+)\] \[No: click capture\.no \1\]$")


def notices(app) -> list[tuple[str, str, str]]:
    """(meeting start in UTC, member, source) for every notice recorded."""
    with app.store() as uow:
        group = uow.groups.named("pn-ai")
        starts = {m.id: m.starts_at.astimezone(UTC) for m in uow.meetings.all(group.id)}
        return sorted(
            (f"{starts[a.meeting_id]:%Y-%m-%d %H:%M}", a.handle, a.source)
            for a in uow.apologies.for_meetings(starts)
            if a.status != "withdrawn"
        )


def questions(app) -> list[tuple[str, str, str]]:
    with app.store() as uow:
        group = uow.groups.named("pn-ai")
        found = []
        for n in range(1, 20):
            q = uow.capture_questions.get(n)
            if q is not None and q.group_id == group.id:
                found.append((q.author, q.kind, q.status))
        return found


def question(printed: str) -> tuple[str, str]:
    """(the question's first line, its id) of the one private question printed."""
    [asked] = said(printed)
    lines = strip_marks(asked.text).splitlines()
    found = _BUTTONS.search(lines[-1])
    assert found, asked.text
    assert asked.only is not None, "a question is for its author alone"
    return lines[0], found[1]


@pytest.fixture
def chat(transcript):
    """pn-ai with the example roster and its monthly series."""
    transcript.say("!roster-import roster.csv")
    transcript.say(SCHEDULE)
    return transcript


def test_an_unclear_absence_is_asked_about_privately_and_yes_records_it(app, chat):
    printed = chat.say("@amina: Please note my absence on the 8th")

    text, number = question(printed)
    assert text.startswith("Shall I record this as your apologies for the pn-ai meeting of ")
    assert "Tue 8 Dec" in text
    assert notices(app) == []
    assert questions(app) == [("amina", "availability", "asked")]

    answer = chat.say(f"@amina click capture.yes {number}")

    lines = [strip_marks(s.text) for s in said(answer)]
    assert lines[0].startswith("Noted: you will miss the pn-ai meeting of ")
    assert any("Apologies from Amina Odhiambo" in line for line in lines[1:])
    assert notices(app) == [("2026-12-08 12:00", "amina", "chat")]
    assert questions(app) == [("amina", "availability", "yes")]


def test_no_records_nothing_and_the_message_is_never_asked_about_again(app, chat):
    printed = chat.say("@amina: Please note my absence on the 8th")
    _, number = question(printed)
    message = f"m{chat.lines_fed}"

    answer = chat.say(f"@amina click capture.no {number}")

    assert [strip_marks(s.text) for s in said(answer)] == [
        "Understood: I recorded nothing, and I won't ask about that message again."
    ]
    assert notices(app) == []
    assert questions(app) == [("amina", "availability", "no")]
    # the answer stands: a second click changes nothing
    again = chat.say(f"@amina click capture.yes {number}")
    assert "answered that question already" in strip_marks(said(again)[0].text)
    assert notices(app) == []
    # an edit of the message, still unclear, is not asked about again
    assert said(chat.say(f"@amina edit {message}: Please note my absence on the 8th!")) == []
    assert questions(app) == [("amina", "availability", "no")]


def test_only_the_author_answers_the_question(app, chat):
    _, number = question(chat.say("@amina: Please note my absence on the 8th"))

    refused = chat.say(f"@bruno click capture.yes {number}")

    assert "for someone else" in strip_marks(said(refused)[0].text)
    assert notices(app) == []
    assert questions(app) == [("amina", "availability", "asked")]


def test_a_facilitator_turns_asking_off_and_clear_notices_still_count(app, chat):
    printed = chat.say("@facilitator: /pn capture asking off")
    assert "no longer ask" in strip_marks(said(printed)[0].text)

    assert said(chat.say("@amina: Please note my absence on the 8th")) == []
    assert questions(app) == []

    chat.say("@bruno: Apologies, I can't make the call on the 8th")
    assert notices(app) == [("2026-12-08 12:00", "bruno", "chat")]

    chat.say("@facilitator: /pn capture asking on")
    question(chat.say("@rosa: Merci de noter mon absence le 8 décembre"))


def test_only_a_facilitator_turns_asking_off(app, chat):
    printed = chat.say("@amina: /pn capture asking off")

    assert "facilitator" in strip_marks(said(printed)[0].text).lower()
    question(chat.say("@amina: Please note my absence on the 8th"))


def test_asking_needs_on_or_off(app, chat):
    printed = chat.say("@facilitator: /pn capture asking maybe")

    assert strip_marks(said(printed)[0].text) == "Say `capture asking on` or `capture asking off`."


def test_an_unclear_announcement_is_asked_about_and_yes_announces_it(app, chat):
    printed = chat.say("@amina: je porterai la voix du réseau à RightsCon le 5 mai")

    text, number = question(printed)
    assert (
        text == "Shall I record this as your outreach for the group at RightsCon on Wed 5 May 2027?"
    )

    answer = chat.say(f"@amina click capture.yes {number}")

    texts = [strip_marks(s.text) for s in said(answer)]
    assert any(t.startswith("Recorded outreach 1: RightsCon on Wed 5 May 2027") for t in texts)
    assert any(t.startswith("Outreach 1: Amina Odhiambo (@amina) will present") for t in texts)


def test_an_unclear_objection_in_an_announcements_thread_is_asked_about(app, chat):
    announced = said(chat.say("@amina: I'll be presenting our work at RightsCon on 5 May"))
    [post] = [s.post for s in announced if s.post]

    text, number = question(chat.say(f"@bruno thread {post}: count me as a no"))
    assert (
        text == "Shall I record this as your objection to outreach 1 (RightsCon on Wed 5 May 2027)?"
    )

    answer = chat.say(f"@bruno click capture.yes {number}")

    texts = [strip_marks(s.text) for s in said(answer)]
    assert texts[0].startswith("Recorded your objection 1 to outreach 1 (RightsCon)")
    with app.store() as uow:
        found = [(o.member, o.status, o.source) for o in uow.objections.for_outreach([1])]
    assert found == [("bruno", "awaiting-reason", "thread")]


def test_an_absence_over_days_is_asked_about_for_the_meeting_inside_it(app, chat):
    printed = chat.say("@amina: I'm away from 7 to 9 December")

    text, number = question(printed)
    assert text.startswith("Shall I record this as your apologies for the pn-ai meeting of ")
    assert "Tue 8 Dec" in text
    chat.say(f"@amina click capture.yes {number}")
    assert notices(app) == [("2026-12-08 12:00", "amina", "chat")]


def test_an_absence_over_days_with_no_meeting_inside_it_is_not_asked_about(app, chat):
    assert said(chat.say("@amina: I'm away from 14 to 18 December")) == []
    assert questions(app) == []


@pytest.mark.parametrize(
    "message",
    [
        "Amina sends her apologies for the call on the 8th",
        "Amina can't make the call on the 8th",
        "Amina ne pourra pas assister à la réunion du 8",
    ],
)
def test_apologies_passed_on_for_someone_named_are_told_to_the_secretariat_not_filed(
    app, chat, message
):
    printed = chat.say(f"@bruno: {message}")

    text, number = question(printed)
    assert text.startswith("Shall I tell the secretariat that Amina sends apologies for the pn-ai")
    assert "Tue 8 Dec" in text
    assert questions(app) == [("bruno", "availability_other", "asked")]

    answer = chat.say(f"@bruno click capture.yes {number}")

    lines = [strip_marks(s.text) for s in said(answer)]
    assert lines[0].startswith("I told the secretariat that Amina sends apologies")
    assert any("passes on apologies from Amina" in line for line in lines[1:])
    assert notices(app) == []  # nothing is filed in Amina's name, nor in Bruno's
    assert questions(app) == [("bruno", "availability_other", "yes")]
