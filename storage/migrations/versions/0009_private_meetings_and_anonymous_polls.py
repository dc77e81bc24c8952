"""private meetings and anonymous polls: a public/private line per record

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every meeting and poll held so far was open and named its voters. SQLite adds a column
    # with a server default by rebuilding the table; the rebuilt one still never reuses ids.
    keep = {"sqlite_autoincrement": True}
    with op.batch_alter_table("meetings", schema=None, table_kwargs=keep) as batch_op:
        batch_op.add_column(
            sa.Column("private", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("polls", schema=None, table_kwargs=keep) as batch_op:
        batch_op.add_column(
            sa.Column("anonymous", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    # SQLite drops a column by rebuilding the table; the rebuilt one still never reuses ids.
    keep = {"sqlite_autoincrement": True}
    with op.batch_alter_table("polls", schema=None, table_kwargs=keep) as batch_op:
        batch_op.drop_column("anonymous")
    with op.batch_alter_table("meetings", schema=None, table_kwargs=keep) as batch_op:
        batch_op.drop_column("private")
