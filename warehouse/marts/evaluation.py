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

_LONG = "\n    UNION ALL\n".join(
    f"""    SELECT credit_code, year, group_name, '{code}' AS indicator,
           {numerator} AS numerator, {denominator} AS denominator,
           {numerator} / {denominator} AS value
    FROM figures
    WHERE exempt_reason IS NULL AND {numerator} IS NOT NULL AND {denominator} > 0"""
    for code, numerator, denominator, _ in _INDICATORS
)

_SCORES = ",\n       ".join(
    f"MAX(CASE WHEN indicator = '{code}' THEN score END) AS {column}"
    for code, _, _, column in _INDICATORS
)

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
indicator_values AS (
{_LONG}
),
configured AS (
    SELECT l.*, c.weight, c.method, c.base, c.base_value, c.cap, c.floor_score,
           SUM(l.numerator) OVER g / SUM(l.denominator) OVER g AS group_average,
           MIN(l.value) OVER g AS low, MAX(l.value) OVER g AS high
    FROM indicator_values AS l
    JOIN cfg_evaluation_indicator AS c
      ON c.group_name = l.group_name AND c.indicator = l.indicator
    WINDOW g AS (PARTITION BY l.year, l.group_name, l.indicator)
),
based AS (
    SELECT c.*, COALESCE(c.base_value, c.group_average) AS base_figure FROM configured AS c
),
scored AS (
    SELECT b.*,
           CASE WHEN b.method = 'min_max' THEN
                    CASE WHEN b.high = b.low THEN 100.0
                         ELSE b.floor_score + (100.0 - b.floor_score)
                                              * (b.value - b.low) / (b.high - b.low) END
                WHEN b.base_figure > 0 THEN
                    CASE WHEN b.value <= 0 THEN 0.0
                         WHEN b.cap IS NOT NULL AND 100.0 * b.value / b.base_figure > b.cap
                         THEN b.cap
                         ELSE 100.0 * b.value / b.base_figure END
           END AS score
    FROM based AS b
),
totals AS (
    SELECT credit_code, year,
       {_SCORES},
       SUM(weight * score) / SUM(weight) AS total_score
    FROM scored
    WHERE score IS NOT NULL
    GROUP BY credit_code, year
),
ranked AS (
    SELECT f.credit_code, f.year, t.total_score,
           RANK() OVER (PARTITION BY f.year, f.group_name ORDER BY t.total_score DESC) AS place,
           COUNT(*) OVER (PARTITION BY f.year, f.group_name) AS ranked_count
    FROM figures AS f JOIN totals AS t ON t.credit_code = f.credit_code AND t.year = f.year
    WHERE t.total_score IS NOT NULL
)
SELECT f.credit_code, f.year, f.through_period, f.name, f.region_code, f.industry_code,
       f.group_name, f.land_mu, f.tax_yuan,
       CASE WHEN f.land_mu > 0 THEN f.tax_yuan / f.land_mu END,
       f.revenue_yuan,
       CASE WHEN f.land_mu > 0 THEN f.revenue_yuan / f.land_mu END,
       f.energy_tce,
       CASE WHEN f.energy_tce > 0 THEN f.revenue_yuan / f.energy_tce END,
       f.employees,
       CASE WHEN f.employees > 0 THEN f.revenue_yuan / f.employees END,
       t.score_per_mu_tax, t.score_per_mu_revenue, t.score_energy, t.score_labour,
       r.total_score, r.place, 100.0 * CAST(r.place AS FLOAT) / r.ranked_count,
       (SELECT c.class_name FROM cfg_evaluation_class AS c
         WHERE c.max_rank_pct >= 100.0 * CAST(r.place AS FLOAT) / r.ranked_count
         ORDER BY c.max_rank_pct LIMIT 1),
       f.exempt_reason, v.config_version
FROM figures AS f
CROSS JOIN (SELECT config_version FROM cfg_version WHERE is_current) AS v
LEFT JOIN totals AS t ON t.credit_code = f.credit_code AND t.year = f.year
LEFT JOIN ranked AS r ON r.credit_code = f.credit_code AND r.year = f.year
"""


def rebuild_per_mu_evaluation(connection: sa.Connection, from_period: str) -> None:
    """Rebuild ``mart_per_mu_evaluation`` for the years from ``from_period``'s on."""
    year = from_period[:4]
    connection.execute(
        sa.text("DELETE FROM mart_per_mu_evaluation WHERE year >= :year"), {"year": int(year)}
    )
    connection.execute(sa.text(PER_MU_EVALUATION), {"year_start": f"{year}-01"})
