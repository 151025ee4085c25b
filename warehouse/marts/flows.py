"""Indicators that flow month by month (electricity, taxes) in ``mart_indicator_month``.

One row per region (county, town, park) per month per indicator. A monthly query yields
``(period, region_code, value, scoped, prior, enterprises)``: ``scoped`` and ``prior`` are
the two sides of year-on-year growth, ``enterprises`` how many enterprises (an unresolved
metering account counts as one) the month's figure sums. The year to date needs every
month of the year up to the period; its growth needs a prior figure for every one of
those months. A row about fewer than three enterprises shows no figures (suppressed).
"""

from __future__ import annotations

import sqlalchemy as sa

from warehouse.marts.fragments import (
    PRIOR_YEAR,
    by_region,
    grid,
    location,
    replace_indicator,
    shown,
    suppressed,
    window_start,
)

_YTD = "CASE WHEN months_loaded = CAST(SUBSTR(period, 6, 2) AS INTEGER) THEN value_ytd END"
_YOY = "CASE WHEN prior > 0 THEN 100.0 * (scoped * 1.0 / prior - 1) END"
_YTD_YOY = """CASE WHEN months_loaded = CAST(SUBSTR(period, 6, 2) AS INTEGER)
             AND months_with_prior = months_loaded AND prior_ytd > 0
            THEN 100.0 * (scoped_ytd * 1.0 / prior_ytd - 1) END"""

INDICATOR_MONTH = f"""
INSERT INTO mart_indicator_month (region_code, period, indicator, unit, value, value_ytd,
                                  yoy_pct, ytd_yoy_pct, enterprise_count, suppressed)
WITH monthly AS ({{monthly}}),
running AS (
    SELECT m.*,
           COUNT(*) OVER ytd AS months_loaded,
           COUNT(prior) OVER ytd AS months_with_prior,
           SUM(value) OVER ytd AS value_ytd,
           SUM(scoped) OVER ytd AS scoped_ytd,
           SUM(prior) OVER ytd AS prior_ytd
    FROM monthly AS m
    WINDOW ytd AS (PARTITION BY region_code, SUBSTR(period, 1, 4) ORDER BY period
                   ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT region_code, period, :indicator, :unit, {shown("value", "enterprises")},
       {shown(_YTD, "enterprises")}, {shown(_YOY, "enterprises")},
       {shown(_YTD_YOY, "enterprises")}, enterprises, {suppressed("enterprises")}
FROM running
WHERE period >= :from_period
"""

# Electricity: the county sums every loaded row, resolved or not; a town or park the
# rows of enterprises located there that month. Growth is same-scope: only rows that
# give a prior-year kWh count on either side.
ELECTRICITY = f"""
WITH located AS (
    SELECT f.period, f.kwh, f.kwh_prior_year, COALESCE(f.credit_code, f.account_no) AS payer,
           CASE WHEN f.credit_code IS NOT NULL
                THEN {location("f.credit_code", "f.period")} END AS region_code
    FROM fact_electricity AS f
    WHERE f.period >= :window_start
),
sums AS ({
    by_region(
        "located",
        '''SUM(kwh) AS value,
           SUM(CASE WHEN kwh_prior_year IS NOT NULL THEN kwh ELSE 0 END) AS scoped,
           SUM(COALESCE(kwh_prior_year, 0)) AS prior,
           COUNT(DISTINCT payer) AS enterprises''',
    )
})
SELECT g.period, g.region_code, COALESCE(b.value, 0) AS value,
       COALESCE(b.scoped, 0) AS scoped, COALESCE(b.prior, 0) AS prior,
       COALESCE(b.enterprises, 0) AS enterprises
FROM {grid("stg_electricity")} AS g
LEFT JOIN sums AS b ON b.period = g.period AND b.region_code = g.region_code
"""

# Taxes: sums over the loaded tax rows; growth against the same region's figure for
# the same month a year earlier as loaded (none when that month is not loaded).
TAX = f"""
WITH located AS (
    SELECT t.period, t.{{column}} AS amount, {location("t.credit_code", "t.period")} AS region_code
    FROM fact_tax AS t
    WHERE t.period >= :window_start
),
sums AS ({by_region("located", "SUM(amount) AS value, COUNT(*) AS enterprises")}),
monthly AS (
    SELECT g.period, g.region_code, COALESCE(b.value, 0) AS value,
           COALESCE(b.enterprises, 0) AS enterprises
    FROM {grid("stg_tax")} AS g
    LEFT JOIN sums AS b ON b.period = g.period AND b.region_code = g.region_code
)
SELECT m.period, m.region_code, m.value, m.value AS scoped, last.value AS prior,
       m.enterprises
FROM monthly AS m
LEFT JOIN monthly AS last
       ON last.region_code = m.region_code AND last.period = {PRIOR_YEAR.format(p="m.period")}
"""

TAX_INDICATORS = ("vat_yuan", "total_tax_yuan", "taxable_sales_yuan", "vat_refund_yuan")


def rebuild_indicator(
    connection: sa.Connection, indicator: str, unit: str, monthly_sql: str, from_period: str
) -> None:
    """Rebuild one flow indicator of ``mart_indicator_month`` from ``from_period`` on."""
    parameters = {
        "indicator": indicator,
        "unit": unit,
        "from_period": from_period,
        "window_start": window_start(from_period),
    }
    replace_indicator(connection, INDICATOR_MONTH.format(monthly=monthly_sql), parameters)


def rebuild_electricity_indicator(connection: sa.Connection, from_period: str) -> None:
    """Rebuild ``electricity_kwh`` from ``from_period`` on."""
    rebuild_indicator(connection, "electricity_kwh", "kWh", ELECTRICITY, from_period)


def rebuild_tax_indicators(connection: sa.Connection, from_period: str) -> None:
    """Rebuild the tax indicators from ``from_period`` on."""
    for column in TAX_INDICATORS:
        rebuild_indicator(connection, column, "yuan", TAX.format(column=column), from_period)
