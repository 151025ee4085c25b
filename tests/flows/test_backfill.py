"""Backfills of the demo county: in order, idle when nothing changed, the same on Dask."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from indmon.cli import app
from indmon.demo import DemoManifest, generate_demo
from tests.conftest import warehouse_like
from tests.flows.prefect_runs import task_run_names
from tests.warehouse.helpers import RUN_TABLES, rows, snapshot
from warehouse.engine import create_warehouse_engine

pytestmark = pytest.mark.usefixtures("prefect_harness")

#: Tables written per run (ids and times of the run), not the warehouse's content.


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoManifest:
    return generate_demo(tmp_path_factory.mktemp("demo") / "landing")


def test_a_second_backfill_of_the_demo_does_no_work(
    monkeypatch: pytest.MonkeyPatch, warehouse_url: str, demo: DemoManifest
) -> None:
    monkeypatch.setenv("INDMON_LANDING_DIR", str(demo.landing_dir))
    monkeypatch.setenv("INDMON_WAREHOUSE_URL", warehouse_url)
    runner = CliRunner(env={"COLUMNS": "160"})
    first = runner.invoke(app, ["backfill", "--from", "2021-01", "--to", "2022-12"])
    assert first.exit_code == 0, first.output
    # Not a terminal: one plain line per month as it completes, then the summary table.
    lines = first.output.splitlines()
    for period in [f"{year}-{month:02d}" for year in (2021, 2022) for month in range(1, 13)]:
        assert any(line.startswith(f"{period}: ") for line in lines), period
    assert "Backfill" in first.output and "\x1b[" not in first.output
    engine = create_warehouse_engine(warehouse_url)
    loaded = rows(engine, "SELECT DISTINCT source, period FROM ingest_ledger")
    # Every month of every monthly source (no statistics file in January), and the
    # targets once a year.
    assert len(loaded) == 24 * 6 - 2 + 2
    before = snapshot(engine)
    ledger_before = len(rows(engine, "SELECT * FROM ingest_ledger"))

    from flows.backfill import backfill

    state = backfill("2021-01", "2022-12", return_state=True)
    second = state.result()
    assert len(second) == len(loaded) and {o.status for o in second} == {"unchanged"}
    # No reading, loading or checking: only planning (hashing) and the ledger's note.
    tasks = task_run_names(state.state_details.flow_run_id)
    assert [t for t in tasks if t.startswith(("read", "load", "quality", "alerts"))] == []
    assert snapshot(engine) == before  # dq_result and alert included: no checks ran
    new = rows(engine, "SELECT status FROM ingest_ledger ORDER BY finished_at")[ledger_before:]
    assert new and {r.status for r in new} == {"unchanged"}

    # --only-missing skips every source-period loaded before, without hashing it again.
    only = runner.invoke(
        app, ["backfill", "--from", "2021-01", "--to", "2022-12", "--only-missing"]
    )
    assert only.exit_code == 0 and "│ skipped" in only.output and "│ loaded" not in only.output
    engine.dispose()


def _content(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_warehouse_engine(url)
    found = {k: v for k, v in snapshot(engine).items() if k not in RUN_TABLES}
    engine.dispose()
    return found


@pytest.fixture
def two_warehouses(
    warehouse_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[str, str]]:
    with warehouse_like(warehouse_url, tmp_path / "dask", request) as other:
        yield warehouse_url, other


def test_a_backfill_on_a_dask_cluster_builds_the_same_warehouse(
    monkeypatch: pytest.MonkeyPatch, two_warehouses: tuple[str, str], demo: DemoManifest
) -> None:
    from flows.backfill import backfill

    threads, dask = two_warehouses
    monkeypatch.setenv("INDMON_LANDING_DIR", str(demo.landing_dir))
    monkeypatch.setenv("INDMON_WAREHOUSE_URL", threads)
    by_threads = backfill("2021-11", "2022-03")
    monkeypatch.setenv("INDMON_WAREHOUSE_URL", dask)
    monkeypatch.setenv("INDMON_TASK_RUNNER", "dask")
    monkeypatch.setenv("INDMON_DASK_WORKERS", "2")
    by_dask = backfill("2021-11", "2022-03")
    assert [(o.source, o.period, o.status) for o in by_dask] == [
        (o.source, o.period, o.status) for o in by_threads
    ]
    assert {o.status for o in by_dask} == {"loaded"}
    content = _content(dask)
    assert sum(len(v) for k, v in content.items() if k.startswith("mart_")) > 1000
    assert content == _content(threads)


def test_backfill_refuses_a_bad_range_or_source() -> None:
    runner = CliRunner()
    assert (
        "after" in runner.invoke(app, ["backfill", "--from", "2022-03", "--to", "2022-01"]).output
    )
    result = runner.invoke(
        app, ["backfill", "--from", "2022-01", "--to", "2022-03", "--source", "gas"]
    )
    assert result.exit_code != 0 and "unknown source gas" in result.output
