"""Composition rules (terms of reference IV) over small hand-built rosters."""

from __future__ import annotations

import pytest

from handlers.base import ROLES, UserError
from handlers.composition import (
    CAPACITIES,
    GENDERS,
    REGIONS,
    STAKEHOLDER_GROUPS,
    balance,
    describe,
    warnings_for_addition,
)
from handlers.roster import Entry, check_entry


def person(
    handle: str,
    group: str = "civil-society",
    region: str = "africa",
    gender: str = "woman",
    org: str | None = None,
    role: str = "member",
    capacity: str = "organisation",
) -> Entry:
    return Entry(
        handle=handle,
        name=handle.title(),
        role=role,
        stakeholder_group=group,
        region=region,
        gender=gender,
        organisation=org if org is not None else f"{handle.title()} Org",
        capacity=capacity,
        timezone=None,
    )


def gender_warnings(members, new, target=20) -> list[str]:
    return [w for w in warnings_for_addition(members, new, target) if w.startswith("Gender")]


# balance ------------------------------------------------------------------------------------


def test_balance_counts_every_stakeholder_group_region_and_gender_including_zeros():
    members = [
        person("ana", "civil-society", "africa", "woman"),
        person("ben", "civil-society", "asia-pacific", "man"),
        person("cleo", "government", "africa", "non-binary"),
    ]

    b = balance(members, target=10)

    assert b.total == 3
    assert b.stakeholder_groups == {
        "intergovernmental": 0,
        "government": 1,
        "private-sector": 0,
        "civil-society": 2,
        "technical-community": 0,
    }
    assert b.regions == {
        "africa": 2,
        "asia-pacific": 1,
        "eastern-europe": 0,
        "latin-america-caribbean": 0,
        "western-europe-others": 0,
    }
    assert b.genders == {"woman": 1, "man": 1, "non-binary": 1, "undisclosed": 0}
    assert (b.group_share, b.region_share) == (2, 2)


def test_balance_shares_may_be_fractions():
    b = balance([], target=12)

    assert (b.group_share, b.region_share) == (12 / 5, 12 / 5)
    assert "Stakeholder groups (equal share 2.4 each):" in describe(b)


def test_describe_marks_groups_over_and_short_of_their_share():
    members = [person(h, "civil-society", "africa") for h in ("ana", "ben", "cleo")]

    lines = describe(balance(members, target=10)).splitlines()

    assert "  civil-society: 3 (1 over)" in lines
    assert "  government: 0 (2 short)" in lines
    assert "  africa: 3 (1 over)" in lines
    assert "  eastern-europe: 0 (2 short)" in lines


def test_describe_shows_nothing_beside_a_group_at_its_exact_share():
    members = [person(h, "government", "africa") for h in ("ana", "ben")]

    assert "  government: 2" in describe(balance(members, target=10)).splitlines()


def test_describe_says_whether_gender_parity_holds():
    near = [person("ana", gender="woman"), person("ben", gender="man"), person("cleo")]
    far = [*near, person("dora")]

    assert "(parity holds)" in describe(balance(near, target=10))
    assert "(parity is off by 2)" in describe(balance(far, target=10))


def test_observers_facilitators_and_secretariat_are_not_counted():
    members = [
        person("ana"),
        person("obi", role="observer"),
        person("fay", role="facilitator"),
        person("sam", role="secretariat"),
        person("cole", role="co-moderator", gender="man"),
    ]

    b = balance(members, target=10)

    assert b.total == 2
    assert b.stakeholder_groups["civil-society"] == 2
    assert b.genders == {"woman": 1, "man": 1, "non-binary": 0, "undisclosed": 0}


# warnings for an addition ---------------------------------------------------------------------


def test_no_warning_when_an_addition_keeps_everything_within_shares():
    members = [person("ana", "civil-society", "africa", "woman")]

    assert (
        warnings_for_addition(members, person("ben", "government", "asia-pacific", "man"), 10) == []
    )


def test_warns_when_the_group_grows_past_its_target():
    members = [person("ana", "civil-society", "africa", "woman")]

    warnings = warnings_for_addition(members, person("ben", "government", "asia-pacific", "man"), 1)

    assert "The group now has 2 members, above its target of 1." in warnings


def test_warns_when_a_stakeholder_group_goes_over_its_share():
    members = [
        person("ana", "civil-society", "africa"),
        person("ben", "civil-society", "asia-pacific"),
    ]

    warnings = warnings_for_addition(
        members, person("cleo", "civil-society", "eastern-europe", "man"), 10
    )

    assert warnings == ["civil-society now has 3 members, above an equal share of 2."]


def test_warns_when_a_region_goes_over_its_share():
    members = [person("ana", "civil-society", "africa"), person("ben", "government", "africa")]

    warnings = warnings_for_addition(members, person("cleo", "private-sector", "africa", "man"), 10)

    assert warnings == ["africa now has 3 members, above an equal share of 2."]


def test_reaching_a_share_exactly_is_no_warning():
    members = [person("ana", "civil-society", "africa")]

    assert (
        warnings_for_addition(members, person("ben", "civil-society", "asia-pacific", "man"), 10)
        == []
    )


@pytest.mark.parametrize(
    ("women", "men", "new", "warned"),
    [
        (0, 0, "woman", False),  # 1-0: a gap of one is parity
        (1, 0, "man", False),  # 1-1: the gap closes
        (1, 0, "woman", True),  # 2-0: beyond one
        (1, 1, "woman", False),  # 2-1: still within one
        (2, 0, "woman", True),  # 3-0: the gap grows from 2 to 3
        (2, 0, "man", False),  # 2-1: the gap narrows
        (0, 2, "man", True),  # 0-3: the same rule for men
        (2, 0, "non-binary", False),  # not about the woman/man gap
        (2, 0, "undisclosed", False),
    ],
)
def test_gender_warning_only_when_the_gap_grows_beyond_one(women, men, new, warned):
    members = [person(f"w{i}", gender="woman") for i in range(women)]
    members += [person(f"m{i}", gender="man") for i in range(men)]

    warnings = gender_warnings(members, person("new", gender=new))

    assert bool(warnings) == warned, warnings


def test_gender_warning_gives_the_new_counts():
    members = [person("ana"), person("bea")]

    assert gender_warnings(members, person("cleo")) == [
        "Gender parity is further away: 3 women and 0 men."
    ]


def test_warns_about_a_second_representative_of_an_organisation():
    members = [person("ana", org="Data Rights Lab")]

    warnings = warnings_for_addition(
        members, person("ben", "government", "asia-pacific", "man", org="Data Rights Lab"), 10
    )

    assert warnings == [
        "Data Rights Lab is already represented by Ana; organisations delegate one "
        "representative each."
    ]


def test_the_same_organisation_is_recognised_whatever_its_case_and_spacing():
    members = [person("ana", org="Data Rights Lab")]

    warnings = warnings_for_addition(
        members, person("ben", "government", "asia-pacific", "man", org=" data rights lab "), 10
    )

    assert any("already represented by Ana" in w for w in warnings), warnings


@pytest.mark.parametrize("who", ["existing", "new"])
def test_a_member_in_personal_capacity_is_no_delegate_of_their_organisation(who):
    existing = person(
        "ana", org="Data Rights Lab", capacity="personal" if who == "existing" else "organisation"
    )
    new = person(
        "ben",
        "government",
        "asia-pacific",
        "man",
        org="Data Rights Lab",
        capacity="personal" if who == "new" else "organisation",
    )

    assert warnings_for_addition([existing], new, 10) == []
    assert balance([existing, new], 10).shared_organisations == {}


def test_organisation_warning_names_only_the_other_delegates():
    members = [
        person("ana", org="Data Rights Lab", capacity="personal"),
        person("bea", "government", "asia-pacific", org="Data Rights Lab"),
    ]

    warnings = warnings_for_addition(
        members,
        person("cleo", "private-sector", "eastern-europe", "man", org="Data Rights Lab"),
        10,
    )

    assert warnings == [
        "Data Rights Lab is already represented by Bea; organisations delegate one "
        "representative each."
    ]


@pytest.mark.parametrize("role", ["observer", "facilitator", "secretariat"])
def test_adding_someone_without_a_vote_never_warns(role):
    members = [person("ana", org="Data Rights Lab"), person("bea")]

    assert warnings_for_addition(members, person("new", org="Data Rights Lab", role=role), 1) == []


@pytest.mark.parametrize("role", ["observer", "facilitator", "secretariat"])
def test_people_without_a_vote_do_not_make_a_member_warn(role):
    members = [
        person(f"{role}{i}", "civil-society", "africa", "woman", org="Data Rights Lab", role=role)
        for i in range(3)
    ]

    assert warnings_for_addition(members, person("ana", org="Data Rights Lab"), 10) == []


def test_a_co_moderator_counts_like_a_member():
    members = [person("cole", role="co-moderator", org="Data Rights Lab")]

    warnings = warnings_for_addition(
        members, person("ana", "government", "asia-pacific", "man", org="Data Rights Lab"), 10
    )

    assert any("already represented by Cole" in w for w in warnings), warnings


# check_entry --------------------------------------------------------------------------------

VALID = {
    "handle": "uma",
    "name": "Uma Achieng",
    "role": "member",
    "stakeholder_group": "civil-society",
    "region": "africa",
    "gender": "woman",
    "organisation": "Data Rights Lab",
    "capacity": "organisation",
    "timezone": "Africa/Kampala",
}


@pytest.mark.parametrize(
    "written", ["Civil Society", "civil_society", "CIVIL-SOCIETY", " civil society "]
)
def test_check_entry_normalises_how_a_stakeholder_group_is_written(written):
    assert check_entry({**VALID, "stakeholder_group": written}).stakeholder_group == "civil-society"


def test_check_entry_normalises_regions_genders_roles_and_capacities_too():
    entry = check_entry(
        {
            **VALID,
            "region": "Latin America Caribbean",
            "gender": "Non_Binary",
            "role": "Co Moderator",
            "capacity": "PERSONAL",
        }
    )

    assert (entry.region, entry.gender, entry.role, entry.capacity) == (
        "latin-america-caribbean",
        "non-binary",
        "co-moderator",
        "personal",
    )


@pytest.mark.parametrize(
    ("field", "bad", "label", "allowed", "meant"),
    [
        (
            "stakeholder_group",
            "academia",
            "stakeholder group",
            STAKEHOLDER_GROUPS,
            "technical-community",
        ),
        (
            "stakeholder_group",
            "technical",
            "stakeholder group",
            STAKEHOLDER_GROUPS,
            "technical-community",
        ),
        ("region", "europe", "region", REGIONS, None),
        ("region", "latin-america", "region", REGIONS, "latin-america-caribbean"),
        ("gender", "female", "gender", GENDERS, "woman"),
        ("gender", "nonbinary", "gender", GENDERS, "non-binary"),
        ("role", "chair", "role", ROLES, None),
        ("role", "comoderator", "role", ROLES, "co-moderator"),
        ("capacity", "own", "capacity", CAPACITIES, "personal"),
        ("capacity", "individual", "capacity", CAPACITIES, "personal"),
    ],
)
def test_check_entry_rejects_a_bad_value_with_the_allowed_ones(field, bad, label, allowed, meant):
    with pytest.raises(UserError) as caught:
        check_entry({**VALID, field: bad})

    hint = f" Did you mean `{meant}`?" if meant else ""
    assert str(caught.value) == f"`{bad}` is not a {label}.{hint} Use one of: {', '.join(allowed)}."


def test_check_entry_rejects_an_unknown_time_zone():
    with pytest.raises(UserError, match="`Mars/Olympus` is not a time zone"):
        check_entry({**VALID, "timezone": "Mars/Olympus"})


def test_check_entry_requires_the_composition_facts_of_a_member():
    with pytest.raises(UserError) as caught:
        check_entry({**VALID, "region": ""})

    assert str(caught.value) == f"A member needs a region: one of {', '.join(REGIONS)}."


def test_check_entry_lets_an_observer_leave_out_the_composition_facts():
    entry = check_entry({"handle": "olga", "role": "observer"})

    assert (entry.role, entry.stakeholder_group, entry.organisation, entry.capacity) == (
        "observer",
        None,
        None,
        None,
    )


def test_check_entry_defaults_the_role_capacity_and_name():
    entry = check_entry({**VALID, "role": None, "capacity": None, "name": None})

    assert (entry.role, entry.capacity, entry.name) == ("member", "organisation", "uma")


def test_check_entry_rejects_a_handle_with_spaces():
    with pytest.raises(UserError, match="is not a user handle"):
        check_entry({**VALID, "handle": "uma achieng"})
