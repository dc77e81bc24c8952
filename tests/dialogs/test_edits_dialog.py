"""Edits and deletions of a captured message, through the console (`@amina edit m5: ...`,
`@amina delete m5`).

An edit is read again: the apologies, outreach announcement or objection the message gave
takes the new date or reason, or is withdrawn when the text is no notice any more; a message
that was none and now is one is captured. A deletion withdraws what the message gave, and the
author is told by a direct message. The group meets on the second Tuesday at 13:00 Paris time:
8 December 2026, then 12 January 2027; the clock starts on Tuesday 1 December, 09:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, date

import pytest
from support import DECEMBER, SCHEDULE, said

from bot.transports.console import ScriptError

JANUARY = "Tue 12 Jan 2027, 12:00 UTC"
NOTICE = "apologies, I can't make the 8 December call"
ANNOUNCEMENT = "I'll be presenting our work at RightsCon on 5 May in Taipei"


def notices(app) -> list[tuple[str, str, str | None]]:
    """(meeting start in UTC, member, reason) of every notice recorded."""
    with app.store() as uow:
        group = uow.groups.named("pn-ai")
        starts = {m.id: m.starts_at.astimezone(UTC) for m in uow.meetings.all(group.id)}
        return sorted(
            (f"{starts[a.meeting_id]:%Y-%m-%d}", a.handle, a.reason)
            for a in uow.apologies.for_meetings(starts)
        )


def outreach(app) -> list[tuple[int, str, date, str]]:
    with app.store() as uow:
        group = uow.groups.named("pn-ai")
        return [(r.id, r.event, r.date, r.status) for r in uow.outreach.all(group.id)]


def objections(app) -> list[tuple[int, str | None, str]]:
    with app.store() as uow:
        group = uow.groups.named("pn-ai")
        ids = [r.id for r in uow.outreach.all(group.id)]
        return [(o.id, o.reason, o.status) for o in uow.objections.for_outreach(ids)]


@pytest.fixture
def chat(transcript):
    transcript.say("!roster-import roster.csv")
    transcript.say(SCHEDULE)
    return transcript


def message_id(chat, line: str) -> str:
    """Say `line`; return the console id (mN) of the message it was."""
    confirmation = said(chat.say(line))[0]
    assert confirmation.thread and confirmation.thread.startswith("m"), confirmation
    return confirmation.thread


# apologies -------------------------------------------------------------------------------------


def test_an_edit_that_adds_a_reason_updates_the_notice_and_tells_the_secretariat(app, chat):
    m = message_id(chat, f"@amina: {NOTICE}")

    confirmation, notice = said(chat.say(f"@amina edit {m}: {NOTICE} because I am travelling"))

    assert (confirmation.where, confirmation.thread) == ("#pn-ai", m)
    assert confirmation.text == (
        f"Updated your apologies for the meeting of {DECEMBER}: I am travelling."
    )
    assert (notice.where, notice.text) == (
        "dm facilitator",
        f"Amina Odhiambo (@amina) updated their apologies for the pn-ai meeting of {DECEMBER}: "
        "I am travelling.",
    )
    assert notices(app) == [("2026-12-08", "amina", "I am travelling")]


def test_an_edit_to_another_date_moves_the_notice_to_that_meeting(app, chat):
    m = message_id(chat, f"@amina: {NOTICE}")

    confirmation, notice = said(
        chat.say(f"@amina edit {m}: apologies, I can't make the 12 January call")
    )

    assert confirmation.thread == m
    assert confirmation.first.startswith(
        f"Your edit moves your apologies from the meeting of {DECEMBER}. "
        f"Noted: you will miss the pn-ai meeting of {JANUARY}"
    )
    assert (
        notice.text == f"Apologies from Amina Odhiambo (@amina) for the pn-ai meeting of {JANUARY}."
    )
    assert notices(app) == [("2027-01-12", "amina", None)]


def test_an_edit_that_is_no_notice_any_more_withdraws_it(app, chat):
    m = message_id(chat, f"@amina: {NOTICE}")

    confirmation, notice = said(chat.say(f"@amina edit {m}: see you all on the call"))

    assert confirmation.thread == m
    assert confirmation.text == (
        "Your edited message no longer reads as apologies, so I withdrew your apologies: you "
        f"are expected at the meeting of {DECEMBER} (15:00 Africa/Nairobi) after all."
    )
    assert notice.text.endswith(f"withdrew their apologies for the meeting of {DECEMBER}.")
    assert notices(app) == []


def test_an_edit_to_a_date_without_a_meeting_changes_nothing_and_says_why(app, chat):
    m = message_id(chat, f"@amina: {NOTICE}")

    [answer] = said(chat.say(f"@amina edit {m}: apologies, I can't make the 20 December call"))

    assert answer.thread == m
    assert answer.text.startswith("Your edited message sounds like apologies for ")
    assert answer.text.endswith(f"Your apologies for the meeting of {DECEMBER} stand.")
    assert notices(app) == [("2026-12-08", "amina", None)]


def test_a_message_edited_into_a_notice_is_captured(app, chat):
    chat.say("@chen: hello all")
    m = f"m{chat.lines_fed}"
    assert notices(app) == []

    confirmation, _ = said(chat.say(f"@chen edit {m}: {NOTICE}"))

    assert confirmation.thread == m
    assert confirmation.first.startswith(f"Noted: you will miss the pn-ai meeting of {DECEMBER}")
    assert notices(app) == [("2026-12-08", "chen", None)]


def test_deleting_a_notice_withdraws_it_and_tells_its_author_privately(app, chat):
    m = message_id(chat, f"@amina: {NOTICE}")

    printed = chat.say(f"@amina delete {m}")

    assert [(s.where, s.text) for s in said(printed)] == [
        (
            "dm amina",
            "You deleted your message, so I withdrew your apologies: you are expected at the "
            f"meeting of {DECEMBER} (15:00 Africa/Nairobi) after all.",
        ),
        (
            "dm facilitator",
            f"Amina Odhiambo (@amina) withdrew their apologies for the meeting of {DECEMBER}.",
        ),
    ]
    assert notices(app) == []


def test_deleting_a_message_that_gave_nothing_says_nothing(app, chat):
    chat.say("@chen: hello all")

    assert said(chat.say(f"@chen delete m{chat.lines_fed}")) == []


def test_a_notice_withdrawn_by_command_is_not_withdrawn_again_by_a_deletion(app, chat):
    m = message_id(chat, f"@amina: {NOTICE}")
    chat.say("@amina: /pn back")
    chat.say("@amina: /pn away 8 December")

    assert said(chat.say(f"@amina delete {m}")) == []
    assert notices(app) == [("2026-12-08", "amina", None)]


def test_only_the_author_edits_a_message(chat):
    m = message_id(chat, f"@amina: {NOTICE}")

    with pytest.raises(ScriptError, match=f"{m} is no message of @chen"):
        chat.say(f"@chen edit {m}: hello")


# outreach and objections -----------------------------------------------------------------------


def test_an_edited_announcement_takes_the_new_date_and_says_so_in_the_announcement_thread(
    app, chat
):
    m = message_id(chat, f"@amina: {ANNOUNCEMENT}")

    confirmation, post = said(
        chat.say(f"@amina edit {m}: {ANNOUNCEMENT.replace('5 May', '6 May')}")
    )

    assert confirmation.thread == m
    assert confirmation.text.startswith(
        "Updated outreach 1: RightsCon in Taipei on Thu 6 May 2027; objections are open until "
    )
    assert (post.thread, post.text) == (
        "b1",
        "Outreach 1 was changed by @amina: RightsCon in Taipei on Thu 6 May 2027. "
        "Objections are open again until Fri 4 Dec 2026, 09:00 UTC.",
    )
    assert outreach(app) == [(1, "RightsCon", date(2027, 5, 6), "announced")]


def test_deleting_an_announcement_withdraws_it(app, chat):
    m = message_id(chat, f"@amina: {ANNOUNCEMENT}")

    printed = chat.say(f"@amina delete {m}")

    assert [(s.where, s.thread, s.text) for s in said(printed)] == [
        ("dm amina", None, "You deleted your message, so I withdrew outreach 1 (RightsCon)."),
        ("#pn-ai", "b1", "Outreach 1 was withdrawn by @amina."),
    ]
    assert outreach(app) == [(1, "RightsCon", date(2027, 5, 5), "withdrawn")]


def test_an_objection_edited_in_its_thread_takes_the_new_reason_then_is_withdrawn(app, chat):
    chat.say(f"@amina: {ANNOUNCEMENT}")
    chat.say("@bruno thread b1: I object: the sponsor is a vendor we assess")
    m = f"m{chat.lines_fed}"

    changed = said(chat.say(f"@bruno edit {m}: I object: the event is not multistakeholder"))

    assert (changed[0].thread, changed[0].text) == (
        "b1",
        "Updated after your edit. Recorded your objection 1 to outreach 1 (RightsCon): the event "
        "is not multistakeholder. To take it back: `withdraw 1`.",
    )
    assert objections(app) == [(1, "the event is not multistakeholder", "standing")]

    gone = said(chat.say(f"@bruno edit {m}: thanks for letting us know"))

    assert (gone[0].thread, gone[0].text) == (
        "b1",
        "Your edited message is no longer an objection, so I withdrew your objection 1 to outreach 1.",
    )
    assert "dm facilitator" in [s.where for s in gone]
    assert objections(app) == [(1, "the event is not multistakeholder", "withdrawn")]


def test_an_edit_replayed_with_the_same_key_is_processed_once(app, chat):
    m = message_id(chat, f"@amina: {NOTICE}")
    line = f"@amina edit {m}: apologies, I can't make the 12 January call"
    chat.say(line)
    number = chat.lines_fed

    start = chat.out.tell()
    chat.console.feed(line, number)  # the same line number: the same idempotency key

    assert said(chat.out.getvalue()[start:]) == []  # a second run would confirm "Updated ..."
    assert notices(app) == [("2027-01-12", "amina", None)]
