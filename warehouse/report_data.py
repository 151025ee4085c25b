"""What the monthly report (工业经济运行月报) reads from the warehouse: every query in one place.

Each function takes an open connection and returns plain dicts (column → value), so the
report module never writes SQL. A source that never loaded leaves its marts empty (no
targets file: no rows of ``mart_target_progress``), never missing: the report says so.
Queries are portable between SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

Rows = list[dict[str, Any]]

COUNTY = "(SELECT region_code FROM dim_region WHERE kind = 'county')"


def _rows(connection: sa.Connection, sql: str, **params: Any) -> Rows:
    return [dict(row) for row in connection.execute(sa.text(sql), params).mappings()]


def latest_period(connection: sa.Connection) -> str | None:
    """The latest month any county indicator is loaded for, or None on an empty warehouse."""
    return connection.execute(
        sa.text(f"SELECT MAX(period) FROM mart_indicator_month WHERE region_code = {COUNTY}")
    ).scalar()


def is_loaded(connection: sa.Connection, period: str) -> bool:
    """Whether the county has any indicator loaded for ``period``."""
    found = connection.execute(
        sa.text(
            f"SELECT 1 FROM mart_indicator_month WHERE region_code = {COUNTY} "
            "AND period = :period LIMIT 1"
        ),
        {"period": period},
    ).first()
    return found is not None


def county(connection: sa.Connection) -> dict[str, Any]:
    """The county's ``region_code`` and ``name``."""
    return _rows(connection, "SELECT region_code, name FROM dim_region WHERE kind = 'county'")[0]


def indicator_catalogue(connection: sa.Connection) -> Rows:
    """Every indicator code with its Chinese name and unit (``dim_indicator``)."""
    return _rows(connection, "SELECT indicator, name_zh, unit FROM dim_indicator")


def county_figures(connection: sa.Connection, period: str) -> Rows:
    """The county's row of ``mart_indicator_month`` per indicator for ``period``.

    Columns: ``indicator, unit, value, value_ytd, yoy_pct, ytd_yoy_pct, enterprise_count,
    suppressed`` (figures about fewer than three enterprises are NULL and suppressed).
    """
    return _rows(
        connection,
        f"""SELECT m.indicator, m.unit, m.value, m.value_ytd, m.yoy_pct, m.ytd_yoy_pct,
               m.enterprise_count, m.suppressed
        FROM mart_indicator_month AS m
        WHERE m.region_code = {COUNTY} AND m.period = :period
        ORDER BY m.indicator""",
        period=period,
    )


def county_published(connection: sa.Connection, period: str) -> Rows:
    """The statistics bureau's published county figures for ``period``
    (``name, unit, value, value_ytd, yoy_pct, ytd_yoy_pct``)."""
    return _rows(
        connection,
        f"""SELECT name, unit, value, value_ytd, yoy_pct, ytd_yoy_pct
        FROM mart_published_indicator WHERE region_code = {COUNTY} AND period = :period
        ORDER BY name""",
        period=period,
    )


def county_series(
    connection: sa.Connection, indicators: tuple[str, ...], first: str, last: str
) -> Rows:
    """The county's monthly rows of ``indicators`` from ``first`` to ``last`` (inclusive):
    ``indicator, period, value, value_ytd, yoy_pct, ytd_yoy_pct``."""
    names: sa.BindParameter[list[str]] = sa.bindparam("indicators", expanding=True)
    statement = sa.text(
        f"""SELECT indicator, period, value, value_ytd, yoy_pct, ytd_yoy_pct
        FROM mart_indicator_month
        WHERE region_code = {COUNTY} AND indicator IN :indicators
          AND period >= :first AND period <= :last
        ORDER BY indicator, period"""
    ).bindparams(names)
    result = connection.execute(
        statement, {"indicators": list(indicators), "first": first, "last": last}
    )
    return [dict(row) for row in result.mappings()]


def target_progress(connection: sa.Connection, year: int) -> Rows:
    """Every region's rows of ``mart_target_progress`` for ``year``, the county first
    (none when no targets file of the year is loaded).

    Columns: ``region_code, region_name, is_county, indicator, target_name, measure, unit,
    floor_value, stretch_value, actual_value, actual_period, expected_share, status``; the
    figures are in the indicator's unit (``%`` for growth, ``enterprises``, ``yuan``, ...).
    """
    return _rows(
        connection,
        """SELECT t.region_code, r.name AS region_name,
               CASE WHEN r.kind = 'county' THEN 1 ELSE 0 END AS is_county,
               t.indicator, t.target_name, t.measure, t.unit, t.floor_value, t.stretch_value,
               t.actual_value, t.actual_period, t.expected_share, t.status
        FROM mart_target_progress AS t JOIN dim_region AS r ON r.region_code = t.region_code
        WHERE t.year = :year
        ORDER BY CASE WHEN r.kind = 'county' THEN 0 ELSE 1 END, t.region_code, t.target_name""",
        year=year,
    )


def town_ranking(connection: sa.Connection, period: str, indicator: str) -> Rows:
    """Towns and parks on ``indicator`` in ``period`` from ``mart_town_ranking``, ranked first
    (``region_code, name, value, value_ytd, ytd_yoy_pct, rank_by, rank, regions_ranked,
    enterprise_count, suppressed``)."""
    found = _rows(
        connection,
        """SELECT t.region_code, r.name, t.value, t.value_ytd, t.ytd_yoy_pct, t.rank_by,
               t.rank, t.regions_ranked, t.enterprise_count, t.suppressed
        FROM mart_town_ranking AS t JOIN dim_region AS r ON r.region_code = t.region_code
        WHERE t.period = :period AND t.indicator = :indicator
        ORDER BY CASE WHEN t.rank IS NULL THEN 1 ELSE 0 END, t.rank, r.region_code""",
        period=period,
        indicator=indicator,
    )
    for row in found:
        row["suppressed"] = bool(row["suppressed"])
    return found


# --- working lists ----------------------------------------------------------------------

DECLINE_LEVEL_ORDER = (
    "CASE level WHEN 'red' THEN 0 WHEN 'orange' THEN 1 WHEN 'yellow' THEN 2 ELSE 3 END"
)


def _count(connection: sa.Connection, sql: str, **params: Any) -> int:
    return int(connection.execute(sa.text(sql), params).scalar() or 0)


def decline_watch(connection: sa.Connection, period: str, limit: int) -> tuple[int, Rows]:
    """生产下滑预警 of ``period``: (enterprises warned, the top ``limit`` rows), key
    enterprises first, then the most severe level, the longest run, the steepest fall."""
    count = _count(
        connection,
        "SELECT COUNT(DISTINCT credit_code) FROM mart_decline_watch WHERE period = :period",
        period=period,
    )
    return count, _rows(
        connection,
        f"""SELECT d.credit_code, d.name, r.name AS region_name, d.key_enterprise, d.measure,
               d.value, d.prior_year_value, d.yoy_pct, d.consecutive_months, d.level
        FROM mart_decline_watch AS d LEFT JOIN dim_region AS r ON r.region_code = d.region_code
        WHERE d.period = :period
        ORDER BY CASE WHEN d.key_enterprise THEN 0 ELSE 1 END, {DECLINE_LEVEL_ORDER},
                 d.consecutive_months DESC, d.yoy_pct, d.credit_code, d.measure
        LIMIT :limit""",
        period=period,
        limit=limit,
    )


def cultivation(connection: sa.Connection, period: str, limit: int) -> tuple[int, Rows]:
    """入规培育 candidates of ``period``: (count, top ``limit`` by share of the threshold)."""
    count = _count(
        connection, "SELECT COUNT(*) FROM mart_cultivation WHERE period = :period", period=period
    )
    return count, _rows(
        connection,
        """SELECT c.credit_code, c.name, r.name AS region_name, c.industry_code,
               c.in_cultivation_pool, c.trailing_sales_yuan, c.share_of_threshold, c.gap_yuan,
               c.crossed_period, c.months_since_crossing
        FROM mart_cultivation AS c LEFT JOIN dim_region AS r ON r.region_code = c.region_code
        WHERE c.period = :period
        ORDER BY c.share_of_threshold DESC, c.credit_code
        LIMIT :limit""",
        period=period,
        limit=limit,
    )


def zombie_watch(connection: sa.Connection, period: str, limit: int) -> tuple[int, Rows]:
    """僵尸企业线索 of ``period``: (count, top ``limit`` by idle months, then land)."""
    count = _count(
        connection, "SELECT COUNT(*) FROM mart_zombie_watch WHERE period = :period", period=period
    )
    return count, _rows(
        connection,
        """SELECT z.credit_code, z.name, r.name AS region_name, z.industry_code,
               z.operating_status, z.land_mu, z.idle_months, z.last_active_period
        FROM mart_zombie_watch AS z LEFT JOIN dim_region AS r ON r.region_code = z.region_code
        WHERE z.period = :period
        ORDER BY z.idle_months DESC, z.land_mu DESC, z.credit_code
        LIMIT :limit""",
        period=period,
        limit=limit,
    )


def per_mu_class_d(connection: sa.Connection, year: int, limit: int) -> tuple[int, Rows]:
    """亩均效益评价 class D of ``year``: (count, the ``limit`` lowest total scores)."""
    count = _count(
        connection,
        "SELECT COUNT(*) FROM mart_per_mu_evaluation WHERE year = :year AND evaluation_class = 'D'",
        year=year,
    )
    return count, _rows(
        connection,
        """SELECT e.credit_code, e.name, r.name AS region_name, e.group_name, e.through_period,
               e.land_mu, e.per_mu_tax_yuan, e.per_mu_revenue_yuan, e.total_score, e.rank,
               e.evaluation_class
        FROM mart_per_mu_evaluation AS e LEFT JOIN dim_region AS r ON r.region_code = e.region_code
        WHERE e.year = :year AND e.evaluation_class = 'D'
        ORDER BY e.total_score, e.credit_code
        LIMIT :limit""",
        year=year,
        limit=limit,
    )


# --- data quality and provenance ------------------------------------------------------


def files_of_period(connection: sa.Connection, period: str) -> Rows:
    """Every load attempt of ``period`` per file, latest first within each source
    (``source, file_name, sha256, status, rows_read, rows_loaded, rows_held, message,
    load_id, finished_at``)."""
    return _rows(
        connection,
        """SELECT source, file_name, sha256, status, rows_read, rows_loaded, rows_held, message,
               load_id, finished_at
        FROM ingest_ledger WHERE period = :period
        ORDER BY source, finished_at DESC, file_name""",
        period=period,
    )


def files_in_force(connection: sa.Connection, first: str, last: str) -> Rows:
    """The files whose rows the warehouse holds for ``first``..``last``: per source and
    period, the files of its latest load that loaded (``source, period, file_name, sha256,
    load_id, finished_at``)."""
    return _rows(
        connection,
        """SELECT l.source, l.period, l.file_name, l.sha256, l.load_id, l.finished_at
        FROM ingest_ledger AS l
        JOIN (SELECT source, period, MAX(finished_at) AS finished_at FROM ingest_ledger
              WHERE status = 'loaded' AND period >= :first AND period <= :last
              GROUP BY source, period) AS latest
          ON latest.source = l.source AND latest.period = l.period
         AND latest.finished_at = l.finished_at
        WHERE l.status = 'loaded'
        ORDER BY l.period DESC, l.source, l.file_name""",
        first=first,
        last=last,
    )


def held_by_reason(connection: sa.Connection, period: str) -> Rows:
    """Rows held for ``period`` counted by source and reason (``source, reason, rows``)."""
    return _rows(
        connection,
        """SELECT source, reason, COUNT(*) AS rows_held FROM held_row WHERE period = :period
        GROUP BY source, reason ORDER BY source, COUNT(*) DESC, reason""",
        period=period,
    )


def alerts_of_period(connection: sa.Connection, period: str) -> Rows:
    """Alerts raised for ``period``, the most severe first (``severity, kind, source,
    subject, message, raised_at, delivered_at``)."""
    return _rows(
        connection,
        """SELECT severity, kind, source, subject, message, raised_at, delivered_at
        FROM alert WHERE period = :period
        ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
                 raised_at, subject""",
        period=period,
    )


def quality_checks(connection: sa.Connection, period: str) -> Rows:
    """The latest quality-suite run's results for ``period`` (``suite, expectation, success,
    observed_value, checked_at``), failed first."""
    return _rows(
        connection,
        """SELECT r.suite, r.expectation, r.success, r.observed_value, r.checked_at
        FROM dq_result AS r
        WHERE r.period = :period
          AND r.checked_at = (SELECT MAX(checked_at) FROM dq_result WHERE period = :period)
        ORDER BY r.success, r.suite, r.expectation""",
        period=period,
    )
