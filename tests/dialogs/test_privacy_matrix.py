"""The privacy matrix: every read command, typed by each kind of person (the facilitator, the
secretariat, a member, the person the data is about, an observer, a stranger on no roster),
in the group's room and in a direct message, shows a person's gender, time zone and
organisation only to that person, the facilitator and the secretariat; names behind an
anonymous poll only to the facilitator; a private meeting's call link and agenda to no
observer or stranger.

Each secret below is a string that appears only where that piece of data is shown, so the
test reads what each person was told and lists which secrets it held.
"""

from __future__ import annotations

import re

import pytest
from support import bot_replies

from handlers.registry import REGISTRY

UMA = {
    "name": "Uma Example",
    "group": "technical-community",
    "region": "asia-pacific",
    "gender": "non-binary",
    "org": "Uma Unique Institute",
    "tz": "Pacific/Chatham",
}
PRIVATE_LINK = "https://meet.example.org/closed-door"
SECRETS = {
    "organisation": re.compile(re.escape(UMA["org"])),
    "time zone": re.compile(re.escape(UMA["tz"])),
    "gender": re.compile(f"Gender: {UMA['gender']}"),
    # named only in the warnings about organisations that send two people
    "shared organisation": re.compile("Telecom Europe"),
    # who blocked the anonymous poll 3
    "anonymous voter": re.compile(r"block\)? @uma|block: @uma"),
    # the call link of the private meeting, and the apologies sent for the next meeting
    "private link": re.compile(re.escape(PRIVATE_LINK)),
}
VIEWERS = {
    "facilitator": "facilitator",
    "secretariat": "sekou",
    "member": "chen",
    "themself": "uma",
    "observer": "olga",
    "stranger": "zoe",
}
STAFF = {"facilitator", "secretariat"}
OUTSIDERS = {"observer", "stranger"}

# Every command anyone may type that only shows something, with the arguments to show the
# record the secrets are about (`attendance` is the facilitator's, refused to the others).
READS = {
    "roster": "roster",
    "roster all": "roster all",
    "member show": "member show @uma",
    "balance": "balance",
    "meetings": "meetings count=6",
    "meetings ics": "meetings ics",
    "agenda": "agenda",
    "polls": "polls",
    "poll show": "poll show 3",
    "decisions": "decisions",
    "issues": "issues",
    "outreach list": "outreach list",
    "group": "group",
    "site": "site",
    "help": "help",
    "tz": "tz",
    "attendance": "attendance 2026-12-08",
    "minutes": "minutes",
    "actions": "actions all",
    "workplan": "workplan",
    "igf": "igf",
    "drafts": "drafts",
    "draft show": "draft show 1",
    "timepoll show": "timepoll show 1",
    "fairness": "fairness",
}
# What may be typed that changes something (not read here).
WRITES = {
    "agenda add",
    "agenda remove",
    "away",
    "back",
    "object",
    "outreach",
    "outreach withdraw",
    "raise",
    "report",
    "support",
    "vote",
    "withdraw",
    "meeting start",
    "meeting end",
    "chair",
    "here",
    "minutes correct",
    "action done",
    "action reassign",
    "action due",
    "milestone done",
    "comment",
    "ack",
    "briefing",
    "igf report",
    "timepoll answer",
}


def shown(command: str, role: str) -> set[str]:
    """The secrets `role` must be shown by `command`; nothing else may reach them."""
    staff, themself = role in STAFF, role == "themself"
    if command == "member show":
        return {"organisation", "time zone", "gender"} if staff or themself else set()
    if command in ("roster", "roster all"):
        return (
            {"organisation", "shared organisation"}
            if staff
            else ({"organisation"} if themself else set())
        )
    if command == "balance":
        return {"shared organisation"} if staff else set()
    if command == "tz":
        return {"time zone"} if themself else set()
    if command in ("poll show", "decisions"):
        return {"anonymous voter"} if role == "facilitator" else set()
    if command in ("meetings", "meetings ics"):
        return set() if role in OUTSIDERS else {"private link"}
    return set()


def allowed(command: str, role: str) -> set[str]:
    """What `role` may be shown: what `command` must show, and a person's own time zone,
    in which every time is written for them."""
    return shown(command, role) | ({"time zone"} if role == "themself" else set())


# pn-ai with the example roster, @olga (observer), @sekou (secretariat) and @uma, whose details
# are the secrets; on 8 December 2026 after the first meeting: @uma's agenda item, apologies,
# outreach and issue; poll 2 closed (named), poll 3 closed (anonymous, @uma blocked); the
# meeting of 12 January private with its own link. Built once and copied for each test
# (`WORLD` in tests/conftest.py).
WORLD = f"""
        !roster-import roster.csv
        @facilitator: /pn member add @olga group=government region=eastern-europe gender=woman org="Observer Institute" role=observer
        @facilitator: /pn member add @sekou group=civil-society region=africa gender=man org="Secretariat" role=secretariat
        @facilitator: /pn member add @uma group={UMA["group"]} region={UMA["region"]} gender={UMA["gender"]} org="{UMA["org"]}" tz={UMA["tz"]} name="{UMA["name"]}"
        @facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=Europe/Paris duration=90 link=https://meet.example.org/pn-ai
        !now 2026-12-08 14:00 UTC
        !advance 1m
        @facilitator: /pn attended @uma @amina
        @facilitator: /pn meeting add 2027-01-20 14:00 UTC link={PRIVATE_LINK} private=yes
        @uma: /pn agenda add Review the draft outline
        @uma: /pn away 12 January travelling to the IGF
        @uma: /pn outreach RightsCon on 5 May at Taipei
        @uma: /pn raise Deepfake rules differ by region
        @facilitator: /pn poll "Should the output recommend a common incident reporting format?" closes=5d
        @facilitator: /pn poll "Should the group meet in Geneva in March?" closes=2d
        @facilitator: /pn poll "Should the chair rotate?" closes=2d anonymous=yes
        @amina: /pn vote 2 agree
        @uma: /pn vote 3 block the rotation leaves out small delegations
        @chen: /pn vote 3 agree
        @facilitator: /pn poll close 2
        @facilitator: /pn poll close 3
        @facilitator: /pn outcome 3 no-consensus "One block stands"
        @facilitator: /pn milestone add "Outline shared" due=2026-12-01 owner=@uma
        @facilitator: /pn timepoll "Meeting time" slots="Tue 13:00 UTC, Wed 06:00 UTC" closes=5d
        @uma: /pn timepoll answer 1 yes no
        @facilitator: /pn draft share "Draft" https://docs.example.org/d comments-until=2026-12-20
        @uma: /pn comment 1 Section 2 needs the Pacific view.
        @facilitator: /pn igf add "IGF open consultations" 2027-02-16 kind=open-consultation
        """


@pytest.fixture
def world(transcript):
    return transcript


def test_every_command_anyone_may_type_is_read_or_write():
    open_to_all = {name for name, spec in REGISTRY.items() if not spec.facilitator_only}
    assert open_to_all - WRITES == set(READS) - {"attendance"}


def secrets_in(text: str) -> set[str]:
    return {name for name, pattern in SECRETS.items() if pattern.search(text)}


@pytest.mark.parametrize("role", VIEWERS)
def test_each_read_command_shows_each_role_what_it_may_see(world, role):
    handle = VIEWERS[role]
    wrong = {}
    for path in ("room", "dm"):
        where = f"@{handle}: /pn " if path == "room" else f"@{handle} dm: "
        for command, typed in READS.items():
            said = "\n".join(bot_replies(world.say(where + typed)))
            assert said, (role, path, typed)
            seen = secrets_in(said)
            leaked = seen - allowed(command, role)
            missing = shown(command, role) - seen
            if leaked or missing:
                wrong[(path, command)] = {"leaked": leaked, "missing": missing}
    assert wrong == {}


@pytest.mark.parametrize("role", VIEWERS)
def test_everyone_reads_name_group_region_and_role(world, role):
    lines = bot_replies(world.say(f"@{VIEWERS[role]}: /pn member show @uma"))[0].splitlines()

    assert lines[:4] == [
        f"{UMA['name']} (@uma) — "
        + (f"{UMA['org']}, " if role in STAFF | {"themself"} else "")
        + f"{UMA['group']}, {UMA['region']}",
        "Role: member",
        f"Stakeholder group: {UMA['group']}",
        f"Region: {UMA['region']}",
    ]


def test_a_private_meeting_keeps_its_agenda_from_observers(world):
    world.say("@facilitator: /pn meeting private 12 January on")

    for role, handle in VIEWERS.items():
        said = bot_replies(world.say(f"@{handle}: /pn agenda"))[0]
        if role in OUTSIDERS:
            assert said == (
                "The meeting of Tue 12 Jan 2027, 12:00 UTC is private: its agenda is for the "
                "group's members."
            ), role
        else:
            assert "Review the draft outline" in said, role
