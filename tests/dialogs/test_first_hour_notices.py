"""What a new facilitator tripped on in the first hour, around polls, notices and issues:
choice polls decided by the option chosen, nudges with time left to act, reports after the
event, repeated apologies, public notices of support, issues taken off an agenda, observers'
objections, who may still vote, room posts in UTC, and wording read as a person would.

The clock starts on Tuesday 1 December 2026 at 09:00 UTC.
"""

from __future__ import annotations

import pytest
from support import MEMBERS, SCHEDULE, dms, said, snapshot, the_reply

from storage.archive import export

WHEN = "When should the public consultation run?"


@pytest.fixture
def chat(transcript):
    """pn-ai with the example roster, an observer, the secretariat and monthly meetings."""
    transcript.say(
        f"""
        !roster-import roster.csv
        @facilitator: /pn member add @olga group=government region=eastern-europe gender=woman org="Observer Institute" role=observer
        @facilitator: /pn member add @sekou group=civil-society region=africa gender=man org="Secretariat" role=secretariat
        {SCHEDULE}
        """
    )
    return transcript


def posts(printed: str):
    return [s for s in said(printed) if s.post]


# choice polls -----------------------------------------------------------------------------------


@pytest.fixture
def choosing(chat):
    """Poll 1, a choice between three months, open for five days."""
    printed = chat.say(f'@facilitator: /pn poll "{WHEN}" options=march,april,may closes=5d')
    chat.opened = printed
    return chat


def test_a_choice_poll_asks_no_reasons_and_tells_members_a_poll_is_open(choosing):
    [post] = posts(choosing.opened)
    assert post.lines[-2] == "Vote: `vote 1 <option> [reason]`."
    assert "reason is needed" not in post.text
    told = dms(choosing.opened)
    assert set(told) == MEMBERS
    assert told["amina"][0].startswith("A poll is open in pn-ai, until ")
    assert "consensus" not in told["amina"][0]


def test_a_choice_poll_is_closed_with_its_votes_per_option_and_its_choice_declared(app, choosing):
    for member in ("amina", "bruno", "chen"):
        choosing.say(f"@{member}: /pn vote 1 april")
    choosing.say("@dana: /pn vote 1 march")
    choosing.say("@olga: /pn vote 1 may")

    [closed] = posts(choosing.say("@facilitator: /pn poll close 1"))
    assert closed.lines[1] == "Votes: march 1, april 3, may 0."
    assert "Most votes: april (3 votes; the facilitator declares the choice)." in closed.lines
    assert not any(line.startswith(("Suggested outcome", "Dissent")) for line in closed.lines)
    assert closed.lines[-1] == (
        'The facilitator declares the outcome: `outcome 1 <option>|no-choice "<rationale>"`.'
    )

    before = snapshot(app.engine)
    refused = the_reply(choosing.say('@facilitator: /pn outcome 1 consensus "Most can come"'))
    assert refused.text == (
        "`consensus` is not an option of poll 1: name the one chosen (march, april, may) "
        "or say no-choice."
    )
    assert snapshot(app.engine) == before

    declared = said(choosing.say('@facilitator: /pn outcome 1 april "Most members can attend"'))
    assert [s.text for s in declared] == [
        "Declared: april.",
        f"Outcome of poll 1 ({WHEN}): april chosen. Most members can attend",
    ]
    assert the_reply(choosing.say("@amina: /pn decisions")).lines[2] == (
        "    april chosen: Most members can attend"
    )
    with app.store() as uow:
        [poll] = export(uow.session)["groups"][0]["polls"]
    assert poll["outcome"]["decision"] == "april"


def test_a_consensus_poll_still_takes_consensus_or_not(chat):
    chat.say('@facilitator: /pn poll "Adopt the outline?" closes=2d')
    chat.say("@facilitator: /pn poll close 1")
    refused = the_reply(chat.say('@facilitator: /pn outcome 1 april "No"'))
    assert refused.text == "`april` is not an outcome: say consensus or no-consensus."


# nudges -----------------------------------------------------------------------------------------


def test_a_poll_closing_within_a_day_nudges_half_way_not_at_the_opening(chat):
    opened = chat.say('@facilitator: /pn poll "Adopt the outline?" closes=12h')
    assert all(text.startswith("A consensus poll is open") for [text] in dms(opened).values())
    chat.say("@amina: /pn vote 1 agree")
    assert not set(dms(chat.say("!advance 5h"))) & MEMBERS

    nudged = chat.say("!advance 2h")
    assert set(dms(nudged)) == MEMBERS - {"amina"}
    assert {s.at for s in said(nudged)} == {"2026-12-01 15:00 UTC"}
    assert dms(nudged)["bruno"][0].startswith("Poll 1 closes Tue 1 Dec 2026, 21:00 UTC")


def test_a_poll_too_short_to_act_on_sends_no_nudge(chat):
    chat.say('@facilitator: /pn poll "Adopt the outline?" closes=3h')
    closing = chat.say("!advance 3h")
    assert not set(dms(closing)) & MEMBERS
    assert [s.first for s in posts(closing)] == ["Poll 1 is closed: Adopt the outline?"]


# outreach reports -------------------------------------------------------------------------------


def test_a_report_waits_for_the_event_and_a_withdrawn_outreach_has_none(app, chat):
    chat.say("@amina: /pn outreach RightsCon on 3 December at Taipei")
    chat.say("@amina: /pn outreach IGF on 4 December")
    chat.say("@amina: /pn outreach withdraw 2")

    before = snapshot(app.engine)
    early = the_reply(chat.say("@amina: /pn report 1 Full room"))
    assert early.text == "RightsCon is on Thu 3 Dec 2026; report on it once it has taken place."
    assert snapshot(app.engine) == before
    chat.say("!advance 3d")
    before = snapshot(app.engine)
    withdrawn = the_reply(chat.say("@amina: /pn report 2 Full room"))
    assert withdrawn.text == ("Outreach 2 (IGF) is withdrawn: there is no outreach to report on.")
    assert snapshot(app.engine) == before

    kept = the_reply(chat.say("@amina: /pn report 1 Full room, good questions"))
    assert kept.text == "Thank you; your report on RightsCon is kept with the record."


# apologies --------------------------------------------------------------------------------------


def test_a_repeated_apology_is_acknowledged_and_tells_no_one_again(app, chat):
    first = chat.say(
        "@amina: Apologies, I can't make the 8 December call. I'm travelling to the IGF"
    )
    assert "sekou" in dms(first)
    assert dms(first)["sekou"][0].endswith(": I'm travelling to the IGF")

    repeated = said(chat.say("@amina: /pn away 8 December"))
    assert [(s.only, s.first) for s in repeated] == [
        (
            "amina",
            "You had already sent apologies for the meeting of Tue 8 Dec 2026, 12:00 UTC "
            "(15:00 Africa/Nairobi); the secretariat knows (reason: I'm travelling to the IGF). "
            "To undo: `back 2026-12-08`.",
        )
    ]

    changed = chat.say("@amina: /pn away 8 December a family emergency")
    assert dms(changed)["sekou"] == [
        "Amina Odhiambo (@amina) gives a new reason for missing the pn-ai meeting of "
        "Tue 8 Dec 2026, 12:00 UTC: a family emergency"
    ]


def test_the_reason_in_a_chat_apology_is_kept(app, chat):
    chat.say("@amina: I can't make it on 8 December, I'm travelling to the IGF")
    with app.store() as uow:
        [meeting] = export(uow.session)["groups"][0]["meetings"][:1]
    assert [a["reason"] for a in meeting["apologies"]] == ["I'm travelling to the IGF"]


# emerging issues --------------------------------------------------------------------------------

ISSUE = "New EU rules on AI audits affect our recommendations"
PROPOSED = (
    f"Emerging issue #1 ({ISSUE}), raised by @amina, is backed by members of civil-society "
    "and technical-community and proposed for the agenda of Tue 8 Dec 2026, 12:00 UTC."
)


@pytest.mark.parametrize("support", ["@bruno: /pn support 1", "@bruno react :+1: r1"])
def test_support_crossing_the_threshold_is_told_to_the_room_either_way(chat, support):
    raised = said(chat.say(f"@amina: /pn raise {ISSUE}"))
    assert raised[0].post == "r1"

    printed = said(chat.say(support))
    assert [(s.where, s.only, s.text) for s in printed] == [
        (
            "#pn-ai",
            "bruno",
            "You support issue #1 (2 supporters from 2 stakeholder groups). It is now "
            "proposed for the agenda of Tue 8 Dec 2026, 12:00 UTC (09:00 America/Montevideo).",
        ),
        ("#pn-ai", None, PROPOSED),
    ]


def test_support_below_the_threshold_is_acknowledged_privately(chat):
    chat.say(f"@amina: /pn raise {ISSUE}")
    reply = the_reply(chat.say("@farid: /pn support 1"))
    assert (reply.only, reply.text) == (
        "farid",
        "You support issue #1 (2 supporters from 1 stakeholder group).",
    )


def test_an_issue_taken_off_the_agenda_is_not_stranded(app, chat):
    chat.say(
        f"""
        @amina: /pn raise {ISSUE}
        @bruno: /pn support 1
        """
    )
    removed = the_reply(chat.say("@facilitator: /pn agenda remove 1 covered by the outline"))
    assert removed.lines == [
        f"Removed item 1 (Emerging issue #1: {ISSUE}) from the agenda. Reason: covered by "
        "the outline",
        "Emerging issue #1 is open again, with its support. The facilitator can put it on a "
        "later agenda (`agenda add`) or settle it: `issue close|defer|resolve 1 [note]`.",
    ]

    before = snapshot(app.engine)
    assert the_reply(chat.say("@amina: /pn issue close 1")).text.startswith("Only the facilitator")
    assert snapshot(app.engine) == before

    deferred = the_reply(chat.say("@facilitator: /pn issue defer 1 until the outline is out"))
    assert deferred.text == (
        f"Emerging issue #1 ({ISSUE}) is deferred by the facilitator. "
        "Note: until the outline is out"
    )
    assert "#1 [deferred]" in the_reply(chat.say("@amina: /pn issues")).text
    chat.say("@facilitator: /pn issue resolve 1 covered in the outline")
    assert the_reply(chat.say("@amina: /pn issues")).text.startswith("No emerging issues")
    refused = the_reply(chat.say("@facilitator: /pn issue close 1"))
    assert refused.text == "Issue #1 is resolved already."
    audit = the_reply(chat.say("@facilitator: /pn audit")).text
    assert "issue resolve, issue #1: deferred -> resolved (reason: covered in the outline)" in audit


# observers' objections --------------------------------------------------------------------------


def test_an_observers_objection_is_recorded_as_advisory_and_opens_no_poll(app, chat):
    chat.say("@amina: /pn outreach RightsCon on 5 May at Taipei")

    printed = chat.say("@olga: /pn object 1 the venue is not neutral")
    reply = [s for s in said(printed) if s.only == "olga"]
    assert [s.text for s in reply] == [
        "Recorded your advisory objection 1 to outreach 1 (RightsCon): the venue is not "
        "neutral. As an observer you are heard: the facilitator and the group see it, but "
        "only members' objections open a poll. To take it back: `withdraw 1`."
    ]
    assert dms(printed)["sekou"] == [
        "Advisory objection (observer) 1 by @olga to outreach 1 (RightsCon in Taipei on "
        "Wed 5 May 2027 by @amina): the venue is not neutral."
    ]

    closed = chat.say("!advance 3d")
    assert [s.text for s in posts(closed) if "outreach 1" in s.text] == [
        "No member objected: outreach 1 is cleared. Observers' advisory objections: @olga: "
        "the venue is not neutral. Good luck at RightsCon, @amina!"
    ]
    with app.store() as uow:
        assert uow.polls.all(uow.groups.named("pn-ai").id) == []


# poll show --------------------------------------------------------------------------------------


def test_poll_show_tells_the_facilitator_who_has_not_voted_and_a_member_their_vote(chat):
    chat.say('@facilitator: /pn poll "Adopt the outline?" closes=2d')
    voters = sorted(MEMBERS - {"amina", "bruno"})
    for member in voters:
        chat.say(f"@{member}: /pn vote 1 agree")
    chat.say("@bruno: /pn vote 1 disagree too early")

    staff = the_reply(chat.say("@facilitator: /pn poll show 1"))
    assert "Not voted yet: @amina." in staff.lines
    mine = the_reply(chat.say("@bruno: /pn poll show 1"))
    assert mine.lines[-2:-1] == ["Your vote: disagree: too early."]  # above the buttons
    assert not any(line.startswith("Not voted yet") for line in mine.lines)
    waiting = the_reply(chat.say("@amina: /pn poll show 1"))
    assert waiting.lines[-2:-1] == ["You have not voted yet: `vote 1 <option> [reason]`."]
