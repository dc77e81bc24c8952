"""The meeting cycle skips steps already queued by their outbox keys alone, without writing
their texts: those keys must be exactly the ones the messages get, or a step would be written
again at every tick (keys it lacks) or never sent (keys it has too many of)."""

from __future__ import annotations

from datetime import timedelta

from support import SCHEDULE, START

from handlers import meeting_cycle, notify
from handlers.schedule import Deployment

ON_POSTGRES = True  # on both databases: the scheduler's keys, never reused


def test_the_keys_of_each_step_are_those_of_its_messages(app, transcript):
    transcript.say(
        "!roster-import roster.csv\n"
        "@facilitator: /pn member add @sol group=government region=africa gender=woman "
        'org="UN DESA" role=secretariat\n'
        "@facilitator: /pn group bind pn-ai\n" + SCHEDULE
    )
    deployment = Deployment(facilitators=frozenset({"facilitator", "ops"}))
    now = START + timedelta(days=40)
    checked = 0
    with app.store() as uow:
        for meeting in uow.meetings.starting_between(START, now + meeting_cycle.LOOKAHEAD):
            group = uow.groups.get(meeting.group_id)
            rooms = uow.groups.main_rooms(group.id)
            staff = set(notify.staff(uow, group, frozenset()))
            for step in meeting_cycle.steps(meeting, group):
                messages = meeting_cycle.CYCLE._messages(uow, group, meeting, step, now, deployment)
                keys = meeting_cycle._keys(meeting, step, rooms, staff, deployment)
                assert keys == [d.key for d in messages]
                checked += 1
    assert checked >= 10
