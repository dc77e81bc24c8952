"""minutes, action items and meeting decisions: the record a meeting keeps of itself

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 10:18:17.999858
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("transport", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("room", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("chairs", sa.JSON(), nullable=False),
        sa.Column("started_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("ended_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("ended_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("review_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("approved_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("approved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("minutes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_minutes_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_minutes_review_until"), ["review_until"], unique=False)

    op.create_table(
        "minute_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("agenda_number", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("undone_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("undone_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["minutes.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("minutes_id", "number"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("minute_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_minute_lines_minutes_id"), ["minutes_id"], unique=False
        )

    op.create_table(
        "minutes_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("settled_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["minutes.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("minutes_corrections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_minutes_corrections_minutes_id"), ["minutes_id"], unique=False
        )

    op.create_table(
        "action_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("done_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("done_note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
        ),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["minute_lines.id"],
        ),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["minutes.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_items_group_id"), ["group_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_action_items_minutes_id"), ["minutes_id"], unique=False
        )

    op.create_table(
        "meeting_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("decided_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
        ),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["minute_lines.id"],
        ),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["minutes.id"],
        ),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["polls.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("meeting_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_decisions_group_id"), ["group_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_decisions_minutes_id"), ["minutes_id"], unique=False
        )

    op.create_table(
        "minute_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("old_text", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("new_text", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("edited_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("edited_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["minute_lines.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("minute_edits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_minute_edits_line_id"), ["line_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("minute_edits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minute_edits_line_id"))

    op.drop_table("minute_edits")
    with op.batch_alter_table("meeting_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_decisions_minutes_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_decisions_group_id"))

    op.drop_table("meeting_decisions")
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_items_minutes_id"))
        batch_op.drop_index(batch_op.f("ix_action_items_group_id"))

    op.drop_table("action_items")
    with op.batch_alter_table("minutes_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_corrections_minutes_id"))

    op.drop_table("minutes_corrections")
    with op.batch_alter_table("minute_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minute_lines_minutes_id"))

    op.drop_table("minute_lines")
    with op.batch_alter_table("minutes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_review_until"))
        batch_op.drop_index(batch_op.f("ix_minutes_group_id"))

    op.drop_table("minutes")
