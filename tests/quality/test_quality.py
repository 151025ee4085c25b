"""Quality suites run on real months loaded through the pipeline, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

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
from tests.warehouse.helpers import load_month, rows, scalar
from warehouse.quality import QualityBounds, QualityReport, run_quality_checks

A, B, C, D = code(1), code(2), code(3), code(4)


def _month_name(period: str) -> str:
    year, month = period.split("-")
    return f"{year}年{int(month)}月"


def deliver(
    landing: Path,
    period: str,
    *,
    kwh: dict[str, int],
    statistics: dict[str, float],
    register: bool = True,
) -> None:
    """Register A, B (above scale) and C; electricity, tax and statistics files for ``period``."""
    names = {A: "甲公司", B: "乙公司", C: "丙公司", D: "丁公司"}
    if register:
        write_registry_csv(
            landing / "registry" / period / "名录.csv",
            [
                registry_row(A, "甲公司", "韩村镇"),
                registry_row(B, "乙公司", "刘桥镇"),
                registry_row(C, "丙公司", above_scale="否"),
            ],
        )
    write_electricity_csv(
        landing / "electricity" / period / "电量.csv",
        electricity_rows(
            [(f"10000{i}", names[c], c, k, None) for i, (c, k) in enumerate(kwh.items())],
            period=period.replace("-", ""),
        ),
    )
    write_tax_xlsx(
        landing / "tax" / period / "税收.xlsx",
        [tax_row(c, names[c], 1000.0, 200.0, period=period) for c in (A, B, C)],
        title=f"濉溪县工业企业税收入库明细（{_month_name(period)}）",
    )
    year, month = period.split("-")
    write_statistics_xlsx(
        landing / "statistics" / period / "规上.xlsx",
        [statistics_row(c, names[c], out, out * 0.9) for c, out in statistics.items()],
        months=f"{year}年1-{int(month)}月",
    )


def check(engine: sa.Engine, period: str, docs: Path | None) -> QualityReport:
    url = engine.url.render_as_string(hide_password=False)
    return run_quality_checks(url, period, data_docs_dir=docs, bounds=QualityBounds())


def failed(report: QualityReport) -> set[tuple[str, str]]:
    return {(o.suite, o.expectation) for o in report.failed}


def test_a_clean_month_passes_every_expectation(
    engine: sa.Engine, landing: Path, tmp_path: Path
) -> None:
    deliver(landing, "2022-03", kwh={A: 50_000, B: 30_000, C: 1_000}, statistics={A: 300, B: 200})
    load_month(engine, landing, "2022-03")
    report = check(engine, "2022-03", tmp_path / "docs")
    assert report.failed == ()
    suites = {o.suite for o in report.outcomes}
    assert {"fact_electricity", "fact_tax", "fact_statistics", "ingest_reconciliation"} <= suites
    assert {"referential_integrity", "completeness", "cross_source_plausibility"} <= suites
    assert report.skipped == ("mart_published_indicator",)  # no indicators file delivered
    stored = rows(
        engine, "SELECT * FROM dq_result WHERE run_id = :r AND period = '2022-03'", r=report.run_id
    )
    assert len(stored) == len(report.outcomes) and all(r.success for r in stored)
    observed = {(r.suite, r.expectation): r.observed_value for r in stored}
    assert observed[("ingest_reconciliation", "files_not_reconciled")] == "0"
    assert report.data_docs_index is not None and report.data_docs_index.is_file()


def deliver_implausible_march(landing: Path) -> None:
    """A clean February, then a March whose deliveries fail the cross-source checks.

    March: the utility's kWh triple; B (above scale, registered) uses electricity but is
    missing from the statistics file; D reports output but has no electricity account.
    """
    deliver(landing, "2022-02", kwh={A: 50_000, B: 30_000, C: 1_000}, statistics={A: 200, B: 150})
    deliver(
        landing,
        "2022-03",
        kwh={A: 150_000, B: 90_000, C: 3_000},
        statistics={A: 300, D: 100},
        register=False,
    )


def load_implausible_march(engine: sa.Engine, landing: Path) -> None:
    """:func:`deliver_implausible_march`, then both months loaded."""
    deliver_implausible_march(landing)
    load_month(engine, landing, "2022-02")
    load_month(engine, landing, "2022-03")


def test_cross_source_checks_fail_on_implausible_deliveries(
    engine: sa.Engine, landing: Path, tmp_path: Path
) -> None:
    load_implausible_march(engine, landing)
    docs = tmp_path / "docs"
    assert check(engine, "2022-02", docs).failed == ()
    report = check(engine, "2022-03", docs)
    assert failed(report) == {
        ("cross_source_plausibility", "electricity_mom_pct"),
        ("cross_source_plausibility", "above_scale_electricity_without_statistics"),
        ("cross_source_plausibility", "statistics_output_without_electricity"),
    }
    observed = {o.expectation: o.observed_value for o in report.outcomes}
    assert observed["above_scale_electricity_without_statistics"] == "1"
    assert observed["statistics_output_without_electricity"] == "1"
    assert "200" in (observed["electricity_mom_pct"] or "")  # +200 %
    assert observed["tax_mom_pct"] == "1 of 1 rows checked, none unexpected"
    assert scalar(engine, "SELECT COUNT(*) FROM dq_result WHERE NOT success") == 3
    # Data Docs: the index lists both runs; a page shows the failed expectation by name.
    assert report.data_docs_index is not None
    index = report.data_docs_index.read_text(encoding="utf-8")
    assert "cross_source_plausibility" in index and "2022-02" in index and "2022-03" in index
    pages = [p.read_text(encoding="utf-8") for p in docs.rglob("*.html")]
    assert any("statistics_output_without_electricity" in page for page in pages)


def test_reconciliation_fails_when_the_ledger_disagrees(engine: sa.Engine, landing: Path) -> None:
    deliver(landing, "2022-03", kwh={A: 50_000, B: 30_000, C: 1_000}, statistics={A: 300, B: 200})
    load_month(engine, landing, "2022-03")
    # The loader writes the ledger from the same split it loads, so a real file cannot
    # make it disagree; a ledger edited (or a load cut short) can: say one row more was
    # read than loaded or held, and a 合计 that is not the loaded rows' sum.
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "UPDATE ingest_ledger SET rows_read = rows_read + 1, "
                "control_total = control_total + 100 WHERE source = 'electricity'"
            )
        )
    report = check(engine, "2022-03", None)
    assert failed(report) == {
        ("ingest_reconciliation", "files_not_reconciled"),
        ("ingest_reconciliation", "control_totals_not_reconciled"),
    }
    assert report.data_docs_index is None


def test_a_period_with_nothing_loaded_checks_nothing(engine: sa.Engine) -> None:
    report = check(engine, "2022-05", None)
    assert report.outcomes == () and "fact_electricity" in report.skipped


def test_a_period_must_be_a_month(engine: sa.Engine) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        check(engine, "2022-13", None)
