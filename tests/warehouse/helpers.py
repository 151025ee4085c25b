"""Loading landing folders straight through the pipeline steps (no orchestrator), for tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from indmon.catalogue import SOURCES, in_load_order
from indmon.steps import load_prepared, prepare_period
from sources.landing import period_files
from warehouse.load import PeriodLoad
from warehouse.tables import metadata

DATA_TABLES = [t for name, t in metadata.tables.items() if name != "ingest_ledger"]


def load_month(
    engine: sa.Engine, landing: Path, period: str, *, force: bool = False
) -> dict[str, PeriodLoad]:
    """Load every source present for ``period``, in load order, as the flow does."""
    present = [name for name in SOURCES if period_files(landing, name, period)]
    return {
        source.name: load_prepared(
            engine,
            prepare_period(source, period, period_files(landing, source.name, period)),
            force=force,
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
