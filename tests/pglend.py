"""A migrated PostgreSQL schema lent to one test after another.

`CREATE DATABASE … TEMPLATE` costs seconds on a busy server (it copies and syncs every file),
and a PostgreSQL test needs a fresh migrated database. So each test worker keeps one migrated
database and, for each test, empties its tables and gives its schema a new name (the leader's
advisory lock key is made of the schema's name, and a connection a test forgot can no longer
find it). A world (a setup transcript's result, kept in a schema of its own beside it) is
copied in table by table, its sequences with it."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables, whose order the copy follows)

KEEP = "alembic_version"


def in_schema(url: URL, schema: str) -> str:
    """`url` with its connections' search path set to `schema` alone."""
    with_path = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return with_path.render_as_string(hide_password=False)


class Lender:
    """The worker's migrated database (`url`), its schema now called `schema`."""

    def __init__(self, url: URL, schema: str):
        self.url = url
        self.schema = schema
        self.admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def lend(self, world: str | None = None) -> str:
        """The schema emptied (or holding a copy of the schema `world`), under a new name."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            # a connection left open by an earlier test must not hang this one
            connection.execute(sa.text("SET lock_timeout = '10s'"))
            # a test database: its emptying need not wait for the disk
            connection.execute(sa.text("SET synchronous_commit = off"))
            connection.execute(sa.text(f"ALTER SCHEMA {self.schema} RENAME TO {name}"))
            self.schema = name
            tables = self._tables(connection, name)
            # DELETE, not TRUNCATE: a few rows each, and no new files to create and sync
            connection.execute(sa.text("BEGIN"))
            for table in reversed(tables):
                connection.execute(sa.text(f"DELETE FROM {name}.{table}"))
            for sequence in self._sequences(connection, name):
                connection.execute(sa.text(f"ALTER SEQUENCE {name}.{sequence} RESTART"))
            if world is not None:
                self._copy(connection, world, name, tables)
            connection.execute(sa.text("COMMIT"))
        return in_schema(self.url, name)

    def add_schema(self) -> str:
        """A new empty schema in the same database (for a world to be built in)."""
        name = f"w_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.execute(sa.text(f"CREATE SCHEMA {name}"))
        return name

    @staticmethod
    def _tables(connection, schema: str) -> list[str]:
        """The schema's tables but the version table, parents before children."""
        found = set(
            connection.execute(
                sa.text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}
            ).scalars()
        ) - {KEEP}
        ordered = [t.name for t in SQLModel.metadata.sorted_tables if t.name in found]
        return ordered + sorted(found - set(ordered))

    @staticmethod
    def _sequences(connection, schema: str) -> list[str]:
        return list(
            connection.execute(
                sa.text("SELECT sequencename FROM pg_sequences WHERE schemaname = :s"),
                {"s": schema},
            ).scalars()
        )

    @staticmethod
    def _copy(connection, source: str, target: str, tables: list[str]) -> None:
        for table in tables:
            connection.execute(
                sa.text(f"INSERT INTO {target}.{table} SELECT * FROM {source}.{table}")
            )
        for sequence in Lender._sequences(connection, source):
            connection.execute(
                sa.text(
                    f"SELECT setval('{target}.{sequence}', last_value, is_called) "
                    f"FROM {source}.{sequence}"
                )
            )

    def close(self) -> None:
        self.admin.dispose()
