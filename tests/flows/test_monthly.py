"""The monthly-load flow and the ``indmon`` command, run under a real Prefect test server."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from indmon.cli import app
from tests.files import code, electricity_rows, tax_row, write_electricity_csv, write_tax_xlsx
from tests.warehouse.helpers import rows, scalar, snapshot
from warehouse.engine import create_warehouse_engine
from warehouse.schema import head_revision

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, warehouse_url: str, sample_landing: Path) -> str:
    monkeypatch.setenv("INDMON_LANDING_DIR", str(sample_landing))
    monkeypatch.setenv("INDMON_WAREHOUSE_URL", warehouse_url)
    return warehouse_url


def test_flow_loads_every_source_present(env: str) -> None:
    from flows.monthly import monthly_load

    loads = monthly_load("2022-03")
    # The register loads first: the facts resolve against it.
    assert loads[0].source == "registry"
    assert {load.source: load.status for load in loads} == dict.fromkeys(
        ("registry", "electricity", "tax", "statistics", "indicators"), "loaded"
    )
    engine = create_warehouse_engine(env)
    assert (
        scalar(
            engine,
            "SELECT value FROM mart_indicator_month WHERE region_code = "
            "'340621000000' AND period = '2022-03' AND indicator = 'electricity_kwh'",
        )
        == 17962781
    )
    engine.dispose()


def test_cli_run_prints_a_summary_and_is_idempotent(env: str, sample_landing: Path) -> None:
    runner = CliRunner(env={"COLUMNS": "160"})
    first = runner.invoke(app, ["run", "--period", "2022-03"])
    assert first.exit_code == 0, first.output
    assert "electricity_202203.csv" in first.output and "loaded" in first.output
    engine = create_warehouse_engine(env)
    before = snapshot(engine)
    second = runner.invoke(app, ["run", "--period", "2022-03", "--landing", str(sample_landing)])
    assert second.exit_code == 0, second.output
    assert "unchanged" in second.output
    assert snapshot(engine) == before
    engine.dispose()


def test_cli_run_refuses_a_bad_file_with_a_clear_message(env: str, sample_landing: Path) -> None:
    bad = sample_landing / "electricity" / "2022-04" / "城区_202204.csv"
    write_electricity_csv(
        bad, electricity_rows([("1000000001", "甲", code(1), 5, 4)], "202204"), total=6
    )
    result = CliRunner().invoke(app, ["run", "--period", "2022-04"])
    assert result.exit_code == 2
    assert "城区_202204.csv" in result.output and "合计" in result.output
    engine = create_warehouse_engine(env)
    assert scalar(engine, "SELECT COUNT(*) FROM fact_electricity WHERE period = '2022-04'") == 0
    assert scalar(engine, "SELECT status FROM ingest_ledger WHERE period = '2022-04'") == "refused"
    engine.dispose()


def test_cli_rejects_a_malformed_period(env: str) -> None:
    result = CliRunner().invoke(app, ["run", "--period", "2022-13"])
    assert result.exit_code != 0 and "YYYY-MM" in result.output


def test_cli_accounts_lists_and_maps(env: str, sample_landing: Path) -> None:
    folder = sample_landing / "electricity" / "2022-05"
    write_electricity_csv(
        folder / "e.csv", electricity_rows([("1000000077", "无名户", "", 5, 4)], "202205")
    )
    runner = CliRunner()
    assert runner.invoke(app, ["run", "--period", "2022-05"]).exit_code == 0
    listed = runner.invoke(app, ["accounts"])
    assert listed.exit_code == 0 and "1000000077" in listed.output
    mapped = runner.invoke(app, ["accounts", "map", "1000000077", "91340621MA3HCLE85T"])
    assert mapped.exit_code == 0, mapped.output
    assert "1000000077" not in runner.invoke(app, ["accounts"]).output
    refused = runner.invoke(app, ["accounts", "map", "1000000077", "91340621MA3HCLE85X"])
    assert refused.exit_code == 2


def test_db_upgrade_reports_the_revision(env: str) -> None:
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0 and f"revision {head_revision()}" in result.output
    engine: sa.Engine = create_warehouse_engine(env)
    assert scalar(engine, "SELECT COUNT(*) FROM dim_region") == 14
    assert scalar(engine, "SELECT COUNT(*) FROM dim_industry WHERE is_industry") > 500
    engine.dispose()


def test_cli_unregistered_lists_enterprises_missing_from_the_register(
    env: str, sample_landing: Path
) -> None:
    tax_folder = sample_landing / "tax" / "2022-04"
    write_tax_xlsx(
        tax_folder / "t.xlsx",
        [tax_row(code(9), "未登记公司", 10.0, period="2022-04")],
        title="濉溪县工业企业税收入库明细（2022年4月）",
    )
    runner = CliRunner(env={"COLUMNS": "200"})
    assert runner.invoke(app, ["run", "--period", "2022-03"]).exit_code == 0
    assert runner.invoke(app, ["run", "--period", "2022-04"]).exit_code == 0
    listed = runner.invoke(app, ["unregistered"])
    assert listed.exit_code == 0 and code(9) in listed.output and "未登记公司" in listed.output
    assert code(9) not in runner.invoke(app, ["unregistered", "--period", "2022-03"]).output


def test_cli_demo_generates_and_loads(
    monkeypatch: pytest.MonkeyPatch, warehouse_url: str, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    # The flag must win over the environment (and the CLI's export is undone afterwards).
    monkeypatch.setenv("INDMON_WAREHOUSE_URL", f"sqlite:///{tmp_path / 'not-this.db'}")
    monkeypatch.setenv("INDMON_LANDING_DIR", str(tmp_path / "not-this"))
    result = CliRunner(env={"COLUMNS": "160"}).invoke(
        app, ["demo", "--months", "2", "--warehouse", warehouse_url]
    )
    assert result.exit_code == 0, result.output
    assert "generated 2 months" in result.output and "warehouse:" in result.output
    assert "data quality:" in result.output
    engine = create_warehouse_engine(warehouse_url)
    periods = {r.period for r in rows(engine, "SELECT DISTINCT period FROM mart_indicator_month")}
    assert periods == {"2021-01", "2021-02"}
    assert (tmp_path / "var" / "demo-landing" / "demo_manifest.json").exists()
    assert not (tmp_path / "not-this.db").exists()
    engine.dispose()


def test_cli_validate_prints_held_rows_without_loading(tmp_path: Path) -> None:
    folder = tmp_path / "tax" / "2022-03"
    write_tax_xlsx(
        folder / "税收.xlsx",
        [
            tax_row(code(1), "甲公司", 10.0),
            tax_row(code(2), "乙公司", 10.0, total=99.0),
        ],
    )
    runner = CliRunner(env={"COLUMNS": "200"})
    result = runner.invoke(app, ["validate", str(folder / "税收.xlsx"), "--source", "tax"])
    assert result.exit_code == 0, result.output
    assert "2 rows read, 1 would load, 1 would be held" in result.output
    assert "total_mismatch" in result.output and "税收合计不等于各税种之和" in result.output
    assert not (tmp_path / "var").exists()


def test_cli_validate_exits_non_zero_when_the_file_would_be_refused(tmp_path: Path) -> None:
    path = write_tax_xlsx(
        tmp_path / "万元.xlsx", [tax_row(code(1), "甲公司", 10.0)], unit="单位：万元"
    )
    runner = CliRunner(env={"COLUMNS": "200"})
    result = runner.invoke(app, ["validate", str(path), "--source", "tax", "--period", "2022-03"])
    assert result.exit_code == 2 and "万元.xlsx" in result.output and "refused" in result.output
    no_period = runner.invoke(app, ["validate", str(path), "--source", "tax"])
    assert no_period.exit_code != 0 and "--period" in no_period.output
