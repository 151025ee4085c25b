"""``mart_zombie_watch`` (僵尸企业线索): registered enterprises idle for months on end.

A month is watched when both electricity and tax are loaded for it. An enterprise is
idle in a watched month when it has no kWh (no resolved account with kWh > 0), paid no
tax (no tax row with 税收合计 > 0) and has no statistics row. One row per registered
enterprise (register version in force, not 注销) per watched month that ends a run of
at least ``zombie.idle_months`` idle watched months in a row (a month not watched, or
one not registered, breaks the run), with its land: the mu disposal would release.
``last_active_period`` is the latest watched month, while registered, it was active
(null when never, in loaded data). Runs reach back over all loaded history, but only for
the enterprises idle in a rebuilt month (``candidates``): a month's rebuild reads one month
of every enterprise, not every month of every enterprise.
"""

from __future__ import annotations

import sqlalchemy as sa

from warehouse.marts.fragments import IN_FORCE, loaded_periods, month_index, rule

#: Enterprise ``d`` was idle in watched month ``w``: no kWh, no tax paid, no statistics row.
#: As conditions of a WHERE clause PostgreSQL plans them as hash anti-joins over the
#: month's facts; as the CASE of :data:`_MEMBERS` (which needs the flag for every month)
#: they are probes per enterprise-month, which on freshly loaded tables read the heap for
#: every probe (the visibility map is not set until VACUUM): 11 s of a province month.
_IDLE = """NOT EXISTS (SELECT 1 FROM fact_electricity AS f
                     WHERE f.credit_code = d.credit_code AND f.period = w.period AND f.kwh > 0)
      AND NOT EXISTS (SELECT 1 FROM fact_tax AS t
                       WHERE t.credit_code = d.credit_code AND t.period = w.period
                         AND t.total_tax_yuan > 0)
      AND NOT EXISTS (SELECT 1 FROM fact_statistics AS s
                       WHERE s.credit_code = d.credit_code AND s.period = w.period)"""

#: Registered enterprise-months of watched months that satisfy ``{where}`` (on ``w`` and
#: ``d``), each with whether the enterprise was active that month.
_MEMBERS = f"""
    SELECT d.credit_code, w.period, w.idx, d.name, d.region_code, d.industry_code,
           d.operating_status, d.land_mu,
           CASE WHEN {_IDLE} THEN 0 ELSE 1 END AS active
    FROM watched AS w JOIN dim_enterprise AS d ON {IN_FORCE.format(alias="d", period="w.period")}
    WHERE {{where}}"""

ZOMBIE_WATCH = f"""
INSERT INTO mart_zombie_watch (credit_code, period, name, region_code, industry_code,
    operating_status, land_mu, idle_months, last_active_period)
WITH watched AS (
    SELECT e.period, {month_index("e.period")} AS idx
    FROM {loaded_periods("stg_electricity")} AS e
    WHERE EXISTS (SELECT 1 FROM stg_tax AS t WHERE t.period = e.period)
),
candidates AS (
    SELECT DISTINCT d.credit_code
    FROM watched AS w JOIN dim_enterprise AS d ON {IN_FORCE.format(alias="d", period="w.period")}
    WHERE w.period >= :from_period
      AND (d.operating_status IS NULL OR d.operating_status <> '注销')
      AND {_IDLE}
),
members AS ({_MEMBERS.format(where="d.credit_code IN (SELECT credit_code FROM candidates)")}),
runs AS (
    SELECT m.*,
           m.idx - ROW_NUMBER() OVER (PARTITION BY credit_code, active ORDER BY idx) AS run,
           MAX(CASE WHEN active = 1 THEN period END)
               OVER (PARTITION BY credit_code ORDER BY idx
                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS last_active_period
    FROM members AS m
),
counted AS (
    SELECT r.*, ROW_NUMBER() OVER (PARTITION BY credit_code, active, run ORDER BY idx)
                    AS idle_months
    FROM runs AS r
)
SELECT credit_code, period, name, region_code, industry_code, operating_status, land_mu,
       idle_months, last_active_period
FROM counted
WHERE active = 0 AND period >= :from_period
  AND idle_months >= {rule("zombie.idle_months")}
  AND (operating_status IS NULL OR operating_status <> '注销')
"""


def rebuild_zombie_watch(connection: sa.Connection, from_period: str) -> None:
    """Rebuild ``mart_zombie_watch`` from ``from_period`` on (runs read all history)."""
    parameters = {"from_period": from_period}
    connection.execute(
        sa.text("DELETE FROM mart_zombie_watch WHERE period >= :from_period"), parameters
    )
    connection.execute(sa.text(ZOMBIE_WATCH), parameters)
