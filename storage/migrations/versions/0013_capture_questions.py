"""capture questions: what the bot asked a message's author when capture was unsure

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "capture_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("transport", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("room", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("thread", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("next_meeting", sa.Boolean(), nullable=False),
        sa.Column("event", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("asked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("answered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("transport", "room", "message_id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("capture_questions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_capture_questions_group_id"), ["group_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("capture_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_capture_questions_group_id"))
    op.drop_table("capture_questions")
