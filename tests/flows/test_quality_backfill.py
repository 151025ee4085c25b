"""A backfill checks the months it loaded in one quality task; each month keeps its alerts.

Real parts: the Prefect test server and the warehouse on each backend. The months are
those of ``tests/quality/test_quality.py``: a clean February, then a March whose
deliveries fail three cross-source checks.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.flows.prefect_runs import task_run_names
from tests.quality.test_quality import deliver_implausible_march, load_implausible_march
from tests.warehouse.helpers import rows
from warehouse.engine import create_warehouse_engine

pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_a_backfill_runs_one_quality_task_and_alerts_each_month_for_its_own_checks(
    monkeypatch: pytest.MonkeyPatch, warehouse_url: str, landing: Path, tmp_path: Path
) -> None:
    deliver_implausible_march(landing)
    monkeypatch.setenv("INDMON_LANDING_DIR", str(landing))
    monkeypatch.setenv("INDMON_WAREHOUSE_URL", warehouse_url)
    monkeypatch.setenv("INDMON_DATA_DOCS_DIR", str(tmp_path / "docs"))
    from flows.backfill import backfill

    state = backfill("2022-02", "2022-03", as_of=date(2022, 4, 20), return_state=True)
    assert {o.status for o in state.result() if o.source != "registry"} == {"loaded"}
    tasks = task_run_names(state.state_details.flow_run_id)
    assert [t for t in tasks if t.startswith("quality")] == ["quality-2022-02..2022-03"]
    assert [t for t in tasks if t.startswith("alerts")] == ["alerts-2022-02", "alerts-2022-03"]

    engine = create_warehouse_engine(warehouse_url)
    try:
        checked = rows(
            engine, "SELECT period, COUNT(DISTINCT run_id) AS runs FROM dq_result GROUP BY period"
        )
        quality_alerts = rows(
            engine, "SELECT period, subject FROM alert WHERE kind = 'dq_failed' ORDER BY subject"
        )
    finally:
        engine.dispose()
    assert {(r.period, r.runs) for r in checked} == {("2022-02", 1), ("2022-03", 1)}
    assert [r.period for r in quality_alerts] == ["2022-03"] * 3
    assert [r.subject.split(" / ")[1] for r in quality_alerts] == [
        "above_scale_electricity_without_statistics",
        "electricity_mom_pct",
        "statistics_output_without_electricity",
    ]
    assert (tmp_path / "docs" / "quality.html").is_file()


def test_the_quality_checkpoint_flow_checks_one_month_and_alerts_its_failures(
    monkeypatch: pytest.MonkeyPatch,
    engine: sa.Engine,
    warehouse_url: str,
    landing: Path,
    tmp_path: Path,
) -> None:
    load_implausible_march(engine, landing)
    monkeypatch.setenv("INDMON_WAREHOUSE_URL", warehouse_url)
    monkeypatch.setenv("INDMON_DATA_DOCS_DIR", str(tmp_path / "docs"))
    from flows.quality import quality_checkpoint

    report = quality_checkpoint("2022-03", as_of=date(2022, 4, 20))

    assert report.period == "2022-03"
    assert {o.expectation for o in report.failed} == {
        "above_scale_electricity_without_statistics",
        "electricity_mom_pct",
        "statistics_output_without_electricity",
    }
    checked = rows(engine, "SELECT DISTINCT period FROM dq_result")
    quality_alerts = rows(engine, "SELECT period FROM alert WHERE kind = 'dq_failed'")
    assert [r.period for r in checked] == ["2022-03"]
    assert [r.period for r in quality_alerts] == ["2022-03"] * 3
