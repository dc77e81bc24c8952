"""The IGF calendar through the console and the command line: an open consultation added by
hand, the reminder to the co-moderator and the facilitator to prepare the group's briefing,
the briefing recorded, the prompt for a report after it and the report; the IGF's own
calendar file imported (twice, adding nothing the second time); every date on the group's
calendar and in the export.

The clock starts on Tuesday 1 December 2026 at 09:00 UTC; the open consultation runs from
Tuesday 16 to Thursday 18 February 2027.
"""

from __future__ import annotations

import json

import pytest
from icalendar import Calendar
from support import EXAMPLES, dms, said, snapshot, the_reply

from bot import cli
from handlers.events import strip_marks
from storage.archive import export, restore

ADD = (
    '@facilitator: /pn igf add "IGF 2027 first open consultations" 2027-02-16 to 2027-02-18 '
    "kind=open-consultation"
)


def text(printed: str) -> str:
    return strip_marks(the_reply(printed).text)


@pytest.fixture
def chat(transcript):
    transcript.say("!roster-import roster.csv")
    return transcript


def test_an_open_consultation_is_added_with_how_to_record_the_briefing(chat):
    answer = text(chat.say(ADD))

    assert answer == (
        "Added #1 IGF 2027 first open consultations (open consultation), Tue 16 Feb 2027 to "
        "Thu 18 Feb 2027 to the group's IGF calendar. The co-moderators and the facilitator are "
        "reminded to prepare the briefing; `briefing 1 presenter=@x slides=<link>` records it."
    )


def test_the_briefing_reminder_report_prompt_and_report_of_an_open_consultation(chat):
    chat.say(ADD)

    before = chat.say("!advance 63d")  # to 2 February 2027
    reminded = {s.where: s for s in said(before) if "prepare the group's briefing" in s.text}
    recorded = text(
        chat.say(
            "@bruno: /pn briefing 1 presenter=@bruno "
            "slides=https://docs.example.org/pn-ai-igf-briefing.pdf"
        )
    )
    after = chat.say("!advance 17d")  # to 19 February, the day after it ends
    prompted = [s for s in said(after) if "How did it go?" in s.text]
    reported = text(
        chat.say("@bruno: /pn igf report 1 Three governments asked about incident reporting.")
    )
    listing = text(chat.say("@amina: /pn igf"))

    assert sorted(reminded) == ["dm bruno", "dm facilitator"]
    assert reminded["dm bruno"].at == "2027-02-02 09:00 UTC"
    assert reminded["dm bruno"].lines[0] == (
        "Coming up: #1 IGF 2027 first open consultations (open consultation), Tue 16 Feb 2027 "
        "to Thu 18 Feb 2027. Please prepare the group's briefing for it (terms of reference "
        "III). No briefing is recorded yet."
    )
    assert recorded == (
        "Briefing for #1 IGF 2027 first open consultations (open consultation), Tue 16 Feb 2027 "
        "to Thu 18 Feb 2027: @bruno presents, slides "
        "https://docs.example.org/pn-ai-igf-briefing.pdf."
    )
    assert [(s.at, s.where) for s in prompted] == [("2027-02-19 09:00 UTC", "dm bruno")]
    assert reported.startswith("Report on #1 IGF 2027 first open consultations")
    assert listing.splitlines() == [
        "IGF calendar of pn-ai:",
        "Past:",
        "  #1 IGF 2027 first open consultations (open consultation), Tue 16 Feb 2027 to "
        "Thu 18 Feb 2027: report: Three governments asked about incident reporting.",
    ]


def test_an_event_reported_on_early_gets_no_prompt(chat):
    chat.say(ADD)
    chat.say("@bruno: /pn briefing 1 presenter=@bruno")
    chat.say("!advance 77d")  # 16 February, the first day
    chat.say("@bruno: /pn igf report 1 Done on day one.")

    after = chat.say("!advance 5d")

    assert not [s for s in said(after) if "How did it go?" in s.text]


def import_file(app, *extra: str) -> int:
    url = app.engine.url.render_as_string(hide_password=False)
    return cli.main(["--database", url, "igf", "import", *extra])


def test_the_igf_calendar_file_is_imported_once(chat, app, capsys):
    path = str(EXAMPLES / "igf-2027.ics")

    first = import_file(app, path, "--group", "pn-ai")
    said_first = capsys.readouterr().out
    second = import_file(app, path, "--group", "pn-ai")
    said_second = capsys.readouterr().out
    listing = text(chat.say("@amina: /pn igf"))

    assert (first, second) == (0, 0)
    assert said_first.splitlines() == [
        "Imported 3 IGF events into pn-ai.",
        "  #1 IGF 2027 first open consultations and MAG meeting (open consultation), "
        "Tue 16 Feb 2027 to Thu 18 Feb 2027",
        "  #2 MAG virtual meeting (MAG meeting), Tue 20 Apr 2027",
        "  #3 IGF 2027 annual meeting (annual meeting), Tue 16 Nov 2027 to Sat 20 Nov 2027",
    ]
    assert said_second.strip() == "Imported 0 IGF events into pn-ai (3 known already)."
    assert listing.splitlines()[1:] == [
        "Coming:",
        "  #1 IGF 2027 first open consultations and MAG meeting (open consultation), "
        "Tue 16 Feb 2027 to Thu 18 Feb 2027: no briefing recorded yet",
        "  #2 MAG virtual meeting (MAG meeting), Tue 20 Apr 2027: no briefing recorded yet",
        "  #3 IGF 2027 annual meeting (annual meeting), Tue 16 Nov 2027 to Sat 20 Nov 2027: "
        "no briefing recorded yet",
    ]


def test_a_file_that_is_no_calendar_is_refused_and_imports_nothing(chat, app, capsys, tmp_path):
    bad = tmp_path / "timeline.ics"
    bad.write_text("this is not a calendar\n", encoding="utf-8")
    before = snapshot(app.engine)

    status = import_file(app, str(bad), "--group", "pn-ai")

    assert status == 2
    error = capsys.readouterr().err
    assert error.startswith(f"pnbot: {bad}: It is not an iCalendar file I can read")
    assert snapshot(app.engine) == before


@pytest.mark.parametrize(
    "line, answer",
    [
        (
            '@facilitator: /pn igf add "X" 2027-02-16 kind=summit',
            "`kind=summit` should be one of open-consultation, mag, annual-meeting, other.",
        ),
        (
            '@facilitator: /pn igf add "X" 2027-02-18 to 2027-02-16 kind=mag',
            "The event ends (Tue 16 Feb 2027) before it starts (Thu 18 Feb 2027).",
        ),
        (
            "@amina: /pn briefing 1 presenter=@amina",
            "The co-moderators and the facilitator prepare the group's briefings.",
        ),
        (
            "@bruno: /pn briefing 1 presenter=@bruno slides=docs.example.org",
            "`slides=docs.example.org` should be a web address, starting with https://.",
        ),
        (
            "@bruno: /pn igf report 1 Went well.",
            "IGF 2027 first open consultations starts Tue 16 Feb 2027; report after it.",
        ),
    ],
)
def test_bad_input_is_refused_clearly_and_changes_nothing(chat, app, line, answer):
    chat.say(ADD)
    before = snapshot(app.engine)

    assert text(chat.say(line)) == answer
    assert snapshot(app.engine) == before


def test_igf_dates_are_on_the_calendar_and_in_the_export(chat, app, tmp_path):
    chat.say(ADD)
    chat.say("@bruno: /pn briefing 1 presenter=@bruno slides=https://docs.example.org/b.pdf")

    ics = the_reply(chat.say("@amina: /pn meetings ics")).text
    [event] = [e for e in Calendar.from_ical(ics).walk("VEVENT") if "igf" in e["uid"]]
    with app.store() as uow:
        first = export(uow.session)

    assert str(event["summary"]) == "IGF: IGF 2027 first open consultations"
    assert event.decoded("dtstart").isoformat() == "2027-02-16"
    assert event.decoded("dtend").isoformat() == "2027-02-19"  # the day after the last
    [igf] = [g["igf"] for g in first["groups"]]
    assert [(e["title"], e["presenter"], e["starts"], e["ends"]) for e in igf] == [
        ("IGF 2027 first open consultations", "bruno", "2027-02-16", "2027-02-18")
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


def test_the_reminder_reaches_no_ordinary_member(chat):
    chat.say(ADD)

    printed = chat.say("!advance 63d")

    assert not any("prepare the group's briefing" in t for t in dms(printed).get("amina", []))
