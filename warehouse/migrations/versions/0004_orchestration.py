"""orchestration: load leases, awaited sources, one alert per fingerprint

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "load_lease",
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source", "period", name=op.f("pk_load_lease")),
        comment="One row per source-period a run is working on (read, load, checks, alerts): a second run of the same source-period waits; an expired lease may be taken over.",
    )
    op.create_table(
        "awaited_source",
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("first_checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("source", "period", name=op.f("pk_awaited_source")),
        comment="One row per source-period a scheduled run expected but found no file for; arrived_at is set when a later run loads it.",
    )
    # Keep the first alert of each fingerprint (concurrent loads could raise one twice).
    op.execute(
        "DELETE FROM alert WHERE EXISTS (SELECT 1 FROM alert AS earlier "
        "WHERE earlier.fingerprint = alert.fingerprint AND (earlier.raised_at < alert.raised_at "
        "OR (earlier.raised_at = alert.raised_at AND earlier.alert_id < alert.alert_id)))"
    )
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_fingerprint"))
        batch_op.create_index("ux_alert_fingerprint", ["fingerprint"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_index("ux_alert_fingerprint")
        batch_op.create_index(batch_op.f("ix_alert_fingerprint"), ["fingerprint"], unique=False)
    op.drop_table("awaited_source")
    op.drop_table("load_lease")
