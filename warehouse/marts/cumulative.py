"""Indicators from the statistics bureau's cumulative above-scale file, in ``mart_indicator_month``.

- ``gross_output_yuan``, ``revenue_yuan``, ``profit_yuan``, ``energy_tce``:
  ``value_ytd`` = Σ 本年累计 over the period's file; ``ytd_yoy_pct`` same-scope against
  Σ 上年同期 over the enterprises that report one; ``value`` (the single month) = this
  period's year to date minus the previous month's, null for ``YYYY-02``.
- ``above_scale_count``: enterprises in the period's file (``value``).
- ``new_above_scale_count``: enterprises in this year's files so far that are in none
  of last year's (``value_ytd``); null when no file of last year is loaded.
- ``per_mu_tax_yuan``: Σ total tax January to the period ÷ Σ land (mu) over the
  enterprises in the period's file whose register entry has land (``value_ytd``).

``enterprise_count`` is the enterprises in the period's file located in the region (for
``per_mu_tax_yuan``: those with land; for ``new_above_scale_count``: the entrants). Figures
about fewer than three are null and ``suppressed``; the two counts are never suppressed:
how many enterprises there are says nothing about any one of them.

Rows are placed by joining ``mart_enterprise_month`` (:func:`fragments.located`), rebuilt
before these; the four cumulative indicators come from one pass over the file's rows. An
entrant absent from a later period's file may have no row in that mart for the period:
it is placed by :func:`fragments.location` then.
"""

from __future__ import annotations

import sqlalchemy as sa

from warehouse.marts.fragments import (
    IN_FORCE,
    LAST_YEAR,
    MONTH,
    PRIOR_YEAR,
    by_region,
    delete_indicators,
    grid,
    loaded_periods,
    located,
    location,
    rebuild_window,
    replace_indicators,
    shown,
    suppressed,
)

_COLUMNS = """
INSERT INTO mart_indicator_month (region_code, period, indicator, unit, value, value_ytd,
                                  yoy_pct, ytd_yoy_pct, enterprise_count, suppressed)"""
_N = "enterprises"

CUMULATIVE_INDICATORS = (
    ("gross_output_yuan", "yuan", "output_ytd_yuan", "output_prior_ytd_yuan"),
    ("revenue_yuan", "yuan", "revenue_ytd_yuan", "revenue_prior_ytd_yuan"),
    ("profit_yuan", "yuan", "profit_ytd_yuan", "profit_prior_ytd_yuan"),
    ("energy_tce", "tce", "energy_ytd_tce", "energy_prior_ytd_tce"),
)

_FIGURES = ", ".join(f"s.{ytd}, s.{prior}" for _, _, ytd, prior in CUMULATIVE_INDICATORS)

# Per indicator: Σ 本年累计; the same over the rows that report 上年同期; Σ 上年同期.
_SUMS = ",\n           ".join(
    f"""SUM(COALESCE({ytd}, 0)) AS {code}_ytd,
           SUM(CASE WHEN {prior} IS NOT NULL THEN COALESCE({ytd}, 0) ELSE 0 END)
               AS {code}_scoped,
           SUM(COALESCE({prior}, 0)) AS {code}_prior"""
    for code, _, ytd, prior in CUMULATIVE_INDICATORS
)
_WIDE = ",\n           ".join(
    f"COALESCE(b.{code}_{part}, 0) AS {code}_{part}"
    for code, *_ in CUMULATIVE_INDICATORS
    for part in ("ytd", "scoped", "prior")
)
_LONG = "\n    UNION ALL\n".join(
    f"""    SELECT '{code}' AS indicator, '{unit}' AS unit, period, region_code,
           {code}_ytd AS ytd, {code}_scoped AS scoped, {code}_prior AS prior, enterprises
    FROM wide"""
    for code, unit, _, _ in CUMULATIVE_INDICATORS
)

# The four indicators are summed in one pass over the statistics rows, then one row each.
CUMULATIVE = f"""{_COLUMNS}
WITH placed AS (
    SELECT s.period, {_FIGURES}, m.region_code
    FROM fact_statistics AS s
    {located("m", "s.credit_code", "s.period")}
    WHERE s.period >= :window_start
),
sums AS ({by_region("placed", f"{_SUMS}, COUNT(*) AS enterprises")}),
wide AS (
    SELECT g.period, g.region_code,
           {_WIDE},
           COALESCE(b.enterprises, 0) AS enterprises
    FROM {grid("stg_statistics")} AS g
    LEFT JOIN sums AS b ON b.period = g.period AND b.region_code = g.region_code
),
cumulative AS (
{_LONG}
),
previous AS (
    SELECT c.*,
           LAG(period) OVER w AS prev_period, LAG(ytd) OVER w AS prev_ytd,
           LAG(scoped) OVER w AS prev_scoped, LAG(prior) OVER w AS prev_prior
    FROM cumulative AS c
    WINDOW w AS (PARTITION BY indicator, region_code, SUBSTR(period, 1, 4) ORDER BY period)
),
months AS (
    SELECT p.*,
           CASE WHEN {MONTH.format(p="prev_period")} = {MONTH.format(p="period")} - 1
                THEN 1 ELSE 0 END AS consecutive
    FROM previous AS p
)
SELECT region_code, period, indicator, unit,
       {shown("CASE WHEN consecutive = 1 THEN ytd - prev_ytd END", _N)},
       {shown("ytd", _N)},
       {
    shown(
        '''CASE WHEN consecutive = 1 AND prior - prev_prior > 0
            THEN 100.0 * ((scoped - prev_scoped) / (prior - prev_prior) - 1) END''',
        _N,
    )
},
       {shown("CASE WHEN prior > 0 THEN 100.0 * (scoped / prior - 1) END", _N)},
       enterprises, {suppressed(_N)}
FROM months
WHERE period >= :from_period
"""

ABOVE_SCALE_COUNT = f"""{_COLUMNS}
WITH placed AS (
    SELECT s.period, m.region_code
    FROM fact_statistics AS s
    {located("m", "s.credit_code", "s.period")}
    WHERE s.period >= :window_start
),
sums AS ({by_region("placed", "COUNT(*) AS value")})
SELECT g.region_code, g.period, 'above_scale_count', 'enterprises',
COALESCE(b.value, 0), NULL, NULL, NULL,
       COALESCE(b.value, 0), FALSE
FROM {grid("stg_statistics")} AS g
LEFT JOIN sums AS b ON b.period = g.period AND b.region_code = g.region_code
WHERE g.period >= :from_period
"""

_LAST_YEAR_LOADED = f"""CASE WHEN EXISTS (SELECT 1 FROM periods AS last
                          WHERE SUBSTR(last.period, 1, 4) = {LAST_YEAR.format(p="g.period")})
            THEN COALESCE(b.value, 0) END"""

NEW_ABOVE_SCALE_COUNT = f"""{_COLUMNS}
WITH periods AS (
    SELECT period FROM {loaded_periods("stg_statistics", ":window_start")} AS loaded
),
entrants AS (
    SELECT p.period, s.credit_code,
           CASE WHEN m.credit_code IS NOT NULL THEN m.region_code
                ELSE {location("s.credit_code", "p.period")} END AS region_code
    FROM periods AS p
    JOIN (SELECT credit_code, MIN(period) AS first_period FROM fact_statistics
          GROUP BY credit_code, SUBSTR(period, 1, 4)) AS s
      ON SUBSTR(s.first_period, 1, 4) = SUBSTR(p.period, 1, 4) AND s.first_period <= p.period
    {located("m", "s.credit_code", "p.period")}
    WHERE NOT EXISTS (SELECT 1 FROM fact_statistics AS last
                       WHERE last.credit_code = s.credit_code
                         AND SUBSTR(last.period, 1, 4) = {LAST_YEAR.format(p="p.period")})
),
sums AS ({by_region("entrants", "COUNT(*) AS value")})
SELECT g.region_code, g.period, 'new_above_scale_count', 'enterprises', NULL,
       {_LAST_YEAR_LOADED},
       NULL, NULL, COALESCE(b.value, 0), FALSE
FROM {grid("stg_statistics")} AS g
LEFT JOIN sums AS b ON b.period = g.period AND b.region_code = g.region_code
WHERE g.period >= :from_period
"""

PER_MU_TAX = f"""{_COLUMNS}
WITH roster AS (
    SELECT s.period, s.credit_code, e.land_mu, e.region_code
    FROM fact_statistics AS s
    JOIN dim_enterprise AS e
      ON e.credit_code = s.credit_code AND {IN_FORCE.format(alias="e", period="s.period")}
    WHERE e.land_mu > 0 AND s.period >= :window_start
),
taxed AS (
    SELECT r.period, r.region_code, r.land_mu, COALESCE(SUM(t.total_tax_yuan), 0) AS tax
    FROM roster AS r
    LEFT JOIN fact_tax AS t
           ON t.credit_code = r.credit_code AND t.period <= r.period
          AND t.period >= SUBSTR(r.period, 1, 4) || '-01'
    GROUP BY r.period, r.credit_code, r.region_code, r.land_mu
),
tax_periods AS (SELECT period FROM {loaded_periods("stg_tax")} AS t),
complete AS (
    SELECT p.period FROM {loaded_periods("stg_statistics", ":window_start")} AS p
    WHERE (SELECT COUNT(*) FROM tax_periods AS t
            WHERE SUBSTR(t.period, 1, 4) = SUBSTR(p.period, 1, 4) AND t.period <= p.period)
          = {MONTH.format(p="p.period")}
),
sums AS ({by_region("taxed", "SUM(tax) AS tax, SUM(land_mu) AS land, COUNT(*) AS enterprises")}),
ratio AS (
    SELECT g.period, g.region_code, COALESCE(b.enterprises, 0) AS enterprises,
           CASE WHEN g.period IN (SELECT period FROM complete) AND b.land > 0
                THEN b.tax / b.land END AS value_ytd
    FROM {grid("stg_statistics")} AS g
    LEFT JOIN sums AS b ON b.period = g.period AND b.region_code = g.region_code
)
SELECT r.region_code, r.period, 'per_mu_tax_yuan', 'yuan/mu', NULL,
       {shown("r.value_ytd", "r.enterprises")}, NULL,
       {
    shown(
        "CASE WHEN last.value_ytd > 0 THEN 100.0 * (r.value_ytd / last.value_ytd - 1) END",
        "r.enterprises",
    )
},
       r.enterprises, {suppressed("r.enterprises")}
FROM ratio AS r
LEFT JOIN ratio AS last
       ON last.region_code = r.region_code AND last.period = {PRIOR_YEAR.format(p="r.period")}
WHERE r.period >= :from_period
"""


def rebuild_statistics_indicators(connection: sa.Connection, from_period: str) -> None:
    """Rebuild the indicators of the statistics file alone from ``from_period`` on."""
    codes = [code for code, *_ in CUMULATIVE_INDICATORS]
    delete_indicators(
        connection, [*codes, "above_scale_count", "new_above_scale_count"], from_period
    )
    for sql in (CUMULATIVE, ABOVE_SCALE_COUNT, NEW_ABOVE_SCALE_COUNT):
        connection.execute(sa.text(sql), rebuild_window(from_period))


def rebuild_per_mu_tax(connection: sa.Connection, from_period: str) -> None:
    """Rebuild 亩均税收 (tax, statistics roster and register land) from ``from_period`` on."""
    replace_indicators(connection, ["per_mu_tax_yuan"], PER_MU_TAX, rebuild_window(from_period))
