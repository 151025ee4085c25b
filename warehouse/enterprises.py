"""Enterprises the agencies report that the bureau's register does not know."""

from __future__ import annotations

import sqlalchemy as sa

UNREGISTERED = """
SELECT credit_code, MAX(name) AS name, MIN(period) AS first_period, MAX(period) AS last_period,
       MAX(region_code) AS region_code,
       SUM(CASE WHEN electricity_accounts > 0 THEN 1 ELSE 0 END) AS electricity_months,
       SUM(CASE WHEN total_tax_yuan IS NOT NULL THEN 1 ELSE 0 END) AS tax_months,
       SUM(CASE WHEN output_ytd_yuan IS NOT NULL THEN 1 ELSE 0 END) AS statistics_months
FROM mart_enterprise_month
WHERE NOT is_registered AND (:period IS NULL OR period = :period)
GROUP BY credit_code
ORDER BY MIN(period), credit_code
"""


def unregistered_enterprises(engine: sa.Engine, period: str | None = None) -> list[sa.Row]:
    """Enterprises with facts but no register entry (in ``period``, or in any month)."""
    with engine.connect() as connection:
        statement = sa.text(UNREGISTERED).bindparams(sa.bindparam("period", type_=sa.String))
        return list(connection.execute(statement, {"period": period}))
