"""SQL sources: an agency's view in PostgreSQL, read with Polars and held to the file contract."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from indmon.catalogue import SOURCES
from indmon.landing import LandingUnavailable, fetch_period, list_period
from indmon.settings import Settings
from indmon.steps import load_prepared, prepare_period
from schemas.credit_code import complete_credit_code
from sources.rows import rows_bytes
from tests.conftest import POSTGRES_URL
from tests.files import code, statistics_row, tax_row, write_statistics_xlsx, write_tax_xlsx
from tests.landing.conftest import ledger
from tests.warehouse.helpers import rows, scalar
from warehouse.engine import create_warehouse_engine

PERIOD = "2022-03"
URL_ENV = "INDMON_TEST_TAX_DB_URL"
QUERY = 'SELECT * FROM v_tax_industry WHERE "所属期" = :period'

#: The tax bureau's data-exchange view: its columns are the headers of the tax extract.
VIEW = """
CREATE TABLE tax_paid (
    taxpayer_id text, taxpayer_name text, tax_period text,
    vat numeric(16, 2), cit numeric(16, 2), other numeric(16, 2), total numeric(16, 2),
    refund text, sales numeric(18, 2)
);
CREATE VIEW v_tax_industry AS SELECT
    taxpayer_id AS "纳税人识别号", taxpayer_name AS "纳税人名称", tax_period AS "所属期",
    vat AS "增值税", cit AS "企业所得税", other AS "其他税收", total AS "税收合计",
    refund AS "留抵退税额", sales AS "应税销售收入"
FROM tax_paid;
CREATE VIEW v_tax_renamed AS SELECT
    taxpayer_id AS "纳税人识别号", taxpayer_name AS "纳税人名称", tax_period AS "税款属期",
    vat AS "增值税", cit AS "企业所得税", other AS "其他税收", total AS "税收合计"
FROM tax_paid;
"""

GOOD = [
    (code(1), "濉溪县甲机械有限公司", PERIOD, 1200.50, 300.00, 45.25, 1545.75, "0", 250000.00),
    (code(2), "濉溪县乙食品有限公司", PERIOD, 800.00, 0.00, 12.10, 812.10, "150.00", 98000.00),
    (code(3), "濉溪县丙纺织有限公司", PERIOD, -40.00, 0.00, 0.00, -40.00, None, 0.00),
]
BAD = [
    # checksum wrong -> invalid_credit_code; total wrong -> total_mismatch;
    # an individual business (92…) -> not_an_enterprise; text refund -> not_a_number
    ("91340621MA00000499", "错码企业", PERIOD, 10.00, 0.00, 0.00, 10.00, "0", 1000.00),
    (code(5), "濉溪县戊建材有限公司", PERIOD, 100.00, 10.00, 1.00, 999.00, "0", 5000.00),
    (
        complete_credit_code("92340621MA000006"),
        "个体户",
        PERIOD,
        5.00,
        0.00,
        0.00,
        5.00,
        "0",
        100.00,
    ),
    (code(7), "濉溪县庚化工有限公司", PERIOD, 50.00, 0.00, 0.00, 50.00, "待核", 700.00),
]
OTHER_MONTH = [(code(1), "濉溪县甲机械有限公司", "2022-02", 999.00, 0.00, 0.00, 999.00, "0", 1.00)]


def _insert(connection: sa.Connection, records: list[tuple[object, ...]]) -> None:
    connection.execute(
        sa.text(
            "INSERT INTO tax_paid VALUES (:c, :n, :p, :vat, :cit, :other, :total, :refund, :sales)"
        ),
        [
            dict(
                zip(
                    ("c", "n", "p", "vat", "cit", "other", "total", "refund", "sales"),
                    r,
                    strict=True,
                )
            )
            for r in records
        ],
    )


@pytest.fixture
def agency_db(postgres_admin: sa.Engine) -> Iterator[str]:
    """A PostgreSQL database of the tax bureau's exchange platform, with its view."""
    name = f"indmon_agency_{uuid.uuid4().hex[:12]}"
    with postgres_admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(VIEW)
        _insert(connection, [*GOOD, *BAD, *OTHER_MONTH])
    engine.dispose()
    try:
        yield url
    finally:
        with postgres_admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sql_env(
    monkeypatch: pytest.MonkeyPatch, agency_db: str, landing: Path, archive_dir: Path
) -> str:
    """A bureau whose tax extract is the view, the other sources in an (empty) folder."""
    monkeypatch.setenv(URL_ENV, agency_db)
    monkeypatch.setenv(
        "INDMON_SQL_SOURCES", json.dumps({"tax": {"url_env": URL_ENV, "query": QUERY}})
    )
    monkeypatch.setenv("INDMON_LANDING_DIR", str(landing))
    monkeypatch.setenv("INDMON_ARCHIVE_DIR", str(archive_dir))
    return agency_db


@pytest.mark.usefixtures("prefect_harness")
def test_a_view_loads_through_the_tax_contract_with_bad_rows_held(
    sql_env: str, warehouse_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.monthly import monthly_load

    monkeypatch.setenv("INDMON_WAREHOUSE_URL", warehouse_url)
    (load,) = monthly_load(PERIOD, sources=["tax"])
    assert (load.source, load.status) == ("tax", "loaded")
    (outcome,) = load.files
    assert (outcome.file_name, outcome.rows_read, outcome.rows_loaded, outcome.rows_held) == (
        "sql:tax",
        7,
        3,
        4,
    )
    engine = create_warehouse_engine(warehouse_url)
    try:
        facts = rows(
            engine,
            "SELECT credit_code, vat_yuan, total_tax_yuan, vat_refund_yuan, file_name, row_number"
            " FROM stg_tax WHERE period = :p ORDER BY credit_code",
            p=PERIOD,
        )
        assert [tuple(r)[:5] for r in facts] == [
            (code(1), 1200.5, 1545.75, 0.0, "sql:tax"),
            (code(2), 800.0, 812.1, 150.0, "sql:tax"),
            (code(3), -40.0, -40.0, None, "sql:tax"),
        ]
        assert scalar(engine, "SELECT SUM(vat_yuan) FROM fact_tax WHERE period = :p", p=PERIOD) == (
            1960.5
        )
        held = rows(
            engine,
            "SELECT file_name, row_number, reason, column_name, raw FROM held_row"
            " WHERE source = 'tax' ORDER BY reason",
        )
        assert [(r.file_name, r.reason, r.column_name) for r in held] == [
            ("sql:tax", "invalid_credit_code", "纳税人识别号"),
            ("sql:tax", "not_a_number", "留抵退税额"),
            ("sql:tax", "not_an_enterprise", "纳税人识别号"),
            ("sql:tax", "total_mismatch", "税收合计"),
        ]
        raw = {r.reason: r.raw if isinstance(r.raw, dict) else json.loads(r.raw) for r in held}
        assert raw["not_a_number"]["留抵退税额"] == "待核"
        assert raw["total_mismatch"]["税收合计"] == "999.00"
        # Rows are numbered 1..n in the archived result, which holds them as read.
        archived = _archived_rows(engine, Settings().resolved_archive_dir)
        for r in held:
            assert archived[r.row_number - 1][0] == raw[r.reason]["纳税人识别号"]
        for f in facts:
            assert archived[f.row_number - 1][0] == f.credit_code
        assert sorted([*(r.row_number for r in held), *(f.row_number for f in facts)]) == list(
            range(1, 8)
        )

        # The same view again is unchanged, whatever order the database returns rows in.
        agency = sa.create_engine(sql_env)
        with agency.begin() as connection:
            connection.execute(
                sa.text("UPDATE tax_paid SET cit = cit WHERE taxpayer_id = :c"), {"c": code(1)}
            )
            order = connection.execute(sa.text("SELECT taxpayer_id FROM tax_paid")).scalars()
            assert next(iter(order)) != code(1)
        (again,) = monthly_load(PERIOD, sources=["tax"])
        assert again.status == "unchanged"
        # A corrected row is a new delivery: reloaded, both hashes in the ledger.
        with agency.begin() as connection:
            connection.execute(
                sa.text("UPDATE tax_paid SET total = 111.00 WHERE taxpayer_id = :c"), {"c": code(5)}
            )
        agency.dispose()
        (revised,) = monthly_load(PERIOD, sources=["tax"])
        assert (revised.status, revised.rows_held) == ("loaded", 3)
        hashes = {sha for _, name, sha, _ in ledger(engine) if name == "sql:tax"}
        assert len(hashes) == 2
        assert scalar(engine, "SELECT COUNT(*) FROM fact_tax WHERE period = :p", p=PERIOD) == 4
    finally:
        engine.dispose()


def _archived_rows(engine: sa.Engine, archive_dir: Path) -> list[list[str | None]]:
    from indmon.landing import archived_files

    (landed,) = archived_files(engine, archive_dir, "tax", PERIOD)
    lines = landed.archive_path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])[:3] == ["纳税人识别号", "纳税人名称", "所属期"]
    return [json.loads(line) for line in lines[1:]]


def test_a_query_without_a_required_column_is_refused_naming_query_and_column(
    sql_env: str, engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = 'SELECT * FROM v_tax_renamed WHERE "税款属期" = :period'
    monkeypatch.setenv(
        "INDMON_SQL_SOURCES", json.dumps({"tax": {"url_env": URL_ENV, "query": query}})
    )
    landed = fetch_period(Settings(), "tax", PERIOD)
    assert [f.file_name for f in landed] == ["sql:tax"]
    load = load_prepared(engine, prepare_period(SOURCES["tax"], PERIOD, landed))
    assert load.status == "refused"
    (outcome,) = load.files
    assert outcome.message is not None
    assert outcome.message.startswith("sql:tax: the query returns no column 所属期")
    assert "税款属期" in outcome.message
    assert scalar(engine, "SELECT COUNT(*) FROM fact_tax") == 0


def test_a_query_that_fails_names_the_source_and_hides_the_password(
    sql_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        URL_ENV,
        make_url(sql_env)
        .set(password="s3cret-Pw", database="no_such_db")
        .render_as_string(hide_password=False),
    )
    with pytest.raises(LandingUnavailable) as caught:
        fetch_period(Settings(), "tax", PERIOD)
    assert str(caught.value).startswith("sql:tax: the query cannot be run on postgresql")
    assert "s3cret-Pw" not in str(caught.value) and "no_such_db" in str(caught.value)
    monkeypatch.delenv(URL_ENV)
    with pytest.raises(LandingUnavailable, match=f"sql:tax: the environment variable {URL_ENV}"):
        fetch_period(Settings(), "tax", PERIOD)


def test_no_rows_for_the_month_means_not_delivered(sql_env: str) -> None:
    assert fetch_period(Settings(), "tax", "2021-07") == []
    assert list_period(Settings(), "tax", "2021-07") == []
    assert list_period(Settings(), "tax", PERIOD) == ["sql:tax"]


@pytest.mark.parametrize("source", ["tax", "statistics"])
def test_a_query_result_reads_like_the_agency_file(source: str, tmp_path: Path) -> None:
    """The same rows as a workbook and as a query give the same canonical columns."""
    if source == "tax":
        records = [tax_row(code(1), "甲厂", 1200.5, 300.0, 45.25), tax_row(code(2), "乙厂", 800.0)]
        workbook = write_tax_xlsx(tmp_path / "tax.xlsx", records)
        names = [
            "纳税人识别号",
            "纳税人名称",
            "所属期",
            "增值税",
            "企业所得税",
            "其他税收",
            "税收合计",
            "留抵退税额",
            "应税销售收入",
        ]
    else:
        records = [
            statistics_row(code(1), "甲厂", 1234.5, 1000.0),
            statistics_row(code(2), "乙厂", 800.0, None),
        ]
        workbook = write_statistics_xlsx(tmp_path / "statistics.xlsx", records)
        names = ["统一社会信用代码", "单位详细名称", "行业代码", "区划代码"]
        for group in ("工业总产值（千元）", "营业收入（千元）", "利润总额（千元）"):
            names += [f"{group}/本年累计", f"{group}/上年同期"]
        names += [
            "从业人员平均人数（人）",
            "综合能源消费量（吨标准煤）/本年累计",
            "综合能源消费量（吨标准煤）/上年同期",
        ]
    frame = pl.DataFrame([list(r) for r in records], schema=names, orient="row")
    result = tmp_path / "query.jsonl"
    result.write_bytes(rows_bytes(frame))

    read = SOURCES[source].read
    from_file, from_query = read(workbook), read(result)
    canonical = [c for c in from_file.rows.columns if c not in ("file_name", "row_number", "raw")]
    assert from_query.rows.columns == from_file.rows.columns
    assert (
        from_query.rows.select(canonical)
        .sort("credit_code")
        .equals(from_file.rows.select(canonical).sort("credit_code"))
    )
    assert from_query.rows.get_column("row_number").to_list() == [1, 2]
