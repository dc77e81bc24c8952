"""Nothing that was said is rewritten, through the console: a withdrawn notice stays (and an
old Undo button never acts on a newer one), a notice for a meeting that has started is not
withdrawn by any means, a removed member keeps their past, and `member edit` keeps the
earlier values so the composition on a past date can be shown.

pn-ai meets on the second Tuesday at 13:00 Paris time: Tuesday 8 December 2026, 12:00 UTC.
The clock starts on Tuesday 1 December, 09:00 UTC.
"""

from __future__ import annotations

import json
import re

import pytest
from support import DECEMBER, SCHEDULE, Transcript, said, snapshot, the_reply, twin_database

from bot.app import build
from bot.config import Settings
from storage.archive import export, restore

_UNDO = re.compile(r"\[Undo: click availability\.undo (\d+)\]$")
AFTER_DECEMBER = "!now 2026-12-08 14:00 UTC\n!advance 1m"
NOTICE = "apologies, I can't make the 8 December call"


def undo_of(printed: str) -> str:
    found = _UNDO.search(said(printed)[0].text)
    assert found, printed
    return found[1]


def group_record(app) -> dict:
    with app.store() as uow:
        return export(uow.session)["groups"][0]


def apologies_of(app, handle: str) -> list[tuple[str, str]]:
    """(status, reason) of every notice `handle` ever gave, in the export's order."""
    return [
        (a["status"], a["reason"])
        for m in group_record(app)["meetings"]
        for a in m["apologies"]
        if a["member"] == handle
    ]


@pytest.fixture
def chat(transcript):
    transcript.say("!roster-import roster.csv")
    transcript.say(SCHEDULE)
    return transcript


# withdrawn, not deleted; a button never points at another record ------------------------------


def test_an_old_undo_button_never_withdraws_a_newer_notice(app, chat):
    first = undo_of(chat.say("@amina: /pn away 8 December travelling"))
    chat.say(f"@amina click availability.undo {first}")
    # Once, the id of a deleted row went to the next one: hugo's, then amina's again.
    hugo = undo_of(chat.say("@hugo: /pn away 8 December"))
    again = undo_of(chat.say("@amina: /pn away 8 December a clash"))

    printed = chat.say(f"@amina click availability.undo {first}")

    assert len({first, hugo, again}) == 3
    assert the_reply(printed).text == (
        f"Your apologies for the meeting of {DECEMBER} (15:00 Africa/Nairobi) are withdrawn "
        "already."
    )
    assert apologies_of(app, "amina") == [("withdrawn", "travelling"), ("standing", "a clash")]
    assert apologies_of(app, "hugo") == [("standing", None)]


def test_someone_else_s_old_button_withdraws_nothing(app, chat):
    first = undo_of(chat.say("@amina: /pn away 8 December"))
    chat.say(f"@amina click availability.undo {first}")
    chat.say("@hugo: /pn away 8 December")

    printed = chat.say(f"@hugo click availability.undo {first}")

    assert the_reply(printed).text.startswith("There is no apology of yours to undo there")
    assert apologies_of(app, "hugo") == [("standing", None)]


def test_back_withdraws_the_notice_and_the_record_keeps_it(app, chat):
    chat.say("@amina: /pn away 8 December travelling")

    chat.say("@amina: /pn back 8 December")

    [meeting_apology] = [a for m in group_record(app)["meetings"] for a in m["apologies"]]
    assert meeting_apology["status"] == "withdrawn"
    assert meeting_apology["withdrawn_at"] == "2026-12-01T09:00:00+00:00"


# no withdrawal once the meeting has started ----------------------------------------------------


def test_an_undo_click_after_the_meeting_is_refused_and_the_notice_still_excuses(app, chat):
    undo = undo_of(chat.say("@amina: /pn away 8 December travelling"))
    chat.say(AFTER_DECEMBER)
    before = snapshot(app.engine)

    printed = chat.say(f"@amina click availability.undo {undo}")

    assert the_reply(printed).text == (
        f"The meeting of {DECEMBER} (15:00 Africa/Nairobi) has already started; your apologies "
        "for it stay on the record."
    )
    assert {k: v for k, v in snapshot(app.engine).items() if k != "processed_events"} == {
        k: v for k, v in before.items() if k != "processed_events"
    }
    chat.say("@facilitator: /pn attended @bruno")
    shown = the_reply(chat.say("@facilitator: /pn attendance 2026-12-08")).text
    assert "  apologies: @amina" in shown.splitlines()


def test_deleting_the_message_after_the_meeting_withdraws_nothing(app, chat):
    chat.say(f"@amina: {NOTICE}")
    message = f"m{chat.lines_fed}"
    chat.say(AFTER_DECEMBER)

    printed = chat.say(f"@amina delete {message}")

    assert [(s.where, s.text) for s in said(printed)] == [
        (
            "dm amina",
            f"You deleted your message, but the meeting of {DECEMBER} (15:00 Africa/Nairobi) has "
            "already started: your apologies for it stay on the record.",
        )
    ]
    assert apologies_of(app, "amina") == [("standing", None)]


def test_editing_the_message_after_the_meeting_keeps_the_notice_as_it_was(app, chat):
    chat.say(f"@amina: {NOTICE}")
    message = f"m{chat.lines_fed}"
    chat.say(AFTER_DECEMBER)

    [answer] = said(chat.say(f"@amina edit {message}: see you all on the call"))

    # in the message's thread, seen by all: the time in UTC only (a zone is personal)
    assert answer.text == (
        f"The meeting of {DECEMBER} has already started; your apologies for it stay on the "
        "record as they were."
    )
    assert apologies_of(app, "amina") == [("standing", None)]


def test_an_undo_after_the_meeting_does_not_make_an_absence_without_notice(chat):
    # amina missed December without a word, then sent apologies for January
    undo = undo_of(chat.say("@amina: /pn away 12 January"))
    chat.say(AFTER_DECEMBER)
    chat.say("@facilitator: /pn attended @bruno")
    chat.say("!now 2027-01-12 14:00 UTC\n!advance 1m")
    chat.say("@facilitator: /pn attended @bruno")

    refused = the_reply(chat.say(f"@amina click availability.undo {undo}"))
    overview = the_reply(chat.say("@facilitator: /pn attendance")).text

    assert refused.text.startswith("The meeting of Tue 12 Jan 2027, 12:00 UTC")
    assert "  @amina: 0 / 1 / 1" in overview.splitlines()
    twice = [line for line in overview.splitlines() if "twice in a row" in line]
    assert twice and "@amina" not in twice[0]


# membership history ---------------------------------------------------------------------------


@pytest.fixture
def voted(chat):
    """Hugo blocks poll 1 (closed on 3 December) and poll 2 (open until 15 December), was
    absent from the meeting of 8 December, and is removed on 9 December."""
    chat.say(
        """
        @facilitator: /pn poll "Adopt the glossary?" closes=2d
        @facilitator: /pn poll "Publish the report?" closes=14d
        @hugo: /pn vote 1 block the definitions favour one vendor
        @amina: /pn vote 1 agree
        @hugo: /pn vote 2 block the sponsor conflict
        @amina: /pn vote 2 agree
        !now 2026-12-08 14:00 UTC
        !advance 1m
        @facilitator: /pn attended @amina @bruno
        !advance 1d
        """
    )
    return chat


def test_member_remove_keeps_a_past_meeting_s_attendance_as_it_was(voted):
    before = the_reply(voted.say("@facilitator: /pn attendance 2026-12-08")).text

    removed = the_reply(voted.say("@facilitator: /pn member remove @hugo left Telecom Europe"))
    after = the_reply(voted.say("@facilitator: /pn attendance 2026-12-08")).text

    assert removed.text.startswith("Removed Hugo Martin (@hugo) from the roster of pn-ai (left ")
    assert "@hugo" in before
    assert after == before


def test_a_removed_member_s_vote_stays_in_a_closed_poll_and_leaves_an_open_one(voted):
    closed_before = the_reply(voted.say("@amina: /pn poll show 1")).text

    voted.say("@facilitator: /pn member remove @hugo")
    closed_after = the_reply(voted.say("@amina: /pn poll show 1")).text
    voted.say("@facilitator: /pn poll close 2")
    open_then_closed = the_reply(voted.say("@amina: /pn poll show 2")).text

    assert "Dissent, block: @hugo" in closed_before
    assert closed_after == closed_before
    # in the poll still open when he left, his vote counts nowhere: not counted, not listed
    assert "Votes: agree 1, abstain 0, disagree 0, block 0." in open_then_closed
    assert "@hugo" not in open_then_closed


def test_former_members_are_listed_with_their_period_and_reason(voted):
    voted.say("@facilitator: /pn member remove @hugo left Telecom Europe")

    roster = the_reply(voted.say("@facilitator: /pn roster")).text
    everyone = the_reply(voted.say("@facilitator: /pn roster all")).text

    assert "(@hugo)" not in roster
    assert roster.splitlines()[-1] == "Former members: 1 (`roster all` lists them)."
    assert everyone.splitlines()[-2:] == [
        "Former members (1), as they were when they left:",
        "  Hugo Martin (@hugo) — Telecom Europe, private-sector, western-europe-others "
        "(Tue 1 Dec 2026 – Wed 9 Dec 2026; left Telecom Europe)",
    ]


def test_a_former_member_added_again_gets_a_new_membership_period(app, voted):
    voted.say("@facilitator: /pn member remove @hugo")
    voted.say("!advance 1d")

    voted.say(
        "@facilitator: /pn member add @hugo group=civil-society region=western-europe-others "
        'gender=man org="Open Rights Group"'
    )

    periods = [
        (m["added_at"][:10], (m["removed_at"] or "")[:10], m["stakeholder_group"])
        for m in group_record(app)["members"]
        if m["handle"] == "hugo"
    ]
    assert periods == [
        ("2026-12-01", "2026-12-09", "private-sector"),
        ("2026-12-10", "", "civil-society"),
    ]
    shown = the_reply(voted.say("@hugo: /pn member show")).text
    assert "Stakeholder group: civil-society" in shown


def test_member_edit_keeps_the_earlier_values_and_balance_on_a_date_shows_them(app, chat):
    december_8 = the_reply(chat.say("@facilitator: /pn balance")).text
    chat.say("!now 2026-12-10 09:00 UTC")

    edited = the_reply(
        chat.say('@facilitator: /pn member edit @hugo group=civil-society org="Open Rights Group"')
    )
    chat.say("@facilitator: /pn member remove @dana")
    now = the_reply(chat.say("@facilitator: /pn balance")).text
    then = the_reply(chat.say("@facilitator: /pn balance on=2026-12-08")).text

    assert edited.text.startswith(
        "Updated Hugo Martin (@hugo) in pn-ai: stakeholder group private-sector → civil-society; "
        "organisation Telecom Europe → Open Rights Group."
    )
    assert then == december_8.replace(
        "Composition of pn-ai:", "Composition of pn-ai on Tue 8 Dec 2026:"
    )
    assert now != december_8
    assert any(line.startswith("  civil-society: 5 ") for line in now.splitlines())
    assert any(line.startswith("  private-sector: 3 ") for line in now.splitlines())
    changes = next(m for m in group_record(app)["members"] if m["handle"] == "hugo")["changes"]
    assert [c["field"] for c in changes] == ["stakeholder_group", "organisation"]
    assert changes[0] == {
        "field": "stakeholder_group",
        "old": "private-sector",
        "new": "civil-society",
        "at": "2026-12-10T09:00:00+00:00",
        "by": "facilitator",
    }


def test_member_edit_with_a_bad_value_changes_nothing(app, chat):
    before = snapshot(app.engine)

    answer = the_reply(chat.say("@facilitator: /pn member edit @hugo region=atlantis"))

    assert "`atlantis` is not a region" in answer.text
    after = snapshot(app.engine)
    assert {k: v for k, v in after.items() if k != "processed_events"} == {
        k: v for k, v in before.items() if k != "processed_events"
    }


# the record, exported -------------------------------------------------------------------------


@pytest.fixture
def twin_url(db_url, tmp_path):
    with twin_database(db_url, tmp_path) as url:
        yield url


def test_export_import_export_is_identical_with_former_members_periods_and_withdrawals(
    app, voted, twin_url
):
    voted.say(
        """
        @facilitator: /pn member edit @amina org="Open Data Institute"
        @facilitator: /pn member remove @hugo left Telecom Europe
        @chen: /pn away 12 January
        @chen: /pn back 12 January
        @chen: /pn away 12 January a clash after all
        !advance 1d
        @facilitator: /pn member add @hugo group=civil-society region=western-europe-others gender=man org="Open Rights Group"
        """
    )
    with app.store() as uow:
        first = json.dumps(export(uow.session), indent=2, ensure_ascii=False, sort_keys=True)
    record = json.loads(first)["groups"][0]
    assert [m["removed_reason"] for m in record["members"] if m["handle"] == "hugo"] == [
        "left Telecom Europe",
        None,
    ]
    assert [len(m["changes"]) for m in record["members"] if m["handle"] == "amina"] == [1]
    assert sorted(
        a["status"] for m in record["meetings"] for a in m["apologies"] if a["member"] == "chen"
    ) == ["standing", "withdrawn"]

    twin = build(Settings(database_url=twin_url, facilitators=frozenset({"facilitator"})))
    try:
        with twin.store() as uow:
            assert restore(uow.session, json.loads(first)) == 1
            uow.commit()
        with twin.store() as uow:
            second = json.dumps(export(uow.session), indent=2, ensure_ascii=False, sort_keys=True)
        reader = Transcript(twin)
        reader.say("!group pn-ai")
        reader.say("!now 2026-12-10 12:00 UTC")
        shown = the_reply(reader.say("@facilitator: /pn attendance 2026-12-08")).text
    finally:
        twin.engine.dispose()

    assert second == first
    assert "@hugo" in shown
