"""Roster dialogs through the console: import, balance, members, help and rooms.

Expected counts come from examples/roster.csv itself, so the tests say what the bot should
report about that file rather than repeating numbers typed in by hand.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict

from support import EXAMPLES, START, bot_replies, said

from handlers.base import VOTING_ROLES
from handlers.composition import GENDERS, REGIONS, STAKEHOLDER_GROUPS
from handlers.registry import REGISTRY
from storage.archive import MEMBER_KEYS, export

ROSTER_CSV = EXAMPLES / "roster.csv"


def the_reply(printed: str) -> str:
    replies = bot_replies(printed)
    assert len(replies) == 1, printed
    return replies[0]


def added(printed: str) -> tuple[str, list[str]]:
    """What `member add` told the room, and the lines it told the facilitator alone."""
    [public] = [s.text for s in said(printed) if s.only is None]
    aside = [s.text for s in said(printed) if s.only == "facilitator"]
    assert len(aside) <= 1, printed
    return public, aside[0].splitlines()[1:] if aside else []


def example_rows() -> list[dict[str, str]]:
    with ROSTER_CSV.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def example_row(handle: str) -> dict[str, str]:
    return next(row for row in example_rows() if row["handle"] == handle)


def voters(rows) -> list[dict[str, str]]:
    return [row for row in rows if row["role"] in VOTING_ROLES]


def target_of(app, group: str = "pn-ai") -> int:
    with app.store() as uow:
        return uow.groups.named(group).target_size


def versus(n: int, share: float) -> str:
    if n > share:
        return f" ({n - share:g} over)"
    if n < share:
        return f" ({share - n:g} short)"
    return ""


UMA = '@uma group=civil-society region=africa gender=woman org="Data Rights Lab"'


# import and balance -------------------------------------------------------------------------


def test_importing_the_example_roster_reports_how_many_were_added(transcript):
    printed = transcript.say("!roster-import roster.csv")

    assert f"Imported roster.csv into pn-ai: {len(example_rows())} added, 0 updated." in printed


def test_balance_of_the_example_roster_counts_groups_regions_and_genders(app, transcript):
    people = voters(example_rows())
    target = target_of(app)
    group_share = target / len(STAKEHOLDER_GROUPS)
    region_share = target / len(REGIONS)
    by_group = Counter(row["stakeholder_group"] for row in people)
    by_region = Counter(row["region"] for row in people)
    by_gender = Counter(row["gender"] for row in people)
    gap = abs(by_gender["woman"] - by_gender["man"])
    transcript.say("!roster-import roster.csv")

    report = the_reply(transcript.say("@facilitator: /pn balance")).splitlines()

    assert report[0] == (
        f"Composition of pn-ai: {len(people)} members with an equal say (target {target})."
    )
    for group in STAKEHOLDER_GROUPS:
        assert f"  {group}: {by_group[group]}{versus(by_group[group], group_share)}" in report
    for region in REGIONS:
        assert f"  {region}: {by_region[region]}{versus(by_region[region], region_share)}" in report
    parity = "parity holds" if gap <= 1 else f"parity is off by {gap}"
    assert (
        f"Gender: {by_gender['woman']} women, {by_gender['man']} men, "
        f"{by_gender['non-binary']} non-binary, {by_gender['undisclosed']} undisclosed ({parity})."
    ) in report
    assert set(by_gender) <= set(GENDERS)


def test_balance_warns_that_telecom_europe_sends_two_representatives(transcript):
    delegates = defaultdict(list)
    for row in sorted(voters(example_rows()), key=lambda r: (r["stakeholder_group"], r["name"])):
        if row["capacity"] != "personal":
            delegates[row["organisation"]].append(row["name"])
    shared = {org: names for org, names in delegates.items() if len(names) > 1}
    assert "Telecom Europe" in shared, "the example roster should show a shared organisation"
    transcript.say("!roster-import roster.csv")

    report = the_reply(transcript.say("@facilitator: /pn balance"))

    warnings = [line for line in report.splitlines() if line.startswith("Warning:")]
    assert warnings == [
        f"Warning: {org} has {len(names)} representatives ({', '.join(names)})."
        for org, names in sorted(shared.items())
    ]


def test_balance_does_not_count_a_personal_capacity_member_as_a_delegate(transcript):
    lena = example_row("lena")
    assert lena["capacity"] == "personal"
    transcript.say(
        f"""
        !roster-import roster.csv
        @facilitator: /pn member add @olek group=government region=eastern-europe gender=man org="{lena["organisation"]}" role=observer
        """
    )

    report = the_reply(transcript.say("@facilitator: /pn balance"))

    assert lena["organisation"] not in report


# member add and its balance warnings ---------------------------------------------------------


def test_member_add_puts_the_person_on_the_roster(transcript):
    printed = transcript.say(
        "@facilitator: /pn member add @uma group=civil-society region=africa gender=woman "
        'org="Data Rights Lab" name="Uma Achieng" tz=Africa/Kampala'
    )

    # The room reads no organisation, gender or time zone.
    assert the_reply(printed) == (
        "Added Uma Achieng (@uma) — civil-society, africa to the roster of pn-ai."
    )
    shown = the_reply(transcript.say("@uma: /pn member show"))
    assert "Stakeholder group: civil-society" in shown
    assert "Time zone: Africa/Kampala" in shown


def test_member_add_to_a_balanced_place_gives_no_warning(transcript):
    paula = example_row("paula")
    transcript.say("!roster-import roster.csv\n@facilitator: /pn member remove @paula")

    reply = the_reply(
        transcript.say(
            f"@facilitator: /pn member add @uma group={paula['stakeholder_group']} "
            f'region={paula["region"]} gender={paula["gender"]} org="Open Data Coop"'
        )
    )

    assert reply.startswith("Added uma (@uma)")
    assert "Balance:" not in reply


def test_member_add_warns_when_a_stakeholder_group_goes_over_its_share(app, transcript):
    paula = example_row("paula")
    rest = [row for row in voters(example_rows()) if row["handle"] != "paula"]
    private = sum(row["stakeholder_group"] == "private-sector" for row in rest) + 1
    share = target_of(app) / len(STAKEHOLDER_GROUPS)
    assert private > share
    transcript.say("!roster-import roster.csv\n@facilitator: /pn member remove @paula")

    public, aside = added(
        transcript.say(
            "@facilitator: /pn member add @uma group=private-sector "
            f'region={paula["region"]} gender={paula["gender"]} org="Open Data Coop"'
        )
    )

    assert "Balance" not in public
    assert aside == [
        f"Balance: private-sector now has {private} members, above an equal share of {share:g}."
    ]


def test_member_add_warns_when_the_gender_gap_widens(transcript):
    farid = example_row("farid")
    assert farid["gender"] == "man"
    rest = [row for row in voters(example_rows()) if row["handle"] != "farid"]
    women = sum(row["gender"] == "woman" for row in rest) + 1
    men = sum(row["gender"] == "man" for row in rest)
    transcript.say("!roster-import roster.csv\n@facilitator: /pn member remove @farid")

    public, aside = added(
        transcript.say(
            f"@facilitator: /pn member add @uma group={farid['stakeholder_group']} "
            f'region={farid["region"]} gender=woman org="Open Data Coop"'
        )
    )

    # The room would learn the newcomer's gender from it: the facilitator alone reads it.
    assert "Balance" not in public
    assert aside == [f"Balance: Gender parity is further away: {women} women and {men} men."]


def test_member_add_that_narrows_the_gender_gap_gives_no_warning(transcript):
    farid = example_row("farid")
    transcript.say("!roster-import roster.csv\n@facilitator: /pn member remove @farid")

    reply = the_reply(
        transcript.say(
            f"@facilitator: /pn member add @umar group={farid['stakeholder_group']} "
            f'region={farid["region"]} gender=man org="Open Data Coop"'
        )
    )

    assert "Balance:" not in reply


def test_member_add_warns_about_a_second_representative_of_an_organisation(transcript):
    paula, amina = example_row("paula"), example_row("amina")
    transcript.say("!roster-import roster.csv\n@facilitator: /pn member remove @paula")

    public, aside = added(
        transcript.say(
            f"@facilitator: /pn member add @uma group={paula['stakeholder_group']} "
            f'region={paula["region"]} gender={paula["gender"]} org="{amina["organisation"]}"'
        )
    )

    assert amina["organisation"] not in public
    assert amina["name"] not in public
    assert aside == [
        f"Balance: {amina['organisation']} is already represented by {amina['name']}; "
        "organisations delegate one representative each."
    ]


def test_member_add_in_personal_capacity_is_no_second_representative(transcript):
    paula, amina = example_row("paula"), example_row("amina")
    transcript.say("!roster-import roster.csv\n@facilitator: /pn member remove @paula")

    reply = the_reply(
        transcript.say(
            f"@facilitator: /pn member add @uma group={paula['stakeholder_group']} "
            f"region={paula['region']} gender={paula['gender']} "
            f'org="{amina["organisation"]}" capacity=personal'
        )
    )

    assert "Balance:" not in reply
    assert "(personal capacity)" in the_reply(transcript.say("@facilitator: /pn member show @uma"))


def test_member_add_of_an_observer_gives_no_balance_warning(transcript):
    transcript.say("!roster-import roster.csv")

    reply = the_reply(transcript.say(f"@facilitator: /pn member add {UMA} role=observer"))

    assert reply.startswith("Added uma (@uma) [observer]")
    assert "Balance:" not in reply


# remove, show, roster, tz -------------------------------------------------------------------


def test_member_remove_takes_the_person_off_the_roster(transcript):
    amina = example_row("amina")
    transcript.say("!roster-import roster.csv")

    reply = the_reply(transcript.say("@facilitator: /pn member remove @amina"))

    assert reply == (
        f"Removed {amina['name']} (@amina) from the roster of pn-ai. Their past stays on the "
        "record: they are listed as a former member (`roster all`)."
    )
    assert the_reply(transcript.say("@facilitator: /pn member show @amina")) == (
        "@amina is a former member of pn-ai (Tue 1 Dec 2026 – Tue 1 Dec 2026); "
        "`roster all` lists former members."
    )
    shown = the_reply(transcript.say("@facilitator: /pn roster"))
    assert "(@amina)" not in shown
    assert shown.splitlines()[-1] == "Former members: 1 (`roster all` lists them)."


def test_member_show_without_a_name_shows_your_own_entry(transcript):
    amina = example_row("amina")
    transcript.say("!roster-import roster.csv")

    printed = transcript.say("@amina: /pn member show")

    assert "pnbot (to amina only):" in printed
    assert the_reply(printed).splitlines() == [
        f"{amina['name']} (@amina) — {amina['organisation']}, {amina['stakeholder_group']}, "
        f"{amina['region']}",
        f"Role: {amina['role']}",
        f"Stakeholder group: {amina['stakeholder_group']}",
        f"Region: {amina['region']}",
        f"Gender: {amina['gender']}",
        f"Organisation: {amina['organisation']} ({amina['capacity']} capacity)",
        f"Time zone: {amina['timezone']}",
    ]


def test_member_show_of_someone_else_shows_their_role_but_nothing_personal(transcript):
    bruno = example_row("bruno")
    transcript.say("!roster-import roster.csv")

    shown = the_reply(transcript.say("@amina: /pn member show @bruno")).splitlines()

    assert shown == [
        f"{bruno['name']} (@bruno) [{bruno['role']}] — {bruno['stakeholder_group']}, "
        f"{bruno['region']}",
        f"Role: {bruno['role']}",
        f"Stakeholder group: {bruno['stakeholder_group']}",
        f"Region: {bruno['region']}",
    ]


def test_member_show_without_a_time_zone_says_the_default_applies(transcript):
    transcript.say(f"@facilitator: /pn member add {UMA}")

    shown = the_reply(transcript.say("@uma: /pn member show"))

    assert shown.splitlines()[-1] == "Time zone: UTC (the default)"


def test_member_show_of_someone_without_a_zone_does_not_borrow_the_askers_zone(transcript):
    transcript.say(
        f"""
        !roster-import roster.csv
        @facilitator: /pn member add {UMA}
        @facilitator: /pn member add @sekou group=civil-society region=africa gender=man org="Secretariat" role=secretariat tz=Africa/Dakar
        """
    )

    shown = the_reply(transcript.say("@sekou: /pn member show @uma"))

    assert "Africa/Dakar" not in shown
    assert shown.splitlines()[-1] == "Time zone: UTC (the default)"


def test_roster_lists_members_under_their_stakeholder_group_then_staff(transcript):
    people = voters(example_rows())
    transcript.say(
        f"""
        !roster-import roster.csv
        @facilitator: /pn member add {UMA} role=observer
        """
    )

    lines = the_reply(transcript.say("@amina: /pn roster")).splitlines()

    assert lines[0] == "Roster of pn-ai:"
    headings = [line for line in lines if not line.startswith("  ")][1:]
    expected = []
    for group in STAKEHOLDER_GROUPS:
        n = sum(row["stakeholder_group"] == group for row in people)
        if n:
            expected.append(f"{group} ({n}):")
    expected.append("Facilitation, secretariat and observers (1):")
    assert headings == expected
    section = {}
    heading = None
    for line in lines[1:]:
        if line.startswith("  "):
            section[re.search(r"\(@([\w.\-]+)\)", line).group(1)] = heading
        else:
            heading = line.split(" (")[0]
    assert section == {
        **{row["handle"]: row["stakeholder_group"] for row in people},
        "uma": "Facilitation, secretariat and observers",
    }


def test_roster_of_an_empty_group_says_how_to_fill_it(transcript):
    reply = the_reply(transcript.say("@facilitator: /pn roster"))

    assert reply == ("The roster of pn-ai is empty. A facilitator adds people with `member add`.")


def test_tz_shows_your_zone_and_sets_a_new_one(transcript):
    amina = example_row("amina")
    transcript.say("!roster-import roster.csv")

    assert the_reply(transcript.say("@amina: /pn tz")) == (
        f"Your time zone is {amina['timezone']}."
    )
    assert the_reply(transcript.say("@amina: /pn tz America/Bogota")) == (
        "Your time zone is now America/Bogota."
    )
    assert the_reply(transcript.say("@amina: /pn tz")) == "Your time zone is America/Bogota."
    assert "Time zone: America/Bogota" in the_reply(transcript.say("@amina: /pn member show"))
    # Only amina's own zone changed.
    assert the_reply(transcript.say("@bruno: /pn tz")) == (
        f"Your time zone is {example_row('bruno')['timezone']}."
    )


def test_tz_without_a_zone_of_your_own_shows_the_default(transcript):
    transcript.say(f"@facilitator: /pn member add {UMA}")

    assert the_reply(transcript.say("@uma: /pn tz")) == "Your time zone is UTC."


# export -------------------------------------------------------------------------------------


def test_export_holds_every_member_with_their_details(app, transcript):
    rows = example_rows()
    transcript.say(
        f"""
        !roster-import roster.csv
        @facilitator: /pn member add {UMA} name="Uma Achieng"
        @amina: /pn tz America/Bogota
        """
    )

    with app.store() as uow:
        data = export(uow.session)

    [group] = data["groups"]
    assert group["name"] == "pn-ai"
    members = {m["handle"]: m for m in group["members"]}
    assert list(members) == sorted([row["handle"] for row in rows] + ["uma"])
    for row in rows:
        expected = {key: row.get(key) for key in MEMBER_KEYS}  # the example has no e-mail
        if row["handle"] == "amina":
            expected["timezone"] = "America/Bogota"
        assert {key: members[row["handle"]][key] for key in MEMBER_KEYS} == expected
    assert members["uma"] == {
        "handle": "uma",
        "name": "Uma Achieng",
        "role": "member",
        "stakeholder_group": "civil-society",
        "region": "africa",
        "gender": "woman",
        "organisation": "Data Rights Lab",
        "capacity": "organisation",
        "timezone": None,
        "email": None,
        "added_at": START.isoformat(),
        "removed_at": None,
        "removed_by": None,
        "removed_reason": None,
        "changes": [],
    }


# help and unknown commands --------------------------------------------------------------------


def test_help_lists_every_registered_command(transcript):
    lines = the_reply(transcript.say("@amina: /pn help")).splitlines()

    for name, spec in REGISTRY.items():
        listed = [
            line
            for line in lines
            if line.strip().startswith(name + " ") and f" — {spec.summary}" in line
        ]
        assert listed, f"`{name}` is missing from help"
        facilitator_mark = listed[0].endswith("(facilitator)")
        assert facilitator_mark == spec.facilitator_only, listed[0]


def test_help_for_one_command_shows_its_usage_and_example(transcript):
    spec = REGISTRY["member add"]

    reply = the_reply(transcript.say("@amina: /pn help member add"))

    assert reply.splitlines()[:2] == [spec.summary, f"Usage: `{spec.usage}`"]
    assert "Example: member add @amina group=civil-society" in reply
    assert reply.endswith("Only the facilitator can do this.")


def test_help_for_a_family_lists_its_commands(transcript):
    reply = the_reply(transcript.say("@amina: /pn help member"))

    assert [line.split()[:2] for line in reply.splitlines()] == [
        ["member", name.split()[1]] for name in sorted(REGISTRY) if name.startswith("member ")
    ]


def test_an_unknown_command_suggests_a_close_one(transcript):
    reply = the_reply(transcript.say("@amina: /pn memebr show"))

    assert reply == (
        "I don't know the command `memebr`. Did you mean `member`? Type `help` for the list."
    )


def test_an_unknown_command_with_nothing_close_suggests_help(transcript):
    reply = the_reply(transcript.say("@amina: /pn xyzzy"))

    assert reply == "I don't know the command `xyzzy`. Type `help` for the list."


def test_a_direct_message_with_an_unknown_word_is_answered_even_without_a_group(transcript):
    transcript.say("@facilitator #pn-health: /pn group create pn-health")

    # Two groups and zoe on neither roster: the message belongs to no group.
    reply = the_reply(transcript.say("@zoe dm: hepl"))

    assert reply.startswith("I don't know the command `hepl`. Did you mean `help`?")


def test_mentioning_the_bot_with_an_unknown_word_suggests_a_command(transcript):
    transcript.say("!roster-import roster.csv")

    reply = the_reply(transcript.say("@amina: @pnbot hepl"))

    assert "I don't know the command `hepl`. Did you mean `help`?" in reply


# ways of addressing the bot ------------------------------------------------------------------


def test_a_command_works_by_slash_by_mention_and_by_direct_message(transcript):
    transcript.say("!roster-import roster.csv")

    by_slash = transcript.say("@amina: /pn member show")
    by_mention = transcript.say("@amina: @pnbot member show")
    by_dm = transcript.say("@amina dm: member show")

    assert "#pn-ai pnbot (to amina only): Amina Odhiambo (@amina)" in by_slash
    assert "#pn-ai pnbot (to amina only): Amina Odhiambo (@amina)" in by_mention
    assert "dm amina pnbot: Amina Odhiambo (@amina)" in by_dm
    assert the_reply(by_slash) == the_reply(by_mention) == the_reply(by_dm)


def test_a_plain_chat_message_gets_no_reply(transcript):
    transcript.say("!roster-import roster.csv")

    printed = transcript.say(
        """
        @amina: I can't make Thursday's meeting, sorry
        @bruno: help is on the way, see the roster
        """
    )

    assert bot_replies(printed) == []
    assert "<amina> I can't make Thursday's meeting, sorry" in printed


# groups and rooms ---------------------------------------------------------------------------


def test_a_room_without_a_group_is_told_it_has_none(transcript):
    reply = the_reply(transcript.say("@facilitator #other: /pn roster"))

    assert reply.startswith("This room belongs to no working group yet.")
    assert "`group create NAME`" in reply
    assert "`group bind NAME`" in reply


def test_group_shows_the_group_and_its_rooms(transcript):
    reply = the_reply(transcript.say("@amina: /pn group"))

    assert reply == "This is pn-ai (target 20 members). Rooms: #pn-ai (console, main)."


def test_group_create_in_a_new_room_starts_a_separate_group(transcript):
    transcript.say("!roster-import roster.csv")

    created = the_reply(
        transcript.say("@facilitator #pn-health: /pn group create pn-health target=12")
    )

    assert created.startswith(
        "Created the working group pn-health (target 12 members); this is its main room."
    )
    assert the_reply(transcript.say("@facilitator #pn-health: /pn group")) == (
        "This is pn-health (target 12 members). Rooms: #pn-health (console, main)."
    )
    assert the_reply(transcript.say("@facilitator #pn-health: /pn roster")).startswith(
        "The roster of pn-health is empty."
    )
    assert the_reply(transcript.say("@facilitator #pn-ai: /pn roster")).startswith(
        "Roster of pn-ai:"
    )


def test_group_create_without_a_target_uses_twenty(transcript):
    reply = the_reply(transcript.say("@facilitator #pn-health: /pn group create pn-health"))

    assert "(target 20 members)" in reply


def test_a_second_room_bound_to_the_group_acts_on_the_same_roster(transcript):
    bound = the_reply(transcript.say("@facilitator #pn-ai-outreach: /pn group bind pn-ai"))
    assert bound == "This room now belongs to pn-ai."

    transcript.say(f"@facilitator #pn-ai-outreach: /pn member add {UMA}")

    shown = the_reply(transcript.say("@facilitator #pn-ai: /pn member show @uma"))
    assert shown.startswith("uma (@uma) — Data Rights Lab")
    assert the_reply(transcript.say("@facilitator #pn-ai: /pn group")) == (
        "This is pn-ai (target 20 members). "
        "Rooms: #pn-ai (console, main), #pn-ai-outreach (console)."
    )
    transcript.say("@facilitator #pn-ai: /pn member remove @uma")
    assert the_reply(transcript.say("@facilitator #pn-ai-outreach: /pn roster")).startswith(
        "The roster of pn-ai is empty."
    )
