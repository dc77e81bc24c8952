from alembic import command
from sqlalchemy import inspect

from storage.engine import alembic_config, make_engine, upgrade


def test_migrations_create_every_table_and_match_the_models(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    assert {"groups", "rooms", "members", "processed_events", "outbox"} <= set(
        inspect(engine).get_table_names()
    )
    # Raises when the models hold something no migration creates.
    command.check(alembic_config(engine))
    engine.dispose()


def test_upgrading_twice_changes_nothing(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    upgrade(engine)
    command.check(alembic_config(engine))
    engine.dispose()


def test_downgrade_to_base_and_up_again(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    command.downgrade(alembic_config(engine), "base")
    assert "members" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert "members" in inspect(engine).get_table_names()
    engine.dispose()


def test_sqlite_file_runs_in_wal_mode(sqlite_url):
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
    assert (mode, keys) == ("wal", 1)
    engine.dispose()
