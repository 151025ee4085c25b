"""Suites across tables, each a one-row batch of violation counts for the period.

Each column of the batch counts the rows that break one rule; its expectation is that
the count is 0, and the count is the observed value a person reads in Data Docs and in
``dq_result``.
"""

from __future__ import annotations

from schemas.suites.model import Check, QualityBounds, Suite, zero

IN_FORCE = "e.valid_from <= '{period}' AND (e.valid_to IS NULL OR '{period}' < e.valid_to)"
COUNTY = "(SELECT region_code FROM dim_region WHERE kind = 'county')"

#: The files of the latest successful load of each source for the period.
LATEST_LOAD = """(SELECT * FROM ingest_ledger AS l
  WHERE l.period = '{period}' AND l.status = 'loaded'
    AND l.finished_at = (SELECT MAX(m.finished_at) FROM ingest_ledger AS m
                          WHERE m.source = l.source AND m.period = l.period
                            AND m.status = 'loaded'))"""

STAGING = {
    "registry": "stg_registry",
    "electricity": "stg_electricity",
    "tax": "stg_tax",
    "statistics": "stg_statistics",
    "indicators": "stg_published_indicator",
    "projects": "stg_project",
}
#: The column a source's 合计 row totals (the first the contract checks).
CONTROL_TOTALLED = {"registry": "land_mu", "electricity": "kwh", "tax": "vat_yuan"}


def one_row(counts: dict[str, str]) -> str:
    """A one-row query whose columns are the scalar subqueries ``counts``."""
    return "SELECT " + ",\n       ".join(f"({sql}) AS {name}" for name, sql in counts.items())


def _count(sql_from_where: str) -> str:
    return f"SELECT COUNT(*) {sql_from_where}"


def _orphans(table: str, column: str, dimension: str, key: str) -> str:
    return _count(
        f"FROM {table} AS f WHERE f.period = '{{period}}' AND f.{column} IS NOT NULL "
        f"AND NOT EXISTS (SELECT 1 FROM {dimension} AS d WHERE d.{key} = f.{column})"
    )


def _registered_orphans(table: str) -> str:
    return _count(
        f"FROM {table} AS f WHERE f.period = '{{period}}' AND f.is_registered "
        "AND NOT EXISTS (SELECT 1 FROM dim_enterprise AS d WHERE d.credit_code = f.credit_code)"
    )


ANY_MART_ROWS = (
    "SELECT (SELECT COUNT(*) FROM mart_enterprise_month WHERE period = '{period}')"
    " + (SELECT COUNT(*) FROM mart_indicator_month WHERE period = '{period}')"
    " + (SELECT COUNT(*) FROM mart_published_indicator WHERE period = '{period}')"
)

_RI: dict[str, tuple[str, str]] = {
    "electricity_registered_not_in_register": (
        _registered_orphans("fact_electricity"),
        "Electricity rows marked registered name an enterprise that dim_enterprise has.",
    ),
    "tax_registered_not_in_register": (
        _registered_orphans("fact_tax"),
        "Tax rows marked registered name an enterprise that dim_enterprise has.",
    ),
    "statistics_registered_not_in_register": (
        _registered_orphans("fact_statistics"),
        "Statistics rows marked registered name an enterprise that dim_enterprise has.",
    ),
    "statistics_unknown_region": (
        _orphans("fact_statistics", "region_code", "dim_region", "region_code"),
        "Every 区划代码 in fact_statistics is a region of dim_region.",
    ),
    "statistics_unknown_industry": (
        _orphans("fact_statistics", "industry_code", "dim_industry", "industry_code"),
        "Every industry code in fact_statistics is a class of dim_industry.",
    ),
    "enterprise_month_unknown_region": (
        _orphans("mart_enterprise_month", "region_code", "dim_region", "region_code"),
        "Every region in mart_enterprise_month is a region of dim_region.",
    ),
    "enterprise_month_unknown_industry": (
        _orphans("mart_enterprise_month", "industry_code", "dim_industry", "industry_code"),
        "Every industry in mart_enterprise_month is a class of dim_industry.",
    ),
    "indicator_month_unknown_region": (
        _orphans("mart_indicator_month", "region_code", "dim_region", "region_code"),
        "Every region in mart_indicator_month is a region of dim_region.",
    ),
    "indicator_month_unknown_indicator": (
        _orphans("mart_indicator_month", "indicator", "dim_indicator", "indicator"),
        "Every indicator in mart_indicator_month is in the dim_indicator catalogue.",
    ),
    "published_unknown_region": (
        _orphans("mart_published_indicator", "region_code", "dim_region", "region_code"),
        "Every region in mart_published_indicator is a region of dim_region.",
    ),
}

_COMPLETENESS: dict[str, tuple[str, str]] = {
    "indicator_regions_missing": (
        _count(
            "FROM (SELECT DISTINCT indicator FROM mart_indicator_month "
            "WHERE period = '{period}') AS i CROSS JOIN dim_region AS r "
            "WHERE NOT EXISTS (SELECT 1 FROM mart_indicator_month AS m "
            "WHERE m.period = '{period}' AND m.indicator = i.indicator "
            "AND m.region_code = r.region_code)"
        ),
        "Every region (county, towns, parks) has a row for every indicator of the period.",
    ),
    "facts_missing_from_enterprise_month": (
        _count(
            "FROM (SELECT credit_code FROM fact_electricity WHERE period = '{period}' "
            "AND credit_code IS NOT NULL UNION SELECT credit_code FROM fact_tax "
            "WHERE period = '{period}' UNION SELECT credit_code FROM fact_statistics "
            "WHERE period = '{period}') AS f WHERE NOT EXISTS (SELECT 1 FROM "
            "mart_enterprise_month AS m WHERE m.period = '{period}' "
            "AND m.credit_code = f.credit_code)"
        ),
        "Every enterprise a fact row of the period names is in mart_enterprise_month.",
    ),
    "registered_missing_from_enterprise_month": (
        _count(
            f"FROM dim_enterprise AS e WHERE {IN_FORCE} AND EXISTS (SELECT 1 FROM "
            "mart_enterprise_month WHERE period = '{period}') AND NOT EXISTS (SELECT 1 "
            "FROM mart_enterprise_month AS m WHERE m.period = '{period}' "
            "AND m.credit_code = e.credit_code)"
        ),
        "Every enterprise registered in the period is in mart_enterprise_month.",
    ),
}


def _latest(source: str, column: str) -> str:
    return (
        f"(SELECT COALESCE(SUM(x.{column}), 0) FROM {LATEST_LOAD} AS x WHERE x.source = '{source}')"
    )


def _control_totals() -> str:
    # One pass over each staging table: its period's sums by file, joined to the files.
    parts = [
        f"SELECT COUNT(*) FROM {LATEST_LOAD} AS c LEFT JOIN (SELECT s.file_name, "
        f"SUM(s.{column}) AS total FROM {STAGING[source]} AS s WHERE s.period = '{{period}}' "
        "GROUP BY s.file_name) AS t ON t.file_name = c.file_name "
        f"WHERE c.source = '{source}' AND c.control_total IS NOT NULL AND c.rows_held = 0 "
        "AND ABS(c.control_total - COALESCE(t.total, 0)) > 0.005 + 1e-9 * ABS(c.control_total)"
        for source, column in CONTROL_TOTALLED.items()
    ]
    return " + ".join(f"({part})" for part in parts)


def _staging_mismatch() -> str:
    return " + ".join(
        f"(CASE WHEN {_latest(s, 'rows_loaded')} <> (SELECT COUNT(*) FROM {t} "
        f"WHERE period = '{{period}}') THEN 1 ELSE 0 END)"
        for s, t in STAGING.items()
    )


def _held_mismatch() -> str:
    return " + ".join(
        f"(CASE WHEN {_latest(s, 'rows_held')} <> (SELECT COUNT(*) FROM held_row "
        f"WHERE source = '{s}' AND period = '{{period}}') THEN 1 ELSE 0 END)"
        for s in STAGING
    )


_RECONCILIATION: dict[str, tuple[str, str]] = {
    "files_not_reconciled": (
        f"SELECT COUNT(*) FROM {LATEST_LOAD} AS f WHERE f.rows_read <> f.rows_loaded + f.rows_held",
        "Every file of the period's latest loads reconciles: rows read = loaded + held.",
    ),
    "sources_loaded_rows_not_in_staging": (
        _staging_mismatch(),
        "For each source, the rows the ledger says were loaded are the staging rows of "
        "the period (count of sources where they differ).",
    ),
    "sources_held_rows_not_in_held_row": (
        _held_mismatch(),
        "For each source, the rows the ledger says were held are in held_row "
        "(count of sources where they differ).",
    ),
    "control_totals_not_reconciled": (
        _control_totals(),
        "Each file's 合计 (control total) equals the sum of its loaded rows: kWh, 增值税, "
        "用地面积 (files with no held rows; count of files where it differs).",
    ),
}


def _mom(indicator: str, fact: str) -> str:
    return (
        "SELECT 100.0 * (c.value / p.value - 1) FROM mart_indicator_month AS c "
        "JOIN mart_indicator_month AS p ON p.region_code = c.region_code "
        "AND p.indicator = c.indicator AND p.period = '{previous}' "
        f"WHERE c.period = '{{period}}' AND c.indicator = '{indicator}' "
        f"AND c.region_code = {COUNTY} AND p.value > 0 "
        f"AND EXISTS (SELECT 1 FROM {fact} WHERE period = '{{previous}}')"
    )


# Driven by the register's above-scale enterprises (a few per cent of the register), not
# by every electricity row: the same enterprises, a fraction of the index probes.
_ABOVE_SCALE_WITHOUT_STATISTICS = (
    "SELECT COUNT(DISTINCT e.credit_code) FROM dim_enterprise AS e "
    f"WHERE {IN_FORCE} AND e.above_scale "
    "AND EXISTS (SELECT 1 FROM fact_statistics WHERE period = '{period}') "
    "AND EXISTS (SELECT 1 FROM fact_electricity AS f "
    "WHERE f.credit_code = e.credit_code AND f.period = '{period}' AND f.kwh > 0) "
    "AND NOT EXISTS (SELECT 1 FROM fact_statistics AS s "
    "WHERE s.period = '{period}' AND s.credit_code = e.credit_code)"
)
_OUTPUT_WITHOUT_ELECTRICITY = (
    "SELECT COUNT(*) FROM fact_statistics AS s "
    "WHERE s.period = '{period}' AND s.output_ytd_yuan > 0 "
    "AND EXISTS (SELECT 1 FROM fact_electricity WHERE period = '{period}') "
    "AND NOT EXISTS (SELECT 1 FROM fact_electricity AS f "
    "WHERE f.period = '{period}' AND f.credit_code = s.credit_code)"
)


def _zero_suite(
    name: str, table: str, description: str, applies: str, counts: dict[str, tuple[str, str]]
) -> Suite:
    return Suite(
        name=name,
        version="1.0",
        table_name=table,
        description=description,
        query=one_row({column: sql for column, (sql, _) in counts.items()}),
        applies=applies,
        checks=tuple(zero(column, text) for column, (_, text) in counts.items()),
    )


REFERENTIAL_INTEGRITY = _zero_suite(
    "referential_integrity",
    "warehouse",
    "Facts and marts of the period point at rows of the dimensions.",
    ANY_MART_ROWS,
    _RI,
)
COMPLETENESS = _zero_suite(
    "completeness",
    "warehouse",
    "Every region and every enterprise the period should show is in the marts.",
    ANY_MART_ROWS,
    _COMPLETENESS,
)
RECONCILIATION = _zero_suite(
    "ingest_reconciliation",
    "ingest_ledger",
    "Each file of the period's latest loads reconciles with what the warehouse holds.",
    f"SELECT COUNT(*) FROM {LATEST_LOAD} AS a",
    _RECONCILIATION,
)


def plausibility(bounds: QualityBounds) -> Suite:
    """Cross-source plausibility for the period, with month-on-month ``bounds``."""
    counts = {
        "above_scale_electricity_without_statistics": (
            _ABOVE_SCALE_WITHOUT_STATISTICS,
            "An above-scale registered enterprise using electricity this month has a "
            "statistics row (0 when the period has no statistics file).",
        ),
        "statistics_output_without_electricity": (
            _OUTPUT_WITHOUT_ELECTRICITY,
            "An enterprise reporting output in the statistics file has an electricity "
            "account that month (0 when the period has no electricity file).",
        ),
    }
    mom = (
        (
            "electricity_mom_pct",
            _mom("electricity_kwh", "fact_electricity"),
            "county electricity (kWh)",
            bounds.electricity_mom_pct,
        ),
        (
            "tax_mom_pct",
            _mom("total_tax_yuan", "fact_tax"),
            "county total tax (税收合计)",
            bounds.tax_mom_pct,
        ),
    )
    checks = [
        Check(
            column,
            "ExpectColumnValuesToBeBetween",
            f"The month-on-month change of {what} is within {low:g}% to {high:g}% "
            "(no value when the previous month is not loaded).",
            {"column": column, "min_value": low, "max_value": high},
        )
        for column, _, what, (low, high) in mom
    ]
    checks += [zero(column, text) for column, (_, text) in counts.items()]
    query = one_row({**{c: sql for c, sql, _, _ in mom}, **{c: s for c, (s, _) in counts.items()}})
    return Suite(
        name="cross_source_plausibility",
        version="1.0",
        table_name="warehouse",
        description="The sources agree with each other and with last month, within bounds.",
        query=query,
        applies=(
            "SELECT (SELECT COUNT(*) FROM fact_electricity WHERE period = '{period}')"
            " + (SELECT COUNT(*) FROM fact_tax WHERE period = '{period}')"
            " + (SELECT COUNT(*) FROM fact_statistics WHERE period = '{period}')"
        ),
        checks=tuple(checks),
    )
