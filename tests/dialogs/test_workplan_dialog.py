"""The workplan through the console: milestones added, listed, done, moved and dropped, the
owners' reminders a week before and on the due date, an overdue milestone on the next agenda,
the milestones on the calendar and in the export.

The clock starts on Tuesday 1 December 2026 at 09:00 UTC; the group meets on the second
Tuesday at 13:00 Paris time (8 December 2026, 12 January 2027, 12:00 UTC).
"""

from __future__ import annotations

import json

import pytest
from icalendar import Calendar
from support import SCHEDULE, dms, said, snapshot, the_reply

from handlers.events import strip_marks
from storage.archive import export, restore


def text(printed: str) -> str:
    return strip_marks(the_reply(printed).text)


@pytest.fixture
def chat(transcript):
    transcript.say("!roster-import roster.csv")
    transcript.say(SCHEDULE)
    return transcript


OUTLINE = '@facilitator: /pn milestone add "Outline of the output document" due=2026-12-05 owner=@amina kind=output'
CONSULTATION = '@facilitator: /pn milestone add "Public consultation opens" due=2026-12-20 owner=@kemi kind=consultation'


def test_a_milestone_is_added_and_the_workplan_lists_it_by_status_and_date(chat):
    added = text(chat.say(OUTLINE))
    chat.say(CONSULTATION)
    chat.say('@facilitator: /pn milestone add "Session proposal to the IGF" due=2027-01-20')
    chat.say("@facilitator: /pn milestone drop 3 merged into the consultation")

    listing = the_reply(chat.say("@amina: /pn workplan"))

    assert added == (
        "Added milestone #1 Outline of the output document — due Sat 5 Dec 2026, @amina (output) "
        "to the workplan."
    )
    assert listing.only == "amina"
    assert strip_marks(listing.text).splitlines() == [
        "Workplan of pn-ai:",
        "Open:",
        "  #1 Outline of the output document — due Sat 5 Dec 2026, @amina (output)",
        "  #2 Public consultation opens — due Sun 20 Dec 2026, @kemi (consultation)",
        "Dropped:",
        "  #3 Session proposal to the IGF — due Wed 20 Jan 2027 (other)",
    ]


def test_the_owner_marks_a_milestone_done_and_another_member_cannot(chat):
    chat.say(OUTLINE)

    refused = text(chat.say("@kemi: /pn milestone done 1"))
    done = text(chat.say("@amina: /pn milestone done 1 shared with the group"))
    again = text(chat.say("@amina: /pn milestone done 1"))

    assert refused == "Only the milestone's owner or the facilitator marks milestone 1 done."
    assert done == "Milestone 1 (Outline of the output document) is done (shared with the group)."
    assert again == "Milestone 1 is done already."


def test_owners_are_reminded_a_week_before_and_on_the_day_at_eight_in_their_zone(chat):
    chat.say(CONSULTATION)  # kemi, Africa/Lagos (UTC+1): 08:00 there is 07:00 UTC

    printed = chat.say("!advance 20d")

    reminders = [s for s in said(printed) if s.where == "dm kemi"]
    assert [(s.at, s.first) for s in reminders] == [
        (
            "2026-12-13 07:00 UTC",
            "Workplan milestone 1 is due in a week: Public consultation opens (Sun 20 Dec 2026).",
        ),
        (
            "2026-12-20 07:00 UTC",
            "Workplan milestone 1 is due today: Public consultation opens (Sun 20 Dec 2026).",
        ),
    ]


def test_a_moved_milestone_is_reminded_on_its_new_date_and_a_done_one_not_at_all(chat):
    chat.say(CONSULTATION)
    chat.say(OUTLINE)
    moved = text(
        chat.say("@facilitator: /pn milestone move 1 due=2027-01-10 the MAG moved its meeting")
    )
    chat.say("@amina: /pn milestone done 2")

    printed = chat.say("!advance 41d")

    assert moved == (
        "Milestone 1 (Public consultation opens) is now due Sun 10 Jan 2027 (was Sun 20 Dec 2026)."
    )
    told = dms(printed)
    assert "amina" not in told or not any("milestone 2" in t for t in told["amina"])
    assert [t.splitlines()[0] for t in told["kemi"] if "milestone" in t] == [
        "Workplan milestone 1 is due in a week: Public consultation opens (Sun 10 Jan 2027).",
        "Workplan milestone 1 is due today: Public consultation opens (Sun 10 Jan 2027).",
    ]


def test_an_overdue_milestone_goes_on_the_next_agenda(chat):
    chat.say(OUTLINE)  # due 5 December, before the meeting of 8 December
    chat.say(CONSULTATION)  # due 20 December: not overdue by then

    draft = text(chat.say("@facilitator: /pn agenda"))
    chat.say("@facilitator: /pn agenda approve")
    printed = chat.say("!advance 3d")  # the approved agenda is posted on 3 December

    overdue = [
        "Workplan milestones overdue by the meeting:",
        "  #1 Outline of the output document — due Sat 5 Dec 2026, @amina (output), overdue by 3 d",
    ]
    assert draft.splitlines()[-2:] == overdue
    [posted] = [s for s in said(printed) if s.post and s.first.startswith("Agenda of")]
    assert strip_marks(posted.text).splitlines()[-2:] == overdue


def test_a_done_milestone_leaves_the_agenda(chat):
    chat.say(OUTLINE)
    chat.say("@amina: /pn milestone done 1")

    draft = text(chat.say("@facilitator: /pn agenda"))

    assert "Workplan" not in draft


@pytest.mark.parametrize(
    "line, answer",
    [
        (
            '@facilitator: /pn milestone add "X" due=2027-01-10 kind=party',
            "`kind=party` should be one of consultation, output, session, other.",
        ),
        (
            '@facilitator: /pn milestone add "X" due=2027-01-10 owner=@nobody',
            "@nobody is not on pn-ai's roster; see `roster`.",
        ),
        (
            '@facilitator: /pn milestone add "X" due=31-02-2027',
            "`31-02-2027` is not a date I can read. Try `9 December` or `2026-12-09`.",
        ),
        (
            '@amina: /pn milestone add "X" due=2027-01-10',
            None,
        ),
        ("@facilitator: /pn milestone done 9", "There is no milestone 9 in pn-ai; see `workplan`."),
        (
            "@facilitator: /pn milestone move 1 due=2026-12-05",
            "Milestone 1 is due Sat 5 Dec 2026 already.",
        ),
    ],
)
def test_bad_input_is_refused_clearly_and_changes_nothing(chat, app, line, answer):
    chat.say(OUTLINE)
    before = snapshot(app.engine)

    reply = text(chat.say(line))

    if answer is not None:
        assert reply == answer
    else:
        assert "facilitator" in reply
    assert snapshot(app.engine) == before


def test_milestones_are_on_the_calendar_a_dropped_one_cancelled(chat):
    chat.say(OUTLINE)
    chat.say(CONSULTATION)
    chat.say("@facilitator: /pn milestone drop 2 postponed to next year")

    ics = the_reply(chat.say("@ines: /pn meetings ics")).text
    events = {
        str(e["uid"]): e for e in Calendar.from_ical(ics).walk("VEVENT") if "milestone" in e["uid"]
    }

    assert sorted(events) == ["pn-ai-milestone-1@pnbot", "pn-ai-milestone-2@pnbot"]
    outline = events["pn-ai-milestone-1@pnbot"]
    assert str(outline["summary"]) == "pn-ai workplan: Outline of the output document"
    assert outline.decoded("dtstart").isoformat() == "2026-12-05"
    assert "status" not in outline
    assert str(events["pn-ai-milestone-2@pnbot"]["status"]) == "CANCELLED"


def test_the_workplan_is_in_the_export_and_survives_a_round_trip(chat, app, tmp_path):
    chat.say(OUTLINE)
    chat.say(CONSULTATION)
    chat.say("@facilitator: /pn milestone move 2 due=2027-01-10 the MAG moved its meeting")
    chat.say("@amina: /pn milestone done 1")

    with app.store() as uow:
        first = export(uow.session)
    [plan] = [g["workplan"] for g in first["groups"]]
    assert [(m["title"], m["status"], m["due"]) for m in plan] == [
        ("Outline of the output document", "done", "2026-12-05"),
        ("Public consultation opens", "open", "2027-01-10"),
    ]
    assert [(h["action"], h.get("was"), h["note"]) for h in plan[1]["history"]] == [
        ("moved", "2026-12-20", "the MAG moved its meeting")
    ]

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


@pytest.mark.parametrize(
    "path, value, refusal",
    [
        (
            ("workplan", 0, "kind"),
            "party",
            "group pn-ai, milestone 1 (Outline of the output document), kind: `party` is not "
            "one of consultation, output, session, other",
        ),
        (
            ("workplan", 0, "due"),
            "5 December",
            "group pn-ai, milestone 1 (Outline of the output document), due: "
            "`5 December` is not a date such as 2027-05-05",
        ),
        (
            ("timepolls", 0, "answers", 0, "answer"),
            "perhaps",
            "group pn-ai, time poll 1 (T), answer 1 (amina), answer: `perhaps` is not one of "
            "yes, maybe, no",
        ),
        (
            ("drafts", 0, "poll"),
            7,
            "group pn-ai, draft 1 (D), poll: refers to poll 7, but the group has 1 of them",
        ),
        (
            ("igf", 0, "ends"),
            "2027-02-10",
            "group pn-ai, IGF event 1 (I), ends: The event ends (Wed 10 Feb 2027) before it "
            "starts (Tue 16 Feb 2027)",
        ),
        (
            ("settings", "rotate"),
            ["25:00 UTC", "06:00 UTC"],
            "group pn-ai, settings, rotate: `25:00 UTC` is not a time of day with its zone: "
            '`rotate="13:00 UTC, 06:00 UTC"`',
        ),
    ],
)
def test_an_import_refuses_a_bad_record_of_the_years_work_by_name(chat, app, path, value, refusal):
    from handlers.base import UserError
    from handlers.export_check import check_export

    chat.say(
        "@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=UTC "
        'rotate="13:00 UTC, 06:00 UTC"'
    )
    chat.say(OUTLINE)
    chat.say('@facilitator: /pn timepoll "T" slots="Tue 13:00 UTC, Wed 06:00 UTC" closes=5d')
    chat.say("@amina: /pn timepoll answer 1 yes no")
    chat.say(
        '@facilitator: /pn draft share "D" https://d.example.org comments-until=2026-12-10 '
        "endorse=yes"
    )
    chat.say("@amina: /pn comment 1 fine")
    chat.say('@facilitator: /pn igf add "I" 2027-02-16 to 2027-02-18 kind=mag')
    chat.say("!advance 10d")
    with app.store() as uow:
        data = json.loads(json.dumps(export(uow.session)))
    check_export(data)  # as exported, it passes

    record = data["groups"][0]
    for key in path[:-1]:
        record = record[key]
    record[path[-1]] = value
    with pytest.raises(UserError) as refused:
        check_export(data)

    assert str(refused.value) == refusal
