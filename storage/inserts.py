"""Inserting a row once, whatever other transactions or instances do at the same moment."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, SQLModel


def insert_once(session: Session, model: type[SQLModel], values: dict) -> bool:
    """Insert a row unless one with the same unique key exists; True when inserted."""
    return inserted_id(session, model, values) is not None


def inserted_id(session: Session, model: type[SQLModel], values: dict) -> int | None:
    """`insert_once`, giving the new row's id (None when the row existed).

    ON CONFLICT DO NOTHING keeps the rest of the transaction intact, and on PostgreSQL a
    concurrent insert of the same key waits for the first one and then does nothing.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(model).values(**values).on_conflict_do_nothing().returning(model.id)
    row = session.execute(statement).first()
    return row[0] if row else None


def upsert(
    session: Session, model: type[SQLModel], values: dict, key: list[str], update: list[str]
) -> None:
    """Insert a row, or update `update` columns of the one with the same `key`, atomically."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(model).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=key, set_={column: statement.excluded[column] for column in update}
    )
    session.execute(statement)
