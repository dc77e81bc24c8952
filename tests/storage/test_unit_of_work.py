"""The unit of work on a real database: events are processed once, nothing is written without
a commit, and datetimes are stored and read back as timezone-aware UTC."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import StatementError

from storage.engine import make_engine, upgrade
from storage.models import OutboxItem
from storage.uow import Store

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def row_counts(engine) -> dict[str, int]:
    """How many rows each table holds, read on a connection of its own."""
    with engine.connect() as connection:
        return {
            table: connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("groups", "rooms", "members", "processed_events", "outbox")
        }


def claim(store: Store, key: str, transport: str = "console") -> bool:
    with store() as uow:
        claimed = uow.events.claim(transport, key, NOW)
        uow.commit()
        return claimed


def test_an_event_is_claimed_once_and_refused_afterwards(store):
    assert claim(store, "run1:1") is True
    assert claim(store, "run1:1") is False
    assert claim(store, "run1:1") is False


def test_the_same_key_on_another_transport_is_another_event(store):
    assert claim(store, "Ev012", transport="slack") is True
    assert claim(store, "Ev012", transport="matrix") is True
    assert claim(store, "Ev012", transport="slack") is False


def test_a_second_instance_on_the_same_database_refuses_an_event_the_first_claimed(db_url, store):
    other_engine = make_engine(db_url)
    try:
        second = Store(other_engine)
        assert claim(store, "Ev1") is True
        assert claim(second, "Ev1") is False
        assert claim(second, "Ev2") is True
        assert claim(store, "Ev2") is False
    finally:
        other_engine.dispose()


def test_an_event_claimed_without_commit_can_be_claimed_again(store):
    with store() as uow:
        assert uow.events.claim("console", "run1:7", NOW) is True
    assert claim(store, "run1:7") is True


def test_a_refused_claim_keeps_the_rest_of_the_unit_of_work(store, engine):
    with store() as uow:
        assert uow.events.claim("console", "run1:1", NOW) is True
        uow.groups.create("pn-ai", NOW)
        # The same event again (a retried delivery) is refused...
        assert uow.events.claim("console", "run1:1", NOW) is False
        uow.commit()
    # ...without undoing the first claim or the group created in the same unit of work.
    assert row_counts(engine) == {
        "groups": 1,
        "rooms": 0,
        "members": 0,
        "processed_events": 1,
        "outbox": 0,
    }
    assert claim(store, "run1:1") is False


def test_a_unit_of_work_left_without_commit_writes_nothing(store, engine):
    with store() as uow:
        group = uow.groups.create("pn-ai", NOW)
        uow.groups.bind(group, "console", "#pn-ai", main=True)
        uow.members.add(
            group_id=group.id,
            handle="amina",
            name="Amina Odhiambo",
            role="member",
            stakeholder_group="civil-society",
            region="africa",
            gender="woman",
            organisation="Data Rights Lab",
            capacity="organisation",
            added_at=NOW,
        )
        uow.events.claim("console", "run1:1", NOW)
        uow.outbox.enqueue(
            OutboxItem(
                key="k1", due_at=NOW, kind="post", transport="console", target="#pn-ai", text="hi"
            )
        )
    assert row_counts(engine) == dict.fromkeys(
        ("groups", "rooms", "members", "processed_events", "outbox"), 0
    )
    with store() as uow:
        assert uow.groups.all() == []


def test_a_unit_of_work_left_by_an_exception_writes_nothing(store, engine):
    with pytest.raises(RuntimeError, match="half way"), store() as uow:
        uow.groups.create("pn-ai", NOW)
        raise RuntimeError("half way")
    assert row_counts(engine)["groups"] == 0


def test_a_committed_unit_of_work_is_seen_by_the_next_one(store):
    with store() as uow:
        uow.groups.create("pn-ai", NOW)
        uow.commit()
    with store() as uow:
        assert [g.name for g in uow.groups.all()] == ["pn-ai"]


def test_datetimes_come_back_timezone_aware_in_utc(store):
    paris = datetime(2026, 12, 1, 10, 30, 15, 123456, tzinfo=ZoneInfo("Europe/Paris"))
    expected = datetime(2026, 12, 1, 9, 30, 15, 123456, tzinfo=UTC)
    with store() as uow:
        group = uow.groups.create("pn-ai", paris)
        uow.members.add(
            group_id=group.id, handle="olga", name="Olga", role="observer", added_at=paris
        )
        uow.events.claim("console", "run1:1", paris)
        uow.outbox.enqueue(
            OutboxItem(
                key="k1",
                due_at=paris,
                kind="post",
                transport="console",
                target="#pn-ai",
                text="hi",
            )
        )
        uow.commit()
    with store() as uow:
        group = uow.groups.named("pn-ai")
        member = uow.members.get(group.id, "olga")
        (item,) = uow.outbox.claim_due(expected, "worker-a")
        read = {
            "created_at": group.created_at,
            "added_at": member.added_at,
            "due_at": item.due_at,
            "claimed_at": item.claimed_at,
            "next_due": uow.outbox.next_due(),
        }
    for name, value in read.items():
        assert value == expected, name
        assert value.utcoffset() == timedelta(0), name
        assert value.isoformat() == "2026-12-01T09:30:15.123456+00:00", name


def test_a_naive_datetime_is_refused_on_write(store, engine):
    with store() as uow:
        uow.groups.create("pn-ai", NOW)
        uow.commit()
    naive = datetime(2026, 12, 1, 9, 0)
    with store() as uow, pytest.raises((StatementError, ValueError), match="timezone"):
        uow.groups.create("pn-cyber", naive)
    with store() as uow, pytest.raises((StatementError, ValueError), match="timezone"):
        uow.events.claim("console", "run1:1", naive)
    with store() as uow, pytest.raises((StatementError, ValueError), match="timezone"):
        uow.outbox.enqueue(
            OutboxItem(
                key="k1", due_at=naive, kind="post", transport="console", target="#x", text="hi"
            )
        )
    assert row_counts(engine) == {
        "groups": 1,
        "rooms": 0,
        "members": 0,
        "processed_events": 0,
        "outbox": 0,
    }


def test_a_naive_datetime_is_refused_in_a_query(store):
    with store() as uow, pytest.raises((StatementError, ValueError), match="timezone"):
        uow.outbox.claim_due(datetime(2026, 12, 1, 9, 0), "worker-a")


def test_two_threads_share_an_in_memory_database_one_at_a_time():
    """`--database sqlite://` is one connection: the console's scheduler thread and the person
    typing once used it at the same moment, and sqlite3 failed ("returned NULL without setting
    an exception"). Each thread now holds it for its unit of work."""
    engine = make_engine("sqlite://")
    upgrade(engine)
    store = Store(engine)
    failures: list[BaseException] = []

    def claim(prefix: str) -> None:
        try:
            for n in range(150):
                with store() as uow:
                    assert uow.events.claim("console", f"{prefix}-{n}", NOW)
                    uow.commit()
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    threads = [threading.Thread(target=claim, args=(name,)) for name in ("typing", "tick")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    engine.dispose()
    assert failures == []
    assert not any(thread.is_alive() for thread in threads)
