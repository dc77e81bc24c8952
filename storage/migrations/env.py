"""Alembic environment: migrations run on the engine handed over in config.attributes."""

from alembic import context
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)

IGNORED_TABLES = {"apscheduler_jobs"}


def include_name(name, type_, parent_names):
    if type_ == "table":
        return name not in IGNORED_TABLES and not name.startswith("slack_")
    return True


def run_migrations() -> None:
    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=SQLModel.metadata,
            include_name=include_name,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
