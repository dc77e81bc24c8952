"""members' e-mail addresses, for the group's mailing list

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 10:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite adds an indexed column by rebuilding the table; the rebuilt one never reuses ids.
    keep = {"sqlite_autoincrement": True}
    with op.batch_alter_table("members", schema=None, table_kwargs=keep) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch_op.create_index(batch_op.f("ix_members_email"), ["email"], unique=False)


def downgrade() -> None:
    keep = {"sqlite_autoincrement": True}
    with op.batch_alter_table("members", schema=None, table_kwargs=keep) as batch_op:
        batch_op.drop_index(batch_op.f("ix_members_email"))
        batch_op.drop_column("email")
