"""resolve indexes: the staged electricity rows without a code of their own, by name

A register load re-resolves only the earlier account-months whose name match may have
changed; this partial index finds them without reading every month's rows.

Revision ID: 0007
Revises: 0005_mart_pending
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0005_mart_pending"
branch_labels = None
depends_on = None

UNCODED = sa.text("credit_code IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("stg_electricity", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stg_electricity_uncoded_name",
            ["name_key"],
            unique=False,
            sqlite_where=UNCODED,
            postgresql_where=UNCODED,
        )


def downgrade() -> None:
    with op.batch_alter_table("stg_electricity", schema=None) as batch_op:
        batch_op.drop_index("ix_stg_electricity_uncoded_name")
