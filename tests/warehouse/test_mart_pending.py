"""Marts rebuilt once for several loads: the loads leave notes, one rebuild takes them.

On SQLite and PostgreSQL: the marts equal those of loads that each rebuild their own, a
failed rebuild keeps its notes (and the loads' facts) for the next one, and a rebuild
running alongside loads never drops a note it did not rebuild.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import warehouse.marts
from indmon.demo import DemoManifest, generate_demo
from tests.conftest import warehouse_like
from tests.warehouse.helpers import (
    assert_same_content,
    count_mart_rebuilds,
    load_month,
    rows,
    snapshot,
)
from warehouse.engine import create_warehouse_engine
from warehouse.mart_pending import pending_marts, rebuild_pending_marts
from warehouse.marts import (
    ALL_MARTS,
    DEPENDENT_MARTS,
    planned_rebuilds,
    rebuild_published,
    rebuild_target_progress,
)

#: Months of the demo county: a year's end, a January without statistics, the next year's
#: targets, and revisions reaching back.
MONTHS = ("2021-11", "2021-12", "2022-01", "2022-02")


def _marts(engine: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    return {
        name: found
        for name, found in snapshot(engine).items()
        if name.startswith("mart_") and name != "mart_pending"
    }


def _facts(engine: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    return {
        name: found
        for name, found in snapshot(engine).items()
        if name.startswith(("fact_", "stg_", "dim_enterprise"))
    }


def test_every_source_lists_its_marts_in_the_order_of_all_marts() -> None:
    for source, marts in DEPENDENT_MARTS.items():
        positions = [ALL_MARTS.index(rebuild) for rebuild in marts]
        assert positions == sorted(positions), source


def test_a_mart_is_planned_once_from_the_earliest_period_after_the_marts_it_reads() -> None:
    plan = planned_rebuilds(
        [("indicators", "2022-03"), ("registry", "2022-04"), ("electricity", "2022-02")]
    )
    assert len(plan) == len({rebuild for rebuild, _ in plan})
    starts = {rebuild.__name__: period for rebuild, period in plan}
    assert starts["rebuild_enterprise_month"] == "2022-02"  # electricity's, not the register's
    assert starts["rebuild_per_mu_tax"] == "2022-04"  # the register's only
    assert starts["rebuild_target_progress"] == "2022-02"
    # Target progress reads the published indicators: rebuilt after them, although the
    # register (listed first) asks for it and the published indicators' load comes first.
    order = [rebuild for rebuild, _ in plan]
    assert order.index(rebuild_target_progress) > order.index(rebuild_published)
    everything = planned_rebuilds([("tax", "2021-06")], every_mart_from="2022-01")
    assert [rebuild for rebuild, _ in everything] == list(ALL_MARTS)
    assert dict(everything)[warehouse.marts.rebuild_tax_indicators] == "2021-06"
    assert dict(everything)[warehouse.marts.rebuild_published] == "2022-01"
    assert planned_rebuilds([]) == []


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoManifest:
    return generate_demo(tmp_path_factory.mktemp("demo") / "landing")


@pytest.fixture
def per_load(
    warehouse_url: str, demo: DemoManifest, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[sa.Engine]:
    """A second warehouse of the same backend, the demo months loaded each rebuilding its
    own marts (the old path)."""
    from indmon.steps import prepare_warehouse

    with warehouse_like(warehouse_url, tmp_path / "per-load", request) as url:
        engine = create_warehouse_engine(url)
        prepare_warehouse(engine)
        for period in MONTHS:
            load_month(engine, demo.landing_dir, period)
        yield engine
        engine.dispose()


def test_marts_rebuilt_once_for_months_of_loads_equal_marts_rebuilt_per_load(
    engine: sa.Engine, per_load: sa.Engine, demo: DemoManifest, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_mart_rebuilds(monkeypatch)
    loads = [
        load
        for period in MONTHS
        for load in load_month(engine, demo.landing_dir, period, rebuild=False).values()
    ]
    # A yearly source's second month finds its year's file unchanged: no note.
    assert {load.status for load in loads} == {"loaded", "unchanged"} and calls == Counter()
    loads = [load for load in loads if load.status == "loaded"]
    notes = rows(engine, "SELECT source, from_period, load_id FROM mart_pending")
    # One note per source and first period, by the load that committed it.
    assert {(n.source, n.from_period) for n in notes} == {
        (load.source, load.marts_from) for load in loads
    }
    assert {n.load_id for n in notes} <= {load.load_id for load in loads}
    assert not any(_marts(engine).values())

    done = rebuild_pending_marts(engine)
    assert calls == Counter({rebuild.__name__: 1 for rebuild in ALL_MARTS})
    assert set(done.pending) == {(n.source, n.from_period) for n in notes}
    assert dict(done.marts)["enterprise_month"] == MONTHS[0]
    assert pending_marts(engine) == []
    assert_same_content(engine, per_load)

    # Nothing pending: nothing rebuilt, nothing changed.
    before = snapshot(engine)
    again = rebuild_pending_marts(engine)
    assert (again.pending, again.marts) == ((), ())
    assert sum(calls.values()) == len(ALL_MARTS) and snapshot(engine) == before


def test_a_failed_rebuild_keeps_the_facts_and_the_notes_and_the_next_one_completes_it(
    engine: sa.Engine, per_load: sa.Engine, demo: DemoManifest, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patched:
        calls = count_mart_rebuilds(patched, fail=warehouse.marts.rebuild_town_ranking)
        for period in MONTHS:
            load_month(engine, demo.landing_dir, period, rebuild=False)
        notes = pending_marts(engine)
        with pytest.raises(RuntimeError, match="rebuild_town_ranking failed"):
            rebuild_pending_marts(engine)
        assert calls["rebuild_enterprise_month"] == 1  # ran, and was rolled back
    assert _facts(engine) == _facts(per_load)
    assert not any(_marts(engine).values())
    assert pending_marts(engine) == notes

    done = rebuild_pending_marts(engine)
    assert list(done.pending) == notes
    assert_same_content(engine, per_load)


def test_a_rebuild_alongside_loads_leaves_every_load_rebuilt_or_noted(
    engine: sa.Engine, per_load: sa.Engine, demo: DemoManifest
) -> None:
    """Rebuilds run over and over while the months load: each takes the notes committed
    before it, whole; whatever a load commits later stays noted for the next one."""
    loading = threading.Event()
    errors: list[BaseException] = []

    def keep_rebuilding() -> None:
        try:
            while not loading.is_set():
                rebuild_pending_marts(engine)
        except BaseException as error:  # reported below
            errors.append(error)

    def run(work: Callable[[], None]) -> threading.Thread:
        thread = threading.Thread(target=work)
        thread.start()
        return thread

    rebuilder = run(keep_rebuilding)
    try:
        for period in MONTHS:
            load_month(engine, demo.landing_dir, period, rebuild=False)
    finally:
        loading.set()
        rebuilder.join()
    assert errors == []
    rebuild_pending_marts(engine)
    assert pending_marts(engine) == []
    assert_same_content(engine, per_load)
