"""The monthly load: every source present in the landing folder, for one period.

Reading and validating run in parallel per source; loads run in dependency order
(the register before the facts that resolve against it), each in its own transaction.
Then the quality suites run as one checkpoint, and what the load and the checks found
is raised as alerts: one message per load to the configured channels.
The flow builds its :class:`~indmon.settings.Settings` from the environment, so the
warehouse URL (which may hold a password) is never a flow parameter.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows.report import write_report_task
from indmon import progress
from indmon.catalogue import SOURCES, SourceDef, in_load_order
from indmon.landing import LandedFile, fetch_period
from indmon.settings import Settings
from indmon.steps import (
    PreparedPeriod,
    load_prepared,
    prepare_period,
    prepare_warehouse,
    raise_alerts,
)
from warehouse.engine import warehouse_engine
from warehouse.load import PeriodLoad
from warehouse.quality import QualityReport, run_quality_checks


@task(name="prepare-warehouse", cache_policy=NO_CACHE)
def prepare_warehouse_task(settings: Settings) -> None:
    """Upgrade the warehouse and sync reference data."""
    with warehouse_engine(settings.warehouse_url) as engine:
        prepare_warehouse(engine, settings.evaluation_config)


@task(name="read-and-validate", cache_policy=NO_CACHE, task_run_name="read-{source.name}-{period}")
def read_and_validate(source: SourceDef, period: str, files: list[LandedFile]) -> PreparedPeriod:
    """Read a source-period's archived files and split them by the source's contract."""
    return prepare_period(source, period, files)


@task(name="load", cache_policy=NO_CACHE, task_run_name="load-{prepared.source}-{prepared.period}")
def load(settings: Settings, prepared: PreparedPeriod, force: bool) -> PeriodLoad:
    """Replace the source-period in the warehouse and rebuild what depends on it."""
    with warehouse_engine(settings.warehouse_url) as engine:
        return load_prepared(engine, prepared, force=force)


@task(name="quality-checks", cache_policy=NO_CACHE, task_run_name="quality-{period}")
def quality(settings: Settings, period: str) -> QualityReport:
    """Run the warehouse quality suites for the period as one checkpoint; build Data Docs."""
    return run_quality_checks(
        settings.warehouse_url, period, data_docs_dir=settings.resolved_data_docs_dir
    )


@task(name="raise-alerts", cache_policy=NO_CACHE, task_run_name="alerts-{period}")
def alerts(
    settings: Settings,
    period: str,
    loads: list[PeriodLoad],
    report: QualityReport | None,
    today: date,
) -> None:
    """Raise what the load found as alerts and send one message to the configured channels."""
    failed = [(o.suite, o.expectation, o.observed_value) for o in report.failed] if report else []
    docs = report.data_docs_index if report else None
    with warehouse_engine(settings.warehouse_url) as engine:
        raise_alerts(
            engine,
            settings,
            period,
            loads,
            today=today,
            failed_checks=failed,
            data_docs_url=docs.resolve().as_uri() if docs else None,
        )


@flow(name="monthly-load", flow_run_name="monthly-load-{period}", log_prints=False)
def monthly_load(
    period: str,
    force: bool = False,
    sources: list[str] | None = None,
    as_of: date | None = None,
    report: bool = True,
) -> list[PeriodLoad]:
    """Load every source present in the landing folder for ``period`` (``YYYY-MM``).

    ``as_of`` is the day freshness is judged on (default: today in Asia/Shanghai).
    After a load that changed something, the month's report is written (``report``).
    """
    settings = Settings()
    today = as_of or datetime.now(ZoneInfo("Asia/Shanghai")).date()
    prepare_warehouse_task(settings)
    present = {
        name: files
        for name in (sources or list(SOURCES))
        if (files := fetch_period(settings, name, period))
    }
    progress.period_started(period, list(present))
    futures = {
        source.name: read_and_validate.submit(source, period, present[source.name])
        for source in in_load_order(list(present))
    }
    loads: list[PeriodLoad] = []
    for name in futures:
        loads.append(load(settings, futures[name].result(), force))
        progress.source_loaded(loads[-1])
    # Checked after every load that changed something; a re-run of unchanged files
    # has nothing new to check and leaves the warehouse exactly as it was.
    changed = any(load.status == "loaded" for load in loads)
    alerts(settings, period, loads, quality(settings, period) if changed else None, today)
    if changed and report:
        write_report_task(settings, period)
    progress.period_finished(period)
    return loads
