"""An id, once given, is never given again: after the row with the highest id is deleted,
and after a restart (a new engine; on SQLite the file reopened), the next row gets a new id.
SQLite needs AUTOINCREMENT for that; PostgreSQL's sequences never go back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers every table)
from storage.engine import make_engine, upgrade
from storage.uow import Store

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_every_table_with_an_integer_id_is_autoincrement_on_sqlite(sqlite_url):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    with engine.connect() as connection:
        created = dict(
            connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
            ).all()
        )
    engine.dispose()
    with_ids = [
        name
        for name, table in SQLModel.metadata.tables.items()
        if "id" in table.c and isinstance(table.c.id.type, sa.Integer) and table.c.id.primary_key
    ]
    assert len(with_ids) >= 20
    assert [name for name in with_ids if "AUTOINCREMENT" not in created[name]] == []
    # and the models say so too, so that a table added later is created the same way
    assert [
        name
        for name in with_ids
        if not SQLModel.metadata.tables[name].dialect_options["sqlite"]["autoincrement"]
    ] == []


def _add_members(store: Store, group_id: int, handles: list[str]) -> list[int]:
    with store() as uow:
        ids = [
            uow.members.add(group_id=group_id, handle=h, name=h, role="observer", added_at=NOW).id
            for h in handles
        ]
        uow.commit()
    return ids


def _add_captures(store: Store, names: list[str]) -> list[int]:
    with store() as uow:
        for n in names:
            uow.captures.remember("console", "#pn-ai", n, "apology:1", "amina", NOW)
        found = [uow.captures.get("console", "#pn-ai", n).id for n in names]
        uow.commit()
    return found


def test_ids_of_deleted_rows_are_not_given_again_after_a_restart(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    store = Store(engine)
    with store() as uow:
        group_id = uow.groups.create("pn-ai", NOW).id
        uow.commit()
    first = _add_members(store, group_id, ["amina", "bruno", "chen"])
    captured = _add_captures(store, ["m1", "m2"])
    with engine.begin() as connection:  # the rows with the highest ids go
        connection.execute(sa.text("DELETE FROM members WHERE id = :id"), {"id": first[-1]})
        connection.execute(
            sa.text("DELETE FROM captured_messages WHERE id = :id"), {"id": captured[-1]}
        )
    engine.dispose()

    restarted = make_engine(db_url)
    store = Store(restarted)
    again = _add_members(store, group_id, ["dana"])
    recaptured = _add_captures(store, ["m3"])
    restarted.dispose()

    assert again[0] > first[-1]
    assert recaptured[0] > captured[-1]


def test_a_withdrawn_apology_keeps_its_id_and_the_next_one_gets_a_new_one(store):
    with store() as uow:
        group = uow.groups.create("pn-ai", NOW)
        uow.meetings.add(group.id, NOW + timedelta(days=7), NOW)
        meeting = uow.meetings.all(group.id)[0]
        first = uow.apologies.record(meeting.id, "amina", None, "command", NOW)
        uow.apologies.withdraw(first, NOW + timedelta(hours=1))
        meeting_id, first_id = meeting.id, first.id
        second = uow.apologies.record(meeting.id, "amina", "travelling", "chat", NOW).id
        uow.commit()
    with store() as uow:
        kept = uow.apologies.by_id(first_id)
        kept = (kept.status, kept.withdrawn_at)
        standing = [(a.id, a.status, a.reason) for a in uow.apologies.for_meetings([meeting_id])]

    assert second > first_id
    assert kept == ("withdrawn", NOW + timedelta(hours=1))
    assert standing == [(second, "standing", "travelling")]


def test_upgrading_a_database_with_rows_keeps_them_and_their_ids(sqlite_url):
    engine = make_engine(sqlite_url)
    upgrade(engine, "0007")
    with engine.begin() as connection:
        for statement in (
            "INSERT INTO groups (id, name, target_size, settings, created_at) "
            "VALUES (4, 'pn-ai', 20, '{}', '2026-12-01 09:00:00')",
            "INSERT INTO rooms (group_id, transport, room, main) VALUES (4, 'console', '#pn', 1)",
            "INSERT INTO members (id, group_id, handle, name, role, added_at) "
            "VALUES (7, 4, 'amina', 'Amina', 'member', '2026-12-01 09:00:00')",
            "INSERT INTO meetings (id, group_id, occurrence, starts_at, duration_minutes, status, "
            "agenda_status, created_at) VALUES (3, 4, '2026-12-08 12:00:00', "
            "'2026-12-08 12:00:00', 90, 'scheduled', 'draft', '2026-12-01 09:00:00')",
            "INSERT INTO apologies (id, meeting_id, handle, source, created_at) "
            "VALUES (9, 3, 'amina', 'command', '2026-12-01 09:00:00')",
        ):
            connection.exec_driver_sql(statement)

    upgrade(engine)

    store = Store(engine)
    with store() as uow:
        group = uow.groups.named("pn-ai")
        member = uow.members.get(group.id, "amina")
        [apology] = uow.apologies.for_meetings([3])
        found = (group.id, member.id, member.removed_at, apology.id, apology.status)
        uow.apologies.withdraw(apology, NOW)
        again = uow.apologies.record(3, "amina", None, "chat", NOW).id
        uow.commit()
    with engine.connect() as connection:
        keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
    engine.dispose()

    assert found == (4, 7, None, 9, "standing")
    assert again > 9
    assert keys == 1  # turned on again after the migration
