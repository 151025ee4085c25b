"""Two runs of the same period at once: one loads, the other waits and finds it unchanged."""

from __future__ import annotations

import contextvars
import threading
from pathlib import Path

import pytest

from indmon.steps import prepare_warehouse
from tests.conftest import warehouse_like
from tests.warehouse.helpers import RUN_TABLES, load_month, rows, snapshot
from warehouse.engine import create_warehouse_engine
from warehouse.load import PeriodLoad

pytestmark = pytest.mark.usefixtures("prefect_harness")

#: Tables a run writes besides the data: each run's own ids and times.


def test_two_concurrent_runs_of_one_period_leave_one_consistent_result(
    monkeypatch: pytest.MonkeyPatch,
    warehouse_url: str,
    sample_landing: Path,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    from flows.monthly import monthly_load

    monkeypatch.setenv("INDMON_LANDING_DIR", str(sample_landing))
    monkeypatch.setenv("INDMON_WAREHOUSE_URL", warehouse_url)
    engine = create_warehouse_engine(warehouse_url)
    prepare_warehouse(engine)  # both runs then find the schema in place
    results: list[list[PeriodLoad]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run() -> None:
        start.wait()
        try:
            results.append(monthly_load("2022-03"))
        except BaseException as error:  # reported below
            errors.append(error)

    # Each thread runs in a copy of this context: the Prefect test server's settings.
    threads = [threading.Thread(target=contextvars.copy_context().run, args=(run,)) for _ in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = sorted(tuple(sorted(o.status for o in r)) for r in results)
    assert statuses == [("loaded",) * 7, ("unchanged",) * 7]
    ledger = rows(
        engine, "SELECT source, status, COUNT(*) AS n FROM ingest_ledger GROUP BY source, status"
    )
    per_source = {(r.source, r.status): r.n for r in ledger}
    assert {s for s, _ in per_source} == {
        "registry",
        "electricity",
        "tax",
        "statistics",
        "indicators",
        "projects",
        "targets",
    }
    for (source, status), n in per_source.items():
        files = per_source[(source, "loaded")]
        assert status in ("loaded", "unchanged") and n == files, (source, status)
    # One quality checkpoint ran, and the leases were given back.
    assert rows(engine, "SELECT COUNT(DISTINCT run_id) AS n FROM dq_result")[0].n == 1
    assert rows(engine, "SELECT COUNT(*) AS n FROM load_lease")[0].n == 0

    # The warehouse equals a single load of the same files.
    with warehouse_like(warehouse_url, tmp_path / "single", request) as single_url:
        single = create_warehouse_engine(single_url)
        prepare_warehouse(single)
        load_month(single, sample_landing, "2022-03")
        expected = {k: v for k, v in snapshot(single).items() if k not in RUN_TABLES}
        single.dispose()
    assert {k: v for k, v in snapshot(engine).items() if k not in RUN_TABLES} == expected
    engine.dispose()
