"""mart_pending: the marts committed loads left to rebuild once per run

Revision ID: 0005_mart_pending
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_mart_pending"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mart_pending",
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("from_period", sa.String(length=7), nullable=False),
        sa.Column("load_id", sa.String(length=36), nullable=False),
        sa.Column("noted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source", "from_period", name=op.f("pk_mart_pending")),
        comment="One row per (source, first period) whose marts a committed load left to rebuild, written in the load's transaction; the latest such load and when it committed. The run's mart rebuild deletes the rows it rebuilt, in its own transaction.",
    )


def downgrade() -> None:
    op.drop_table("mart_pending")
