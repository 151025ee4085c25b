"""``mart_per_mu_evaluation`` (亩均效益评价): each enterprise scored, ranked and classed.

One row per registered enterprise (register version in force at ``through_period``, not
注销) per year: the year to date through the latest tax period loaded for that year.

- Group: ``above_scale`` or ``below_scale`` as the register has it then.
- Figures: ``tax_yuan`` Σ 税收合计 January to ``through_period`` (0 without tax rows);
  ``revenue_yuan`` above scale: 营业收入 year to date of the enterprise's latest statistics
  row of the year up to ``through_period`` (else its taxable sales), below scale: Σ 应税销售
  收入; ``energy_tce`` and ``employees`` from that statistics row (above scale only).
  Per-mu figures divide by ``land_mu``; revenue per tce and per employee where known (> 0).
- Exempt (no scores, no class), first that applies: ``utility`` (division in
  ``cfg_exempt_division``), ``young`` (established in year − min_age_years + 1 or later),
  ``no_land`` (land unknown or 0), ``below_min_land`` (below scale, land under the minimum).
- Scores per ``cfg_evaluation_indicator``: ``ratio`` min(cap, max(0, 100 × value ÷ base))
  with base the configured value or the group's Σ numerator ÷ Σ denominator; ``min_max``
  floor + (100 − floor) × (value − min) ÷ (max − min) over the group (100 when all equal).
  ``total_score`` is the weighted mean of the scores the enterprise has.
- ``rank`` within year and group (1 = best, ties share a rank), ``rank_pct`` = 100 × rank ÷
  enterprises ranked, the class the first in ``cfg_evaluation_class`` whose
  ``max_rank_pct`` is at least ``rank_pct``.
"""

from __future__ import annotations

import sqlalchemy as sa

from warehouse.marts.fragments import IN_FORCE, loaded_periods, rule

_INDICATORS = (
    # code, numerator, denominator, score column
    ("per_mu_tax", "tax_yuan", "land_mu", "score_per_mu_tax"),
    ("per_mu_revenue", "revenue_yuan", "land_mu", "score_per_mu_revenue"),
    ("revenue_per_tce", "revenue_yuan", "energy_tce", "score_energy"),
    ("revenue_per_employee", "revenue_yuan", "employees", "score_labour"),
)


def _value(numerator: str, denominator: str) -> str:
    """An indicator's value for a member of ``figures``: null when exempt or unknown."""
    return (
        f"CASE WHEN exempt_reason IS NULL AND {numerator} IS NOT NULL AND {denominator} > 0"
        f" THEN {numerator} / {denominator} END"
    )


def _group_figures(code: str, numerator: str, denominator: str) -> str:
    """The group's average (Σ numerator ÷ Σ denominator), lowest and highest value of an
    indicator, over the members that have a value."""
    valued = f"v_{code} IS NOT NULL"
    return (
        f"SUM(CASE WHEN {valued} THEN {numerator} END)"
        f" / SUM(CASE WHEN {valued} THEN {denominator} END) AS average_{code},"
        f" MIN(v_{code}) AS low_{code}, MAX(v_{code}) AS high_{code}"
    )


def _score(code: str) -> str:
    """A member's score on an indicator by its group's configuration (``c_{code}``, null
    when the group does not score it): ``ratio`` or ``min_max``."""
    c, value = f"c_{code}", f"v.v_{code}"
    low, high = f"g.low_{code}", f"g.high_{code}"
    base = f"COALESCE({c}.base_value, g.average_{code})"
    return f"""CASE WHEN {c}.indicator IS NULL OR {value} IS NULL THEN NULL
                WHEN {c}.method = 'min_max' THEN
                    CASE WHEN {high} = {low} THEN 100.0
                         ELSE {c}.floor_score + (100.0 - {c}.floor_score)
                                                * ({value} - {low}) / ({high} - {low}) END
                WHEN {base} > 0 THEN
                    CASE WHEN {value} <= 0 THEN 0.0
                         WHEN {c}.cap IS NOT NULL AND 100.0 * {value} / {base} > {c}.cap
                         THEN {c}.cap
                         ELSE 100.0 * {value} / {base} END
           END"""


_SEPARATOR = ",\n           "
_VALUES = _SEPARATOR.join(
    f"{_value(numerator, denominator)} AS v_{code}"
    for code, numerator, denominator, _ in _INDICATORS
)
_GROUP_FIGURES = _SEPARATOR.join(
    _group_figures(code, numerator, denominator) for code, numerator, denominator, _ in _INDICATORS
)
_CONFIGURED = "\n    ".join(
    f"LEFT JOIN cfg_evaluation_indicator AS c_{code}"
    f" ON c_{code}.group_name = v.group_name AND c_{code}.indicator = '{code}'"
    for code, *_ in _INDICATORS
)
_SCORED = _SEPARATOR.join(f"{_score(code)} AS {column}" for code, _, _, column in _INDICATORS)
_WEIGHTS = ", ".join(f"c_{code}.weight AS weight_{code}" for code, *_ in _INDICATORS)
#: The weighted mean of the scores a member has (null when it has none).
_TOTAL = (
    "("
    + " + ".join(f"COALESCE(weight_{code} * {column}, 0)" for code, _, _, column in _INDICATORS)
    + ") / NULLIF("
    + " + ".join(
        f"CASE WHEN {column} IS NOT NULL THEN weight_{code} ELSE 0 END"
        for code, _, _, column in _INDICATORS
    )
    + ", 0)"
)
_SCORE_COLUMNS = ", ".join(column for *_, column in _INDICATORS)

PER_MU_EVALUATION = f"""
INSERT INTO mart_per_mu_evaluation (credit_code, year, through_period, name, region_code,
    industry_code, group_name, land_mu, tax_yuan, per_mu_tax_yuan, revenue_yuan,
    per_mu_revenue_yuan, energy_tce, revenue_per_tce_yuan, employees, revenue_per_employee_yuan,
    score_per_mu_tax, score_per_mu_revenue, score_energy, score_labour, total_score, rank,
    rank_pct, evaluation_class, exempt_reason, config_version)
WITH years AS (
    SELECT CAST(SUBSTR(period, 1, 4) AS INTEGER) AS year, MAX(period) AS through_period
    FROM {loaded_periods("stg_tax", ":year_start")} AS loaded
    GROUP BY SUBSTR(period, 1, 4)
),
members AS (
    SELECT e.credit_code, y.year, y.through_period, e.name, e.region_code, e.industry_code,
           e.land_mu, e.above_scale,
           CAST(SUBSTR(CAST(e.established_on AS VARCHAR(10)), 1, 4) AS INTEGER) AS established
    FROM years AS y
    JOIN dim_enterprise AS e ON {IN_FORCE.format(alias="e", period="y.through_period")}
    WHERE e.operating_status IS NULL OR e.operating_status <> '注销'
),
taxed AS (
    SELECT m.credit_code, m.year, SUM(t.total_tax_yuan) AS tax,
           SUM(t.taxable_sales_yuan) AS sales
    FROM members AS m
    JOIN fact_tax AS t
      ON t.credit_code = m.credit_code AND t.period <= m.through_period
     AND t.period >= SUBSTR(m.through_period, 1, 4) || '-01'
    GROUP BY m.credit_code, m.year
),
latest_report AS (
    SELECT x.credit_code, y.year, MAX(x.period) AS period
    FROM years AS y
    JOIN fact_statistics AS x
      ON x.period <= y.through_period AND x.period >= SUBSTR(y.through_period, 1, 4) || '-01'
    GROUP BY x.credit_code, y.year
),
reported AS (
    SELECT m.credit_code, m.year, s.revenue_ytd_yuan, s.energy_ytd_tce, s.employees
    FROM members AS m
    JOIN latest_report AS l ON l.credit_code = m.credit_code AND l.year = m.year
    JOIN fact_statistics AS s ON s.credit_code = l.credit_code AND s.period = l.period
),
figures AS (
    SELECT m.*,
           CASE WHEN m.above_scale THEN 'above_scale' ELSE 'below_scale' END AS group_name,
           COALESCE(t.tax, 0) AS tax_yuan,
           CASE WHEN m.above_scale THEN COALESCE(r.revenue_ytd_yuan, t.sales)
                ELSE t.sales END AS revenue_yuan,
           CASE WHEN m.above_scale THEN r.energy_ytd_tce END AS energy_tce,
           CASE WHEN m.above_scale THEN r.employees END AS employees,
           CASE WHEN SUBSTR(m.industry_code, 1, 2) IN (SELECT division_code
                                                       FROM cfg_exempt_division)
                THEN 'utility'
                WHEN m.established > m.year - {rule("evaluation.min_age_years")} THEN 'young'
                WHEN m.land_mu IS NULL OR m.land_mu <= 0 THEN 'no_land'
                WHEN NOT m.above_scale
                 AND m.land_mu < {rule("evaluation.below_scale_min_land_mu")}
                THEN 'below_min_land' END AS exempt_reason
    FROM members AS m
    LEFT JOIN taxed AS t ON t.credit_code = m.credit_code AND t.year = m.year
    LEFT JOIN reported AS r ON r.credit_code = m.credit_code AND r.year = m.year
),
valued AS (
    SELECT f.*,
           {_VALUES}
    FROM figures AS f
),
group_figures AS (
    SELECT year, group_name,
           {_GROUP_FIGURES}
    FROM valued GROUP BY year, group_name
),
scored AS MATERIALIZED (
    SELECT v.*,
           {_SCORED},
           {_WEIGHTS}
    FROM valued AS v
    JOIN group_figures AS g ON g.year = v.year AND g.group_name = v.group_name
    {_CONFIGURED}
),
totalled AS (
    SELECT s.*, {_TOTAL} AS total_score FROM scored AS s
),
ranked AS (
    SELECT t.*,
           CASE WHEN t.total_score IS NOT NULL THEN RANK() OVER ranking END AS place,
           COUNT(t.total_score) OVER ranking AS ranked_count
    FROM totalled AS t
    WINDOW ranking AS (PARTITION BY t.year, t.group_name, t.total_score IS NULL
                       ORDER BY t.total_score DESC
                       RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
)
SELECT r.credit_code, r.year, r.through_period, r.name, r.region_code, r.industry_code,
       r.group_name, r.land_mu, r.tax_yuan,
       CASE WHEN r.land_mu > 0 THEN r.tax_yuan / r.land_mu END,
       r.revenue_yuan,
       CASE WHEN r.land_mu > 0 THEN r.revenue_yuan / r.land_mu END,
       r.energy_tce,
       CASE WHEN r.energy_tce > 0 THEN r.revenue_yuan / r.energy_tce END,
       r.employees,
       CASE WHEN r.employees > 0 THEN r.revenue_yuan / r.employees END,
       {_SCORE_COLUMNS},
       r.total_score, r.place, 100.0 * CAST(r.place AS FLOAT) / r.ranked_count,
       (SELECT c.class_name FROM cfg_evaluation_class AS c
         WHERE c.max_rank_pct >= 100.0 * CAST(r.place AS FLOAT) / r.ranked_count
         ORDER BY c.max_rank_pct LIMIT 1),
       r.exempt_reason, v.config_version
FROM ranked AS r
CROSS JOIN (SELECT config_version FROM cfg_version WHERE is_current) AS v
ORDER BY r.credit_code, r.year
"""


def rebuild_per_mu_evaluation(connection: sa.Connection, from_period: str) -> None:
    """Rebuild ``mart_per_mu_evaluation`` for the years from ``from_period``'s on."""
    year = from_period[:4]
    connection.execute(
        sa.text("DELETE FROM mart_per_mu_evaluation WHERE year >= :year"), {"year": int(year)}
    )
    connection.execute(sa.text(PER_MU_EVALUATION), {"year_start": f"{year}-01"})
