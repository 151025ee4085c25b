"""Each quality check fails on purpose, alone (or with the checks it logically implies).

A clean month is delivered as real files and loaded through the pipeline; then one
violation is introduced and the suites run once. ``tests/quality/test_quality.py``
already makes the cross-source checks and two reconciliation checks fail; this module
covers every other check that can fail at all, and pins down which checks cannot (the
database schema itself forbids the violation, or the suite only runs when it holds).

The loader's contracts hold a bad row at the door (negative figures, unknown regions,
missing values …) and the marts are derived from what loaded, so most violations cannot
come from a file: they are written directly into the loaded warehouse, to show the
suite would catch them if a loader bug, a migration or a hand edit let one through.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from indmon.steps import prepare_warehouse
from schemas.suites import all_suites
from tests.conftest import BACKENDS, fresh_warehouse
from tests.files import (
    code,
    electricity_rows,
    registry_row,
    statistics_row,
    tax_row,
    write_electricity_csv,
    write_registry_csv,
    write_statistics_xlsx,
    write_tax_xlsx,
)
from tests.warehouse.helpers import load_month
from warehouse.engine import create_warehouse_engine
from warehouse.quality import QualityReport, run_quality_checks
from warehouse.tables import metadata

PERIOD = "2022-03"
#: Registered: A and B (above scale), C (below scale), E (registered, no facts this month).
#: D is not registered but appears in every source (resolved by its own credit code).
A, B, C, D, E = code(1), code(2), code(3), code(4), code(5)
NAMES = {A: "甲公司", B: "乙公司", C: "丙公司", D: "丁公司", E: "戊公司"}
UNKNOWN_REGION = "340621999999"  # 12 digits, not a region of the county
COUNTY = "(SELECT region_code FROM dim_region WHERE kind = 'county')"
SOME_TOWN = "(SELECT MIN(region_code) FROM dim_region WHERE kind = 'town')"
INDICATOR_COLUMNS = "period, unit, value, value_ytd, yoy_pct, ytd_yoy_pct"
Key = tuple[str, str]


def _month_title(period: str) -> tuple[str, str]:
    year, month = period.split("-")
    return f"{year}年{int(month)}月", f"{year}年1-{int(month)}月"


def deliver(landing: Path, period: str, *, tax_scale: float = 1.0) -> None:
    """A clean month as the agencies deliver it: register, electricity, tax, statistics."""
    month, months = _month_title(period)
    write_registry_csv(
        landing / "registry" / period / "名录.csv",
        [
            registry_row(A, NAMES[A], "韩村镇"),
            registry_row(B, NAMES[B], "刘桥镇"),
            registry_row(C, NAMES[C], above_scale="否"),
            registry_row(E, NAMES[E], above_scale="否"),
        ],
    )
    kwh = {A: 50_000, B: 30_000, C: 1_000, D: 2_000}
    write_electricity_csv(
        landing / "electricity" / period / "电量.csv",
        electricity_rows(
            [(f"10000{i}", NAMES[c], c, k, k - 100) for i, (c, k) in enumerate(kwh.items())],
            period=period.replace("-", ""),
        ),
    )
    write_tax_xlsx(
        landing / "tax" / period / "税收.xlsx",
        [
            tax_row(c, NAMES[c], 1000.0 * tax_scale, 200.0 * tax_scale, period=period)
            for c in (A, B, C, D)
        ],
        title=f"濉溪县工业企业税收入库明细（{month}）",
    )
    write_statistics_xlsx(
        landing / "statistics" / period / "规上.xlsx",
        [statistics_row(c, NAMES[c], out, out * 0.9) for c, out in ((A, 300), (B, 200), (D, 50))],
        months=months,
    )


def failed(report: QualityReport) -> set[Key]:
    """The (suite, expectation) of every failed check."""
    return {(o.suite, o.expectation) for o in report.failed}


@dataclass(frozen=True)
class Case:
    """One check made to fail by ``sql`` (run in order; ``:period``, ``:d`` and ``:e`` bound).

    ``implied`` are the other checks the same violation necessarily breaks.
    """

    suite: str
    expectation: str
    sql: tuple[str, ...]
    implied: frozenset[Key] = field(default_factory=frozenset)

    @property
    def key(self) -> Key:
        return (self.suite, self.expectation)


def case(suite: str, expectation: str, *sql: str, implied: tuple[Key, ...] = ()) -> Case:
    """A case for check ``expectation`` of ``suite``."""
    return Case(suite, expectation, sql, frozenset(implied))


def _set(table: str, assignment: str, where: str = "credit_code = :d") -> str:
    return f"UPDATE {table} SET {assignment} WHERE period = :period AND {where}"


FACTS_MISSING = ("completeness", "facts_missing_from_enterprise_month")

#: Every check made to fail here by a direct write on a copy of the clean loaded month.
DIRECT_CASES = [
    # fact_electricity (D's account)
    case("fact_electricity", "kwh >= 0", _set("fact_electricity", "kwh = -5")),
    case(
        "fact_electricity",
        "kwh_prior_year >= 0",
        _set("fact_electricity", "kwh_prior_year = -5"),
    ),
    case(
        "fact_electricity",
        "resolution known",
        _set("fact_electricity", "resolution = 'guessed'"),
    ),
    # A 17-character code names no enterprise of the mart (the mart misses it), and
    # D, who reports output, no longer has an electricity account.
    case(
        "fact_electricity",
        "credit_code has 18 characters",
        _set("fact_electricity", f"credit_code = '{D[:17]}'"),
        implied=(
            FACTS_MISSING,
            ("cross_source_plausibility", "statistics_output_without_electricity"),
        ),
    ),
    # fact_tax
    case("fact_tax", "total_tax_yuan not null", _set("fact_tax", "total_tax_yuan = NULL")),
    case("fact_tax", "vat_refund_yuan >= 0", _set("fact_tax", "vat_refund_yuan = -1")),
    case("fact_tax", "taxable_sales_yuan >= 0", _set("fact_tax", "taxable_sales_yuan = -1")),
    # fact_statistics
    case(
        "fact_statistics", "output_ytd_yuan >= 0", _set("fact_statistics", "output_ytd_yuan = -1")
    ),
    case(
        "fact_statistics", "revenue_ytd_yuan >= 0", _set("fact_statistics", "revenue_ytd_yuan = -1")
    ),
    case("fact_statistics", "employees >= 0", _set("fact_statistics", "employees = -1")),
    case("fact_statistics", "energy_ytd_tce >= 0", _set("fact_statistics", "energy_ytd_tce = -1")),
    # Not 12 digits is not a region of dim_region either.
    case(
        "fact_statistics",
        "region_code has 12 digits",
        _set("fact_statistics", "region_code = '3406211'"),
        implied=(("referential_integrity", "statistics_unknown_region"),),
    ),
    # mart_enterprise_month
    case(
        "mart_enterprise_month",
        "electricity_accounts >= 0",
        _set("mart_enterprise_month", "electricity_accounts = -1"),
    ),
    case(
        "mart_enterprise_month",
        "electricity_kwh >= 0",
        _set("mart_enterprise_month", "electricity_kwh = -1"),
    ),
    # referential_integrity: D is not registered; say its facts were.
    *(
        case(
            "referential_integrity",
            f"{source}_registered_not_in_register",
            _set(f"fact_{source}", "is_registered = TRUE"),
        )
        for source in ("electricity", "tax", "statistics")
    ),
    case(
        "referential_integrity",
        "statistics_unknown_region",
        _set("fact_statistics", f"region_code = '{UNKNOWN_REGION}'"),
    ),
    case(
        "referential_integrity",
        "statistics_unknown_industry",
        _set("fact_statistics", "industry_code = '9999'"),
    ),
    case(
        "referential_integrity",
        "enterprise_month_unknown_region",
        _set("mart_enterprise_month", f"region_code = '{UNKNOWN_REGION}'"),
    ),
    case(
        "referential_integrity",
        "enterprise_month_unknown_industry",
        _set("mart_enterprise_month", "industry_code = '9999'"),
    ),
    case(
        "referential_integrity",
        "indicator_month_unknown_region",
        f"INSERT INTO mart_indicator_month (region_code, indicator, {INDICATOR_COLUMNS}) "
        f"SELECT '{UNKNOWN_REGION}', indicator, {INDICATOR_COLUMNS} FROM mart_indicator_month "
        f"WHERE period = :period AND region_code = {COUNTY}",
    ),
    # For every region, so that completeness still holds.
    case(
        "referential_integrity",
        "indicator_month_unknown_indicator",
        f"INSERT INTO mart_indicator_month (region_code, indicator, {INDICATOR_COLUMNS}) "
        f"SELECT region_code, 'not_in_catalogue', {INDICATOR_COLUMNS} FROM mart_indicator_month "
        "WHERE period = :period AND indicator = (SELECT MIN(indicator) FROM "
        "mart_indicator_month WHERE period = :period)",
    ),
    # No indicators file in the month: one published row, for a region that does not exist.
    case(
        "referential_integrity",
        "published_unknown_region",
        "INSERT INTO mart_published_indicator (region_code, period, name, unit, value) "
        f"VALUES ('{UNKNOWN_REGION}', :period, '规模以上工业增加值', '%', 5.0)",
    ),
    # completeness
    case(
        "completeness",
        "indicator_regions_missing",
        f"DELETE FROM mart_indicator_month WHERE period = :period AND region_code = {SOME_TOWN} "
        "AND indicator = (SELECT MIN(indicator) FROM mart_indicator_month WHERE period = :period)",
    ),
    case(
        "completeness",
        "facts_missing_from_enterprise_month",
        "DELETE FROM mart_enterprise_month WHERE period = :period AND credit_code = :d",
    ),
    case(
        "completeness",
        "registered_missing_from_enterprise_month",
        "DELETE FROM mart_enterprise_month WHERE period = :period AND credit_code = :e",
    ),
    # ingest_reconciliation (the ledger is written from the same split the loader loads)
    case(
        "ingest_reconciliation",
        "sources_loaded_rows_not_in_staging",
        "DELETE FROM stg_statistics WHERE period = :period AND credit_code = :d",
    ),
    case(
        "ingest_reconciliation",
        "sources_held_rows_not_in_held_row",
        "UPDATE ingest_ledger SET rows_read = rows_read + 1, rows_held = rows_held + 1 "
        "WHERE period = :period AND source = 'statistics'",
    ),
]

#: Failed on purpose in tests/quality/test_quality.py.
COVERED_ELSEWHERE = {
    ("cross_source_plausibility", "electricity_mom_pct"),
    ("cross_source_plausibility", "above_scale_electricity_without_statistics"),
    ("cross_source_plausibility", "statistics_output_without_electricity"),
    ("ingest_reconciliation", "files_not_reconciled"),
    ("ingest_reconciliation", "control_totals_not_reconciled"),
}
#: Failed with real files in this module.
REAL_FILES = {("cross_source_plausibility", "tax_mom_pct")}

#: Checks the warehouse's own schema enforces: suite -> check -> the columns that are
#: NOT NULL (``not null``) or together the table's primary key with ``period``
#: (``unique``). No file and no SQL statement can make them fail.
SCHEMA_ENFORCED: dict[Key, tuple[str, ...]] = {
    ("fact_electricity", "account_no not null"): ("account_no",),
    ("fact_electricity", "account_no unique"): ("account_no",),
    ("fact_electricity", "kwh not null"): ("kwh",),
    ("fact_tax", "credit_code not null"): ("credit_code",),
    ("fact_tax", "credit_code unique"): ("credit_code",),
    ("fact_statistics", "credit_code not null"): ("credit_code",),
    ("fact_statistics", "credit_code unique"): ("credit_code",),
    ("mart_enterprise_month", "credit_code not null"): ("credit_code",),
    ("mart_enterprise_month", "credit_code unique"): ("credit_code",),
    ("mart_enterprise_month", "is_registered not null"): ("is_registered",),
    ("mart_indicator_month", "region_code not null"): ("region_code",),
    ("mart_indicator_month", "indicator not null"): ("indicator",),
    ("mart_indicator_month", "unit not null"): ("unit",),
    ("mart_indicator_month", "(region_code, indicator) unique"): ("region_code", "indicator"),
    ("mart_published_indicator", "region_code not null"): ("region_code",),
    ("mart_published_indicator", "name not null"): ("name",),
    ("mart_published_indicator", "(region_code, name) unique"): ("region_code", "name"),
}


def _all_checks() -> set[Key]:
    return {(suite.name, check.name) for suite in all_suites() for check in suite.checks}


def _direct_keys() -> set[Key]:
    return {violation.key for violation in DIRECT_CASES}


def _rows_present() -> set[Key]:
    return {key for key in _all_checks() if key[1] == "rows present"}


def test_every_check_is_made_to_fail_or_cannot_fail() -> None:
    """A new check without a failing test (or a reason it cannot fail) fails this test."""
    accounted = [
        _direct_keys(),
        COVERED_ELSEWHERE,
        REAL_FILES,
        set(SCHEMA_ENFORCED),
        _rows_present(),
    ]
    assert set().union(*accounted) == _all_checks()
    assert sum(map(len, accounted)) == len(_all_checks())  # each accounted for once


def test_checks_the_schema_enforces_cannot_fail() -> None:
    """Each check left out here restates a NOT NULL column or the table's primary key.

    ``rows present`` cannot fail either: a suite runs only when its table has rows for
    the period (``Suite.applies``), which is exactly what the check asks.
    """
    for (table, check), columns in SCHEMA_ENFORCED.items():
        primary_key = {c.name for c in metadata.tables[table].primary_key.columns}
        if check.endswith("not null"):
            assert all(not metadata.tables[table].c[c].nullable for c in columns), check
        else:
            assert primary_key == {"period", *columns}, (table, check)
    for suite in all_suites():
        if (suite.name, "rows present") in _rows_present():
            columns = ", ".join(suite.columns)
            assert suite.query == (
                f"SELECT {columns} FROM {suite.table_name} WHERE period = '{{period}}'"
            )
            assert suite.applies == (
                f"SELECT COUNT(*) FROM {suite.table_name} WHERE period = '{{period}}'"
            )


@pytest.fixture(scope="module", params=BACKENDS)
def clean_month(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The URL of a warehouse with the clean month loaded from real files, per backend.

    Loaded once per backend; each case checks a copy of its own (``month``).
    """
    folder = tmp_path_factory.mktemp("clean-month")
    with fresh_warehouse(request.param, folder, request) as url:
        engine = create_warehouse_engine(url)
        try:
            prepare_warehouse(engine)
            deliver(folder / "landing", PERIOD)
            load_month(engine, folder / "landing", PERIOD)
        finally:
            engine.dispose()  # a PostgreSQL template must have no connections
        yield url


@pytest.fixture
def month(clean_month: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh copy of the clean loaded month: a file copy, or a database from a template."""
    url = make_url(clean_month)
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        shutil.copy(url.database, tmp_path / "warehouse.db")
        yield f"sqlite:///{tmp_path / 'warehouse.db'}"
        return
    admin: sa.Engine = request.getfixturevalue("postgres_admin")
    name = f"indmon_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("violation", DIRECT_CASES, ids=lambda v: f"{v.suite}:{v.expectation}")
def test_a_check_fails_on_a_violation_written_directly(violation: Case, month: str) -> None:
    """The contract holds such rows at the door, so the violation is written directly to
    show the suite would catch it; every other check of the period still passes.
    """
    engine = create_warehouse_engine(month)
    try:
        with engine.begin() as connection:
            for statement in violation.sql:
                connection.execute(sa.text(statement), {"period": PERIOD, "d": D, "e": E})
    finally:
        engine.dispose()
    report = run_quality_checks(month, PERIOD, data_docs_dir=None)
    assert violation.key in failed(report)
    assert failed(report) == {violation.key, *violation.implied}


def test_tax_month_on_month_fails_when_a_real_month_triples(
    engine: sa.Engine, landing: Path
) -> None:
    """Real files: the tax bureau's March totals are three times February's (+200 %)."""
    deliver(landing, "2022-02")
    deliver(landing, PERIOD, tax_scale=3.0)
    load_month(engine, landing, "2022-02")
    load_month(engine, landing, PERIOD)
    report = run_quality_checks(
        engine.url.render_as_string(hide_password=False), PERIOD, data_docs_dir=None
    )
    assert failed(report) == {("cross_source_plausibility", "tax_mom_pct")}
    observed = {o.expectation: o.observed_value for o in report.failed}
    assert "200" in (observed["tax_mom_pct"] or "")
