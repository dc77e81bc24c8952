"""Availability notices (apologies) through the console: by command, and said in chat in
English, French or Spanish; the reply in the thread with an undo; the secretariat told.

The group meets on the second Tuesday at 13:00 Paris time (12:00 UTC in winter): Tuesday
8 December 2026, then 12 January 2027. The clock starts on Tuesday 1 December, 09:00 UTC.
"""

from __future__ import annotations

import re
from datetime import UTC

import pytest
from support import DECEMBER, SCHEDULE, Transcript, said, snapshot

from bot.app import build
from bot.config import Settings

_UNDO = re.compile(r"\[Undo: click availability\.undo (\d+)\]$")


def records(app) -> dict[str, list[tuple]]:
    """Every table but the log of processed events (a chat message is logged even when
    the bot does nothing with it, so that it is processed once)."""
    return {t: rows for t, rows in snapshot(app.engine).items() if t != "processed_events"}


def notices(app) -> list[tuple[str, str, str | None, str]]:
    """(meeting start in UTC, member, reason, source) for every notice recorded."""
    with app.store() as uow:
        group = uow.groups.named("pn-ai")
        meetings = uow.meetings.all(group.id)
        starts = {m.id: m.starts_at.astimezone(UTC) for m in meetings}
        return sorted(
            (f"{starts[a.meeting_id]:%Y-%m-%d %H:%M}", a.handle, a.reason, a.source)
            for a in uow.apologies.for_meetings(starts)
        )


def undo_id(text: str) -> str:
    found = _UNDO.search(text)
    assert found, f"no undo button in {text!r}"
    return found[1]


@pytest.fixture
def chat(transcript):
    """pn-ai with the example roster and its monthly series."""
    transcript.say("!roster-import roster.csv")
    transcript.say(SCHEDULE)
    return transcript


# by command ----------------------------------------------------------------------------------


def test_away_sends_apologies_for_the_next_meeting_and_tells_the_facilitator(app, chat):
    printed = chat.say("@amina: /pn away")

    confirmation, notice = said(printed)
    assert confirmation.only == "amina"
    assert confirmation.text.splitlines()[0] == (
        f"Noted: you will miss the pn-ai meeting of {DECEMBER} (15:00 Africa/Nairobi). "
        "The secretariat has been told. To undo: `back 2026-12-08`."
    )
    assert _UNDO.search(confirmation.text.splitlines()[1])
    assert (notice.where, notice.text) == (
        "dm facilitator",
        f"Apologies from Amina Odhiambo (@amina) for the pn-ai meeting of {DECEMBER}.",
    )
    assert notices(app) == [("2026-12-08 12:00", "amina", None, "command")]


def test_away_next_because_records_the_reason(app, chat):
    printed = chat.say("@amina: /pn away next because I am travelling to Geneva")

    confirmation, notice = said(printed)
    assert "(I am travelling to Geneva)" in confirmation.text
    assert notice.text.endswith(f"meeting of {DECEMBER}: I am travelling to Geneva")
    assert notices(app) == [("2026-12-08 12:00", "amina", "I am travelling to Geneva", "command")]


def test_away_with_a_date_and_a_reason_binds_to_that_meeting(app, chat):
    printed = chat.say("@bruno: /pn away 12 January travelling")

    confirmation, notice = said(printed)
    assert confirmation.text.startswith(
        "Noted: you will miss the pn-ai meeting of Tue 12 Jan 2027, 12:00 UTC "
        "(09:00 America/Montevideo) (travelling)."
    )
    assert "`back 2027-01-12`" in confirmation.text
    assert notice.text == (
        "Apologies from Bruno Costa (@bruno) for the pn-ai meeting of "
        "Tue 12 Jan 2027, 12:00 UTC: travelling"
    )
    assert notices(app) == [("2027-01-12 12:00", "bruno", "travelling", "command")]


def test_away_reads_a_date_in_any_language_with_a_phrase_file(app, chat):
    # Portuguese has a phrase file, so a command reads its dates as chat capture does
    printed = chat.say("@bruno: /pn away 12 de janeiro estarei em viagem")

    assert said(printed)[0].text.startswith(
        "Noted: you will miss the pn-ai meeting of Tue 12 Jan 2027, 12:00 UTC"
    )
    assert notices(app) == [("2027-01-12 12:00", "bruno", "estarei em viagem", "command")]


def test_away_with_a_day_and_month_binds_to_that_days_meeting(app, chat):
    chat.say("@bruno: /pn away 8 December travelling")

    assert notices(app) == [("2026-12-08 12:00", "bruno", "travelling", "command")]


def test_back_withdraws_the_next_meetings_apologies_and_tells_the_facilitator(app, chat):
    chat.say("@amina: /pn away")

    printed = chat.say("@amina: /pn back")

    answer, notice = said(printed)
    assert (answer.only, answer.text) == (
        "amina",
        f"Withdrawn: you are expected at the meeting of {DECEMBER} (15:00 Africa/Nairobi) after all.",
    )
    assert (notice.where, notice.text) == (
        "dm facilitator",
        f"Amina Odhiambo (@amina) withdrew their apologies for the meeting of {DECEMBER}.",
    )
    assert notices(app) == []


def test_back_with_a_date_withdraws_only_that_meetings_apologies(app, chat):
    chat.say(
        """
        @bruno: /pn away 8 December travelling
        @bruno: /pn away 12 January travelling
        """
    )

    chat.say("@bruno: /pn back 8 December")

    assert notices(app) == [("2027-01-12 12:00", "bruno", "travelling", "command")]


def test_back_without_apologies_says_so_and_changes_nothing(app, chat):
    before = snapshot(app.engine)

    [answer] = said(chat.say("@amina: /pn back 8 December"))

    assert answer.text == (
        f"You had sent no apologies for the meeting of {DECEMBER} (15:00 Africa/Nairobi)."
    )
    assert snapshot(app.engine) == before


def test_a_second_notice_for_the_same_meeting_updates_the_reason(app, chat):
    chat.say("@amina: /pn away 8 December")

    printed = chat.say("@amina: /pn away next because of a clash with the IGF")

    assert notices(app) == [("2026-12-08 12:00", "amina", "a clash with the IGF", "command")]
    confirmation, notice = said(printed)
    assert notice.text.endswith(": a clash with the IGF")


def test_the_undo_button_withdraws_the_notice(app, chat):
    confirmation = said(chat.say("@amina: /pn away 8 December"))[0]
    line = chat.lines_fed

    printed = chat.say(f"@amina click availability.undo {undo_id(confirmation.text)} on m{line}")

    answers = said(printed)
    assert answers[0].text.startswith(
        f"Withdrawn: you are expected at the meeting of {DECEMBER}"
    ), printed
    [answer, notice] = answers
    assert notice.text == (
        f"Amina Odhiambo (@amina) withdrew their apologies for the meeting of {DECEMBER}."
    )
    assert notices(app) == []


def test_the_undo_button_can_be_clicked_as_the_console_docstring_shows(app, chat):
    confirmation = said(chat.say("@amina: /pn away 8 December"))[0]

    # bot/transports/console.py: `@alice click ACTION [VALUE] [on b3]`
    printed = chat.say(f"@amina click availability.undo {undo_id(confirmation.text)}")

    assert said(printed), printed


def test_someone_elses_undo_button_withdraws_nothing(app, chat):
    confirmation = said(chat.say("@amina: /pn away 8 December"))[0]
    line = chat.lines_fed
    before = snapshot(app.engine)

    printed = chat.say(f"@bruno click availability.undo {undo_id(confirmation.text)} on m{line}")

    [answer] = said(printed)
    assert answer.text == (
        "There is no apology of yours to undo there (it may be withdrawn already)."
    )
    assert snapshot(app.engine) == before


def test_away_for_a_day_with_no_meeting_near_says_which_are_next_and_records_nothing(app, chat):
    before = snapshot(app.engine)

    [answer] = said(chat.say("@amina: /pn away 20 December"))

    assert answer.text == (
        "There is no pn-ai meeting within 3 days of Sun 20 Dec 2026; the next: "
        f"{DECEMBER} (15:00 Africa/Nairobi), Tue 12 Jan 2027, 12:00 UTC (15:00 Africa/Nairobi)."
    )
    assert snapshot(app.engine) == before


def test_a_person_not_on_the_roster_cannot_send_apologies(app, chat):
    before = snapshot(app.engine)

    [answer] = said(chat.say("@zoe: /pn away"))

    assert answer.text == "Only people on the roster of pn-ai send apologies; see `roster`."
    assert snapshot(app.engine) == before


def test_away_before_any_meeting_is_scheduled_says_there_is_none(app, transcript):
    transcript.say("!roster-import roster.csv")
    before = snapshot(app.engine)

    [answer] = said(transcript.say("@amina: /pn away"))

    assert answer.text == (
        "pn-ai has no meeting scheduled yet, so there is nothing to send apologies for."
    )
    assert snapshot(app.engine) == before


def test_apologies_for_a_meeting_under_way_are_refused(app, chat):
    chat.say("!advance 7d3h30m")  # Tuesday 8 December, 12:30 UTC

    [answer] = said(chat.say("@amina: /pn away 2026-12-08"))

    assert answer.text == (f"The meeting of {DECEMBER} (15:00 Africa/Nairobi) has already started.")
    assert notices(app) == []


@pytest.mark.parametrize("when", ["8 December", "tuesday", "today"])
def test_on_the_morning_of_the_meeting_its_date_names_that_meeting(app, chat, when):
    chat.say("!advance 6d23h")  # Tuesday 8 December, 08:00 UTC

    printed = chat.say(f"@amina: /pn away {when}")

    assert said(printed)[0].text.startswith(
        f"Noted: you will miss the pn-ai meeting of {DECEMBER}"
    ), printed
    assert notices(app) == [("2026-12-08 12:00", "amina", None, "command")]


# said in chat --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "who", "text", "zone", "reason"),
    [
        (
            0,
            "chen",
            "apologies, I can't make the 8 December call",
            "20:00 Asia/Shanghai",
            None,
        ),
        (
            0,
            "hugo",
            "je ne pourrai pas assister à la réunion du 8 décembre",
            "13:00 Europe/Paris",
            None,
        ),
        (
            2,
            "rosa",
            "no podré asistir a la reunión del martes",
            "07:00 America/Lima",
            None,
        ),
        (
            0,
            "hugo",
            "Désolé, je ne pourrai pas assister à la réunion du 8 décembre car je serai en mission",
            "13:00 Europe/Paris",
            "je serai en mission",
        ),
        (
            2,
            "rosa",
            "no podré asistir a la reunión del martes porque estaré de viaje",
            "07:00 America/Lima",
            "estaré de viaje",
        ),
    ],
    ids=["english", "french", "spanish weekday", "french with reason", "spanish with reason"],
)
def test_a_notice_said_in_chat_is_recorded_and_confirmed_in_its_thread(
    app, chat, days, who, text, zone, reason
):
    chat.say(f"!advance {days}d")  # Thursday 3 December for "el martes"

    printed = chat.say(f"@{who}: {text}")

    line = chat.lines_fed
    confirmation, notice = said(printed)
    assert (confirmation.where, confirmation.thread, confirmation.only) == (
        "#pn-ai",
        f"m{line}",
        None,
    )
    shown = f" ({reason})" if reason else ""
    # the whole room reads the thread: the time is in UTC, not in the writer's zone
    assert confirmation.text.splitlines()[0] == (
        f"Noted: you will miss the pn-ai meeting of {DECEMBER}{shown}. "
        "The secretariat has been told. To undo: `back 2026-12-08`."
    )
    assert zone not in confirmation.text
    assert _UNDO.search(confirmation.text)
    assert notice.where == "dm facilitator"
    assert notice.text.startswith("Apologies from ") and f"(@{who})" in notice.text
    assert notices(app) == [("2026-12-08 12:00", who, reason, "chat")]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "peço desculpas, não poderei participar da reunião de terça porque estarei em viagem",
            "estarei em viagem",
        ),
        ("Não vou conseguir estar na call do dia 8, peço desculpa.", None),
    ],
    ids=["brazilian weekday with reason", "european day of the month"],
)
def test_a_portuguese_notice_is_recorded_for_the_meeting_it_names(app, chat, text, reason):
    chat.say("!advance 2d")  # Thursday 3 December: "terça" is the meeting's Tuesday, the 8th

    printed = chat.say(f"@paula: {text}")

    confirmation, notice = said(printed)
    shown = f" ({reason})" if reason else ""
    assert confirmation.text.splitlines()[0] == (
        f"Noted: you will miss the pn-ai meeting of {DECEMBER}{shown}. "
        "The secretariat has been told. To undo: `back 2026-12-08`."
    )
    assert (confirmation.where, confirmation.thread) == ("#pn-ai", f"m{chat.lines_fed}")
    assert notice.where == "dm facilitator" and "(@paula)" in notice.text
    assert notices(app) == [("2026-12-08 12:00", "paula", reason, "chat")]


def test_a_notice_in_chat_can_be_undone_from_its_thread(app, chat):
    confirmation = said(chat.say("@chen: apologies, I can't make the 8 December call"))[0]
    line = chat.lines_fed

    chat.say(f"@chen click availability.undo {undo_id(confirmation.text)} on m{line}")

    assert notices(app) == []


def test_a_spanish_weekday_written_on_that_weekday_means_today(app, chat):
    # Tuesday 1 December: "el martes" is today, a week before the meeting
    before = records(app)

    [answer] = said(chat.say("@rosa: no podré asistir a la reunión del martes"))

    assert answer.thread == f"m{chat.lines_fed}"
    assert answer.text.startswith(
        "That sounds like apologies for Tue 1 Dec 2026, but I recorded nothing. "
        "There is no pn-ai meeting within 3 days of Tue 1 Dec 2026"
    )
    assert records(app) == before


def test_a_notice_for_a_date_with_no_meeting_within_three_days_records_nothing(app, chat):
    before = records(app)

    printed = chat.say("@elif: apologies, I can't make the 20 December call")

    [answer] = said(printed)
    assert (answer.where, answer.thread) == ("#pn-ai", f"m{chat.lines_fed}")
    assert answer.text == (
        "That sounds like apologies for Sun 20 Dec 2026, but I recorded nothing. "
        "There is no pn-ai meeting within 3 days of Sun 20 Dec 2026; the next: "
        f"{DECEMBER} (13:00 Europe/Zurich), Tue 12 Jan 2027, 12:00 UTC (13:00 Europe/Zurich)."
    )
    assert records(app) == before


def test_a_notice_within_three_days_of_a_meeting_binds_to_it(app, chat):
    chat.say("@elif: apologies, I can't make the call on the 10th of December")

    assert notices(app) == [("2026-12-08 12:00", "elif", None, "chat")]


def test_a_notice_for_next_week_records_the_meeting_held_that_week(app, chat):
    chat.say("@elif: I won't be at the call next week, I'm on leave")

    assert notices(app) == [("2026-12-08 12:00", "elif", "I'm on leave", "chat")]


def test_a_notice_for_a_week_without_a_meeting_records_nothing_and_says_so(app, chat):
    before = records(app)

    [answer] = said(chat.say("@elif: I won't be at the call this week"))

    assert answer.text == (
        "That sounds like apologies for Mon 30 Nov 2026 to Sun 6 Dec 2026, but I recorded "
        "nothing: pn-ai has no meeting still to come on those days."
    )
    assert records(app) == before


@pytest.mark.parametrize(
    "text",
    ["I can't make the 9/12 call", "I can't make the call on Tuesday or Wednesday"],
    ids=["day and month either way", "two days"],
)
def test_a_notice_with_an_ambiguous_date_asks_which_and_records_nothing(app, chat, text):
    before = records(app)

    [answer] = said(chat.say(f"@chen: {text}"))

    assert (answer.where, answer.thread) == ("#pn-ai", f"m{chat.lines_fed}")
    assert answer.text == (
        "That sounds like apologies, but I can't tell which date you mean. "
        "To send them, write `away <date>`, e.g. `away 9 December`."
    )
    assert records(app) == before


def test_a_notice_from_someone_not_on_the_roster_is_not_recorded(app, chat):
    printed = chat.say("@zoe: apologies, I can't make the 8 December call")

    assert notices(app) == []
    assert not [s for s in said(printed) if s.where.startswith("dm ")], "nobody should be told"


@pytest.mark.parametrize(
    "text",
    [
        "hello everyone, lovely weather in Nairobi today",
        "apologies for the late reply, here is the draft",
        "I can't make sense of the new EU rules",
        "if I can't make the call I will send comments",
    ],
    ids=["small talk", "apology for something else", "can't make sense", "conditional"],
)
def test_unrelated_chat_gets_no_reply_and_records_nothing(app, chat, text):
    before = records(app)

    printed = chat.say(f"@amina: {text}")

    assert said(printed) == []
    assert records(app) == before


def test_one_notice_per_member_per_meeting_a_second_in_chat_updates_the_reason(app, chat):
    chat.say("@chen: apologies, I can't make the 8 December call")

    chat.say("@chen: sorry, I can't make the call on 8 December because of a flight")

    assert notices(app) == [("2026-12-08 12:00", "chen", "a flight", "chat")]


# the secretariat ------------------------------------------------------------------------------


@pytest.fixture
def secretariat_app(db_url):
    built = build(
        Settings(
            database_url=db_url,
            facilitators=frozenset({"facilitator"}),
            secretariat_room="#secretariat",
        )
    )
    yield built
    built.engine.dispose()


def test_with_a_secretariat_room_the_notice_is_posted_there_instead_of_a_dm(secretariat_app):
    chat = Transcript(secretariat_app)
    chat.say("!group pn-ai")
    chat.say("!roster-import roster.csv")
    chat.say(SCHEDULE)

    printed = chat.say("@chen: apologies, I can't make the 8 December call")

    confirmation, notice = said(printed)
    assert confirmation.thread == f"m{chat.lines_fed}"
    assert (notice.where, notice.text) == (
        "#secretariat",
        f"Apologies from Chen Wei (@chen) for the pn-ai meeting of {DECEMBER}.",
    )
    assert notice.post is not None
    assert not [s for s in said(printed) if s.where.startswith("dm ")]


def test_with_a_secretariat_room_a_withdrawal_is_posted_there_too(secretariat_app):
    chat = Transcript(secretariat_app)
    chat.say("!group pn-ai")
    chat.say("!roster-import roster.csv")
    chat.say(SCHEDULE)
    chat.say("@chen: /pn away")

    printed = chat.say("@chen: /pn back")

    assert [(s.where, s.text) for s in said(printed) if s.only is None] == [
        (
            "#secretariat",
            f"Chen Wei (@chen) withdrew their apologies for the meeting of {DECEMBER}.",
        )
    ]


def test_secretariat_people_on_the_roster_are_told_as_well_as_the_facilitator(chat):
    chat.say(
        '@facilitator: /pn member add @sekou group=civil-society region=africa gender=man org="Secretariat" role=secretariat'
    )

    printed = chat.say("@chen: /pn away")

    told = sorted(s.where for s in said(printed) if s.where.startswith("dm "))
    assert told == ["dm facilitator", "dm sekou"]


def test_a_notice_sent_to_the_bot_directly_is_recorded_and_answered_there(app, chat):
    printed = chat.say("@amina dm: apologies, I can't make the 8 December call")

    confirmation, notice = said(printed)
    assert confirmation.where == "dm amina"
    assert confirmation.text.startswith(f"Noted: you will miss the pn-ai meeting of {DECEMBER}")
    assert notice.where == "dm facilitator"
    assert notices(app) == [("2026-12-08 12:00", "amina", None, "chat")]


def test_apologies_follow_their_meeting_when_it_is_moved(app, chat):
    chat.say("@amina: /pn away 8 December travelling")

    chat.say("@facilitator: /pn meeting move 8 December to 2026-12-09 12:00 UTC")

    assert notices(app) == [("2026-12-09 12:00", "amina", "travelling", "command")]
