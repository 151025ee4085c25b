"""Marts dashboards read, rebuilt with set-based SQL for the periods a load affects.

``mart_indicator_month``: one row per region (county, town, park) per month per indicator.
``mart_enterprise_month``: one row per enterprise per month.
"""

from __future__ import annotations

import sqlalchemy as sa

# The enterprise version in force in a period: valid_from <= period < valid_to.
IN_FORCE = "e.valid_from <= {p} AND (e.valid_to IS NULL OR {p} < e.valid_to)"

ENTERPRISE_MONTH = f"""
INSERT INTO mart_enterprise_month (credit_code, period, name, region_code, industry_code,
    above_scale, key_enterprise, is_registered, electricity_accounts, electricity_kwh,
    electricity_kwh_prior_year)
WITH periods AS (
    SELECT period FROM stg_electricity WHERE period >= :from_period
    UNION SELECT period FROM stg_registry WHERE period >= :from_period
),
electricity AS (
    SELECT credit_code, period, COUNT(*) AS accounts, SUM(kwh) AS kwh,
           SUM(kwh_prior_year) AS kwh_prior_year, MIN(account_name) AS account_name
    FROM fact_electricity
    WHERE credit_code IS NOT NULL AND period >= :from_period
    GROUP BY credit_code, period
),
members AS (
    SELECT e.credit_code, p.period
    FROM periods AS p JOIN dim_enterprise AS e ON {IN_FORCE.format(p="p.period")}
    UNION
    SELECT credit_code, period FROM electricity
)
SELECT m.credit_code, m.period,
       COALESCE(e.name, el.account_name), e.region_code, e.industry_code,
       e.above_scale, e.key_enterprise,
       EXISTS (SELECT 1 FROM dim_enterprise AS r WHERE r.credit_code = m.credit_code),
       COALESCE(el.accounts, 0), el.kwh, el.kwh_prior_year
FROM members AS m
LEFT JOIN dim_enterprise AS e
       ON e.credit_code = m.credit_code AND {IN_FORCE.format(p="m.period")}
LEFT JOIN electricity AS el ON el.credit_code = m.credit_code AND el.period = m.period
"""

# Electricity by region and month. The county sums every loaded row, resolved or
# not; a town or park sums the rows of enterprises located there that month. Growth
# is same-scope: only rows that give a prior-year figure count on either side.
ELECTRICITY_BY_REGION = f"""
WITH county AS (SELECT region_code FROM dim_region WHERE kind = 'county'),
located AS (
    SELECT f.period, f.kwh, f.kwh_prior_year, e.region_code
    FROM fact_electricity AS f
    LEFT JOIN dim_enterprise AS e
           ON e.credit_code = f.credit_code AND {IN_FORCE.format(p="f.period")}
),
by_region AS (
    SELECT period, (SELECT region_code FROM county) AS region_code, SUM(kwh) AS value,
           SUM(CASE WHEN kwh_prior_year IS NOT NULL THEN kwh END) AS scoped,
           SUM(kwh_prior_year) AS prior
    FROM located GROUP BY period
    UNION ALL
    SELECT period, region_code, SUM(kwh),
           SUM(CASE WHEN kwh_prior_year IS NOT NULL THEN kwh END), SUM(kwh_prior_year)
    FROM located
    WHERE region_code IS NOT NULL AND region_code <> (SELECT region_code FROM county)
    GROUP BY period, region_code
)
SELECT g.period, g.region_code, COALESCE(b.value, 0) AS value, b.scoped, b.prior
FROM (SELECT DISTINCT s.period, r.region_code FROM stg_electricity AS s CROSS JOIN dim_region AS r)
     AS g
LEFT JOIN by_region AS b ON b.period = g.period AND b.region_code = g.region_code
"""

# From monthly figures (period, region_code, value, scoped, prior) to the mart's row:
# year to date only when every month of the year up to the period is loaded.
INDICATOR_MONTH = """
INSERT INTO mart_indicator_month (region_code, period, indicator, unit, value, value_ytd,
                                  yoy_pct, ytd_yoy_pct)
WITH monthly AS ({monthly}),
running AS (
    SELECT m.*,
           COUNT(*) OVER ytd AS months_loaded,
           SUM(value) OVER ytd AS value_ytd,
           SUM(scoped) OVER ytd AS scoped_ytd,
           SUM(prior) OVER ytd AS prior_ytd
    FROM monthly AS m
    WINDOW ytd AS (PARTITION BY region_code, SUBSTR(period, 1, 4) ORDER BY period
                   ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT region_code, period, :indicator, :unit, value,
       CASE WHEN months_loaded = CAST(SUBSTR(period, 6, 2) AS INTEGER) THEN value_ytd END,
       CASE WHEN prior > 0 THEN 100.0 * (scoped * 1.0 / prior - 1) END,
       CASE WHEN months_loaded = CAST(SUBSTR(period, 6, 2) AS INTEGER) AND prior_ytd > 0
            THEN 100.0 * (scoped_ytd * 1.0 / prior_ytd - 1) END
FROM running
WHERE period >= :from_period
"""


def rebuild_enterprise_month(connection: sa.Connection, from_period: str) -> None:
    """Rebuild ``mart_enterprise_month`` for every period from ``from_period`` on."""
    connection.execute(
        sa.text("DELETE FROM mart_enterprise_month WHERE period >= :from_period"),
        {"from_period": from_period},
    )
    connection.execute(sa.text(ENTERPRISE_MONTH), {"from_period": from_period})


def rebuild_indicator(
    connection: sa.Connection, indicator: str, unit: str, monthly_sql: str, from_period: str
) -> None:
    """Rebuild one indicator of ``mart_indicator_month`` from ``from_period`` on.

    ``monthly_sql`` yields (period, region_code, value, scoped, prior) for every loaded
    period and region, where ``scoped`` and ``prior`` are the two sides of growth.
    """
    parameters = {"indicator": indicator, "unit": unit, "from_period": from_period}
    connection.execute(
        sa.text(
            "DELETE FROM mart_indicator_month WHERE indicator = :indicator "
            "AND period >= :from_period"
        ),
        parameters,
    )
    connection.execute(sa.text(INDICATOR_MONTH.format(monthly=monthly_sql)), parameters)


def rebuild_marts(connection: sa.Connection, from_period: str) -> None:
    """Rebuild every mart for the periods from ``from_period`` on."""
    rebuild_enterprise_month(connection, from_period)
    rebuild_indicator(connection, "electricity_kwh", "kWh", ELECTRICITY_BY_REGION, from_period)
