"""Rough-consensus polls, through the console: from an outreach announcement to the outcome.

Decisions are made by rough consensus where every member has an equal say (terms of
reference III): each member and co-moderator votes, a new vote replacing the old until the
poll closes; observers may give an advisory view that is never counted; the neutral
facilitator and the secretariat do not vote. The bot tells every member privately when a poll
opens, nudges those who have not voted 24 hours before it closes, closes it at its deadline
and posts the tally: counts overall and per stakeholder group, turnout, quorum, a suggested
outcome, the groups with no support and every dissent with its reason. The facilitator
declares the outcome with a rationale; for an outreach poll that clears or declines the
outreach.
"""

from __future__ import annotations

import json

import pytest
from support import MEMBERS, Said, dms, said, snapshot, the_reply, twin_database

from bot.app import build
from bot.config import Settings
from storage.archive import export, restore

RIGHTSCON = "RightsCon in Taipei on Wed 5 May 2027"
OUTREACH_QUESTION = (
    f"Should Amina Odhiambo present the group's work at {RIGHTSCON}? "
    "Objections: @bruno: the event is sponsored by a vendor we assess"
)
QUESTION = "Should the output recommend a common incident reporting format?"
BUTTONS = (
    "[agree: click poll.vote 1:agree] [abstain: click poll.vote 1:abstain] "
    "[disagree: click poll.vote 1:disagree] [block: click poll.vote 1:block]"
)
OPTION_LINES = [
    "  agree — I support this",
    "  abstain — I stand aside and will not stop it",
    "  disagree — I have concerns but will not block (say why)",
    "  block — I cannot accept this (say why)",
]


def posts(printed: str) -> list[Said]:
    return [s for s in said(printed) if s.post]


def votes(app, poll: int = 1) -> dict[str, tuple[str, str | None, bool]]:
    """{member: (option, reason, advisory)} as stored."""
    with app.store() as uow:
        return {v.member: (v.option, v.reason, v.advisory) for v in uow.votes.for_poll(poll)}


def outreach_status(app, number: int = 1) -> str:
    with app.store() as uow:
        return uow.outreach.get(uow.groups.named("pn-ai").id, number).status


def tally_lines(text: str) -> list[str]:
    """The lines of a closing post from `Votes:` on."""
    lines = text.splitlines()
    return lines[next(i for i, line in enumerate(lines) if line.startswith("Votes:")) :]


@pytest.fixture
def chat(transcript):
    """pn-ai on Tuesday 1 December 2026, 09:00 UTC: the example roster (20 with an equal say:
    bruno is a co-moderator), @olga an observer, @sekou of the secretariat and @fiona, a
    facilitator on the roster."""
    transcript.say(
        """
        !roster-import roster.csv
        @facilitator: /pn member add @olga group=government region=eastern-europe gender=woman org="Observer Institute" role=observer
        @facilitator: /pn member add @sekou group=civil-society region=africa gender=man org="Secretariat" role=secretariat
        @facilitator: /pn member add @fiona group=intergovernmental region=western-europe-others gender=woman org="IGF Secretariat" role=facilitator
        """
    )
    return transcript


@pytest.fixture
def polling(chat):
    """The facilitator's poll 1, open until Sunday 6 December, 09:00 UTC."""
    printed = chat.say(f'@facilitator: /pn poll "{QUESTION}" closes=5d')
    assert "Opened poll 1" in printed
    return chat


# the whole chain --------------------------------------------------------------------------------


def test_the_whole_chain_from_a_chat_announcement_to_the_outreach_declined(app, chat):
    # an announcement captured from chat, and an objection in its thread
    chat.say("@amina: I'll be presenting our work at RightsCon on 5 May in Taipei")
    chat.say("@bruno thread b1: I object: the event is sponsored by a vendor we assess")

    # the window closes and the poll opens by itself
    opened = chat.say("!advance 3d")
    assert [(s.at, s.thread, s.lines[0]) for s in posts(opened)] == [
        ("2026-12-04 09:00 UTC", None, f"Poll 1: {OUTREACH_QUESTION}"),
        ("2026-12-04 09:00 UTC", "b1", "Objections stand, so the group decides: poll 1 is open."),
    ]
    assert set(dms(opened)) == MEMBERS
    assert outreach_status(app) == "polling"

    # votes: one changed, one observer's view, one block with its reason, one by button
    changed = chat.say(
        """
        @chen: /pn vote 1 disagree prefer a multistakeholder venue
        @chen: /pn vote 1 agree
        """
    )
    assert [s.text for s in said(changed)] == [
        "Your vote on poll 1 is disagree.",
        "Your vote on poll 1 is now agree (it was disagree).",
    ]
    view = the_reply(chat.say("@olga: /pn vote 1 block observers see a conflict of interest"))
    assert view.text == (
        "Your view on poll 1 (block) is recorded as advisory; only members' votes are counted."
    )
    block = the_reply(chat.say("@bruno: /pn vote 1 block the sponsor conflict is unresolved"))
    assert block.text == "Your vote on poll 1 is block."
    assert the_reply(chat.say("@amina click poll.vote 1:agree")).text == (
        "Your vote on poll 1 is agree."
    )
    for member in ("dana", "elif", "farid", "grace", "hugo", "ines", "jonas"):
        chat.say(f"@{member}: /pn vote 1 agree")
    chat.say("@kemi: /pn vote 1 abstain")
    for neutral, role in (("facilitator", "facilitator"), ("sekou", "secretariat")):
        assert the_reply(chat.say(f"@{neutral}: /pn vote 1 agree")).text == (
            f"As {role} you stay neutral and do not vote."
        )

    # the nudge, 24 hours before the close, to the members who have not voted
    nudged = chat.say("!advance 6d")
    assert {s.at for s in said(nudged)} == {"2026-12-10 09:00 UTC"}
    assert set(dms(nudged)) == {
        "lena",
        "marco",
        "nadia",
        "omar",
        "paula",
        "quentin",
        "rosa",
        "sami",
        "tomas",
    }
    assert dms(nudged)["lena"] == [
        "Poll 1 closes Fri 11 Dec 2026, 09:00 UTC (11:00 Europe/Sofia) and your vote is not in "
        f"yet: {OUTREACH_QUESTION}\n`vote 1 <option> [reason]`\n{BUTTONS}"
    ]

    # the close and the tally
    closed = chat.say("!advance 1d")
    [tally] = posts(closed)
    assert (tally.at, tally.where) == ("2026-12-11 09:00 UTC", "#pn-ai")
    assert tally.lines == [
        f"Poll 1 is closed: {OUTREACH_QUESTION}",
        "Votes: agree 9, abstain 1, disagree 0, block 1.",
        "  civil-society: agree 2",
        "  government: agree 2",
        "  intergovernmental: agree 2",
        "  private-sector: agree 2",
        "  technical-community: agree 1, abstain 1, block 1",
        "Turnout: 11 of 20 eligible members; quorum of 10 met.",
        "Suggested outcome: no consensus (the facilitator declares it).",
        "Dissent, block: @bruno: the sponsor conflict is unresolved",
        "Observers' views (advisory, not counted): @olga block.",
        'The facilitator declares the outcome: `outcome 1 consensus|no-consensus "<rationale>"`.',
    ]

    # the facilitator's outcome, and the outreach's new status
    declared = chat.say(
        '@facilitator: /pn outcome 1 no-consensus "A block on the sponsor conflict stands"'
    )
    assert [(s.where, s.thread, s.only, s.text) for s in said(declared)] == [
        ("#pn-ai", None, "facilitator", "Declared: no-consensus."),
        (
            "#pn-ai",
            None,
            None,
            f"Outcome of poll 1 ({OUTREACH_QUESTION}): no consensus. "
            "A block on the sponsor conflict stands",
        ),
        (
            "dm amina",
            None,
            None,
            "The group decided on your outreach 1 (RightsCon): it is declined by the group. "
            "A block on the sponsor conflict stands",
        ),
        ("#pn-ai", "b1", None, "Outreach 1 is declined by the group (poll 1)."),
    ]
    assert outreach_status(app) == "declined"
    assert the_reply(chat.say("@amina: /pn outreach list")).lines == [
        "Coming:",
        f"  1. @amina: {RIGHTSCON} [declined]",
    ]
    assert the_reply(chat.say("@dana: /pn decisions")).lines == [
        "Decisions:",
        f"  Poll 1, Fri 11 Dec 2026, 09:00 UTC (10:00 Europe/Ljubljana): {OUTREACH_QUESTION}",
        "    no consensus: A block on the sponsor conflict stands",
        "    dissent (block) @bruno: the sponsor conflict is unresolved",
    ]
    # a declined outreach is not asked about after its event
    later = chat.say("!advance 160d")
    assert "amina" not in dms(later)


# opening and voting -----------------------------------------------------------------------------


def test_the_facilitator_opens_a_poll_and_every_member_is_told_privately(chat):
    printed = chat.say(f'@facilitator: /pn poll "{QUESTION}" closes=5d')

    reply, post = [s for s in said(printed) if not s.where.startswith("dm ")]
    assert (reply.only, reply.text) == (
        "facilitator",
        "Opened poll 1, closing Sun 6 Dec 2026, 09:00 UTC.",
    )
    assert post.lines == [
        f"Poll 1: {QUESTION}",
        *OPTION_LINES,
        "Open until Sun 6 Dec 2026, 09:00 UTC; 0 of 20 members have voted.",
        "Vote: `vote 1 <option> [reason]` (a reason is needed for disagree and block).",
        BUTTONS,
    ]
    told = dms(printed)
    assert set(told) == MEMBERS  # not the observer, the secretariat or the facilitators
    assert told["bruno"] == [
        "A consensus poll is open in pn-ai, until Sun 6 Dec 2026, 09:00 UTC (06:00 "
        "America/Montevideo); your vote counts as much as anyone's.\n"
        f"Poll 1: {QUESTION}\n"
        "`vote 1 <option> [reason]` with one of: agree, abstain, disagree, block.\n"
        f"{BUTTONS}"
    ]


def test_a_new_vote_replaces_the_old_until_the_poll_closes(app, polling):
    polling.say(
        """
        @amina: /pn vote 1 agree
        @amina: /pn vote 1 disagree the timeline leaves no room for consultation
        """
    )
    last = the_reply(polling.say("@amina click poll.vote 1:abstain"))

    assert last.text == "Your vote on poll 1 is now abstain (it was disagree)."
    assert votes(app) == {"amina": ("abstain", None, False)}
    shown = the_reply(polling.say("@amina: /pn poll show 1"))
    assert "0 of 20" not in shown.text and "; 1 of 20 members have voted." in shown.text

    polling.say("@facilitator: /pn poll close 1")
    refused = the_reply(polling.say("@amina: /pn vote 1 agree"))

    assert refused.text == "Poll 1 is closed; votes are no longer taken."
    assert votes(app) == {"amina": ("abstain", None, False)}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("@amina: /pn vote 1 block", "Please say why you block: `vote 1 block <reason>`."),
        (
            "@amina: /pn vote 1 disagree",
            "Please say why you disagree: `vote 1 disagree <reason>`.",
        ),
        ("@amina click poll.vote 1:block", "Please say why you block: `vote 1 block <reason>`."),
        (
            "@amina click poll.vote 1:disagree",
            "Please say why you disagree: `vote 1 disagree <reason>`.",
        ),
    ],
    ids=["block", "disagree", "block by button", "disagree by button"],
)
def test_disagree_and_block_need_a_reason(app, polling, line, expected):
    before = snapshot(app.engine)

    reply = the_reply(polling.say(line))

    assert (reply.only, reply.text) == ("amina", expected)
    assert snapshot(app.engine) == before


def test_observers_and_strangers_give_advisory_views_that_are_never_counted(app, polling):
    polling.say(
        """
        @olga: /pn vote 1 block we see a conflict
        @zoe: /pn vote 1 disagree not convinced
        @amina: /pn vote 1 agree
        """
    )

    assert votes(app) == {
        "amina": ("agree", None, False),
        "olga": ("block", "we see a conflict", True),
        "zoe": ("disagree", "not convinced", True),
    }
    shown = the_reply(polling.say("@olga: /pn poll show 1"))
    assert "Open until Sun 6 Dec 2026, 09:00 UTC; 1 of 20 members have voted." in shown.lines
    closed = posts(polling.say("@facilitator: /pn poll close 1"))[0]
    assert closed.lines[1:3] == [
        "Votes: agree 1, abstain 0, disagree 0, block 0.",
        "  civil-society: agree 1",
    ]
    assert "Observers' views (advisory, not counted): @olga block, @zoe disagree." in closed.lines
    assert not any(line.startswith("Dissent") for line in closed.lines)


@pytest.mark.parametrize(
    ("who", "role"),
    [("facilitator", "facilitator"), ("fiona", "facilitator"), ("sekou", "secretariat")],
    ids=["configured facilitator", "facilitator on the roster", "secretariat"],
)
def test_the_facilitator_and_the_secretariat_do_not_vote(app, polling, who, role):
    before = snapshot(app.engine)

    reply = the_reply(polling.say(f"@{who} click poll.vote 1:agree"))

    assert reply.text == f"As {role} you stay neutral and do not vote."
    assert snapshot(app.engine) == before


def test_an_option_the_poll_does_not_have_is_refused_naming_the_options(polling):
    reply = the_reply(polling.say("@amina: /pn vote 1 yes"))

    assert reply.text == "`yes` is not an option of poll 1: agree, abstain, disagree, block."


def test_custom_options_are_a_choice_tallied_per_option(polling):
    polling.say(
        """
        @facilitator: /pn poll "Where should the March meeting be?" options=geneva,nairobi,online closes=2d
        @amina: /pn vote 2 nairobi
        @bruno: /pn vote 2 online
        @chen: /pn vote 2 Online
        """
    )

    [closed] = posts(polling.say("@facilitator: /pn poll close 2"))

    assert tally_lines(closed.text) == [
        "Votes: geneva 0, nairobi 1, online 2.",
        "  civil-society: nairobi 1",
        "  private-sector: online 1",
        "  technical-community: online 1",
        "Turnout: 3 of 20 eligible members; quorum of 10 not met.",
        "Most votes: online (2 votes; the facilitator declares the choice).",
        'The facilitator declares the outcome: `outcome 2 <option>|no-choice "<rationale>"`.',
    ]


# over time --------------------------------------------------------------------------------------


def test_the_nudge_goes_24_hours_before_the_close_to_those_who_have_not_voted_once(polling):
    voters = ["amina", "bruno", "chen", "dana", "elif"]
    for member in voters:
        polling.say(f"@{member}: /pn vote 1 agree")
    polling.say("@olga: /pn vote 1 agree")

    quiet = polling.say("!advance 3d23h")
    nudged = polling.say("!advance 1h")
    again = polling.say("!advance 23h")

    assert said(quiet) == []
    assert {s.at for s in said(nudged)} == {"2026-12-05 09:00 UTC"}
    assert set(dms(nudged)) == MEMBERS - set(voters)
    assert all(len(texts) == 1 for texts in dms(nudged).values())
    assert dms(nudged)["farid"] == [
        "Poll 1 closes Sun 6 Dec 2026, 09:00 UTC (17:00 Asia/Kuala_Lumpur) and your vote is "
        f"not in yet: {QUESTION}\n`vote 1 <option> [reason]`\n{BUTTONS}"
    ]
    assert dms(again) == {}


def test_the_poll_closes_at_its_deadline_with_the_tally_posted_once(polling):
    polling.say("@amina: /pn vote 1 agree")

    closed = polling.say("!advance 5d")
    after = polling.say("!advance 5d")

    assert [(s.at, s.where, s.lines[0]) for s in posts(closed)] == [
        ("2026-12-06 09:00 UTC", "#pn-ai", f"Poll 1 is closed: {QUESTION}")
    ]
    assert posts(after) == []
    shown = the_reply(polling.say("@amina: /pn poll show 1"))
    assert shown.lines[5] == "Closed Sun 6 Dec 2026, 09:00 UTC (12:00 Africa/Nairobi)."
    assert shown.lines[6] == "Votes: agree 1, abstain 0, disagree 0, block 0."


def test_poll_close_ends_a_poll_early_and_its_deadline_passes_quietly(polling):
    polling.say("@amina: /pn vote 1 agree")

    printed = polling.say("@facilitator: /pn poll close 1")

    reply, post = said(printed)
    assert (reply.only, reply.text) == ("facilitator", "Closed poll 1.")
    assert (post.where, post.lines[0]) == ("#pn-ai", f"Poll 1 is closed: {QUESTION}")
    assert "Turnout: 1 of 20 eligible members; quorum of 10 not met." in post.lines
    assert said(polling.say("!advance 6d")) == []  # no nudge, no second close


def test_poll_reopen_takes_votes_until_its_new_deadline(app, polling):
    polling.say(
        """
        @amina: /pn vote 1 agree
        @facilitator: /pn poll close 1
        """
    )

    reopened = the_reply(polling.say("@facilitator: /pn poll reopen 1 closes=3d"))
    polling.say("@chen: /pn vote 1 agree")
    closed = posts(polling.say("!advance 3d"))

    assert reopened.text == "Reopened poll 1 until Fri 4 Dec 2026, 09:00 UTC."
    assert votes(app) == {"amina": ("agree", None, False), "chen": ("agree", None, False)}
    assert [(s.at, s.lines[0]) for s in closed] == [
        ("2026-12-04 09:00 UTC", f"Poll 1 is closed: {QUESTION}")
    ]
    assert "Votes: agree 2, abstain 0, disagree 0, block 0." in closed[0].lines


def test_a_poll_whose_outcome_is_declared_cannot_be_reopened(app, polling):
    polling.say(
        """
        @facilitator: /pn poll close 1
        @facilitator: /pn outcome 1 no-consensus "Too few votes; we will discuss it at the next meeting"
        """
    )
    before = snapshot(app.engine)

    refused = the_reply(polling.say("@facilitator: /pn poll reopen 1"))
    twice = the_reply(polling.say('@facilitator: /pn outcome 1 consensus "On reflection"'))

    assert refused.text == "The outcome of poll 1 is declared; open a new poll instead."
    assert twice.text == (
        "The outcome of poll 1 was declared already: no consensus; to correct it: `outcome amend`."
    )
    assert snapshot(app.engine) == before


# the tally and its rules --------------------------------------------------------------------------


def test_the_suggestion_needs_half_of_the_eligible_members_to_vote(polling):
    for member in ("amina", "bruno", "chen", "dana", "elif", "farid", "grace", "hugo", "ines"):
        polling.say(f"@{member}: /pn vote 1 agree")
    below = polling.say("@facilitator: /pn poll close 1")
    polling.say("@facilitator: /pn poll reopen 1")
    polling.say("@jonas: /pn vote 1 agree")
    at_half = polling.say("@facilitator: /pn poll close 1")

    assert "Turnout: 9 of 20 eligible members; quorum of 10 not met." in posts(below)[0].lines
    assert "Suggested outcome: no consensus (the facilitator declares it)." in posts(below)[0].lines
    assert "Turnout: 10 of 20 eligible members; quorum of 10 met." in posts(at_half)[0].lines
    assert "Suggested outcome: consensus (the facilitator declares it)." in posts(at_half)[0].lines


def test_disagreement_above_a_fifth_of_the_votes_that_took_a_side_means_no_consensus(polling):
    polling.say(
        """
        @amina: /pn vote 1 agree
        @chen: /pn vote 1 agree
        @dana: /pn vote 1 agree
        @elif: /pn vote 1 agree
        @farid: /pn vote 1 disagree the timeline is short
        @grace: /pn vote 1 abstain
        @hugo: /pn vote 1 abstain
        @ines: /pn vote 1 abstain
        @jonas: /pn vote 1 abstain
        @kemi: /pn vote 1 abstain
        """
    )
    at_a_fifth = posts(polling.say("@facilitator: /pn poll close 1"))[0]
    polling.say(
        """
        @facilitator: /pn poll reopen 1
        @grace: /pn vote 1 disagree the format is not ready
        """
    )
    above = posts(polling.say("@facilitator: /pn poll close 1"))[0]

    assert "Suggested outcome: consensus (the facilitator declares it)." in at_a_fifth.lines
    assert "Suggested outcome: no consensus (the facilitator declares it)." in above.lines
    assert above.lines[-3:-1] == [
        "Dissent, disagree: @farid: the timeline is short",
        "Dissent, disagree: @grace: the format is not ready",
    ]


def test_a_stakeholder_group_with_no_support_is_named(polling):
    for member in ("amina", "farid", "dana", "grace", "chen", "hugo", "elif", "jonas"):
        polling.say(f"@{member}: /pn vote 1 agree")
    polling.say("@bruno: /pn vote 1 disagree the technical community was not consulted")
    polling.say("@ines: /pn vote 1 abstain")

    [closed] = posts(polling.say("@facilitator: /pn poll close 1"))

    assert "No support from: technical-community." in closed.lines
    assert "Suggested outcome: no consensus (the facilitator declares it)." not in closed.lines


def test_poll_rules_show_and_set_what_the_tally_calls_consensus(app, polling):
    shown = the_reply(polling.say("@facilitator: /pn poll rules"))
    assert (shown.only, shown.text) == (
        "facilitator",
        "The tally suggests consensus when at least 50% of the eligible members voted, at most "
        "0 blocks, and disagreement at most 20% of the votes that took a side.",
    )

    changed = the_reply(
        polling.say("@facilitator: /pn poll rules quorum=60% blocks=1 disagree=25%")
    )

    assert (changed.only, changed.text) == (
        None,
        "The tally suggests consensus when at least 60% of the eligible members voted, at most "
        "1 block, and disagreement at most 25% of the votes that took a side.",
    )
    with app.store() as uow:
        assert uow.groups.named("pn-ai").settings["consensus"] == {
            "quorum": 0.6,
            "blocks": 1,
            "disagree": 0.25,
        }
    for member in (
        "amina",
        "chen",
        "dana",
        "elif",
        "farid",
        "grace",
        "hugo",
        "ines",
        "jonas",
        "kemi",
        "lena",
    ):
        polling.say(f"@{member}: /pn vote 1 agree")
    polling.say("@bruno: /pn vote 1 block the sponsor conflict")
    [closed] = posts(polling.say("@facilitator: /pn poll close 1"))
    assert "Turnout: 12 of 20 eligible members; quorum of 12 met." in closed.lines
    assert "Suggested outcome: consensus (the facilitator declares it)." in closed.lines


# listing and showing -----------------------------------------------------------------------------


def test_poll_show_gives_the_options_the_turnout_and_the_buttons(polling):
    polling.say("@amina: /pn vote 1 agree")

    shown = the_reply(polling.say("@zoe: /pn poll show 1"))

    assert shown.only == "zoe"
    assert shown.lines == [
        f"Poll 1: {QUESTION}",
        *OPTION_LINES,
        "Open until Sun 6 Dec 2026, 09:00 UTC; 1 of 20 members have voted.",
        "Vote: `vote 1 <option> [reason]` (a reason is needed for disagree and block).",
        BUTTONS,
    ]


def test_polls_lists_open_polls_first_and_tells_a_member_they_have_not_voted(polling):
    polling.say(
        """
        @facilitator: /pn poll "Should we meet in Geneva?" closes=2d
        @facilitator: /pn poll close 2
        @facilitator: /pn poll "Should we publish a glossary?" closes=3d
        @amina: /pn vote 3 agree
        """
    )

    listing = the_reply(polling.say("@amina: /pn polls"))
    observer = the_reply(polling.say("@olga: /pn polls"))

    assert listing.lines == [
        "Polls:",
        "  3. Should we publish a glossary? (open until Fri 4 Dec 2026, 09:00 UTC (12:00 "
        "Africa/Nairobi))",
        f"  1. {QUESTION} (open until Sun 6 Dec 2026, 09:00 UTC (12:00 Africa/Nairobi), you "
        "have not voted)",
        "  2. Should we meet in Geneva? (closed, outcome not declared yet)",
    ]
    assert "you have not voted" not in observer.text


def test_with_no_polls_or_decisions_the_bot_says_so(chat):
    assert the_reply(chat.say("@amina: /pn polls")).text == "No polls yet."
    assert the_reply(chat.say("@amina: /pn decisions")).text == (
        "No outcome has been declared yet."
    )


# outcomes ------------------------------------------------------------------------------------------


def test_an_outcome_waits_for_the_poll_to_close(app, polling):
    before = snapshot(app.engine)

    reply = the_reply(polling.say('@facilitator: /pn outcome 1 consensus "Broad support"'))

    assert reply.text == "Poll 1 is still open; close it first (`poll close 1`)."
    assert snapshot(app.engine) == before


def test_the_outcome_of_a_poll_is_posted_and_listed_in_decisions(polling):
    polling.say(
        """
        @amina: /pn vote 1 agree
        @bruno: /pn vote 1 disagree the format should wait for the consultation
        @olga: /pn vote 1 block we see a conflict
        @facilitator: /pn poll close 1
        """
    )

    printed = polling.say(
        '@facilitator: /pn outcome 1 consensus "Broad support; the concern on timing is met by a consultation"'
    )

    assert [(s.only, s.text) for s in said(printed)] == [
        ("facilitator", "Declared: consensus."),
        (
            None,
            f"Outcome of poll 1 ({QUESTION}): consensus. Broad support; the concern on timing "
            "is met by a consultation",
        ),
    ]
    assert the_reply(polling.say("@chen: /pn decisions")).lines == [
        "Decisions:",
        f"  Poll 1, Tue 1 Dec 2026, 09:00 UTC (17:00 Asia/Shanghai): {QUESTION}",
        "    consensus: Broad support; the concern on timing is met by a consultation",
        "    dissent (disagree) @bruno: the format should wait for the consultation",
    ]
    shown = the_reply(polling.say("@chen: /pn poll show 1"))
    assert shown.lines[-1] == (
        "Outcome declared by @facilitator: consensus. Broad support; the concern on timing is "
        "met by a consultation"
    )


def test_consensus_on_an_outreach_poll_clears_it_and_the_member_is_asked_after_the_event(app, chat):
    chat.say(
        """
        @amina: /pn outreach Lisbon Forum on 20 December at Lisbon
        @bruno: /pn object 1 the sponsor is a vendor we assess
        !advance 3d
        @chen: /pn vote 1 agree
        @facilitator: /pn poll close 1
        """
    )

    printed = chat.say(
        '@facilitator: /pn outcome 1 consensus "Support across groups; the sponsor plays no part in the session"'
    )

    assert [(s.where, s.thread, s.text) for s in said(printed)][1:] == [
        (
            "#pn-ai",
            None,
            "Outcome of poll 1 (Should Amina Odhiambo present the group's work at Lisbon Forum "
            "in Lisbon on Sun 20 Dec 2026? Objections: @bruno: the sponsor is a vendor we "
            "assess): consensus. Support across groups; the sponsor plays no part in the session",
        ),
        (
            "dm amina",
            None,
            "The group decided on your outreach 1 (Lisbon Forum): it may go ahead. Support "
            "across groups; the sponsor plays no part in the session",
        ),
        ("#pn-ai", "b1", "Outreach 1 may go ahead (poll 1)."),
    ]
    assert outreach_status(app) == "cleared"
    after = chat.say("!advance 17d")  # to Monday 21 December, 09:00 UTC
    assert dms(after) == {
        "amina": [
            "How did Lisbon Forum go? A few lines for the group's outreach report: "
            "`report 1 <what happened, who you reached>`."
        ]
    }


# the record ----------------------------------------------------------------------------------------


@pytest.fixture
def twin_url(db_url, tmp_path):
    """A second empty database of the same kind as `db_url`."""
    with twin_database(db_url, tmp_path) as url:
        yield url


def exported(app) -> str:
    with app.store() as uow:
        return json.dumps(export(uow.session), indent=2, ensure_ascii=False, sort_keys=True)


def test_export_import_export_is_identical_with_outreach_objections_polls_and_outcomes(
    app, chat, twin_url
):
    chat.say(
        """
        @amina: I'll be presenting our work at RightsCon on 5 May in Taipei
        @bruno thread b1: I object: the event is sponsored by a vendor we assess
        @chen react :no_entry: b1
        @hugo: /pn object 1 not a multistakeholder venue
        @hugo: /pn withdraw 3
        @dana: /pn outreach Ljubljana IGF on 10 December at Ljubljana https://igf.si
        !advance 3d
        @amina: /pn vote 1 agree
        @bruno: /pn vote 1 block the sponsor conflict is unresolved
        @chen: /pn vote 1 disagree prefer another venue
        @chen: /pn vote 1 abstain
        @olga: /pn vote 1 block observers see a conflict
        @facilitator: /pn poll "Should we publish a glossary?" options=yes,no,later closes=2d
        @dana: /pn vote 2 later
        !advance 7d
        @facilitator: /pn outcome 1 no-consensus "A block on the sponsor conflict stands"
        @dana dm: report 2 Full room; two ministries asked for our draft
        """
    )
    first = exported(app)
    record = json.loads(first)["groups"][0]
    assert [o["status"] for o in record["outreach"]] == ["declined", "cleared"]
    assert [o["status"] for o in record["outreach"][0]["objections"]] == [
        "standing",
        "awaiting-reason",
        "withdrawn",
    ]
    assert record["outreach"][1]["report"] == "Full room; two ministries asked for our draft"
    assert [len(p["votes"]) for p in record["polls"]] == [4, 1]
    assert record["polls"][0]["outcome"]["decision"] == "no-consensus"
    assert record["decisions"][0]["dissent"] == [
        {"member": "bruno", "option": "block", "reason": "the sponsor conflict is unresolved"}
    ]

    twin = build(Settings(database_url=twin_url))
    try:
        with twin.store() as uow:
            assert restore(uow.session, json.loads(first)) == 1
            uow.commit()
        second = exported(twin)
    finally:
        twin.engine.dispose()

    assert second == first
