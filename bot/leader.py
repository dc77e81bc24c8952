"""Which process runs the scheduler: exactly one per database and set of transports.

On PostgreSQL the leader holds a session-level advisory lock on a connection of its own; on a
SQLite file it holds an exclusive `flock` on a lock file beside the database. Both are released
by the operating system or the server when the process dies or its connection is lost, so the
next tick of another instance takes over. An in-memory SQLite database has one process only.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)


def lock_name(transports: tuple[str, ...] | None) -> str:
    """One leader per set of transports: a Slack process and a Matrix process both lead."""
    return "scheduler-" + ("-".join(sorted(transports)) if transports else "all")


class Leadership:
    """`lead()` at each tick: True while this process is (or has just become) the leader."""

    def __init__(self, name: str):
        self.name = name
        self.leading: bool | None = None

    def lead(self) -> bool:
        try:
            leading = self._hold()
        except Exception as error:  # a database that does not answer: not the leader this tick
            log.warning("cannot take the %s lock: %s", self.name, error)
            self._drop()
            leading = False
        if leading != self.leading:
            log.info("%s the %s", "now running" if leading else "not running", self.name)
            self.leading = leading
        return leading

    def close(self) -> None:
        self._drop()
        self.leading = None

    def _hold(self) -> bool:
        raise NotImplementedError

    def _drop(self) -> None:
        pass


class Alone(Leadership):
    """In-memory SQLite: only this process can see the database."""

    def _hold(self) -> bool:
        return True


class FileLock(Leadership):
    """An exclusive `flock` on `<database>.<name>.lock`, held while the process lives."""

    def __init__(self, database: Path, name: str):
        super().__init__(name)
        self.path = database.with_name(f"{database.name}.{name}.lock")
        self._fd: int | None = None

    def _hold(self) -> bool:
        import fcntl

        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def _drop(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the only descriptor releases the lock
            self._fd = None


class AdvisoryLock(Leadership):
    """`pg_try_advisory_lock` held on a dedicated connection (not the pool's): the server
    releases it when that connection ends, whether the process exits, dies or loses it."""

    def __init__(self, engine: Engine, name: str):
        super().__init__(name)
        self._engine = sa.create_engine(
            engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT"
        )
        self._connection: sa.Connection | None = None

    def _hold(self) -> bool:
        if self._connection is not None:
            try:
                # Still connected means still holding: the lock lives as long as the session.
                self._connection.execute(sa.text("SELECT 1"))
                return True
            except sa.exc.DBAPIError:
                self._drop()
        connection = self._engine.connect()
        try:
            # Scoped to the schema too, so two deployments sharing a database do not compete.
            schema = connection.execute(sa.text("SELECT current_schema()")).scalar_one()
            taken = connection.execute(
                sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": lock_key(schema, self.name)}
            ).scalar_one()
        except BaseException:
            connection.close()
            raise
        if not taken:
            connection.close()
            return False
        self._connection = connection
        return True

    def _drop(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(sa.exc.DBAPIError):
                self._connection.close()
            self._connection = None


def lock_key(schema: str | None, name: str) -> int:
    """A stable signed 64-bit advisory lock key for pnbot's `name` lock in `schema`."""
    digest = hashlib.blake2b(f"pnbot:{schema}:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def for_engine(engine: Engine, transports: tuple[str, ...] | None = None) -> Leadership:
    """The leader lock that fits `engine`'s database."""
    name = lock_name(transports)
    url = engine.url
    if url.get_backend_name() == "postgresql":
        return AdvisoryLock(engine, name)
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            return Alone(name)
        return FileLock(Path(url.database).resolve(), name)
    raise ValueError(f"no leader lock for {url.get_backend_name()} databases")
