"""``mart_target_progress``: each annual target with its actual and a status.

One row per region per year per target indicator. The actual is the indicator's figure
at the latest period of the year that has one: ``ytd_yoy_pct`` for a growth target,
``value_ytd`` for a count or value target, from ``mart_indicator_month`` or, for
``published:<name>``, from ``mart_published_indicator``.

Status: a growth target is ``ahead`` when actual ≥ stretch, ``on_track`` when floor ≤
actual < stretch, ``behind`` when actual < floor. A count or value target compares the
actual with floor × expected_share and stretch × expected_share the same way, where
expected_share = months elapsed at the actual's period ÷ 12. No actual: ``no_data``.
Without a stretch target, ``ahead`` cannot be reached.
"""

from __future__ import annotations

import sqlalchemy as sa

from warehouse.indicators import PUBLISHED
from warehouse.marts.fragments import MONTH

TARGET_PROGRESS = f"""
INSERT INTO mart_target_progress (region_code, year, indicator, target_name, measure, unit,
                                  floor_value, stretch_value, actual_value, actual_period,
                                  expected_share, status)
WITH targets AS (SELECT * FROM fact_target WHERE year >= :from_year),
figures AS (
    SELECT m.region_code, m.indicator, m.period, m.value_ytd, m.ytd_yoy_pct
    FROM mart_indicator_month AS m
    WHERE m.indicator IN (SELECT indicator FROM targets)
    UNION ALL
    SELECT p.region_code, '{PUBLISHED}' || p.name, p.period, p.value_ytd, p.ytd_yoy_pct
    FROM mart_published_indicator AS p
),
candidates AS (
    SELECT t.year, t.region_code, t.indicator, f.period,
           CASE WHEN t.measure = 'growth_pct' THEN f.ytd_yoy_pct ELSE f.value_ytd END AS actual
    FROM targets AS t
    JOIN figures AS f
      ON f.region_code = t.region_code AND f.indicator = t.indicator
     AND SUBSTR(f.period, 1, 4) = CAST(t.year AS VARCHAR(4))
),
latest AS (
    SELECT year, region_code, indicator, MAX(period) AS period
    FROM candidates WHERE actual IS NOT NULL
    GROUP BY year, region_code, indicator
),
actuals AS (
    SELECT c.year, c.region_code, c.indicator, c.period, c.actual,
           {MONTH.format(p="c.period")} / 12.0 AS share
    FROM candidates AS c
    JOIN latest AS l
      ON l.year = c.year AND l.region_code = c.region_code AND l.indicator = c.indicator
     AND l.period = c.period
),
measured AS (
    SELECT t.*, a.actual, a.period AS actual_period,
           CASE WHEN t.measure <> 'growth_pct' THEN a.share END AS expected_share
    FROM targets AS t
    LEFT JOIN actuals AS a
      ON a.year = t.year AND a.region_code = t.region_code AND a.indicator = t.indicator
)
SELECT region_code, year, indicator, target_name, measure, unit, floor_value, stretch_value,
       actual, actual_period, expected_share,
       CASE WHEN actual IS NULL THEN 'no_data'
            WHEN stretch_value IS NOT NULL
             AND actual >= stretch_value * COALESCE(expected_share, 1) THEN 'ahead'
            WHEN actual >= floor_value * COALESCE(expected_share, 1) THEN 'on_track'
            ELSE 'behind' END
FROM measured
"""


def rebuild_target_progress(connection: sa.Connection, from_period: str) -> None:
    """Rebuild ``mart_target_progress`` for the years from ``from_period``'s (YYYY or YYYY-MM) on.

    It is a few rows per region and year, so every load that may move an actual rebuilds it.
    """
    parameters = {"from_year": int(from_period[:4])}
    connection.execute(
        sa.text("DELETE FROM mart_target_progress WHERE year >= :from_year"), parameters
    )
    connection.execute(sa.text(TARGET_PROGRESS), parameters)
