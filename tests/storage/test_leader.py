"""Leadership: one process per database (and set of transports) runs the scheduler; a dead
leader's lock is released, so another instance takes over at its next tick."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import UTC, datetime

import sqlalchemy as sa
from support import twin_database

from bot.leader import AdvisoryLock, Alone, FileLock, for_engine
from bot.scheduler import Scheduler
from storage.engine import make_engine, upgrade
from storage.models import OutboxItem
from storage.uow import Store

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_one_of_two_instances_on_a_sqlite_file_leads_until_it_lets_go(sqlite_url):
    engine = make_engine(sqlite_url)
    first, second = for_engine(engine, ("console",)), for_engine(engine, ("console",))
    assert isinstance(first, FileLock)

    assert (first.lead(), second.lead(), first.lead()) == (True, False, True)
    first.close()
    assert (second.lead(), first.lead()) == (True, False)
    second.close()
    engine.dispose()


def test_each_set_of_transports_has_its_own_leader(sqlite_url):
    engine = make_engine(sqlite_url)
    console, slack = for_engine(engine, ("console",)), for_engine(engine, ("slack",))
    assert (console.lead(), slack.lead()) == (True, True)
    console.close()
    slack.close()
    engine.dispose()


def test_an_in_memory_database_always_leads():
    leader = for_engine(make_engine("sqlite://"))
    assert isinstance(leader, Alone)
    assert leader.lead()


HOLD = """
import sys
from bot.leader import for_engine
from storage.engine import make_engine
leader = for_engine(make_engine(sys.argv[1]), ("console",))
print("leading" if leader.lead() else "not leading", flush=True)
sys.stdin.read()
"""


def test_the_lock_of_a_killed_leader_process_is_free_at_the_next_try(sqlite_url):
    engine = make_engine(sqlite_url)
    mine = for_engine(engine, ("console",))
    other = subprocess.Popen(
        [sys.executable, "-c", HOLD, sqlite_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout.readline().strip() == "leading"
        assert not mine.lead()
        other.send_signal(signal.SIGKILL)
        other.wait(timeout=30)
        assert mine.lead()
    finally:
        other.kill()
        other.wait()
        mine.close()
        engine.dispose()


def test_one_of_two_instances_on_postgresql_leads_until_it_lets_go(postgres_url):
    engine = make_engine(postgres_url)
    first, second = for_engine(engine, ("console",)), for_engine(engine, ("console",))
    assert isinstance(first, AdvisoryLock)
    try:
        assert (first.lead(), second.lead(), first.lead()) == (True, False, True)
        first.close()
        assert (second.lead(), first.lead()) == (True, False)
    finally:
        first.close()
        second.close()
        engine.dispose()


def test_a_leader_whose_connection_is_cut_loses_the_lead_to_another(postgres_url):
    engine = make_engine(postgres_url)
    first, second = for_engine(engine), for_engine(engine)
    try:
        assert first.lead()
        pid = first._connection.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        with engine.begin() as connection:
            # The server ends the leader's session, as when its network goes away (waiting up
            # to 30 s for the session to be gone, with its locks).
            ended = connection.execute(
                sa.text("SELECT pg_terminate_backend(:pid, 30000)"), {"pid": pid}
            ).scalar_one()
        assert ended
        assert second.lead()
        assert not first.lead()
    finally:
        first.close()
        second.close()
        engine.dispose()


def test_deployments_in_two_schemas_of_one_database_each_have_a_leader(postgres_url, tmp_path):
    with twin_database(postgres_url, tmp_path) as other_url:
        engines = [make_engine(postgres_url), make_engine(other_url)]
        leaders = [for_engine(e) for e in engines]
        try:
            assert [leader.lead() for leader in leaders] == [True, True]
        finally:
            for leader, engine in zip(leaders, engines, strict=True):
                leader.close()
                engine.dispose()


def test_a_scheduler_that_does_not_lead_neither_queues_nor_sends(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    store = Store(engine)
    with store() as uow:
        uow.outbox.enqueue(
            OutboxItem(
                key="k1", due_at=NOON, kind="post", transport="console", target="#pn-ai", text="hi"
            )
        )
        uow.commit()
    leader, follower = for_engine(engine, ("console",)), for_engine(engine, ("console",))
    led, followed = [], []
    try:
        assert (
            Scheduler(store, led.append, "a", transports=("console",), leader=leader).tick(NOON)
            == 1
        )
        assert (
            Scheduler(store, followed.append, "b", transports=("console",), leader=follower).tick(
                NOON
            )
            == 0
        )
        assert ([o.key for o in led], followed) == (["k1"], [])
    finally:
        leader.close()
        follower.close()
        engine.dispose()
