"""enterprise month comparable kWh: the same-scope side of electricity growth, per enterprise

``mart_enterprise_month.electricity_kwh_comparable`` is the month's kWh over the
enterprise's accounts that give a prior-year figure. With it the electricity indicator and
the decline watch read an enterprise's kWh from the mart (one row per enterprise-month)
instead of summing every account-month of ``fact_electricity`` again. Existing rows get
their value from the facts they were built from.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

FILL = """
UPDATE mart_enterprise_month SET electricity_kwh_comparable = (
    SELECT SUM(CASE WHEN f.kwh_prior_year IS NOT NULL THEN f.kwh END)
    FROM fact_electricity AS f
    WHERE f.credit_code = mart_enterprise_month.credit_code
      AND f.period = mart_enterprise_month.period)
WHERE electricity_accounts > 0
"""


def upgrade() -> None:
    with op.batch_alter_table("mart_enterprise_month", schema=None) as batch_op:
        batch_op.add_column(sa.Column("electricity_kwh_comparable", sa.BigInteger, nullable=True))
    op.execute(FILL)


def downgrade() -> None:
    with op.batch_alter_table("mart_enterprise_month", schema=None) as batch_op:
        batch_op.drop_column("electricity_kwh_comparable")
