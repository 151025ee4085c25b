"""A scheduled run whose source has not arrived: awaited, alerted once, loaded by a later run.

Also what each run publishes to Prefect: the load report and the headline indicators,
read back through the Prefect client from the session's test server.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from tests.conftest import SAMPLES
from tests.warehouse.helpers import rows
from warehouse.engine import create_warehouse_engine

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _scheduled_tax_run(as_of: date) -> tuple[list[Any], UUID]:
    """A run as the tax schedule starts it: no period, only the tax source."""
    from flows.monthly import monthly_load

    state = monthly_load(sources=["tax"], as_of=as_of, return_state=True)
    assert state.is_completed(), state
    return state.result(), state.state_details.flow_run_id


def _artifacts(flow_run_id: UUID) -> dict[str, Any]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return {artifact.key: artifact for artifact in found}


def test_a_late_source_is_awaited_alerted_once_and_loaded_when_it_lands(
    monkeypatch: pytest.MonkeyPatch, warehouse_url: str, landing: Path
) -> None:
    monkeypatch.setenv("INDMON_LANDING_DIR", str(landing))
    monkeypatch.setenv("INDMON_WAREHOUSE_URL", warehouse_url)
    engine = create_warehouse_engine(warehouse_url)

    # 13 April: the tax file for March (due the 12th) has not landed.
    loads, _ = _scheduled_tax_run(date(2022, 4, 13))
    assert [(o.source, o.period, o.status) for o in loads] == [("tax", "2022-03", "awaited")]
    _scheduled_tax_run(date(2022, 4, 14))  # still not there: no second alert
    late = rows(engine, "SELECT source, period FROM alert WHERE kind = 'source_late'")
    assert [tuple(r) for r in late] == [("tax", "2022-03")]
    awaited = rows(engine, "SELECT source, period, due_on, arrived_at FROM awaited_source")
    assert [(r.source, r.period, str(r.due_on), r.arrived_at) for r in awaited] == [
        ("tax", "2022-03", "2022-04-12", None)
    ]

    # It lands; the May run (for April) picks March up as well.
    (landing / "tax" / "2022-03").mkdir(parents=True)
    shutil.copy(SAMPLES / "tax_2022-03.xlsx", landing / "tax" / "2022-03")
    loads, run_id = _scheduled_tax_run(date(2022, 5, 12))
    assert [(o.source, o.period, o.status) for o in loads] == [
        ("tax", "2022-03", "loaded"),
        ("tax", "2022-04", "awaited"),
    ]
    arrived = rows(engine, "SELECT period FROM awaited_source WHERE arrived_at IS NOT NULL")
    assert [r.period for r in arrived] == ["2022-03"]
    assert rows(engine, "SELECT COUNT(*) AS n FROM fact_tax WHERE period = '2022-03'")[0].n > 0
    engine.dispose()

    artifacts = _artifacts(run_id)
    assert set(artifacts) == {"load-report", "headline-indicators-2022-03", "monthly-report"}
    report = artifacts["load-report"].data
    assert "| 2022-03 | tax | loaded |" in report and "tax 2022-04: no file yet" in report
    table = artifacts["headline-indicators-2022-03"]
    assert table.type == "table"
    headlines = {row["indicator"]: row for row in json.loads(table.data)}
    assert {"vat_yuan", "total_tax_yuan", "taxable_sales_yuan"} <= set(headlines)
    assert headlines["vat_yuan"]["名称"] == "增值税" and headlines["vat_yuan"]["value"] > 0
