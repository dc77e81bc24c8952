"""The group's record does not change behind its back, through the console.

A closed poll's tally is kept as it was posted: the roster and the rules may change after,
the tally shown by `poll show`, `decisions` and the export stays the one the group saw. A
declared outcome can be amended by the facilitator, and the earlier one stays on the record
with who declared it and when. Every change of the group's state goes to one audit log, read
by the facilitator with `audit` and exported with the rest.
"""

from __future__ import annotations

import json

import pytest
from support import Transcript, said, snapshot, the_reply, twin_database

from bot.app import build
from bot.config import Settings
from storage.archive import export, restore

ON_POSTGRES = True  # on both databases: the export's round trip, frozen tallies and the audit log

QUESTION = "Should the output recommend a common incident reporting format?"
TEN = ("amina", "bruno", "chen", "dana", "elif", "farid", "grace", "hugo", "ines", "jonas")
# the closing post's tally for TEN agreeing out of 20, under the default rules
TALLY_OF_TEN = [
    "Votes: agree 10, abstain 0, disagree 0, block 0.",
    "  civil-society: agree 2",
    "  government: agree 2",
    "  intergovernmental: agree 2",
    "  private-sector: agree 2",
    "  technical-community: agree 2",
    "Turnout: 10 of 20 eligible members; quorum of 10 met.",
    "Suggested outcome: consensus (the facilitator declares it).",
]


def posts(printed: str):
    return [s for s in said(printed) if s.post]


def exported(app) -> dict:
    with app.store() as uow:
        return export(uow.session)


@pytest.fixture
def polling(transcript):
    """pn-ai on Tuesday 1 December 2026, 09:00 UTC: the example roster (20 with an equal
    say) and the facilitator's poll 1, open until Sunday 6 December."""
    transcript.say(
        f"""
        !roster-import roster.csv
        @facilitator: /pn poll "{QUESTION}" closes=5d
        """
    )
    return transcript


@pytest.fixture
def declared(polling):
    """Poll 1 closed with ten of twenty agreeing, and consensus declared."""
    for member in TEN:
        polling.say(f"@{member}: /pn vote 1 agree")
    polling.say("@bruno: /pn vote 1 agree")  # a vote changed before the close counts once
    polling.say("@kemi: /pn vote 1 disagree the format is not ready")
    polling.say("@kemi: /pn vote 1 agree")
    closed = posts(polling.say("@facilitator: /pn poll close 1"))
    polling.say('@facilitator: /pn outcome 1 consensus "Broad support across all five groups"')
    return polling, closed


# a closed poll is frozen ---------------------------------------------------------------------


def test_a_closed_tally_stays_as_posted_when_the_rules_and_the_roster_change(app, polling):
    for member in TEN:
        polling.say(f"@{member}: /pn vote 1 agree")
    [closing] = posts(polling.say("@facilitator: /pn poll close 1"))
    assert closing.lines[1:9] == TALLY_OF_TEN
    polling.say('@facilitator: /pn outcome 1 consensus "Broad support across all five groups"')

    # what used to rewrite the tally: stricter rules, and a voter leaving
    polling.say("@facilitator: /pn poll rules quorum=80%")
    polling.say("@facilitator: /pn member remove @hugo")

    shown = the_reply(polling.say("@amina: /pn poll show 1"))
    assert shown.lines[6:14] == TALLY_OF_TEN
    assert shown.lines[-1] == (
        "Outcome declared by @facilitator: consensus. Broad support across all five groups"
    )
    assert not any("quorum of 16" in line or "agree 9" in line for line in shown.lines)
    [poll] = exported(app)["groups"][0]["polls"]
    [kept] = poll["tallies"]
    assert kept["closed_at"] == "2026-12-01T09:00:00+00:00"
    assert (kept["tally"]["counts"]["agree"], kept["tally"]["eligible"]) == (10, 20)
    assert (kept["tally"]["quorum_needed"], kept["tally"]["quorum_met"]) == (10, True)
    assert kept["tally"]["rules"] == {"quorum": 0.5, "blocks": 0, "disagree": 0.2}
    assert kept["tally"]["suggestion"] == "consensus"

    # the new rules and roster are for the polls to come
    polling.say(f'@facilitator: /pn poll "{QUESTION} (second reading)" closes=2d')
    for member in TEN:
        polling.say(f"@{member}: /pn vote 2 agree")
    [second] = posts(polling.say("@facilitator: /pn poll close 2"))
    assert "Turnout: 9 of 19 eligible members; quorum of 16 not met." in second.lines


def test_the_tally_as_posted_lists_only_the_dissent_it_counted(app, polling):
    for member in TEN[:-1]:
        polling.say(f"@{member}: /pn vote 1 agree")
    polling.say("@jonas: /pn vote 1 block the format ignores small registries")
    polling.say("@olga: /pn vote 1 disagree not convinced")  # not on the roster: advisory

    [closing] = posts(polling.say("@facilitator: /pn poll close 1"))
    polling.say("@facilitator: /pn member remove @jonas")
    shown = the_reply(polling.say("@amina: /pn poll show 1"))

    assert "Dissent, block: @jonas: the format ignores small registries" in closing.lines
    assert "Observers' views (advisory, not counted): @olga disagree." in closing.lines
    assert shown.lines[6:] == closing.lines[1:-1]


def test_a_poll_reopened_and_closed_again_keeps_both_tallies(app, polling):
    for member in TEN[:-1]:
        polling.say(f"@{member}: /pn vote 1 agree")
    [first] = posts(polling.say("@facilitator: /pn poll close 1"))
    polling.say(
        """
        !advance 1h
        @facilitator: /pn poll reopen 1 closes=2d
        @jonas: /pn vote 1 agree
        """
    )
    [second] = posts(polling.say("!advance 2d"))

    assert "Turnout: 9 of 20 eligible members; quorum of 10 not met." in first.lines
    assert second.lines[1:9] == TALLY_OF_TEN
    shown = the_reply(polling.say("@amina: /pn poll show 1"))
    assert shown.lines[5:] == [
        "Closed Thu 3 Dec 2026, 10:00 UTC (13:00 Africa/Nairobi).",
        *TALLY_OF_TEN,
        "Earlier tally, closed Tue 1 Dec 2026, 09:00 UTC (12:00 Africa/Nairobi) and reopened: "
        "agree 9, abstain 0, disagree 0, block 0; 9 of 20 voted; suggested no consensus.",
    ]
    [poll] = exported(app)["groups"][0]["polls"]
    assert [(t["number"], t["closed_at"], t["tally"]["voted"]) for t in poll["tallies"]] == [
        (1, "2026-12-01T09:00:00+00:00", 9),
        (2, "2026-12-03T10:00:00+00:00", 10),
    ]


# corrections leave a trail ---------------------------------------------------------------------


def test_outcome_amend_keeps_the_earlier_outcome_with_who_and_when(app, declared):
    chat, _ = declared
    chat.say("!advance 1d")

    printed = chat.say(
        '@facilitator: /pn outcome amend 1 no-consensus "Two blocks sent by e-mail before the '
        'deadline were missed"'
    )

    assert [(s.where, s.only, s.text) for s in said(printed)] == [
        ("#pn-ai", "facilitator", "Amended: no-consensus."),
        (
            "#pn-ai",
            None,
            f"Outcome of poll 1 ({QUESTION}) amended: no consensus (was consensus). Two blocks "
            "sent by e-mail before the deadline were missed",
        ),
    ]
    shown = the_reply(chat.say("@amina: /pn poll show 1"))
    assert shown.lines[-2:] == [
        "Outcome amended by @facilitator on Wed 2 Dec 2026, 09:00 UTC (12:00 Africa/Nairobi): "
        "no consensus. Two blocks sent by e-mail before the deadline were missed",
        "Earlier outcome, declared by @facilitator on Tue 1 Dec 2026, 09:00 UTC (12:00 "
        "Africa/Nairobi): consensus. Broad support across all five groups",
    ]
    assert the_reply(chat.say("@facilitator: /pn decisions")).lines == [
        "Decisions:",
        f"  Poll 1, Wed 2 Dec 2026, 09:00 UTC: {QUESTION}",
        "    no consensus: Two blocks sent by e-mail before the deadline were missed",
        "    amended from consensus (declared by @facilitator, Tue 1 Dec 2026, 09:00 UTC)",
    ]
    [poll] = exported(app)["groups"][0]["polls"]
    assert poll["outcome"] == {
        "decision": "no-consensus",
        "rationale": "Two blocks sent by e-mail before the deadline were missed",
        "by": "facilitator",
        "at": "2026-12-02T09:00:00+00:00",
    }
    assert poll["amendments"] == [
        {
            "decision": "consensus",
            "rationale": "Broad support across all five groups",
            "by": "facilitator",
            "at": "2026-12-01T09:00:00+00:00",
            "amended_by": "facilitator",
            "amended_at": "2026-12-02T09:00:00+00:00",
        }
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            '@amina: /pn outcome amend 1 no-consensus "I disagree"',
            "Only the facilitator can use `outcome amend`; you are a member.",
        ),
        (
            '@facilitator: /pn outcome amend 1 maybe "Unsure"',
            "`maybe` is not an outcome: say consensus or no-consensus.",
        ),
        (
            '@facilitator: /pn outcome amend 2 consensus "Broad support"',
            'The outcome of poll 2 is not declared yet; declare it with `outcome 2 consensus "<rationale>"`.',
        ),
        (
            '@facilitator: /pn outcome amend 1 consensus "Broad support across all five groups"',
            "Poll 1's outcome is consensus with that rationale already.",
        ),
        (
            "@facilitator: /pn outcome amend 1 no-consensus",
            "`outcome amend` is missing `<rationale>`.\n"
            "Usage: `outcome amend <poll> <consensus|no-consensus|option> <rationale...>`",
        ),
        (
            '@facilitator: /pn outcome amend 9 consensus "Broad support"',
            "There is no poll 9 in pn-ai; see `polls`.",
        ),
    ],
    ids=[
        "a member",
        "no such outcome",
        "not declared",
        "nothing changes",
        "no rationale",
        "no poll",
    ],
)
def test_a_wrong_amendment_is_refused_and_changes_nothing(app, declared, line, expected):
    chat, _ = declared
    chat.say(f'@facilitator: /pn poll "{QUESTION} (second reading)" closes=2d')
    chat.say("@facilitator: /pn poll close 2")
    before = snapshot(app.engine)

    reply = the_reply(chat.say(line))

    assert reply.text == expected
    assert snapshot(app.engine) == before


def test_amending_an_outreach_poll_declines_the_outreach_and_tells_its_member(app, transcript):
    transcript.say(
        """
        !roster-import roster.csv
        @amina: /pn outreach Lisbon Forum on 20 December at Lisbon
        @bruno: /pn object 1 the sponsor is a vendor we assess
        !advance 3d
        @chen: /pn vote 1 agree
        @facilitator: /pn poll close 1
        @facilitator: /pn outcome 1 consensus "The sponsor plays no part in the session"
        """
    )

    printed = transcript.say(
        '@facilitator: /pn outcome amend 1 no-consensus "The sponsor chairs the session after all"'
    )

    assert [(s.where, s.thread, s.text) for s in said(printed)][2:] == [
        (
            "dm amina",
            None,
            "The group decided on your outreach 1 (Lisbon Forum): it is declined by the group. "
            "The sponsor chairs the session after all",
        ),
        ("#pn-ai", "b1", "Outreach 1 is declined by the group (poll 1)."),
    ]
    with app.store() as uow:
        assert uow.outreach.get(uow.groups.named("pn-ai").id, 1).status == "declined"


# one audit log ---------------------------------------------------------------------------------


def test_the_audit_log_says_who_changed_what_when_and_why(app, declared):
    chat, _ = declared
    chat.say(
        """
        @facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=Europe/Paris
        @kemi: /pn agenda add Data localisation bills
        !advance 1d
        @facilitator: /pn poll rules quorum=60%
        @facilitator: /pn meeting cancel 12 January reason="Too close to the holidays"
        @facilitator: /pn agenda remove 1 covered by the December consultation
        @facilitator: /pn member remove @hugo left his organisation
        @facilitator: /pn outcome amend 1 no-consensus "Two blocks sent by e-mail were missed"
        """
    )

    shown = the_reply(chat.say("@facilitator: /pn audit 8"))

    assert shown.only == "facilitator"
    assert shown.lines == [
        "Audit log of pn-ai, the last 8 of 10 changes:",
        "  Tue 1 Dec 2026, 09:00 UTC: @facilitator poll close, poll 1: agree 11, abstain 0, "
        "disagree 0, block 0; 11 of 20 voted; suggested consensus",
        "  Tue 1 Dec 2026, 09:00 UTC: @facilitator outcome declare, poll 1: consensus "
        "(reason: Broad support across all five groups)",
        "  Tue 1 Dec 2026, 09:00 UTC: @facilitator meeting schedule, the series: pn-ai meets "
        "monthly on the second Tuesday at 13:00 Europe/Paris",
        "  Wed 2 Dec 2026, 09:00 UTC: @facilitator poll rules, pn-ai: quorum 60%, blocks 0, "
        "disagree 20% (was quorum 50%, blocks 0, disagree 20%)",
        "  Wed 2 Dec 2026, 09:00 UTC: @facilitator meeting cancel, meeting of Tue 12 Jan 2027, "
        "12:00 UTC (reason: Too close to the holidays)",
        "  Wed 2 Dec 2026, 09:00 UTC: @facilitator agenda remove, item 1 of Tue 8 Dec 2026, "
        "12:00 UTC: Data localisation bills (reason: covered by the December consultation)",
        "  Wed 2 Dec 2026, 09:00 UTC: @facilitator member remove, @hugo "
        "(reason: left his organisation)",
        "  Wed 2 Dec 2026, 09:00 UTC: @facilitator outcome amend, poll 1: consensus -> "
        "no-consensus (reason: Two blocks sent by e-mail were missed)",
    ]
    everything = the_reply(chat.say("@facilitator: /pn audit"))
    assert everything.lines[:3] == [
        "Audit log of pn-ai, the last 10 of 10 changes:",
        "  Tue 1 Dec 2026, 09:00 UTC: the operator (command line) roster import, roster.csv: "
        "20 added, 0 updated",
        f"  Tue 1 Dec 2026, 09:00 UTC: @facilitator poll open, poll 1: {QUESTION}",
    ]
    [group] = exported(app)["groups"]
    assert [(e["by"], e["action"], e["reason"]) for e in group["audit"]][-3:] == [
        ("facilitator", "agenda remove", "covered by the December consultation"),
        ("facilitator", "member remove", "left his organisation"),
        ("facilitator", "outcome amend", "Two blocks sent by e-mail were missed"),
    ]


def test_the_scheduler_s_own_changes_are_logged_as_the_bot_s(polling):
    polling.say("@amina: /pn outreach Lisbon Forum on 20 December at Lisbon")
    polling.say("!advance 5d")

    shown = the_reply(polling.say("@facilitator: /pn audit 2"))

    assert shown.lines[1:] == [
        "  Fri 4 Dec 2026, 09:00 UTC: pnbot (on schedule) outreach cleared, outreach 1: "
        "no objection",
        "  Sun 6 Dec 2026, 09:00 UTC: pnbot (on schedule) poll close, poll 1: agree 0, "
        "abstain 0, disagree 0, block 0; 0 of 20 voted; suggested no consensus",
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("@amina: /pn audit", "Only the facilitator can use `audit`; you are a member."),
        ("@zoe: /pn audit", "Only the facilitator can use `audit`; you are an observer."),
        ("@facilitator: /pn audit 0", "Give how many changes to show, from 1 to 500: `audit 50`."),
        (
            "@facilitator: /pn audit lots",
            "Give how many changes to show, from 1 to 500: `audit 50`.",
        ),
    ],
    ids=["a member", "a stranger", "zero", "not a number"],
)
def test_audit_is_the_facilitator_s_and_wants_a_count(app, polling, line, expected):
    before = snapshot(app.engine)

    reply = the_reply(polling.say(line))

    assert reply.text == expected
    assert snapshot(app.engine) == before


def test_a_reason_too_long_is_refused_and_nothing_is_cancelled(app, polling):
    polling.say(
        "@facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=Europe/Paris"
    )
    before = snapshot(app.engine)

    reply = the_reply(
        polling.say(f'@facilitator: /pn meeting cancel 8 December reason="{"x" * 501}"')
    )

    assert reply.text == "Keep the reason under 500 characters (this one has 501)."
    assert snapshot(app.engine) == before


# the record, exported ------------------------------------------------------------------------


@pytest.fixture
def twin_url(db_url, tmp_path):
    """A second empty database of the same kind as `db_url`."""
    with twin_database(db_url, tmp_path) as url:
        yield url


def test_export_import_export_is_identical_with_frozen_tallies_amendments_and_the_audit_log(
    app, declared, twin_url
):
    chat, _ = declared
    chat.say(
        """
        !advance 1d
        @facilitator: /pn poll rules quorum=80%
        @facilitator: /pn member remove @hugo left his organisation
        @facilitator: /pn outcome amend 1 no-consensus "Two blocks sent by e-mail were missed"
        @facilitator: /pn poll "Should we publish a glossary?" options=yes,no,later closes=2d
        @dana: /pn vote 2 later
        @facilitator: /pn poll close 2
        @facilitator: /pn poll reopen 2 closes=1d
        @elif: /pn vote 2 yes
        !advance 1d
        """
    )
    first = json.dumps(exported(app), indent=2, ensure_ascii=False, sort_keys=True)
    record = json.loads(first)["groups"][0]
    assert [len(p["tallies"]) for p in record["polls"]] == [1, 2]
    assert record["polls"][0]["tallies"][0]["tally"]["counts"]["agree"] == 11
    assert len(record["polls"][0]["amendments"]) == 1
    assert len(record["audit"]) >= 10

    twin = build(Settings(database_url=twin_url))
    try:
        with twin.store() as uow:
            assert restore(uow.session, json.loads(first)) == 1
            uow.commit()
        second = json.dumps(exported(twin), indent=2, ensure_ascii=False, sort_keys=True)
        # the restored record reads as the original did
        reader = Transcript(twin)
        reader.say("!group pn-ai")
        shown = reader.say("@amina: /pn poll show 1")
    finally:
        twin.engine.dispose()

    assert second == first
    assert "Turnout: 11 of 20 eligible members; quorum of 10 met." in shown
