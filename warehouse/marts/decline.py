"""``mart_decline_watch`` (生产下滑预警): enterprises whose electricity or output fell.

One row per enterprise per period per measure in decline: the year-on-year growth is at
or below minus the measure's threshold (``cfg_decline_measure``).

- ``electricity_kwh``: the month's kWh over the enterprise's accounts against 上年同月 on
  the same rows (same scope: an account without a prior-year figure counts on neither side),
  as ``mart_enterprise_month`` sums them (rebuilt before this).
- ``gross_output_yuan``: 工业总产值 year to date against 上年同期 as reported.

``consecutive_months`` counts the periods in decline in a row, over the periods the
measure's source has loaded (statistics has no January file: December then February
is a run). The level is the worst in ``cfg_decline_level`` reached by the run's length
or by the depth of this period's fall. A run reaches back before the rebuilt periods,
so it is computed over all loaded history, but only for the enterprises in decline in a
rebuilt period (``candidates``): the others have no row to write, and a month's rebuild
then reads one month of every enterprise, not all history of every enterprise.
"""

from __future__ import annotations

import sqlalchemy as sa

from warehouse.marts.fragments import loaded_periods

#: Each measure of enterprise-months that satisfy ``{where}`` (on ``period`` and
#: ``credit_code``): its value, prior-year value and year-on-year growth.
_MEASURED = """
    SELECT credit_code, period, 'electricity_kwh' AS measure, value, prior,
           CASE WHEN prior > 0 THEN 100.0 * (scoped / prior - 1) END AS yoy_pct
    FROM (SELECT credit_code, period, CAST(electricity_kwh AS FLOAT) AS value,
                 CAST(electricity_kwh_prior_year AS FLOAT) AS prior,
                 CAST(electricity_kwh_comparable AS FLOAT) AS scoped
          FROM mart_enterprise_month
          WHERE electricity_accounts > 0 AND {where}) AS electricity
    UNION ALL
    SELECT credit_code, period, 'gross_output_yuan', output_ytd_yuan, output_prior_ytd_yuan,
           CASE WHEN output_prior_ytd_yuan > 0
                THEN 100.0 * (output_ytd_yuan / output_prior_ytd_yuan - 1) END
    FROM fact_statistics
    WHERE {where}"""

DECLINE_WATCH = f"""
INSERT INTO mart_decline_watch (credit_code, period, measure, name, region_code,
    key_enterprise, value, prior_year_value, yoy_pct, consecutive_months, level)
WITH candidates AS (
    SELECT DISTINCT m.credit_code
    FROM ({_MEASURED.format(where="period >= :from_period")}) AS m
    JOIN cfg_decline_measure AS c ON c.measure = m.measure
    WHERE m.yoy_pct <= -c.threshold_pct
),
measured AS ({_MEASURED.format(where="credit_code IN (SELECT credit_code FROM candidates)")}),
numbered AS (
    SELECT period, 'electricity_kwh' AS measure, ROW_NUMBER() OVER (ORDER BY period) AS seq
    FROM {loaded_periods("stg_electricity")} AS loaded
    UNION ALL
    SELECT period, 'gross_output_yuan', ROW_NUMBER() OVER (ORDER BY period)
    FROM {loaded_periods("stg_statistics")} AS loaded
),
declining AS (
    SELECT m.*, s.seq,
           s.seq - ROW_NUMBER() OVER (PARTITION BY m.credit_code, m.measure
                                      ORDER BY s.seq) AS run
    FROM measured AS m
    JOIN numbered AS s ON s.period = m.period AND s.measure = m.measure
    JOIN cfg_decline_measure AS c ON c.measure = m.measure
    WHERE m.yoy_pct <= -c.threshold_pct
),
counted AS (
    SELECT d.*,
           ROW_NUMBER() OVER (PARTITION BY credit_code, measure, run ORDER BY seq)
               AS consecutive_months
    FROM declining AS d
),
levelled AS (
    SELECT c.*,
           (SELECT l.level FROM cfg_decline_level AS l
             WHERE l.min_months <= c.consecutive_months OR l.min_fall_pct <= -c.yoy_pct
             ORDER BY l.severity DESC LIMIT 1) AS level
    FROM counted AS c
    WHERE c.period >= :from_period
)
SELECT l.credit_code, l.period, l.measure, e.name, e.region_code,
       COALESCE(e.key_enterprise, FALSE), l.value, l.prior, l.yoy_pct,
       l.consecutive_months, l.level
FROM levelled AS l
LEFT JOIN mart_enterprise_month AS e ON e.credit_code = l.credit_code AND e.period = l.period
WHERE l.level IS NOT NULL
"""


def rebuild_decline_watch(connection: sa.Connection, from_period: str) -> None:
    """Rebuild ``mart_decline_watch`` from ``from_period`` on (reads ``mart_enterprise_month``)."""
    parameters = {"from_period": from_period}
    connection.execute(
        sa.text("DELETE FROM mart_decline_watch WHERE period >= :from_period"), parameters
    )
    connection.execute(sa.text(DECLINE_WATCH), parameters)
