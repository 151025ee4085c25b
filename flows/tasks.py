"""The Prefect tasks the flows are wired from: each a thin call of a plain step.

Reading, hashing, loading and the quality checkpoint touch files or the warehouse and
are retried with backoff; a refused delivery is not retried (it would be refused again).
Every task opens its own engine and disposes of it, so tasks can run in other processes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from flows.retrying import IO_RETRIES
from indmon.artifacts import REPORT_KEY, headline_key, headline_table, load_report
from indmon.catalogue import SOURCES
from indmon.freshness import due_date
from indmon.plan import Partition, plan_partitions, source_periods
from indmon.settings import Settings
from indmon.steps import (
    PreparedPeriod,
    RaisedAlerts,
    load_prepared,
    prepare_period,
    prepare_warehouse,
    raise_alerts,
)
from warehouse.awaited import mark_arrived, record_awaited, still_awaited
from warehouse.engine import warehouse_engine
from warehouse.headlines import county_headlines
from warehouse.load import PeriodLoad, record_unchanged
from warehouse.mart_pending import MartsRebuilt, rebuild_pending_marts
from warehouse.quality import QualityReport, run_quality_checks_for_periods


@task(name="prepare-warehouse", cache_policy=NO_CACHE, **IO_RETRIES)
def prepare_warehouse_task(settings: Settings) -> None:
    """Upgrade the warehouse and sync reference data."""
    with warehouse_engine(settings.warehouse_url) as engine:
        prepare_warehouse(engine, settings.evaluation_config)


@task(name="plan", cache_policy=NO_CACHE, **IO_RETRIES)
def plan(
    settings: Settings,
    periods: list[str],
    sources: list[str],
    force: bool,
    only_missing: bool,
) -> list[Partition]:
    """Fetch the landed files into the archive; decide, from the ledger, what to read and load."""
    keys = source_periods(periods, sources)
    with warehouse_engine(settings.warehouse_url) as engine:
        return plan_partitions(engine, settings, keys, force=force, only_missing=only_missing)


@task(
    name="read-and-validate",
    cache_policy=NO_CACHE,
    task_run_name="read-{partition.source}-{partition.period}",
    **IO_RETRIES,
)
def read_and_validate(partition: Partition) -> PreparedPeriod:
    """Read a source-period's files and split them by the source's contract."""
    return prepare_period(SOURCES[partition.source], partition.period, partition.landed)


@task(
    name="load",
    cache_policy=NO_CACHE,
    task_run_name="load-{prepared.source}-{prepared.period}",
    **IO_RETRIES,
)
def load(settings: Settings, prepared: PreparedPeriod, force: bool) -> PeriodLoad:
    """Replace the source-period and its facts; note its marts for :func:`rebuild_marts`."""
    with warehouse_engine(settings.warehouse_url) as engine:
        return load_prepared(engine, prepared, force=force, rebuild=False)


@task(name="rebuild-marts", cache_policy=NO_CACHE, **IO_RETRIES)
def rebuild_marts(settings: Settings) -> MartsRebuilt:
    """Rebuild once every mart the committed loads left (this run's and any earlier run's)."""
    with warehouse_engine(settings.warehouse_url) as engine:
        return rebuild_pending_marts(engine)


@task(name="note-unchanged", cache_policy=NO_CACHE, **IO_RETRIES)
def note_unchanged(settings: Settings, partitions: list[Partition]) -> list[PeriodLoad]:
    """Note in the ledger the source-periods delivered again unchanged (nothing read)."""
    with warehouse_engine(settings.warehouse_url) as engine:
        return [record_unchanged(engine, p.source, p.period, p.files) for p in partitions]


@task(name="awaited-sources", cache_policy=NO_CACHE, **IO_RETRIES)
def awaited_sources(settings: Settings, sources: list[str]) -> list[tuple[str, str]]:
    """The source-periods of ``sources`` still awaited from earlier runs."""
    with warehouse_engine(settings.warehouse_url) as engine:
        return still_awaited(engine, sources)


@task(name="note-awaited", cache_policy=NO_CACHE, **IO_RETRIES)
def note_awaited(
    settings: Settings, missing: list[tuple[str, str]], arrived: list[tuple[str, str]]
) -> None:
    """Record the source-periods with no file yet; close those that have now loaded."""
    with warehouse_engine(settings.warehouse_url) as engine:
        for source, period in missing:
            day = settings.arrival_days.get(source)
            record_awaited(engine, source, period, due_date(period, day) if day else None)
        mark_arrived(engine, arrived)


def _quality_run_name() -> str:
    """``quality-2022-03``, or ``quality-2021-01..2022-12`` for several periods."""
    from prefect.runtime import task_run

    periods = task_run.parameters["periods"]
    return "quality-" + (periods[0] if len(periods) == 1 else f"{periods[0]}..{periods[-1]}")


@task(name="quality-checks", cache_policy=NO_CACHE, task_run_name=_quality_run_name, **IO_RETRIES)
def quality_for_periods(settings: Settings, periods: list[str]) -> list[QualityReport]:
    """Run the quality suites for each of ``periods`` in one Great Expectations context
    (a checkpoint run per period) and build Data Docs once; one report per period."""
    return run_quality_checks_for_periods(
        settings.warehouse_url, periods, data_docs_dir=settings.resolved_data_docs_dir
    )


@task(name="raise-alerts", cache_policy=NO_CACHE, task_run_name="alerts-{period}")
def alerts(
    settings: Settings,
    period: str,
    loads: list[PeriodLoad],
    report: QualityReport | None,
    today: date,
    sources: list[str] | None = None,
) -> RaisedAlerts:
    """Raise what the load found as alerts and send one message to the configured channels."""
    failed = [(o.suite, o.expectation, o.observed_value) for o in report.failed] if report else []
    docs = report.data_docs_index if report else None
    with warehouse_engine(settings.warehouse_url) as engine:
        return raise_alerts(
            engine,
            settings,
            period,
            loads,
            today=today,
            failed_checks=failed,
            data_docs_url=docs.resolve().as_uri() if docs else None,
            sources=sources,
        )


@task(name="publish-artifacts", cache_policy=NO_CACHE)
def publish_artifacts(
    settings: Settings,
    loads: Sequence[PeriodLoad],
    awaited: Sequence[tuple[str, str]],
    raised: Sequence[RaisedAlerts],
    periods: Sequence[str],
) -> None:
    """Publish the run's load report and each changed period's headline indicators."""
    new_alerts = [row for r in raised for row in r.alerts]
    create_markdown_artifact(
        load_report(loads, awaited, new_alerts),
        key=REPORT_KEY,
        description="What the run loaded, held back and raised as alerts.",
    )
    with warehouse_engine(settings.warehouse_url) as engine:
        for period in periods:
            create_table_artifact(
                headline_table(county_headlines(engine, period)),
                key=headline_key(period),
                description=f"The county's headline indicators for {period}.",
            )
