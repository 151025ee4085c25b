"""SQL fragments every mart shares; portable between SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa

#: The register version of enterprise ``{code}`` in force in ``{period}``.
IN_FORCE = (
    "{alias}.valid_from <= {period} AND ({alias}.valid_to IS NULL OR {period} < {alias}.valid_to)"
)

#: Where enterprise ``{code}`` was in ``{period}``: its register version then; for an
#: enterprise not in the register, the 区划代码 of its latest statistics row up to then.
LOCATION = """COALESCE(
    (SELECT loc_e.region_code FROM dim_enterprise AS loc_e
      WHERE loc_e.credit_code = {code} AND loc_e.valid_from <= {period}
        AND (loc_e.valid_to IS NULL OR {period} < loc_e.valid_to)),
    (SELECT loc_s.region_code FROM fact_statistics AS loc_s
      WHERE loc_s.credit_code = {code} AND loc_s.region_code IS NOT NULL
        AND loc_s.period <= {period}
        AND NOT EXISTS (SELECT 1 FROM dim_enterprise AS loc_r
                         WHERE loc_r.credit_code = {code})
      ORDER BY loc_s.period DESC LIMIT 1))"""

#: The year before a period's year, as text.
LAST_YEAR = "CAST(CAST(SUBSTR({p}, 1, 4) AS INTEGER) - 1 AS VARCHAR(4))"

#: The same month a year earlier.
PRIOR_YEAR = LAST_YEAR + " || SUBSTR({p}, 5, 3)"

#: The month number of a period.
MONTH = "CAST(SUBSTR({p}, 6, 2) AS INTEGER)"

COUNTY = "(SELECT region_code FROM dim_region WHERE kind = 'county')"


def location(code: str, period: str) -> str:
    """The region of enterprise ``code`` in ``period`` (SQL expressions)."""
    return LOCATION.format(code=code, period=period)


def by_region(located: str, measures: str) -> str:
    """Aggregate ``measures`` over a CTE ``{located}`` for the county and for each region.

    ``located`` has ``period`` and ``region_code`` columns; the county row sums every
    row, a town or park row those located there.
    """
    return f"""
    SELECT period, {COUNTY} AS region_code, {measures} FROM {located} GROUP BY period
    UNION ALL
    SELECT period, region_code, {measures} FROM {located}
    WHERE region_code IS NOT NULL AND region_code <> {COUNTY}
    GROUP BY period, region_code"""


def grid(staging: str) -> str:
    """Every region for every period loaded in ``staging`` from ``:window_start`` on."""
    return (
        f"(SELECT p.period, r.region_code FROM (SELECT DISTINCT period FROM {staging}"
        " WHERE period >= :window_start) AS p CROSS JOIN dim_region AS r)"
    )


def window_start(from_period: str) -> str:
    """The first period a rebuild from ``from_period`` reads: January of the year before,
    enough for year to date and for growth on last year."""
    return f"{int(from_period[:4]) - 1}-01"


#: A period as a month count (year × 12 + month): consecutive months differ by one.
MONTH_INDEX = "(CAST(SUBSTR({p}, 1, 4) AS INTEGER) * 12 + CAST(SUBSTR({p}, 6, 2) AS INTEGER))"

#: Wide-audience marts never show a figure about fewer enterprises than this.
MIN_ENTERPRISES = 3


def month_index(period: str) -> str:
    """``period`` (an SQL expression) as a month count."""
    return MONTH_INDEX.format(p=period)


def rule(key: str) -> str:
    """The current value of numeric rule ``key`` from ``cfg_rule`` (a scalar subquery)."""
    return f"(SELECT value FROM cfg_rule WHERE rule_key = '{key}')"


def suppressed(count: str) -> str:
    """Whether a figure about ``count`` enterprises is hidden from wide audiences."""
    return f"({count} < {MIN_ENTERPRISES})"


def shown(figure: str, count: str) -> str:
    """``figure`` when it is about enough enterprises to be shown, else NULL."""
    return f"CASE WHEN {count} >= {MIN_ENTERPRISES} THEN {figure} END"


def replace_indicator(
    connection: sa.Connection, insert_sql: str, parameters: Mapping[str, object]
) -> None:
    """Replace one indicator's ``mart_indicator_month`` rows from ``:from_period`` on:
    delete them, then run ``insert_sql`` (bound to the same ``parameters``)."""
    connection.execute(
        sa.text(
            "DELETE FROM mart_indicator_month WHERE indicator = :indicator "
            "AND period >= :from_period"
        ),
        parameters,
    )
    connection.execute(sa.text(insert_sql), parameters)
