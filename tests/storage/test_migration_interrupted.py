"""A migration that stops halfway (a crash, a full disk) leaves the schema as it was, so the
next start applies it whole instead of failing on half-created tables."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from storage.engine import make_engine, upgrade


class Interrupted(Exception):
    """Stands for the process dying in the middle of the migrations."""


def tables(engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_an_upgrade_interrupted_halfway_is_undone_and_then_applied_whole(db_url):
    engine = make_engine(db_url)
    statements: list[str] = []

    @sa.event.listens_for(engine, "before_cursor_execute")
    def stop_halfway(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("CREATE TABLE"):
            statements.append(statement)
            if len(statements) == 6:
                raise Interrupted(statement.split("(")[0].strip())

    with pytest.raises(Interrupted):
        upgrade(engine)
    assert len(statements) == 6  # five tables were created before the interruption
    assert tables(engine) - {"alembic_version"} == set()

    sa.event.remove(engine, "before_cursor_execute", stop_halfway)
    upgrade(engine)
    assert {"groups", "outbox", "meetings", "votes"} <= tables(engine)
    with engine.connect() as connection:
        (version,) = connection.exec_driver_sql("SELECT version_num FROM alembic_version").one()
    assert version
    engine.dispose()
