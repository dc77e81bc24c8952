"""A hundred members at once: each votes twice on one poll, and each sends apologies twice for
one meeting, from concurrent workers spread over several bot instances on one database.

Every member gets their normal reply to both events, and the record keeps exactly one vote and
one notice per member, the later of the two winning. Run on a SQLite file and on PostgreSQL.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import timedelta

import pytest
from support import SCHEDULE, START, Transcript

from bot.app import build
from bot.config import Settings
from bot.dispatch import CRASH_REPLY
from handlers.events import Action, Command, Inbound, Message, Outgoing, Reply

CROWD = 100
INSTANCES = 3  # bot instances (each its own engine and connection pool) sharing the workers
ROOM = "#pn-ai"
HANDLES = [f"m{i:03d}" for i in range(CROWD)]
SETTINGS = {"facilitators": frozenset({"facilitator"})}


@dataclass
class Outcome:
    replies: dict[str, list[list[Outgoing]]]
    errors: list[BaseException]


@pytest.fixture
def group(app):
    """pn-ai with a hundred members (no one else on its roster) and its monthly meetings."""
    chat = Transcript(app)
    chat.say("!group pn-ai")
    with app.store() as uow:
        group = uow.groups.named("pn-ai")
        for i, handle in enumerate(HANDLES):
            uow.members.add(
                group_id=group.id,
                handle=handle,
                name=f"Member {i}",
                role="co-moderator" if i % 10 == 0 else "member",
                stakeholder_group=("civil-society", "government", "private-sector")[i % 3],
                added_at=START,
            )
        uow.commit()
    chat.say(SCHEDULE)
    return chat


@pytest.fixture
def instances(db_url, group):
    """Bot instances on the test database, as separate processes would run them."""
    built = [
        build(Settings(database_url=db_url, **SETTINGS), migrate=False) for _ in range(INSTANCES)
    ]
    yield built
    for app in built:
        app.engine.dispose()


def run_crowd(instances, events_of, copies: int = 1) -> Outcome:
    """Every member's worker (`copies` of them, each on another instance, as when a platform
    delivers an event twice) waits for all the others, then hands the member's events in
    order to its instance; what each event got back is kept per member and copy."""
    start = threading.Barrier(CROWD * copies)
    replies: dict[str, list[list[Outgoing]]] = {}
    errors: list[BaseException] = []

    def work(n: int, handle: str, copy: int) -> None:
        dispatcher = instances[(n + copy) % len(instances)].dispatcher
        try:
            start.wait(timeout=60)
            got = [dispatcher.handle(event) for event in events_of(handle)]
            replies[handle if copies == 1 else f"{handle}/{copy}"] = got
        except BaseException as error:  # reported by the test, never swallowed
            errors.append(error)

    workers = [
        threading.Thread(target=work, args=(n, handle, copy))
        for n, handle in enumerate(HANDLES)
        for copy in range(copies)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert not any(worker.is_alive() for worker in workers), "a worker never finished"
    return Outcome(replies, errors)


def base(handle: str, step: int, what: str) -> dict:
    return {
        "transport": "console",
        "room": ROOM,
        "user": handle,
        "key": f"{what}:{handle}:{step}",
        "at": START + timedelta(minutes=step),
        "message_id": f"{what}-{handle}-{step}",
    }


def texts(outgoing: list[Outgoing]) -> list[str]:
    return [o.text for o in outgoing if isinstance(o, Reply)]


def test_a_hundred_members_vote_twice_at_once_and_each_last_vote_counts(app, group, instances):
    group.say('@facilitator: /pn poll "Should the group publish a glossary?" closes=5d')

    def ballot(handle: str) -> list[Inbound]:
        return [
            Command(text="vote 1 agree", **base(handle, 1, "vote")),
            Action(action="poll.vote", value="1:abstain", **base(handle, 2, "vote")),
        ]

    outcome = run_crowd(instances, ballot)

    assert outcome.errors == []
    assert sorted(outcome.replies) == HANDLES
    for handle, (first, second) in outcome.replies.items():
        assert texts(first) == ["Your vote on poll 1 is agree."], (handle, first)
        assert texts(second) == ["Your vote on poll 1 is now abstain (it was agree)."], (
            handle,
            second,
        )
    with app.store() as uow:
        stored = [(v.member, v.option, v.advisory, v.cast_at) for v in uow.votes.for_poll(1)]
        counted = uow.votes.counts(1, uow.groups.named("pn-ai").id, ("member", "co-moderator"))
    assert sorted(member for member, *_ in stored) == HANDLES
    assert {tuple(rest) for _, *rest in stored} == {
        ("abstain", False, START + timedelta(minutes=2))
    }
    assert sum(n for option, _, n in counted if option == "abstain") == CROWD
    assert sum(n for _, _, n in counted) == CROWD


def test_each_vote_delivered_twice_at_once_to_two_instances_is_counted_once(app, group, instances):
    group.say('@facilitator: /pn poll "Should the group publish a glossary?" closes=5d')

    def ballot(handle: str) -> list[Inbound]:
        return [
            Command(text="vote 1 agree", **base(handle, 1, "vote")),
            Command(text="vote 1 disagree too early", **base(handle, 2, "vote")),
        ]

    outcome = run_crowd(instances, ballot, copies=2)

    assert outcome.errors == []
    for handle in HANDLES:
        first = [texts(outcome.replies[f"{handle}/{c}"][0]) for c in range(2)]
        second = [texts(outcome.replies[f"{handle}/{c}"][1]) for c in range(2)]
        assert sorted(first) == [[], ["Your vote on poll 1 is agree."]], (handle, first)
        assert sorted(second) == [
            [],
            ["Your vote on poll 1 is now disagree (it was agree)."],
        ], (handle, second)
    with app.store() as uow:
        stored = {v.member: (v.option, v.reason) for v in uow.votes.for_poll(1)}
    assert stored == dict.fromkeys(HANDLES, ("disagree", "too early"))


def test_a_hundred_members_send_apologies_twice_at_once_and_each_has_one_notice(
    app, group, instances
):
    def apologies(handle: str) -> list[Inbound]:
        return [
            Command(text="away next because of a clash", **base(handle, 1, "away")),
            Message(
                text="Apologies, I can't make the 8 December call, travelling to the IGF",
                **base(handle, 2, "away"),
            ),
        ]

    outcome = run_crowd(instances, apologies)

    # The chat notice gives no reason, so the one given with the command stays.

    assert outcome.errors == []
    assert sorted(outcome.replies) == HANDLES
    noted = "Noted: you will miss the pn-ai meeting of Tue 8 Dec 2026, 12:00 UTC"
    for handle, (first, second) in outcome.replies.items():
        assert CRASH_REPLY not in texts(first) + texts(second), handle
        assert [t.startswith(noted) for t in texts(first)] == [True], (handle, first)
        # The chat apology repeats the command's for the same meeting: acknowledged, no news.
        again = "You had already sent apologies for the meeting of Tue 8 Dec 2026, 12:00 UTC"
        assert [t.startswith(again) for t in texts(second)] == [True], (handle, second)
    with app.store() as uow:
        group_id = uow.groups.named("pn-ai").id
        december = uow.meetings.upcoming(group_id, START, limit=1)[0].id
        notices = [
            (a.handle, a.meeting_id, a.source, a.reason)
            for a in uow.apologies.for_meetings([m.id for m in uow.meetings.all(group_id)])
        ]
    assert sorted(handle for handle, *_ in notices) == HANDLES
    assert {tuple(rest) for _, *rest in notices} == {(december, "command", "a clash")}
