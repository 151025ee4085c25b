"""Deployments: one definition for prefect.yaml and `indmon serve`; served, they run.

The served test starts a Prefect runner (what `indmon serve` runs) against the session's
test server, triggers the monthly deployment for a period and finds the warehouse loaded.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

from indmon.catalogue import SOURCES
from indmon.parameters import SourceName, previous_period, resolve_period
from indmon.schedules import deployment_specs, prefect_project
from indmon.settings import Settings
from tests.warehouse.helpers import scalar
from warehouse.engine import create_warehouse_engine

pytestmark = pytest.mark.usefixtures("prefect_harness")
ROOT = Path(__file__).resolve().parents[2]


def test_prefect_yaml_is_the_generated_project_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INDMON_ARRIVAL_DAYS", raising=False)
    committed = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    assert committed == prefect_project(Settings())
    by_name = {d["name"]: d for d in committed["deployments"]}
    assert by_name["monthly-load-tax"]["schedules"] == [
        {"cron": "0 9 12 * *", "timezone": "Asia/Shanghai", "active": True}
    ]
    assert by_name["monthly-load-tax"]["parameters"] == {"sources": ["tax"]}
    assert by_name["monthly-report"]["entrypoint"] == "flows/report.py:monthly_report"
    for deployment in committed["deployments"]:
        path = deployment["entrypoint"].split(":")[0]
        assert (ROOT / path).exists() or path == "flows/report.py"  # the report: issue 6


def test_arrival_days_move_the_schedules() -> None:
    specs = {
        s.name: s.cron
        for s in deployment_specs(Settings(arrival_days={"electricity": 3, "tax": 20}))
    }
    assert specs == {
        "monthly-load-electricity": "0 9 3 * *",
        "monthly-load-tax": "0 9 20 * *",
        "monthly-load": "0 9 21 * *",
        "quality-checkpoint": "0 12 21 * *",
        "monthly-report": "0 9 22 * *",
    }


def test_parameters_are_checked() -> None:
    assert set(get_args(SourceName)) == set(SOURCES)
    assert previous_period(date(2022, 1, 5)) == "2021-12"
    assert resolve_period(None, date(2022, 4, 12)) == "2022-03"
    with pytest.raises(ValueError, match="YYYY-MM"):
        resolve_period("2022-13", date(2022, 4, 12))


def test_the_flows_refuse_a_bad_period_or_source(
    monkeypatch: pytest.MonkeyPatch, warehouse_url: str, landing: Path
) -> None:
    from prefect.exceptions import ParameterTypeError

    from flows.backfill import backfill
    from flows.monthly import monthly_load

    monkeypatch.setenv("INDMON_LANDING_DIR", str(landing))
    monkeypatch.setenv("INDMON_WAREHOUSE_URL", warehouse_url)
    with pytest.raises(ParameterTypeError, match="period"):
        monthly_load("2022-3")
    with pytest.raises(ParameterTypeError, match="sources"):
        monthly_load("2022-03", sources=["gas"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="after"):
        backfill("2022-03", "2022-01")


@pytest.fixture
def served(
    monkeypatch: pytest.MonkeyPatch, warehouse_url: str, sample_landing: Path
) -> Iterator[str]:
    """The deployments served by a runner in a thread (as `indmon serve` does)."""
    from prefect.runner import Runner

    from indmon.serving import runner_deployments

    monkeypatch.setenv("INDMON_LANDING_DIR", str(sample_landing))
    monkeypatch.setenv("INDMON_WAREHOUSE_URL", warehouse_url)
    deployments, _ = runner_deployments(Settings())
    started = threading.Event()
    state: dict[str, Any] = {}

    async def serve() -> None:
        runner = Runner(name="indmon-test", pause_on_shutdown=False, query_seconds=1)
        for deployment in deployments:
            await runner.aadd_deployment(deployment)
        state["runner"], state["loop"] = runner, asyncio.get_running_loop()
        started.set()
        await runner.start()

    thread = threading.Thread(
        target=contextvars.copy_context().run, args=(asyncio.run, serve()), daemon=True
    )
    thread.start()
    assert started.wait(120), "the runner did not start"
    yield warehouse_url
    asyncio.run_coroutine_threadsafe(state["runner"].astop(), state["loop"]).result(60)
    thread.join(60)


def test_the_served_monthly_deployment_loads_a_period(served: str) -> None:
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment

    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name("monthly-load/monthly-load-tax")
        crons = [(s.schedule.cron, s.schedule.timezone) for s in deployment.schedules]
        assert crons == [("0 9 12 * *", "Asia/Shanghai")]
        assert deployment.parameters == {"sources": ["tax"]}
        names = {d.name for d in client.read_deployments()}
    assert {"monthly-load", "quality-checkpoint", "monthly-load-electricity"} <= names

    run = run_deployment("monthly-load/monthly-load", parameters={"period": "2022-03"}, timeout=600)
    assert run.state is not None and run.state.is_completed(), run.state
    engine = create_warehouse_engine(served)
    assert scalar(engine, "SELECT COUNT(*) FROM ingest_ledger WHERE status = 'loaded'") == 7
    assert (
        scalar(
            engine,
            "SELECT value FROM mart_indicator_month WHERE region_code = '340621000000' "
            "AND period = '2022-03' AND indicator = 'electricity_kwh'",
        )
        == 17962781
    )
    engine.dispose()
