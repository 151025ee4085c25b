"""The monthly load: every source present in the landing folder, for one period.

Reading and validating run in parallel per source; loads run in dependency order
(the register before the facts that resolve against it), each in its own transaction.
The flow builds its :class:`~indmon.settings.Settings` from the environment, so the
warehouse URL (which may hold a password) is never a flow parameter.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from indmon.catalogue import SOURCES, SourceDef, in_load_order
from indmon.settings import Settings
from indmon.steps import PreparedPeriod, load_prepared, prepare_period, prepare_warehouse
from sources.landing import period_files
from warehouse.engine import create_warehouse_engine
from warehouse.load import PeriodLoad


@task(name="prepare-warehouse", cache_policy=NO_CACHE)
def prepare_warehouse_task(settings: Settings) -> None:
    """Upgrade the warehouse and sync reference data."""
    prepare_warehouse(create_warehouse_engine(settings.warehouse_url))


@task(name="read-and-validate", cache_policy=NO_CACHE, task_run_name="read-{source.name}-{period}")
def read_and_validate(source: SourceDef, period: str, paths: list[Path]) -> PreparedPeriod:
    """Read a source-period's files and split them by the source's contract."""
    return prepare_period(source, period, paths)


@task(name="load", cache_policy=NO_CACHE, task_run_name="load-{prepared.source}-{prepared.period}")
def load(settings: Settings, prepared: PreparedPeriod, force: bool) -> PeriodLoad:
    """Replace the source-period in the warehouse and rebuild what depends on it."""
    return load_prepared(create_warehouse_engine(settings.warehouse_url), prepared, force=force)


@flow(name="monthly-load", flow_run_name="monthly-load-{period}", log_prints=False)
def monthly_load(
    period: str, force: bool = False, sources: list[str] | None = None
) -> list[PeriodLoad]:
    """Load every source present in the landing folder for ``period`` (``YYYY-MM``)."""
    settings = Settings()
    prepare_warehouse_task(settings)
    present = {
        name: files
        for name in (sources or list(SOURCES))
        if (files := period_files(settings.landing_dir, name, period))
    }
    futures = {
        source.name: read_and_validate.submit(source, period, present[source.name])
        for source in in_load_order(list(present))
    }
    return [load(settings, futures[name].result(), force) for name in futures]
