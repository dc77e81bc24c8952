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
