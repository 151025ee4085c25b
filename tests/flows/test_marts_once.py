"""A run rebuilds each mart once after its loads, and completes what a failed run left.

Under the Prefect test server, on SQLite and PostgreSQL: the marts a run builds equal
those of loads that each rebuild their own; a run whose mart rebuild fails leaves its
loads' facts committed and their notes in ``mart_pending``, and the next run or
``indmon marts rebuild`` completes the marts; running again changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

import flows.partitions
import warehouse.marts
from flows.tasks import rebuild_marts
from indmon.cli import app
from indmon.steps import prepare_warehouse
from tests.conftest import warehouse_like
from tests.warehouse.helpers import (
    assert_same_content,
    assert_same_rows,
    count_mart_rebuilds,
    load_month,
    rows,
    scalar,
    snapshot,
)
from warehouse.engine import create_warehouse_engine
from warehouse.mart_pending import pending_marts
from warehouse.marts import ALL_MARTS

pytestmark = pytest.mark.usefixtures("prefect_harness")

SOURCES = ("registry", "electricity", "tax", "statistics", "indicators", "projects", "targets")


@pytest.fixture
def env(
    monkeypatch: pytest.MonkeyPatch, warehouse_url: str, sample_landing: Path
) -> Iterator[sa.Engine]:
    monkeypatch.setenv("INDMON_LANDING_DIR", str(sample_landing))
    monkeypatch.setenv("INDMON_WAREHOUSE_URL", warehouse_url)
    engine = create_warehouse_engine(warehouse_url)
    prepare_warehouse(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def per_load(
    warehouse_url: str, sample_landing: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[sa.Engine]:
    """A warehouse of the same backend where each load rebuilt its own marts (the old flow)."""
    with warehouse_like(warehouse_url, tmp_path / "per-load", request) as url:
        engine = create_warehouse_engine(url)
        prepare_warehouse(engine)
        load_month(engine, sample_landing, "2022-03")
        yield engine
        engine.dispose()


def _fail_mart_rebuilds(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Make the town ranking's rebuild fail; the run's rebuild retries without waiting."""
    monkeypatch.setattr(
        flows.partitions, "rebuild_marts", rebuild_marts.with_options(retry_delay_seconds=0)
    )
    return count_mart_rebuilds(monkeypatch, fail=warehouse.marts.rebuild_town_ranking)


def _failed_run(engine: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run of 2022-03 whose mart rebuild fails on every attempt."""
    from flows.monthly import monthly_load

    with monkeypatch.context() as patched:
        calls = _fail_mart_rebuilds(patched)
        with pytest.raises(RuntimeError, match="rebuild_town_ranking failed"):
            monthly_load("2022-03")
        assert calls["rebuild_enterprise_month"] == 1 + rebuild_marts.retries
    # Every load committed its facts and its note; no mart was left half rebuilt.
    loaded = rows(engine, "SELECT DISTINCT source FROM ingest_ledger WHERE status = 'loaded'")
    assert {r.source for r in loaded} == set(SOURCES)
    assert scalar(engine, "SELECT COUNT(*) FROM fact_electricity WHERE period = '2022-03'") == 8
    assert {source for source, _ in pending_marts(engine)} == set(SOURCES)
    assert scalar(engine, "SELECT COUNT(*) FROM mart_enterprise_month") == 0
    assert scalar(engine, "SELECT COUNT(*) FROM load_lease") == 0


def test_a_run_rebuilds_each_mart_once_as_the_loads_would_have(
    env: sa.Engine, per_load: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.monthly import monthly_load

    calls = count_mart_rebuilds(monkeypatch)
    loads = monthly_load("2022-03")
    assert {o.source: o.status for o in loads} == dict.fromkeys(SOURCES, "loaded")
    # Four sources feed mart_enterprise_month: each load used to rebuild it.
    assert calls == Counter({rebuild.__name__: 1 for rebuild in ALL_MARTS})
    assert pending_marts(env) == []
    assert_same_content(env, per_load)

    before = snapshot(env)
    again = monthly_load("2022-03")
    assert {o.status for o in again} == {"unchanged"}
    assert sum(calls.values()) == len(ALL_MARTS) and snapshot(env) == before


def test_the_next_run_completes_the_marts_a_failed_run_left(
    env: sa.Engine, per_load: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.monthly import monthly_load

    _failed_run(env, monkeypatch)
    calls = count_mart_rebuilds(monkeypatch)
    # The files are unchanged: nothing is loaded again, the marts are rebuilt.
    assert {o.status for o in monthly_load("2022-03")} == {"unchanged"}
    assert calls == Counter({rebuild.__name__: 1 for rebuild in ALL_MARTS})
    assert pending_marts(env) == []
    assert_same_content(env, per_load)


def test_indmon_marts_rebuild_completes_the_marts_a_failed_run_left(
    env: sa.Engine, per_load: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failed_run(env, monkeypatch)
    runner = CliRunner(env={"COLUMNS": "160"})
    done = runner.invoke(app, ["marts", "rebuild"])
    assert done.exit_code == 0, done.output
    assert "pending: electricity from 2022-03" in done.output
    assert "rebuilt enterprise_month from 2022-03" in done.output
    assert "rebuilt target_progress from 2022" in done.output
    assert pending_marts(env) == []
    assert_same_content(env, per_load)

    before = snapshot(env)
    again = runner.invoke(app, ["marts", "rebuild"])
    assert again.exit_code == 0 and "nothing to rebuild" in again.output
    # Every mart from a month on, on request: the same rows again.
    everything = runner.invoke(app, ["marts", "rebuild", "--from", "2022-01"])
    assert everything.exit_code == 0, everything.output
    assert everything.output.count("rebuilt ") == len(ALL_MARTS)
    assert_same_rows(snapshot(env), before)
    bad = runner.invoke(app, ["marts", "rebuild", "--from", "2022-13"])
    assert bad.exit_code != 0 and "YYYY-MM" in bad.output
