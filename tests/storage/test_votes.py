"""Votes through the real database: `Votes.cast` keeps one vote per person (the last one),
and `Votes.counts` with `tally.compute` counts the last vote of each member and co-moderator,
never an observer's view, a stranger's, the facilitator's or the secretariat's.

The property tests cast random sequences of votes, some through the dispatcher (as people
type them), some straight through `Votes.cast`, and compare the tally the database gives with
one computed from the last vote of each eligible member. Each example starts from clean vote
and poll tables on a roster built once per test, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import START, Transcript

from bot.app import build
from bot.config import Settings
from handlers import tally
from handlers.base import VOTING_ROLES

OPTIONS = [dict(o) for o in tally.DEFAULT_OPTIONS]
NAMES = [o["name"] for o in OPTIONS]

# handle: (role, stakeholder group)
ROSTER = {
    "amina": ("member", "civil-society"),
    "farid": ("member", "civil-society"),
    "chen": ("member", "private-sector"),
    "dana": ("member", "government"),
    "elif": ("member", "intergovernmental"),
    "kemi": ("member", "technical-community"),
    "bruno": ("co-moderator", "technical-community"),
    "paula": ("co-moderator", "civil-society"),
    "olga": ("observer", "government"),
    "otto": ("observer", "private-sector"),
    "fiona": ("facilitator", "intergovernmental"),
    "sekou": ("secretariat", "civil-society"),
}
FACILITATOR = "facilitator"  # a facilitator by configuration, on no roster
STRANGERS = ("zoe", "yann")
EVERYONE = sorted(ROSTER) + [FACILITATOR, *STRANGERS]
ELIGIBLE = {h: group for h, (role, group) in ROSTER.items() if role in VOTING_ROLES}
NEUTRAL = {FACILITATOR, "fiona", "sekou"}  # the dispatcher refuses their votes
_OPENED = re.compile(r"Opened poll (\d+),")


@pytest.fixture
def voting(db_url):
    """The bot on a fresh database, with pn-ai's roster of every role."""
    app = build(Settings(database_url=db_url, facilitators=frozenset({FACILITATOR})))
    chat = Transcript(app)
    chat.say("!group pn-ai")
    for handle, (role, group) in ROSTER.items():
        chat.say(
            f"@facilitator: /pn member add @{handle} group={group} region=africa "
            f'gender=woman org="Org of {handle}" role={role}'
        )
    with app.store() as uow:
        roles = {m.handle: m.role for m in uow.members.all(uow.groups.named("pn-ai").id)}
    assert roles == {handle: role for handle, (role, _) in ROSTER.items()}
    yield app, chat
    app.engine.dispose()


def clean(app) -> None:
    """Remove every poll and vote (and anything queued), keeping the roster."""
    with app.engine.begin() as connection:
        for table in ("votes", "outbox", "polls"):
            connection.execute(sa.text(f"DELETE FROM {table}"))


def open_poll(chat, question: str) -> int:
    printed = chat.say(f'@facilitator: /pn poll "{question}" closes=5d')
    found = _OPENED.search(printed)
    assert found, printed
    return int(found[1])


def cast_all(app, chat, poll: int, ballots) -> None:
    """Cast each ballot (who, option, path, advisory flag) in order."""
    for who, option, path, flag in ballots:
        if path == "dispatcher":
            chat.say(f"@{who}: /pn vote {poll} {option} because of the timeline")
        else:
            advisory = False if who in ELIGIBLE else flag
            with app.store() as uow:
                uow.votes.cast(poll, who, option, "because of the timeline", advisory, START)
                uow.commit()


def tally_of(app, poll: int) -> tally.Tally:
    """The tally as the bot computes it: aggregated in the database, then the rules."""
    with app.store() as uow:
        group = uow.groups.named("pn-ai")
        record = uow.polls.get(group.id, poll)
        return tally.compute(
            record.options,
            uow.votes.counts(poll, group.id, VOTING_ROLES),
            uow.votes.eligible(group.id, VOTING_ROLES),
            tally.rules_of(group),
        )


def stored(app, poll: int) -> list[tuple[str, str, bool]]:
    with app.store() as uow:
        return [(v.member, v.option, v.advisory) for v in uow.votes.for_poll(poll)]


def last_vote_per_eligible_member(ballots) -> dict[str, str]:
    last = {}
    for who, option, _, _ in ballots:
        if who in ELIGIBLE:
            last[who] = option
    return last


def expected_tally(ballots) -> tally.Tally:
    """The tally computed by hand from the last vote of each member and co-moderator."""
    last = last_vote_per_eligible_member(ballots)
    rows = Counter((option, ELIGIBLE[who]) for who, option in last.items())
    eligible = Counter(ELIGIBLE.values())
    return tally.compute(OPTIONS, [(o, g, n) for (o, g), n in rows.items()], list(eligible.items()))


ballot = st.tuples(
    st.sampled_from(EVERYONE),
    st.sampled_from(NAMES),
    st.sampled_from(["dispatcher", "storage"]),
    st.booleans(),
)


@st.composite
def two_orders(draw):
    """A sequence of ballots, and the same ballots cast in another order that keeps each
    person's own votes in their order (so each person's last vote stays the same), each
    ballot going through the dispatcher or storage afresh."""
    first = draw(st.lists(ballot, max_size=20))
    slots = draw(st.permutations([who for who, *_ in first]))
    queues: dict[str, list] = {}
    for b in first:
        queues.setdefault(b[0], []).append(b)
    paths = draw(
        st.lists(
            st.sampled_from(["dispatcher", "storage"]), min_size=len(first), max_size=len(first)
        )
    )
    second = []
    for who, path in zip(slots, paths, strict=True):
        _, option, _, flag = queues[who].pop(0)
        second.append((who, option, path, flag))
    return first, second


def examples(app) -> settings:
    """Thirty examples on SQLite; fifteen on PostgreSQL, where each costs several times more."""
    return settings(
        max_examples=30 if app.engine.dialect.name == "sqlite" else 15,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


def test_the_tally_counts_the_last_vote_of_each_member_whatever_the_order(voting):
    app, chat = voting

    @examples(app)
    @given(orders=two_orders())
    def check(orders):
        clean(app)
        tally_in_either_order(app, chat, *orders)

    check()


def tally_in_either_order(app, chat, first, second) -> None:
    poll_a = open_poll(chat, "Should the output recommend a common format?")
    poll_b = open_poll(chat, "Should the output recommend a common format, again?")

    cast_all(app, chat, poll_a, first)
    cast_all(app, chat, poll_b, second)

    in_order, reordered = tally_of(app, poll_a), tally_of(app, poll_b)
    assert in_order == expected_tally(first)
    assert reordered == in_order
    last = last_vote_per_eligible_member(first)
    assert in_order.counts == {name: Counter(last.values())[name] for name in NAMES}
    assert in_order.voted == len(last)
    assert in_order.eligible == len(ELIGIBLE)


def test_each_person_has_one_stored_vote_and_only_members_votes_count(voting):
    app, chat = voting

    @examples(app)
    @given(ballots=st.lists(ballot, max_size=20))
    def check(ballots):
        clean(app)
        one_vote_each(app, chat, ballots)

    check()


def one_vote_each(app, chat, ballots) -> None:
    poll = open_poll(chat, "Should the group publish a glossary?")

    cast_all(app, chat, poll, ballots)

    rows = stored(app, poll)
    people = [member for member, _, _ in rows]
    assert len(people) == len(set(people)), f"more than one vote per person: {rows}"
    accepted = {who for who, _, path, _ in ballots if path == "storage" or who not in NEUTRAL}
    assert set(people) == accepted
    last = last_vote_per_eligible_member(ballots)
    assert {m: o for m, o, _ in rows if m in ELIGIBLE} == last
    result = tally_of(app, poll)
    assert result.voted == len(last)
    never_counted = {m for m in people if m not in ELIGIBLE}
    counted_groups = {g for g, counts in result.by_group.items() if sum(counts.values())}
    assert counted_groups == {ELIGIBLE[m] for m in last}
    # a vote by anyone else changes nothing: drop them all and the tally is the same
    assert result == expected_tally([b for b in ballots if b[0] not in never_counted])


def test_observers_strangers_the_facilitator_and_the_secretariat_are_never_counted(voting):
    app, chat = voting

    @examples(app)
    @given(
        voter=st.sampled_from(sorted(set(EVERYONE) - set(ELIGIBLE))),
        option=st.sampled_from(NAMES),
        path=st.sampled_from(["dispatcher", "storage"]),
        flag=st.booleans(),
    )
    def check(voter, option, path, flag):
        clean(app)
        cast_by_no_member(app, chat, voter, option, path, flag)

    check()


def cast_by_no_member(app, chat, voter, option, path, flag) -> None:
    poll = open_poll(chat, "Should the group meet in Geneva?")
    cast_all(app, chat, poll, [("amina", "agree", "storage", False)])
    before = tally_of(app, poll)

    cast_all(app, chat, poll, [(voter, option, path, flag)])

    assert tally_of(app, poll) == before
    assert before.counts == {"agree": 1, "abstain": 0, "disagree": 0, "block": 0}


# plain cases ----------------------------------------------------------------------------------


def test_a_second_cast_replaces_the_first_in_the_same_row(voting):
    app, chat = voting
    poll = open_poll(chat, "Should the output recommend a common format?")

    with app.store() as uow:
        uow.votes.cast(poll, "amina", "disagree", "too early", False, START)
        uow.votes.cast(poll, "amina", "agree", None, False, START)
        uow.commit()
    with app.store() as uow:
        uow.votes.cast(poll, "amina", "block", "the sponsor", False, START)
        uow.commit()

    assert stored(app, poll) == [("amina", "block", False)]
    assert tally_of(app, poll).counts == {"agree": 0, "abstain": 0, "disagree": 0, "block": 1}


def test_a_vote_stops_counting_when_its_member_leaves_the_roster(voting):
    app, chat = voting
    poll = open_poll(chat, "Should the output recommend a common format?")
    chat.say(
        f"""
        @amina: /pn vote {poll} agree
        @chen: /pn vote {poll} agree
        """
    )
    assert tally_of(app, poll).counts["agree"] == 2

    chat.say("@facilitator: /pn member remove @chen")

    result = tally_of(app, poll)
    assert result.counts["agree"] == 1
    assert result.eligible == len(ELIGIBLE) - 1


def test_counts_aggregate_per_option_and_stakeholder_group_in_the_database(voting):
    app, chat = voting
    poll = open_poll(chat, "Should the output recommend a common format?")
    chat.say(
        f"""
        @amina: /pn vote {poll} agree
        @farid: /pn vote {poll} agree
        @paula: /pn vote {poll} disagree the timeline is short
        @bruno: /pn vote {poll} block the sponsor conflict
        @olga: /pn vote {poll} agree
        """
    )

    with app.store() as uow:
        group = uow.groups.named("pn-ai")
        counts = sorted(uow.votes.counts(poll, group.id, VOTING_ROLES))
        eligible = sorted(uow.votes.eligible(group.id, VOTING_ROLES))

    assert counts == [
        ("agree", "civil-society", 2),
        ("block", "technical-community", 1),
        ("disagree", "civil-society", 1),
    ]
    assert eligible == [
        ("civil-society", 3),
        ("government", 1),
        ("intergovernmental", 1),
        ("private-sector", 1),
        ("technical-community", 2),
    ]
