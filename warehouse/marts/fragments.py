"""SQL fragments every mart shares; portable between SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sqlalchemy as sa

#: The register version of enterprise ``{code}`` in force in ``{period}``.
IN_FORCE = (
    "{alias}.valid_from <= {period} AND ({alias}.valid_to IS NULL OR {period} < {alias}.valid_to)"
)

#: Where enterprise ``{code}`` was in ``{period}``: its register version then; for an
#: enterprise not in the register, the 区划代码 of its latest statistics row up to then.
#: Correlated (two index probes per row): the marts place their facts with
#: :func:`located` instead, and use this only for a pair ``mart_enterprise_month`` lacks.
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
    """The region of enterprise ``code`` in ``period`` (SQL expressions), probed per row."""
    return LOCATION.format(code=code, period=period)


def located(alias: str, code: str, period: str) -> str:
    """A LEFT JOIN of ``mart_enterprise_month`` as ``alias`` on enterprise ``code`` in
    ``period`` (SQL expressions, ``period`` from ``:window_start`` on):
    ``{alias}.region_code`` is then where it was.

    ``mart_enterprise_month`` holds every enterprise a fact names in the fact's period,
    placed as :data:`LOCATION` places it, so a fact of ``code`` in ``period`` finds its
    row (a NULL ``code`` finds none: not located). It is rebuilt first in every rebuild,
    from the same period or an earlier one, and a period before that is one no load
    changed; the join is one hash join instead of a correlated probe per fact.
    """
    return (
        f"LEFT JOIN mart_enterprise_month AS {alias}"
        f" ON {alias}.credit_code = {code} AND {alias}.period = {period}"
        f" AND {alias}.period >= :window_start"
    )


def by_region(placed: str, measures: str) -> str:
    """Aggregate ``measures`` over a CTE ``{placed}`` for the county and for each region.

    ``placed`` has ``period`` and ``region_code`` columns; the county row sums every
    row, a town or park row those located there.
    """
    return f"""
    SELECT period, {COUNTY} AS region_code, {measures} FROM {placed} GROUP BY period
    UNION ALL
    SELECT period, region_code, {measures} FROM {placed}
    WHERE region_code IS NOT NULL AND region_code <> {COUNTY}
    GROUP BY period, region_code"""


def loaded_periods(staging: str, since: str | None = None) -> str:
    """The periods loaded in ``staging`` (from ``since``, an SQL expression, on), one row
    each: a subquery with a ``period`` column.

    It walks the staging table's primary key (``period`` first) one period to the next,
    an index probe per period; ``SELECT DISTINCT period`` would read every staged row
    (a province month's electricity is a million, and history keeps every month).
    """
    start = "" if since is None else f" WHERE period >= {since}"
    return f"""(WITH RECURSIVE walk (period) AS (
        SELECT CAST(MIN(period) AS VARCHAR(7)) FROM {staging}{start}
        UNION ALL
        SELECT CAST((SELECT MIN(n.period) FROM {staging} AS n WHERE n.period > walk.period)
                    AS VARCHAR(7))
        FROM walk WHERE walk.period IS NOT NULL
    ) SELECT period FROM walk WHERE period IS NOT NULL)"""


def grid(staging: str) -> str:
    """Every region for every period loaded in ``staging`` from ``:window_start`` on."""
    return (
        f"(SELECT p.period, r.region_code FROM {loaded_periods(staging, ':window_start')}"
        " AS p CROSS JOIN dim_region AS r)"
    )


def months_before(period: str, months: int) -> str:
    """The period ``months`` months before ``period`` (``0000-01`` at the earliest)."""
    index = int(period[:4]) * 12 + int(period[5:7]) - 1 - months
    return "0000-01" if index < 0 else f"{index // 12:04d}-{index % 12 + 1:02d}"


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


def rebuild_window(from_period: str, read_from: str | None = None) -> dict[str, str]:
    """The bind parameters of a rebuild from ``from_period``: ``:from_period``, and
    ``:window_start``, the first period it reads (:func:`window_start` unless ``read_from``)."""
    return {"from_period": from_period, "window_start": read_from or window_start(from_period)}


def delete_indicators(
    connection: sa.Connection, indicators: Sequence[str], from_period: str
) -> None:
    """Delete the ``mart_indicator_month`` rows of ``indicators`` from ``from_period`` on."""
    connection.execute(
        sa.text(
            "DELETE FROM mart_indicator_month WHERE indicator IN :indicators "
            "AND period >= :from_period"
        ).bindparams(sa.bindparam("indicators", expanding=True)),
        {"from_period": from_period, "indicators": list(indicators)},
    )


def replace_indicators(
    connection: sa.Connection,
    indicators: Sequence[str],
    insert_sql: str,
    parameters: Mapping[str, str],
) -> None:
    """Replace the ``mart_indicator_month`` rows of ``indicators`` from ``:from_period``
    on: delete them, then run ``insert_sql`` (one statement that yields them all, bound
    to ``parameters``)."""
    delete_indicators(connection, indicators, parameters["from_period"])
    connection.execute(sa.text(insert_sql), parameters)
