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
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # pysqlite runs each CREATE/ALTER in a transaction of its own: a process killed in
            # the middle of a migration would leave half of it applied and unrecorded, and every
            # later start would fail. One explicit transaction makes the upgrade all or nothing.
            driver = connection.connection.driver_connection
            driver.isolation_level = None
            # Batch mode rebuilds a table by dropping it, which foreign keys forbid for any
            # table others point at: SQLite's own procedure turns them off (possible only
            # outside a transaction), rebuilds, checks every key, and turns them on again.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.exec_driver_sql("BEGIN")
        try:
            context.configure(
                connection=connection,
                target_metadata=SQLModel.metadata,
                include_name=include_name,
                render_as_batch=sqlite,
                compare_type=True,
                transactional_ddl=True,
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                driver.isolation_level = ""


run_migrations()
