"""Engines for SQLite (WAL, foreign keys) and PostgreSQL, and the migrations that shape them."""

from __future__ import annotations

import logging
import threading
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str, lock_wait: float = 30.0) -> Engine:
    """Create an engine; a SQLite file gets its folder, WAL mode and a busy timeout of
    `lock_wait` seconds (a transaction waits that long for another's write lock)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    in_memory = parsed.database in (None, "", ":memory:")
    if in_memory:
        engine = create_engine(url, connect_args={"check_same_thread": False}, poolclass=StaticPool)
        _one_thread_at_a_time(engine)
    else:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": lock_wait})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def _one_thread_at_a_time(engine: Engine) -> None:
    """An in-memory database is one connection, which two threads must not use at once (the
    console's scheduler ticks beside the person typing): a thread that checks it out holds it
    until it checks it in; the same thread may check it out again inside."""
    lock = threading.RLock()

    @event.listens_for(engine, "checkout")
    def _hold(*_):
        lock.acquire()

    @event.listens_for(engine, "checkin")
    def _release(*_):
        lock.release()


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration that runs on `engine` (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema up to `revision`."""
    if revision == "head" and _at_head(engine):
        return  # every start but the first after a release: no migration environment to load
    command.upgrade(alembic_config(engine), revision)


@cache
def _head() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def _at_head(engine: Engine) -> bool:
    """Whether the database is already at the newest revision (a cheap read of its version)."""
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current is not None and current == _head()
