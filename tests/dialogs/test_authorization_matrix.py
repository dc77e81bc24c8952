"""The authorization matrix: every facilitator-only command, typed by each other kind of person
(member, co-moderator, observer, secretariat and a stranger on no roster) as a slash command, a
mention of the bot and a direct message, is refused for the role and writes nothing; every
button, pressed by someone it is not for, is refused and writes nothing.

The arguments are ones with which the facilitator succeeds (checked here too), so each refusal
is for who asks, not for how they asked. Each refusal checked is one test case below.
"""

from __future__ import annotations

import pytest
from support import bot_replies, snapshot

from handlers.base import ACTIONS
from handlers.registry import REGISTRY

FACILITATOR_ONLY = sorted(name for name, spec in REGISTRY.items() if spec.facilitator_only)

# Everyone but the facilitator; `zoe` is on no roster at all (the terms of reference open
# meetings to observers, and a stranger counts as one).
PEOPLE = {
    "member": "amina",
    "co-moderator": "bruno",
    "observer": "olga",
    "secretariat": "sekou",
    "stranger": "zoe",
}
ROLE_OF = {"amina": "member", "bruno": "co-moderator", "olga": "observer", "sekou": "secretariat"}
ARTICLE = {
    "amina": "a member",
    "bruno": "a co-moderator",
    "olga": "an observer",
    "sekou": "a secretariat",
    "zoe": "an observer",
}
UMA = '@uma group=civil-society region=africa gender=woman org="Data Rights Lab"'

# For each facilitator-only command: the room where it is typed and arguments it succeeds with.
VALID = {
    "member add": ("#pn-ai", UMA),
    "member remove": ("#pn-ai", "@amina"),
    "member edit": ("#pn-ai", '@amina org="Open Data Institute"'),
    "group create": ("#pn-health", "pn-health target=12"),
    "group bind": ("#pn-ai-outreach", "pn-ai"),
    "meeting schedule": ("#pn-ai", "monthly on the first thursday at 15:00 tz=Europe/Paris"),
    "meeting add": ("#pn-ai", "2027-01-20 14:00 UTC duration=60"),
    "meeting cancel": ("#pn-ai", "12 January"),
    "meeting move": ("#pn-ai", "12 January to 13 January 15:00"),
    "meeting private": ("#pn-ai", "12 January on"),
    "agenda approve": ("#pn-ai", ""),
    "agenda timing": ("#pn-ai", "call=14d"),
    "attended": ("#pn-ai", "@bruno @chen"),
    "attendance": ("#pn-ai", "2026-12-08"),
    "poll": ("#pn-ai", '"Should the group publish a glossary?" closes=5d'),
    "poll close": ("#pn-ai", "1"),
    "poll reopen": ("#pn-ai", "2 closes=2d"),
    "poll rules": ("#pn-ai", "quorum=60%"),
    "outcome": ("#pn-ai", '2 consensus "Broad support across stakeholder groups"'),
    "outcome amend": (
        "#pn-ai",
        '3 no-consensus "A block reached the secretariat before the close"',
    ),
    "audit": ("#pn-ai", "5"),
    "issue close": ("#pn-ai", "1 outside the mandate"),
    "issue defer": ("#pn-ai", "1 after the annual output"),
    "issue resolve": ("#pn-ai", "1 covered in the outline"),
    "minutes edit": ("#pn-ai", "1 The group publishes its meeting notes monthly"),
    "minutes approve": ("#pn-ai", ""),
    "minutes window": ("#pn-ai", "48h"),
    "milestone add": ("#pn-ai", '"Glossary published" due=2027-02-01 kind=output'),
    "milestone move": ("#pn-ai", "1 due=2027-02-15 the MAG moved"),
    "milestone drop": ("#pn-ai", "1 merged into the outline"),
    "timepoll": ("#pn-ai", '"Our meeting time" slots="Tue 13:00 UTC, Thu 20:00 UTC" closes=5d'),
    "draft share": (
        "#pn-ai",
        '"Output, draft 1" https://docs.example.org/draft-1 comments-until=2027-01-10',
    ),
    "igf add": ("#pn-ai", '"IGF open consultations" 2027-02-16 kind=open-consultation'),
    "capture asking": ("#pn-ai", "off"),
}
READ_ONLY = {"attendance", "audit"}  # facilitator-only, but it only shows something
NEXT_MEETING = 2  # the meeting of 12 January 2027, after the first of 8 December


def line(handle: str, path: str, room: str, command: str) -> str:
    """The console line in which `handle` types `command` by `path`."""
    if path == "slash":
        return f"@{handle} {room}: /pn {command}"
    if path == "mention":
        return f"@{handle} {room}: @pnbot {command}"
    return f"@{handle} dm: {command}"


# pn-ai with the example roster, @olga (observer) and @sekou (secretariat), meeting monthly; on
# 8 December 2026 at 14:00 UTC, just after the first meeting: @amina's agenda item, apologies
# (1) for 12 January and outreach 1; poll 1 open, poll 2 closed, poll 3 closed with its outcome
# declared. The draft minutes of an ad-hoc meeting on 5 December hold decision 1; the first
# meeting's minutes are not taken yet. Built once and copied for each test (`WORLD` in tests/conftest.py).
WORLD = """
        !roster-import roster.csv
        @facilitator: /pn member add @olga group=government region=eastern-europe gender=woman org="Observer Institute" role=observer
        @facilitator: /pn member add @sekou group=civil-society region=africa gender=man org="Secretariat" role=secretariat
        @facilitator: /pn meeting schedule monthly on the second tuesday at 13:00 tz=Europe/Paris duration=90 link=https://meet.example.org/pn-ai
        @facilitator: /pn minutes window 10d
        !now 2026-12-05 10:00 UTC
        @bruno: /pn meeting start
        @bruno: #agreed The group publishes its meeting notes
        @bruno: /pn meeting end
        !now 2026-12-08 14:00 UTC
        !advance 1m
        @facilitator: /pn attended @amina
        @amina: /pn agenda add Review the draft outline
        @amina: /pn away 12 January travelling to the IGF
        @amina: /pn outreach RightsCon on 5 May at Taipei
        @amina: /pn raise New EU rules on AI audits
        @facilitator: /pn poll "Should the output recommend a common incident reporting format?" closes=5d
        @facilitator: /pn poll "Should the group meet in Geneva in March?" closes=2d
        @amina: /pn vote 2 agree
        @facilitator: /pn poll close 2
        @facilitator: /pn poll "Should the group publish its meeting notes?" closes=2d
        @amina: /pn vote 3 agree
        @facilitator: /pn poll close 3
        @facilitator: /pn outcome 3 consensus "Broad support and no block"
        @facilitator: /pn milestone add "Outline shared" due=2027-02-01 owner=@amina
        @facilitator: /pn timepoll "Meeting time" slots="Tue 13:00 UTC, Wed 06:00 UTC" closes=5d
        @amina: Please note my absence on 12 January
        """


@pytest.fixture
def world(app, transcript):
    """A copy of the world, checked."""
    with app.store() as uow:
        group = uow.groups.named("pn-ai")
        roles = {m.handle: m.role for m in uow.members.all(group.id)}
        assert uow.apologies.by_id(1).handle == "amina"
        assert uow.outreach.get(group.id, 1).member == "amina"
        assert (
            uow.meetings.get(group.id, NEXT_MEETING).starts_at.isoformat().startswith("2027-01-12")
        )
        assert uow.capture_questions.get(1).author == "amina"
    assert {h: roles.get(h) for h in PEOPLE.values()} == ROLE_OF | {"zoe": None}
    return transcript


# For each button: a value it works with in `world`, and who may press it.
BUTTONS = {
    "agenda.approve": (str(NEXT_MEETING), {"facilitator"}),
    "availability.undo": ("1", {"amina"}),
    "outreach.withdraw": ("1", {"amina", "facilitator"}),
    # Everyone but the neutral facilitator and secretariat votes (observers and strangers
    # give an advisory view).
    "poll.vote": ("1:agree", {"amina", "bruno", "olga", "zoe"}),
    # the facilitator and the co-moderators chair
    "minutes.start": ("1", {"facilitator", "bruno"}),
    "minutes.poll": ("1", {"facilitator", "bruno"}),
    # Members with an equal say answer a time poll.
    "timepoll.answer": ("1:2:maybe", {"amina", "bruno"}),
    # capture asked @amina whether her message was an apology: hers alone to answer
    "capture.yes": ("1", {"amina"}),
    "capture.no": ("1", {"amina"}),
}
EVERYONE = ["facilitator", *PEOPLE.values()]
REFUSED_BUTTONS = [
    (name, who)
    for name, (_, allowed) in sorted(BUTTONS.items())
    for who in EVERYONE
    if who not in allowed
]
# What the one who may not press a button is told ("*": anyone not named).
REFUSAL = {
    "agenda.approve": {"*": "Only the facilitator approves the agenda."},
    "availability.undo": {
        "*": "There is no apology of yours to undo there (it may be withdrawn already).",
        "zoe": "Only people on the roster of pn-ai send apologies; see `roster`.",
        "facilitator": "Only people on the roster of pn-ai send apologies; see `roster`.",
    },
    "outreach.withdraw": {"*": "Outreach 1 is @amina's to withdraw."},
    "poll.vote": {
        "facilitator": "As facilitator you stay neutral and do not vote.",
        "*": "As secretariat you stay neutral and do not vote.",
    },
    "minutes.start": {
        "*": "The facilitator or a co-moderator opens the minutes (terms of reference III); "
        "ask one of them to. Once they are open, a chair can make you one with `chair @you`."
    },
    "minutes.poll": {"*": "Only a chair sends a meeting's decision to a consensus poll."},
    "timepoll.answer": {"*": "Time polls are answered by the group's members."},
    "capture.yes": {"*": "That question was for someone else; write your own notice instead."},
    "capture.no": {"*": "That question was for someone else; write your own notice instead."},
}
REFUSALS = {"commands": 0, "buttons": 0}
ALLOWED_BUTTONS = [
    (name, who) for name, (_, allowed) in sorted(BUTTONS.items()) for who in sorted(allowed)
]


def the_reply(printed: str) -> str:
    replies = bot_replies(printed)
    assert len(replies) == 1, printed
    return replies[0]


def test_the_facilitator_only_commands_come_from_the_registry():
    assert FACILITATOR_ONLY
    assert {"member add", "meeting schedule", "poll", "outcome"} <= set(FACILITATOR_ONLY)
    assert not {"vote", "away", "agenda add", "help"} & set(FACILITATOR_ONLY)
    assert set(VALID) == set(FACILITATOR_ONLY), "give every facilitator-only command a case"


def test_every_button_has_a_case():
    assert set(BUTTONS) == set(ACTIONS)


@pytest.mark.parametrize("path", ["slash", "mention", "dm"])
@pytest.mark.parametrize("role", PEOPLE)
def test_every_facilitator_only_command_is_refused_for_the_role(app, world, role, path):
    """One world for all the commands: a refusal changes nothing, so the next one starts
    from the same state (checked each time)."""
    handle = PEOPLE[role]
    before = snapshot(app.engine)
    wrong = {}
    for command in FACILITATOR_ONLY:
        room, arguments = VALID[command]
        reply = the_reply(world.say(line(handle, path, room, f"{command} {arguments}")))
        # In a room no group uses yet, nobody there holds a role but the facilitator.
        role_there = ARTICLE[handle] if room == "#pn-ai" or path == "dm" else "an observer"
        if reply != f"Only the facilitator can use `{command}`; you are {role_there}.":
            wrong[command] = reply
        elif snapshot(app.engine) != before:
            wrong[command] = "refused, yet it changed the database"
        else:
            REFUSALS["commands"] += 1
    assert wrong == {}


@pytest.mark.parametrize("command", FACILITATOR_ONLY)
def test_the_facilitator_succeeds_with_the_same_arguments(app, world, command):
    room, arguments = VALID[command]
    before = snapshot(app.engine)

    printed = world.say(line("facilitator", "slash", room, f"{command} {arguments}"))

    after = snapshot(app.engine)
    changed = [t for t in before if t != "processed_events" and after[t] != before[t]]
    assert not any(r.startswith("Only the facilitator") for r in bot_replies(printed)), printed
    assert bool(changed) == (command not in READ_ONLY), (command, changed, printed)


def test_every_button_is_refused_to_whom_it_is_not_for(app, world):
    before = snapshot(app.engine)
    wrong = {}
    for button, who in REFUSED_BUTTONS:
        value, _ = BUTTONS[button]
        reply = the_reply(world.say(f"@{who} click {button} {value}"))
        if reply != REFUSAL[button].get(who, REFUSAL[button]["*"]):
            wrong[(button, who)] = reply
        elif snapshot(app.engine) != before:
            wrong[(button, who)] = "refused, yet it changed the database"
        else:
            REFUSALS["buttons"] += 1
    assert wrong == {}


@pytest.mark.parametrize(("button", "who"), ALLOWED_BUTTONS)
def test_the_same_button_works_for_whom_it_is_for(app, world, button, who):
    value, _ = BUTTONS[button]
    before = snapshot(app.engine)

    world.say(f"@{who} click {button} {value}")

    after = snapshot(app.engine)
    assert [t for t in before if t != "processed_events" and after[t] != before[t]]


def test_the_refusals_checked():
    """Runs last in this file: how many refusals the matrix checked (shown with `-s`)."""
    print(f"\nrefusals checked: {REFUSALS['commands']} commands, {REFUSALS['buttons']} buttons")
    if REFUSALS["commands"]:  # the matrix ran in this process (not deselected)
        # Each (role, path) case that ran here checked every facilitator-only command; the
        # cases may be shared among workers, so this process saw some of them.
        assert REFUSALS["commands"] % len(FACILITATOR_ONLY) == 0
