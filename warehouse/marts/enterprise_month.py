"""``mart_enterprise_month``: one row per enterprise per month.

Every enterprise registered that month, and every enterprise an electricity, tax or
statistics row names that month (unregistered ones with ``is_registered`` false), as
it was that month: register attributes of the version in force, facts of the month.

``region_code`` is where the enterprise was that month (:data:`fragments.LOCATION`, here
joined rather than probed per row): the register version in force then; for an
enterprise the register never had, the 区划代码 of its latest statistics row up to then
(:data:`REPORTED_REGION`, looked up for those few members only). The indicator marts
place their facts by joining this mart on ``(credit_code, period)``
(:func:`warehouse.marts.fragments.located`), so it is rebuilt first, from the same period
or an earlier one, wherever they are.
"""

from __future__ import annotations

import sqlalchemy as sa

from warehouse.engine import refresh_statistics
from warehouse.marts.fragments import IN_FORCE, loaded_periods

#: The 区划代码 of member ``m``'s latest statistics row with one, up to ``m.period``.
REPORTED_REGION = """(SELECT rs.region_code FROM fact_statistics AS rs
          WHERE rs.credit_code = m.credit_code AND rs.region_code IS NOT NULL
            AND rs.period <= m.period
          ORDER BY rs.period DESC LIMIT 1)"""

#: The first of member ``m``'s account names that month (looked up only for a name
#: neither the register, statistics nor tax gives: the sums come from the covering index).
ACCOUNT_NAME = """(SELECT MIN(a.account_name) FROM fact_electricity AS a
          WHERE a.credit_code = m.credit_code AND a.period = m.period)"""

_PERIODS = "\n    UNION ".join(
    f"SELECT period FROM {loaded_periods(staging, ':from_period')} AS {staging}"
    for staging in ("stg_electricity", "stg_registry", "stg_tax", "stg_statistics")
)

ENTERPRISE_MONTH = f"""
INSERT INTO mart_enterprise_month (credit_code, period, name, region_code, industry_code,
    above_scale, key_enterprise, is_registered, electricity_accounts, electricity_kwh,
    electricity_kwh_prior_year, vat_yuan, cit_yuan, other_tax_yuan, total_tax_yuan,
    vat_refund_yuan, taxable_sales_yuan, output_ytd_yuan, output_prior_ytd_yuan,
    revenue_ytd_yuan, revenue_prior_ytd_yuan, profit_ytd_yuan, profit_prior_ytd_yuan,
    employees, energy_ytd_tce, energy_prior_ytd_tce, electricity_kwh_comparable)
WITH periods AS (
    {_PERIODS}
),
electricity AS (
    SELECT credit_code, period, COUNT(*) AS accounts, SUM(kwh) AS kwh,
           SUM(kwh_prior_year) AS kwh_prior_year,
           SUM(CASE WHEN kwh_prior_year IS NOT NULL THEN kwh END) AS kwh_comparable
    FROM fact_electricity
    WHERE credit_code IS NOT NULL AND period >= :from_period
    GROUP BY credit_code, period
),
members AS (
    SELECT e.credit_code, p.period
    FROM periods AS p JOIN dim_enterprise AS e ON {IN_FORCE.format(alias="e", period="p.period")}
    UNION SELECT credit_code, period FROM electricity
    UNION SELECT credit_code, period FROM fact_tax WHERE period >= :from_period
    UNION SELECT credit_code, period FROM fact_statistics WHERE period >= :from_period
),
registered AS (SELECT DISTINCT credit_code FROM dim_enterprise)
SELECT m.credit_code, m.period,
       COALESCE(e.name, s.name, t.taxpayer_name, {ACCOUNT_NAME}),
       COALESCE(e.region_code, CASE WHEN r.credit_code IS NULL THEN {REPORTED_REGION} END),
       COALESCE(e.industry_code, s.industry_code),
       e.above_scale, e.key_enterprise,
       r.credit_code IS NOT NULL,
       COALESCE(el.accounts, 0), el.kwh, el.kwh_prior_year,
       t.vat_yuan, t.cit_yuan, t.other_tax_yuan, t.total_tax_yuan, t.vat_refund_yuan,
       t.taxable_sales_yuan,
       s.output_ytd_yuan, s.output_prior_ytd_yuan, s.revenue_ytd_yuan, s.revenue_prior_ytd_yuan,
       s.profit_ytd_yuan, s.profit_prior_ytd_yuan, s.employees, s.energy_ytd_tce,
       s.energy_prior_ytd_tce, el.kwh_comparable
FROM members AS m
LEFT JOIN dim_enterprise AS e
       ON e.credit_code = m.credit_code AND {IN_FORCE.format(alias="e", period="m.period")}
LEFT JOIN registered AS r ON r.credit_code = m.credit_code
LEFT JOIN electricity AS el ON el.credit_code = m.credit_code AND el.period = m.period
LEFT JOIN fact_tax AS t ON t.credit_code = m.credit_code AND t.period = m.period
LEFT JOIN fact_statistics AS s ON s.credit_code = m.credit_code AND s.period = m.period
"""


def rebuild_enterprise_month(connection: sa.Connection, from_period: str) -> None:
    """Rebuild ``mart_enterprise_month`` for every period from ``from_period`` on."""
    connection.execute(
        sa.text("DELETE FROM mart_enterprise_month WHERE period >= :from_period"),
        {"from_period": from_period},
    )
    connection.execute(sa.text(ENTERPRISE_MONTH), {"from_period": from_period})
    refresh_statistics(connection, "mart_enterprise_month")
