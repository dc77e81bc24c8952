"""record history: ids never reused, withdrawn apologies kept, membership periods and changes

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Names for the unnamed unique constraints of 0001/0002: SQLite reflects them without a
# name, so batch mode names them by this convention; PostgreSQL named them itself.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_N_name)s"}
OLD_UNIQUE = {
    "sqlite": ("uq_members_group_id_handle", "uq_apologies_meeting_id_handle"),
    "postgresql": ("members_group_id_handle_key", "apologies_meeting_id_handle_key"),
}
# What a table rebuilt on SQLite keeps (the rebuild makes a table from the reflected one).
KEEP = {"sqlite_autoincrement": True}
# Tables the bot does not own; they keep whatever their library made.
FOREIGN = ("alembic_version", "apscheduler_jobs", "sqlite_sequence")


def _autoincrement_everywhere() -> None:
    """Rebuild every SQLite table with an integer id as AUTOINCREMENT, so that an id once
    given is never given again, even after the row with the highest id is deleted."""
    bind = op.get_bind()
    for name in sa.inspect(bind).get_table_names():
        if name in FOREIGN or name.startswith("slack_"):
            continue
        sql = bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).scalar()
        if "AUTOINCREMENT" in (sql or "").upper():
            continue
        columns = {c["name"]: c for c in sa.inspect(bind).get_columns(name)}
        if "id" not in columns or not isinstance(columns["id"]["type"], sa.Integer):
            continue
        with op.batch_alter_table(name, recreate="always", table_kwargs=KEEP):
            pass


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _autoincrement_everywhere()
    members_unique, apologies_unique = OLD_UNIQUE.get(dialect, OLD_UNIQUE["postgresql"])
    op.create_table(
        "member_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("old", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("new", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("changed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("changed_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"]),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("member_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_changes_member_id"), ["member_id"], unique=False
        )
    with op.batch_alter_table("members", naming_convention=NAMING, table_kwargs=KEEP) as batch_op:
        batch_op.add_column(
            sa.Column("removed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("removed_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True)
        )
        batch_op.add_column(
            sa.Column("removed_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
        )
        batch_op.drop_constraint(members_unique, type_="unique")
        batch_op.create_index(
            "uq_members_current",
            ["group_id", "handle"],
            unique=True,
            sqlite_where=sa.text("removed_at IS NULL"),
            postgresql_where=sa.text("removed_at IS NULL"),
        )
    with op.batch_alter_table("apologies", naming_convention=NAMING, table_kwargs=KEEP) as batch_op:
        batch_op.add_column(
            sa.Column(
                "status",
                sqlmodel.sql.sqltypes.AutoString(length=20),
                nullable=False,
                server_default="standing",
            )
        )
        batch_op.add_column(
            sa.Column("withdrawn_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.drop_constraint(apologies_unique, type_="unique")
        batch_op.create_index(
            "uq_apologies_standing",
            ["meeting_id", "handle"],
            unique=True,
            sqlite_where=sa.text("withdrawn_at IS NULL"),
            postgresql_where=sa.text("withdrawn_at IS NULL"),
        )
    with op.batch_alter_table("apologies", table_kwargs=KEEP) as batch_op:
        batch_op.alter_column("status", server_default=None)


def downgrade() -> None:
    # The schema before had room for one membership per person and one notice per meeting:
    # former memberships and withdrawn notices go.
    dialect = op.get_bind().dialect.name
    members_unique, apologies_unique = OLD_UNIQUE.get(dialect, OLD_UNIQUE["postgresql"])
    op.drop_table("member_changes")
    op.execute("DELETE FROM members WHERE removed_at IS NOT NULL")
    op.execute("DELETE FROM apologies WHERE withdrawn_at IS NOT NULL")
    with op.batch_alter_table("apologies", table_kwargs=KEEP) as batch_op:
        batch_op.drop_index("uq_apologies_standing")
        batch_op.drop_column("withdrawn_at")
        batch_op.drop_column("status")
        batch_op.create_unique_constraint(apologies_unique, ["meeting_id", "handle"])
    with op.batch_alter_table("members", table_kwargs=KEEP) as batch_op:
        batch_op.drop_index("uq_members_current")
        batch_op.drop_column("removed_reason")
        batch_op.drop_column("removed_by")
        batch_op.drop_column("removed_at")
        batch_op.create_unique_constraint(members_unique, ["group_id", "handle"])
