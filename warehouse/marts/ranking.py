"""``mart_town_ranking``: towns and parks ranked on each headline indicator per period.

Read from ``mart_indicator_month`` (so suppressed there, suppressed here): one row per
town or park per period per headline indicator. ``rank`` is 1 for the highest figure
ranked (``rank_by``) among the regions that have one; ties share a rank; a region without
the figure (suppressed, or no base for growth) has no rank. ``regions_ranked`` counts the
regions ranked.
"""

from __future__ import annotations

import sqlalchemy as sa

#: Headline indicators and the figure each is ranked on.
HEADLINES = (
    ("electricity_kwh", "ytd_yoy_pct"),
    ("total_tax_yuan", "ytd_yoy_pct"),
    ("per_mu_tax_yuan", "value_ytd"),
)

_HEADLINE_ROWS = "\n    UNION ALL ".join(
    f"SELECT '{indicator}' AS indicator, '{rank_by}' AS rank_by" for indicator, rank_by in HEADLINES
)

TOWN_RANKING = f"""
INSERT INTO mart_town_ranking (region_code, period, indicator, value, value_ytd, ytd_yoy_pct,
    rank_by, rank, regions_ranked, enterprise_count, suppressed)
WITH headline AS (
    {_HEADLINE_ROWS}
),
figures AS (
    SELECT m.region_code, m.period, m.indicator, m.value, m.value_ytd, m.ytd_yoy_pct,
           h.rank_by, m.enterprise_count, m.suppressed,
           CASE WHEN h.rank_by = 'ytd_yoy_pct' THEN m.ytd_yoy_pct ELSE m.value_ytd END AS figure
    FROM mart_indicator_month AS m
    JOIN headline AS h ON h.indicator = m.indicator
    JOIN dim_region AS r ON r.region_code = m.region_code AND r.kind <> 'county'
    WHERE m.period >= :from_period
)
SELECT region_code, period, indicator, value, value_ytd, ytd_yoy_pct, rank_by,
       CASE WHEN figure IS NOT NULL
            THEN RANK() OVER (PARTITION BY period, indicator,
                                           CASE WHEN figure IS NULL THEN 1 ELSE 0 END
                              ORDER BY figure DESC) END,
       COUNT(figure) OVER (PARTITION BY period, indicator),
       enterprise_count, suppressed
FROM figures
"""


def rebuild_town_ranking(connection: sa.Connection, from_period: str) -> None:
    """Rebuild ``mart_town_ranking`` from ``from_period`` on (after ``mart_indicator_month``)."""
    parameters = {"from_period": from_period}
    connection.execute(
        sa.text("DELETE FROM mart_town_ranking WHERE period >= :from_period"), parameters
    )
    connection.execute(sa.text(TOWN_RANKING), parameters)
