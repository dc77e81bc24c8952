"""The tally of a consensus poll and the outcome it suggests, as pure rules (handlers.tally).

`compute` takes what storage aggregates: rows of (option, stakeholder group, votes) for the
counted votes, and rows of (stakeholder group, eligible members). Whose votes make those rows
(members and co-moderators only, the last vote of each) is shown through the real database in
tests/storage/test_votes.py; here the rules themselves: counts, turnout, quorum, the
suggestion, the groups with no support, and the words of the tally.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers import tally
from handlers.composition import STAKEHOLDER_GROUPS

OPTIONS = [dict(o) for o in tally.DEFAULT_OPTIONS]
NAMES = [o["name"] for o in OPTIONS]
CUSTOM = [{"name": n, "meaning": ""} for n in ("geneva", "nairobi", "online")]
CS, GOV, PS, TC, IGO = (
    "civil-society",
    "government",
    "private-sector",
    "technical-community",
    "intergovernmental",
)
# Twenty members, four from each stakeholder group, as the terms of reference intend.
TWENTY = [(group, 4) for group in STAKEHOLDER_GROUPS]


def rows(**per_group: dict[str, int]) -> list[tuple[str, str, int]]:
    """rows(civil_society={"agree": 2}) -> [("agree", "civil-society", 2)]."""
    return [
        (option, group.replace("_", "-"), n)
        for group, counts in per_group.items()
        for option, n in counts.items()
        if n
    ]


def spread(**counts: int) -> list[tuple[str, str, int]]:
    """Votes spread over the stakeholder groups in turn, one row per vote."""
    out = []
    n = 0
    for option, how_many in counts.items():
        for _ in range(how_many):
            out.append((option, STAKEHOLDER_GROUPS[n % len(STAKEHOLDER_GROUPS)], 1))
            n += 1
    return out


# counts, turnout and groups ----------------------------------------------------------------


def test_votes_are_counted_per_option_and_per_stakeholder_group():
    result = tally.compute(
        OPTIONS,
        rows(civil_society={"agree": 2, "block": 1}, government={"agree": 1, "disagree": 1}),
        TWENTY,
    )

    assert result.counts == {"agree": 3, "abstain": 0, "disagree": 1, "block": 1}
    assert result.by_group == {
        CS: {"agree": 2, "abstain": 0, "disagree": 0, "block": 1},
        GOV: {"agree": 1, "abstain": 0, "disagree": 1, "block": 0},
    }
    assert (result.voted, result.eligible) == (5, 20)
    assert result.eligible_by_group == dict.fromkeys(STAKEHOLDER_GROUPS, 4)


def test_a_vote_for_an_option_the_poll_no_longer_has_is_not_counted():
    result = tally.compute(OPTIONS, [("agree", CS, 2), ("maybe", CS, 5)], TWENTY)

    assert result.counts["agree"] == 2
    assert "maybe" not in result.counts
    assert result.voted == 2


def test_a_member_without_a_stakeholder_group_is_counted_under_none():
    result = tally.compute(OPTIONS, [("agree", None, 1)], [(None, 1), (CS, 2)])

    assert result.by_group == {"none": {"agree": 1, "abstain": 0, "disagree": 0, "block": 0}}
    assert result.eligible == 3
    assert result.eligible_by_group["none"] == 1


def test_the_tally_as_json_has_the_documented_keys():
    result = tally.compute(OPTIONS, rows(civil_society={"agree": 10}), TWENTY)

    assert result.as_json() == {
        "counts": {"agree": 10, "abstain": 0, "disagree": 0, "block": 0},
        "by_stakeholder_group": {CS: {"agree": 10, "abstain": 0, "disagree": 0, "block": 0}},
        "eligible": 20,
        "voted": 10,
        "quorum_needed": 10,
        "quorum_met": True,
        "suggestion": "consensus",
        "unsupported_groups": [IGO, GOV, PS, TC],
    }


# quorum ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("eligible", "needed"),
    [(20, 10), (19, 10), (5, 3), (1, 1), (2, 1)],
    ids=["20 -> 10", "19 -> 10", "5 -> 3", "1 -> 1", "2 -> 1"],
)
def test_the_default_quorum_is_half_of_the_eligible_members_rounded_up(eligible, needed):
    result = tally.compute(OPTIONS, [], [(CS, eligible)])

    assert result.quorum_needed == needed


def test_the_quorum_is_met_at_exactly_half_and_not_one_vote_below():
    below = tally.compute(OPTIONS, spread(agree=9), TWENTY)
    at = tally.compute(OPTIONS, spread(agree=10), TWENTY)

    assert (below.quorum_met, below.suggestion) == (False, "no-consensus")
    assert (at.quorum_met, at.suggestion) == (True, "consensus")


def test_abstentions_count_towards_the_quorum():
    result = tally.compute(OPTIONS, spread(agree=5, abstain=5), TWENTY)

    assert result.quorum_met
    assert result.suggestion == "consensus"


def test_with_nobody_eligible_there_is_no_quorum_and_no_consensus():
    result = tally.compute(OPTIONS, [], [])

    assert (result.eligible, result.quorum_met, result.suggestion) == (0, False, "no-consensus")


@pytest.mark.parametrize(
    ("percent", "eligible", "needed"),
    [(60, 20, 12), (70, 10, 7), (28, 25, 7), (55, 100, 55)],
    ids=["60% of 20", "70% of 10", "28% of 25", "55% of 100"],
)
def test_a_quorum_set_in_percent_needs_exactly_that_share_of_the_eligible(
    percent, eligible, needed
):
    # `poll rules quorum=28%` stores 0.28; 28% of 25 members is 7 members, not 8
    rules = {**tally.DEFAULT_RULES, "quorum": percent / 100}

    result = tally.compute(OPTIONS, [("agree", CS, needed)], [(CS, eligible)], rules)

    assert result.quorum_needed == needed
    assert result.quorum_met


# the suggestion ------------------------------------------------------------------------------


def test_one_block_means_no_consensus_whatever_the_support():
    result = tally.compute(OPTIONS, spread(agree=19, block=1), TWENTY)

    assert result.suggestion == "no-consensus"


def test_disagreement_up_to_a_fifth_of_the_votes_that_took_a_side_still_suggests_consensus():
    at_a_fifth = tally.compute(OPTIONS, spread(agree=8, disagree=2), TWENTY)
    above = tally.compute(OPTIONS, spread(agree=7, disagree=2, abstain=1), TWENTY)

    assert at_a_fifth.disagree_share == pytest.approx(0.2)
    assert at_a_fifth.suggestion == "consensus"
    assert above.disagree_share == pytest.approx(2 / 9)
    assert above.suggestion == "no-consensus"


def test_abstentions_are_left_out_of_the_disagreement_share():
    # 1 disagree out of 5 votes that took a side is 20%; out of all 12 votes it would be 8%
    result = tally.compute(OPTIONS, spread(agree=4, disagree=1, abstain=7), TWENTY)

    assert result.disagree_share == pytest.approx(0.2)
    assert result.suggestion == "consensus"


def test_the_groups_rules_change_the_suggestion():
    votes = spread(agree=10, disagree=3, block=1)
    lenient = {"quorum": 0.5, "blocks": 1, "disagree": 0.25}

    assert tally.compute(OPTIONS, votes, TWENTY).suggestion == "no-consensus"
    assert tally.compute(OPTIONS, votes, TWENTY, lenient).suggestion == "consensus"


def test_rules_of_a_group_fill_in_the_defaults():
    @dataclass
    class Group:
        settings: dict | None

    assert tally.rules_of(Group(None)) == {"quorum": 0.5, "blocks": 0, "disagree": 0.2}
    assert tally.rules_of(Group({"consensus": {"quorum": 0.6}})) == {
        "quorum": 0.6,
        "blocks": 0,
        "disagree": 0.2,
    }


def test_custom_options_get_no_suggestion_and_no_support_warning():
    result = tally.compute(CUSTOM, [("online", CS, 12)], TWENTY)

    assert result.counts == {"geneva": 0, "nairobi": 0, "online": 12}
    assert result.suggestion is None
    assert result.unsupported_groups == []


# stakeholder groups with no support ------------------------------------------------------------


def test_a_stakeholder_group_with_eligible_members_and_no_agree_is_flagged():
    result = tally.compute(
        OPTIONS,
        rows(civil_society={"agree": 2}, government={"disagree": 1}, private_sector={"agree": 1}),
        [(CS, 4), (GOV, 4), (PS, 4), (TC, 4), (IGO, 0)],
    )

    # government voted but not for; technical-community did not vote; intergovernmental has
    # nobody eligible, so nobody is missing there
    assert result.unsupported_groups == [GOV, TC]


# the words ---------------------------------------------------------------------------------------


def test_the_tally_in_words_lists_counts_groups_turnout_suggestion_and_every_dissent():
    result = tally.compute(
        OPTIONS,
        rows(
            civil_society={"agree": 3},
            government={"agree": 2, "disagree": 1},
            technical_community={"block": 1},
        ),
        TWENTY,
    )

    text = tally.describe(
        result,
        [("@bruno", "block", "the sponsor conflict is unresolved"), ("@dana", "disagree", None)],
        [("@olga", "agree"), ("@zoe", "block")],
    )

    assert text.splitlines() == [
        "Votes: agree 5, abstain 0, disagree 1, block 1.",
        "  civil-society: agree 3",
        "  government: agree 2, disagree 1",
        "  technical-community: block 1",
        "Turnout: 7 of 20 eligible members; quorum of 10 not met.",
        "Suggested outcome: no consensus (the facilitator declares it).",
        "No support from: technical-community.",
        "No vote from: intergovernmental, private-sector.",
        "Dissent, block: @bruno: the sponsor conflict is unresolved",
        "Dissent, disagree: @dana: (no reason given)",
        "Observers' views (advisory, not counted): @olga agree, @zoe block.",
    ]


def test_the_tally_of_custom_options_in_words_names_the_most_voted_and_suggests_nothing():
    result = tally.compute(CUSTOM, [("online", CS, 12)], TWENTY)

    text = tally.describe(result, [], [])

    assert text.splitlines() == [
        "Votes: geneva 0, nairobi 0, online 12.",
        "  civil-society: online 12",
        "Turnout: 12 of 20 eligible members; quorum of 10 met.",
        "Most votes: online (12 votes; the facilitator declares the choice).",
    ]


def test_a_tie_between_options_is_named_as_one():
    result = tally.compute(CUSTOM, [("online", CS, 1), ("geneva", CS, 1)], TWENTY)

    assert tally.describe(result, [], []).splitlines()[-1] == (
        "Tied at 1 vote: geneva, online (the facilitator declares the choice)."
    )


# properties ------------------------------------------------------------------------------------

HANDLES = [f"m{n}" for n in range(12)]
members = st.dictionaries(
    st.sampled_from(HANDLES), st.sampled_from(STAKEHOLDER_GROUPS), min_size=1, max_size=12
)


@st.composite
def ballots(draw):
    """A roster of members and the last vote of those who voted (some did not)."""
    roster = draw(members)
    voters = draw(st.lists(st.sampled_from(sorted(roster)), unique=True))
    return roster, {handle: draw(st.sampled_from(NAMES)) for handle in voters}


def as_rows(roster: dict[str, str], last: dict[str, str]) -> list[tuple[str, str, int]]:
    """One row per member's vote: what storage would aggregate, before aggregating."""
    return [(option, roster[handle], 1) for handle, option in last.items()]


def eligible_rows(roster: dict[str, str]) -> list[tuple[str, int]]:
    return sorted(Counter(roster.values()).items())


def aggregated(rows: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    total = Counter()
    for option, group, n in rows:
        total[option, group] += n
    return [(option, group, n) for (option, group), n in total.items()]


rules = st.fixed_dictionaries(
    {
        "quorum": st.integers(0, 100).map(lambda p: p / 100),
        "blocks": st.integers(0, 3),
        "disagree": st.integers(0, 100).map(lambda p: p / 100),
    }
)


@settings(max_examples=200, deadline=None)
@given(data=ballots(), chosen=rules, order=st.randoms(use_true_random=False))
def test_the_tally_does_not_depend_on_the_order_of_votes(data, chosen, order):
    roster, last = data
    one_by_one = as_rows(roster, last)
    shuffled = list(one_by_one)
    order.shuffle(shuffled)

    first = tally.compute(OPTIONS, one_by_one, eligible_rows(roster), chosen)
    second = tally.compute(OPTIONS, shuffled, eligible_rows(roster), chosen)
    grouped = tally.compute(OPTIONS, aggregated(shuffled), eligible_rows(roster), chosen)

    assert first == second == grouped
    assert first.as_json() == second.as_json() == grouped.as_json()


@settings(max_examples=200, deadline=None)
@given(data=ballots())
def test_each_member_who_voted_counts_once_in_the_totals_and_in_their_group(data):
    roster, last = data

    result = tally.compute(OPTIONS, as_rows(roster, last), eligible_rows(roster))

    assert result.voted == len(last) <= result.eligible == len(roster)
    assert result.counts == {name: Counter(last.values())[name] for name in NAMES}
    for group, counts in result.by_group.items():
        voters_here = [h for h in last if roster[h] == group]
        assert sum(counts.values()) == len(voters_here) <= result.eligible_by_group[group]
    assert sum(sum(c.values()) for c in result.by_group.values()) == result.voted


@settings(max_examples=200, deadline=None)
@given(data=ballots(), chosen=rules)
def test_the_suggestion_follows_the_three_rules(data, chosen):
    roster, last = data
    counts = Counter(last.values())

    result = tally.compute(OPTIONS, as_rows(roster, last), eligible_rows(roster), chosen)

    voted, eligible = len(last), len(roster)
    # in whole numbers, so no rounding can creep in: voted / eligible >= quorum
    quorum = voted * 100 >= round(chosen["quorum"] * 100) * eligible
    sided = voted - counts["abstain"]
    calm = counts["disagree"] * 100 <= round(chosen["disagree"] * 100) * sided
    expected = quorum and counts["agree"] > 0 and counts["block"] <= chosen["blocks"] and calm
    assert result.quorum_met == quorum
    assert result.suggestion == ("consensus" if expected else "no-consensus")


@settings(max_examples=200, deadline=None)
@given(data=ballots(), extra=st.sampled_from(STAKEHOLDER_GROUPS))
def test_one_more_agree_never_takes_consensus_away_and_one_block_always_does(data, extra):
    roster, last = data
    base = as_rows(roster, last)
    eligible = eligible_rows(roster) + [(extra, 1)]  # the newcomer who votes below

    before = tally.compute(OPTIONS, base, eligible)
    with_agree = tally.compute(OPTIONS, base + [("agree", extra, 1)], eligible)
    with_block = tally.compute(OPTIONS, base + [("block", extra, 1)], eligible)

    if before.suggestion == "consensus":
        assert with_agree.suggestion == "consensus"
    assert with_block.suggestion == "no-consensus"


@settings(max_examples=200, deadline=None)
@given(data=ballots())
def test_a_group_is_flagged_exactly_when_it_has_eligible_members_and_no_agree(data):
    roster, last = data

    result = tally.compute(OPTIONS, as_rows(roster, last), eligible_rows(roster))

    agreeing = {roster[h] for h, option in last.items() if option == "agree"}
    assert set(result.unsupported_groups) == set(roster.values()) - agreeing


def test_a_room_of_abstentions_is_no_consensus():
    result = tally.compute(OPTIONS, [("abstain", "government", 4)], [("government", 4)])

    assert result.quorum_met
    assert result.suggestion == "no-consensus"
