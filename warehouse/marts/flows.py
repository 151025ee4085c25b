"""Indicators that flow month by month (electricity, taxes) in ``mart_indicator_month``.

One row per region (county, town, park) per month per indicator. A monthly query yields
``(indicator, unit, period, region_code, value, scoped, prior, enterprises)``: ``scoped``
and ``prior`` are the two sides of year-on-year growth, ``enterprises`` how many
enterprises (an unresolved metering account counts as one) the month's figure sums. The
year to date needs every month of the year up to the period; its growth needs a prior
figure for every one of those months. A row about fewer than three enterprises shows no
figures (suppressed).

Both read ``mart_enterprise_month``, rebuilt before these: an enterprise's electricity is
its row there (summed over its accounts, placed where it was that month); tax rows are
placed by joining it (:func:`fragments.located`), the four tax indicators in one pass over
``fact_tax``.
"""

from __future__ import annotations

import sqlalchemy as sa

from warehouse.marts.fragments import (
    PRIOR_YEAR,
    by_region,
    grid,
    located,
    rebuild_window,
    replace_indicators,
    shown,
    suppressed,
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
    WINDOW ytd AS (PARTITION BY indicator, region_code, SUBSTR(period, 1, 4) ORDER BY period
                   ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT region_code, period, indicator, unit, {shown("value", "enterprises")},
       {shown(_YTD, "enterprises")}, {shown(_YOY, "enterprises")},
       {shown(_YTD_YOY, "enterprises")}, enterprises, {suppressed("enterprises")}
FROM running
WHERE period >= :from_period
"""

# Electricity: the county sums every loaded row, resolved or not; a town or park the
# rows of enterprises located there that month. Growth is same-scope: only rows that
# give a prior-year kWh count on either side. The rows are summed per payer (an
# enterprise, or an unresolved account): an enterprise's month is its row of
# ``mart_enterprise_month`` (its kWh summed over its accounts, where it was that month),
# rebuilt before this; only the unresolved account-months are read from the facts.
ELECTRICITY = f"""
WITH payers AS (
    SELECT period, region_code, electricity_kwh AS kwh,
           COALESCE(electricity_kwh_comparable, 0) AS scoped,
           COALESCE(electricity_kwh_prior_year, 0) AS prior
    FROM mart_enterprise_month
    WHERE electricity_accounts > 0 AND period >= :window_start
    UNION ALL
    SELECT period, NULL, kwh,
           CASE WHEN kwh_prior_year IS NOT NULL THEN kwh ELSE 0 END,
           COALESCE(kwh_prior_year, 0)
    FROM fact_electricity
    WHERE credit_code IS NULL AND period >= :window_start
),
sums AS ({
    by_region(
        "payers",
        '''SUM(kwh) AS value, SUM(scoped) AS scoped, SUM(prior) AS prior,
           COUNT(*) AS enterprises''',
    )
})
SELECT 'electricity_kwh' AS indicator, 'kWh' AS unit, g.period, g.region_code,
       COALESCE(b.value, 0) AS value, COALESCE(b.scoped, 0) AS scoped,
       COALESCE(b.prior, 0) AS prior, COALESCE(b.enterprises, 0) AS enterprises
FROM {grid("stg_electricity")} AS g
LEFT JOIN sums AS b ON b.period = g.period AND b.region_code = g.region_code
"""

TAX_INDICATORS = ("vat_yuan", "total_tax_yuan", "taxable_sales_yuan", "vat_refund_yuan")

_TAX_SUMS = ", ".join(f"SUM({column}) AS {column}" for column in TAX_INDICATORS)
_TAX_MONTHLY = ", ".join(f"COALESCE(b.{column}, 0) AS {column}" for column in TAX_INDICATORS)
_TAX_LONG = "\n    UNION ALL\n".join(
    f"    SELECT '{column}' AS indicator, period, region_code, {column} AS value, enterprises"
    f" FROM wide"
    for column in TAX_INDICATORS
)

# Taxes: sums over the loaded tax rows; growth against the same region's figure for
# the same month a year earlier as loaded (none when that month is not loaded). The
# four indicators are summed in one pass, then one row each.
TAX = f"""
WITH placed AS (
    SELECT t.period, {", ".join(f"t.{column}" for column in TAX_INDICATORS)}, m.region_code
    FROM fact_tax AS t
    {located("m", "t.credit_code", "t.period")}
    WHERE t.period >= :window_start
),
sums AS ({by_region("placed", f"{_TAX_SUMS}, COUNT(*) AS enterprises")}),
wide AS (
    SELECT g.period, g.region_code, {_TAX_MONTHLY}, COALESCE(b.enterprises, 0) AS enterprises
    FROM {grid("stg_tax")} AS g
    LEFT JOIN sums AS b ON b.period = g.period AND b.region_code = g.region_code
),
monthly AS (
{_TAX_LONG}
)
SELECT m.indicator, 'yuan' AS unit, m.period, m.region_code, m.value, m.value AS scoped,
       last.value AS prior, m.enterprises
FROM monthly AS m
LEFT JOIN monthly AS last
       ON last.indicator = m.indicator AND last.region_code = m.region_code
      AND last.period = {PRIOR_YEAR.format(p="m.period")}
"""


def rebuild_electricity_indicator(connection: sa.Connection, from_period: str) -> None:
    """Rebuild ``electricity_kwh`` from ``from_period`` on (after ``mart_enterprise_month``).

    Its growth compares each row with its own prior-year kWh, so only the year to date is
    read back: from January of ``from_period``'s year, not of the year before.
    """
    replace_indicators(
        connection,
        ["electricity_kwh"],
        INDICATOR_MONTH.format(monthly=ELECTRICITY),
        rebuild_window(from_period, read_from=f"{from_period[:4]}-01"),
    )


def rebuild_tax_indicators(connection: sa.Connection, from_period: str) -> None:
    """Rebuild the tax indicators from ``from_period`` on (after ``mart_enterprise_month``)."""
    replace_indicators(
        connection, TAX_INDICATORS, INDICATOR_MONTH.format(monthly=TAX), rebuild_window(from_period)
    )
