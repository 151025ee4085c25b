"""Investment from the project library in ``mart_indicator_month``.

- ``industrial_investment_yuan`` (工业投资): ``value_ytd`` = Σ 1-本月累计完成投资 over the
  period's projects; a town or park sums the projects located there (the library's own
  所在乡镇（园区）, not the investor's register entry).
- ``renovation_investment_yuan`` (技术改造投资): the same over 建设性质 = 技术改造.

``value`` (the month) is this period's year to date minus the previous month's (January:
the year to date itself; null when the previous month is not loaded). Growth is against
the same region's figure for the same period a year earlier as loaded. ``enterprise_count``
counts the investors of the period's projects (a project with no known investor counts as
one); a row about fewer than three shows no figures (suppressed).
"""

from __future__ import annotations

import sqlalchemy as sa

from warehouse.marts.fragments import (
    MONTH,
    PRIOR_YEAR,
    by_region,
    grid,
    rebuild_window,
    replace_indicators,
    shown,
    suppressed,
)

INVESTMENT = f"""
INSERT INTO mart_indicator_month (region_code, period, indicator, unit, value, value_ytd,
                                  yoy_pct, ytd_yoy_pct, enterprise_count, suppressed)
WITH located AS (
    SELECT p.period, p.region_code, p.completed_ytd_yuan AS ytd,
           COALESCE(p.credit_code, p.project_code) AS investor
    FROM fact_project AS p
    WHERE p.period >= :window_start AND {{scope}}
),
sums AS ({by_region("located", "SUM(ytd) AS ytd, COUNT(DISTINCT investor) AS enterprises")}),
cumulative AS (
    SELECT g.period, g.region_code, COALESCE(b.ytd, 0) AS ytd,
           COALESCE(b.enterprises, 0) AS enterprises
    FROM {grid("stg_project")} AS g
    LEFT JOIN sums AS b ON b.period = g.period AND b.region_code = g.region_code
),
previous AS (
    SELECT c.*, LAG(period) OVER w AS prev_period, LAG(ytd) OVER w AS prev_ytd
    FROM cumulative AS c
    WINDOW w AS (PARTITION BY region_code, SUBSTR(period, 1, 4) ORDER BY period)
),
monthly AS (
    SELECT p.period, p.region_code, p.ytd, p.enterprises,
           CASE WHEN {MONTH.format(p="p.period")} = 1 THEN p.ytd
                WHEN {MONTH.format(p="p.prev_period")} = {MONTH.format(p="p.period")} - 1
                THEN p.ytd - p.prev_ytd END AS value
    FROM previous AS p
)
SELECT m.region_code, m.period, :indicator, 'yuan',
       {shown("m.value", "m.enterprises")}, {shown("m.ytd", "m.enterprises")},
       {
    shown("CASE WHEN last.value > 0 THEN 100.0 * (m.value / last.value - 1) END", "m.enterprises")
},
       {shown("CASE WHEN last.ytd > 0 THEN 100.0 * (m.ytd / last.ytd - 1) END", "m.enterprises")},
       m.enterprises, {suppressed("m.enterprises")}
FROM monthly AS m
LEFT JOIN monthly AS last
       ON last.region_code = m.region_code AND last.period = {PRIOR_YEAR.format(p="m.period")}
WHERE m.period >= :from_period
"""

#: Indicator code -> which projects count.
INVESTMENT_INDICATORS = {
    "industrial_investment_yuan": "1 = 1",
    "renovation_investment_yuan": "p.nature = '技术改造'",
}


def rebuild_investment_indicators(connection: sa.Connection, from_period: str) -> None:
    """Rebuild industrial and renovation investment from ``from_period`` on."""
    for indicator, scope in INVESTMENT_INDICATORS.items():
        replace_indicators(
            connection,
            [indicator],
            INVESTMENT.format(scope=scope),
            {**rebuild_window(from_period), "indicator": indicator},
        )
