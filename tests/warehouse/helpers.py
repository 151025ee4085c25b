"""Loading landing folders straight through the pipeline steps (no orchestrator), for tests."""

from __future__ import annotations

import functools
import math
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import warehouse.marts
from indmon.catalogue import SOURCES, in_load_order
from indmon.steps import load_prepared, prepare_period
from sources.landing import period_files
from warehouse.derive import (
    ENTERPRISE_FACTS,
    rebuild_dim_enterprise,
    refresh_enterprise_facts,
    resolve_electricity,
)
from warehouse.load import PeriodLoad
from warehouse.marts import ALL_MARTS, DEPENDENT_MARTS, EVERY_PERIOD, Rebuild, rebuild_all_marts
from warehouse.tables import metadata

DATA_TABLES = [t for name, t in metadata.tables.items() if name != "ingest_ledger"]


def load_month(
    engine: sa.Engine, landing: Path, period: str, *, force: bool = False, rebuild: bool = True
) -> dict[str, PeriodLoad]:
    """Load every source present for ``period``, in load order, as the flow does.

    Each load rebuilds its own marts; ``rebuild=False`` leaves them noted in
    ``mart_pending``, as the flow's loads do before its one rebuild.
    """
    present = [name for name in SOURCES if period_files(landing, name, period)]
    return {
        source.name: load_prepared(
            engine,
            prepare_period(source, period, period_files(landing, source.name, period)),
            force=force,
            rebuild=rebuild,
        )
        for source in in_load_order(present)
    }


#: Tables a run writes with its own times or ids (checks, alerts, leases, the rules'
#: sync): two warehouses loaded with the same files differ only there.
RUN_TABLES = ("dq_result", "alert", "load_lease", "awaited_source", "cfg_version")


def snapshot(engine: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the ledger, sorted: to compare a warehouse before/after."""
    with engine.connect() as connection:
        return {
            table.name: sorted(
                (tuple(row) for row in connection.execute(sa.select(table))), key=repr
            )
            for table in DATA_TABLES
        }


def rows(engine: sa.Engine, sql: str, **params: Any) -> list[sa.Row]:
    """The rows of a query."""
    with engine.connect() as connection:
        return list(connection.execute(sa.text(sql), params))


def scalar(engine: sa.Engine, sql: str, **params: Any) -> Any:
    """The single value of a query."""
    with engine.connect() as connection:
        return connection.execute(sa.text(sql), params).scalar()


def assert_same_content(engine: sa.Engine, expected: sa.Engine) -> None:
    """The two warehouses hold the same rows (but the runs' own); floats to within 1e-12.

    A floating-point sum depends on the order rows reach it: PostgreSQL adds them in the
    join's order, and a window (``SUM … OVER``) in the order rows reach it, so a year
    rebuilt with the next year's rows present can differ in the last bit from the same
    year rebuilt before they came.
    """
    assert_same_rows(snapshot(engine), snapshot(expected))


def assert_same_rows(
    found: dict[str, list[tuple[Any, ...]]], wanted: dict[str, list[tuple[Any, ...]]]
) -> None:
    """Two snapshots hold the same rows (but the runs' own); floats to within 1e-12."""
    found = {k: v for k, v in found.items() if k not in RUN_TABLES}
    wanted = {k: v for k, v in wanted.items() if k not in RUN_TABLES}
    assert found.keys() == wanted.keys()
    for table, rows_found in found.items():
        assert len(rows_found) == len(wanted[table]), table
        for row, wanted_row in zip(rows_found, wanted[table], strict=True):
            for value, wanted_value in zip(row, wanted_row, strict=True):
                if isinstance(value, float) and isinstance(wanted_value, float):
                    assert math.isclose(value, wanted_value, rel_tol=1e-12), (table, row)
                else:
                    assert value == wanted_value, (table, row, wanted_row)


def count_mart_rebuilds(
    monkeypatch: pytest.MonkeyPatch, fail: Rebuild | None = None
) -> Counter[str]:
    """Count every mart rebuild (by name) from here on; ``fail`` raises instead of rebuilding.

    Wraps the rebuilds ``ALL_MARTS`` and ``DEPENDENT_MARTS`` list (what every rebuild of
    marts after a load goes through) for as long as ``monkeypatch`` lasts.
    """
    calls: Counter[str] = Counter()

    def wrap(rebuild: Rebuild) -> Rebuild:
        @functools.wraps(rebuild)
        def counting(connection: sa.Connection, from_period: str) -> None:
            calls[rebuild.__name__] += 1
            if rebuild is fail:
                raise RuntimeError(f"{rebuild.__name__} failed")
            rebuild(connection, from_period)

        return counting

    wrapped = {rebuild: wrap(rebuild) for rebuild in ALL_MARTS}
    monkeypatch.setattr(warehouse.marts, "ALL_MARTS", tuple(wrapped.values()))
    monkeypatch.setattr(
        warehouse.marts,
        "DEPENDENT_MARTS",
        {s: tuple(wrapped[r] for r in marts) for s, marts in DEPENDENT_MARTS.items()},
    )
    return calls


#: What a load derives: the enterprise versions, the facts and every mart.
DERIVED = [
    table
    for name, table in metadata.tables.items()
    if name == "dim_enterprise" or name.startswith(("fact_", "mart_"))
]


def _rounded(value: Any) -> Any:
    return float(f"{value:.9g}") if isinstance(value, float) else value


def derived(connection: sa.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every derived table, in an order that does not hang on a float's last
    bits."""
    return {
        table.name: sorted(
            (tuple(row) for row in connection.execute(sa.select(table))),
            key=lambda row: repr(tuple(map(_rounded, row))),
        )
        for table in DERIVED
    }


def assert_same_derived(
    got: dict[str, list[tuple[Any, ...]]], want: dict[str, list[tuple[Any, ...]]]
) -> None:
    """The same rows in every derived table; floats equal to a relative 1e-9 (a SUM's
    last bits depend on the order it reads its rows in, which a rebuild does not keep)."""
    assert got.keys() == want.keys()
    for name in want:
        assert len(got[name]) == len(want[name]), name
        for got_row, want_row in zip(got[name], want[name], strict=True):
            assert all(
                math.isclose(g, w, rel_tol=1e-9) if isinstance(w, float) else g == w
                for g, w in zip(got_row, want_row, strict=True)
            ), (name, got_row, want_row)


def rebuilt_from_scratch(engine: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    """The derived tables as deriving everything again from staging makes them (rolled back)."""
    with engine.connect() as connection, connection.begin() as transaction:
        # Data first: Python's sqlite3 opens the transaction at the first data change, and
        # a temporary table created before it would outlive the rollback.
        for table in ("dim_enterprise", *ENTERPRISE_FACTS):
            connection.exec_driver_sql(f"DELETE FROM {table}")
        rebuild_dim_enterprise(connection)
        resolve_electricity(connection, EVERY_PERIOD)
        for fact, (staging, _) in ENTERPRISE_FACTS.items():
            staged = connection.exec_driver_sql(f"SELECT DISTINCT period FROM {staging}")
            for period in staged.scalars().all():
                refresh_enterprise_facts(connection, fact, period)
        rebuild_all_marts(connection, EVERY_PERIOD)
        result = derived(connection)
        transaction.rollback()
    return result


def as_loaded(engine: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    """The derived tables as the loads left them."""
    with engine.connect() as connection:
        return derived(connection)
