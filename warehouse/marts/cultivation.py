"""``mart_cultivation`` (入规培育): below-scale enterprises approaching the 规上 threshold.

One row per registered enterprise (not 注销) that the register version in force marks
below scale, per tax period, whose trailing twelve months' taxable sales (Σ 应税销售收入
of the tax rows of the twelve months ending with the period, as loaded) are within the
configured band of the threshold: ``band_lower <= share < band_upper``, or crossed it
fewer than ``recent_crossing_months`` ago. ``crossed_period`` is the first period of the
current unbroken run of tax periods in which the trailing sum reached the threshold
(null while it is below); ``months_since_crossing`` counts months from it (0 in the
crossing month). The runs read all history, for the enterprises that can be listed in a
rebuilt period only.
"""

from __future__ import annotations

import sqlalchemy as sa

from warehouse.marts.fragments import IN_FORCE, loaded_periods, month_index, months_before, rule

CULTIVATION = f"""
INSERT INTO mart_cultivation (credit_code, period, name, region_code, industry_code,
    in_cultivation_pool, trailing_sales_yuan, months_with_sales, threshold_yuan,
    share_of_threshold, gap_yuan, crossed_period, months_since_crossing)
WITH settings AS (
    SELECT {rule("cultivation.threshold_yuan")} AS threshold,
           {rule("cultivation.band_lower")} AS band_lower,
           {rule("cultivation.band_upper")} AS band_upper,
           {rule("cultivation.recent_crossing_months")} AS recent
),
periods AS (
    SELECT period, {month_index("period")} AS idx FROM {loaded_periods("stg_tax")} AS t
),
-- Only an enterprise whose positive sales since the trailing start reach the band's lower
-- edge can be listed in a rebuilt period (a trailing sum there is at most that much);
-- the runs of the others are not worth reading back through history.
candidates AS (
    SELECT t.credit_code
    FROM fact_tax AS t
    WHERE t.period >= :trailing_start AND t.taxable_sales_yuan > 0
    GROUP BY t.credit_code
    HAVING SUM(t.taxable_sales_yuan) >= (SELECT band_lower * threshold FROM settings)
),
members AS (
    SELECT e.credit_code, p.period, p.idx
    FROM periods AS p JOIN dim_enterprise AS e ON {IN_FORCE.format(alias="e", period="p.period")}
    WHERE e.credit_code IN (SELECT credit_code FROM candidates)
),
-- Each member month and each tax row of its enterprises, so that a trailing window over
-- month numbers sums the twelve months ending with each member month in one pass.
keyed AS (
    SELECT credit_code, period, idx, MAX(is_member) AS is_member
    FROM (SELECT credit_code, period, idx, 1 AS is_member FROM members
          UNION ALL
          SELECT credit_code, period, {month_index("period")}, 0 FROM fact_tax
          WHERE credit_code IN (SELECT credit_code FROM candidates)) AS k
    GROUP BY credit_code, period, idx
),
trailing_sums AS (
    SELECT k.credit_code, k.period, k.idx, k.is_member,
           COALESCE(SUM(t.taxable_sales_yuan) OVER twelve, 0) AS sales,
           COUNT(CASE WHEN t.taxable_sales_yuan > 0 THEN 1 END) OVER twelve AS months_with_sales
    FROM keyed AS k
    LEFT JOIN fact_tax AS t ON t.credit_code = k.credit_code AND t.period = k.period
    WINDOW twelve AS (PARTITION BY k.credit_code ORDER BY k.idx
                      RANGE BETWEEN 11 PRECEDING AND CURRENT ROW)
),
window_sums AS (
    SELECT credit_code, period, idx, sales, months_with_sales FROM trailing_sums WHERE is_member = 1
),
marked AS (
    SELECT t.*, CASE WHEN t.sales >= s.threshold THEN 1 ELSE 0 END AS reached
    FROM window_sums AS t CROSS JOIN settings AS s
),
runs AS (
    SELECT m.*, m.idx - ROW_NUMBER() OVER (PARTITION BY credit_code, reached ORDER BY idx) AS run
    FROM marked AS m
),
crossed AS (
    SELECT r.*,
           CASE WHEN reached = 1
                THEN MIN(period) OVER (PARTITION BY credit_code, reached, run) END AS crossed_period
    FROM runs AS r
),
listed AS (
    SELECT c.*, e.name, e.region_code, e.industry_code, e.cultivation_pool,
           s.threshold, c.sales / s.threshold AS share,
           CASE WHEN c.crossed_period IS NOT NULL
                THEN c.idx - {month_index("c.crossed_period")} END AS months_since_crossing,
           s.band_lower, s.band_upper, s.recent
    FROM crossed AS c
    JOIN dim_enterprise AS e
      ON e.credit_code = c.credit_code AND {IN_FORCE.format(alias="e", period="c.period")}
    CROSS JOIN settings AS s
    WHERE c.period >= :from_period AND NOT e.above_scale
      AND (e.operating_status IS NULL OR e.operating_status <> '注销')
)
SELECT credit_code, period, name, region_code, industry_code, cultivation_pool, sales,
       months_with_sales, threshold, share,
       CASE WHEN sales < threshold THEN threshold - sales ELSE 0 END,
       crossed_period, months_since_crossing
FROM listed
WHERE share >= band_lower AND (share < band_upper OR months_since_crossing < recent)
"""


def rebuild_cultivation(connection: sa.Connection, from_period: str) -> None:
    """Rebuild ``mart_cultivation`` from ``from_period`` on (trailing sums read back a year)."""
    parameters = {"from_period": from_period, "trailing_start": months_before(from_period, 11)}
    connection.execute(
        sa.text("DELETE FROM mart_cultivation WHERE period >= :from_period"), parameters
    )
    connection.execute(sa.text(CULTIVATION), parameters)
