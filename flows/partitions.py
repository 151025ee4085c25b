"""A run over (source, period) partitions, shared by the monthly load and the backfill.

Under leases on every source-period of the run: hash and plan (unchanged partitions are
noted, not read); read and validate the rest in a subflow whose task runner comes from
settings (threads, or Dask); load in period and dependency order, one transaction each
(facts, and a ``mart_pending`` note of the marts to rebuild); rebuild those marts once
(with any an earlier failed run left); then the quality checkpoint of each period that
changed, alerts, the run's artifacts, and the monthly report of the latest month that
changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from prefect import flow

from flows.report import write_report_task
from flows.tasks import (
    alerts,
    load,
    note_awaited,
    note_unchanged,
    plan,
    publish_artifacts,
    quality_for_periods,
    read_and_validate,
    rebuild_marts,
)
from indmon import progress
from indmon.plan import Partition, source_periods
from indmon.runners import task_runner
from indmon.settings import Settings
from indmon.steps import PreparedPeriod, RaisedAlerts, run_owner, source_period_leases
from sources.landing import is_period
from warehouse.load import PeriodLoad


@dataclass(frozen=True)
class RunRequest:
    """What a run covers and how: periods x sources, and the options of the run."""

    periods: tuple[str, ...]
    sources: tuple[str, ...]
    today: date
    force: bool = False
    only_missing: bool = False
    expected: tuple[tuple[str, str], ...] = ()  # source-periods a schedule awaits
    awaited_before: tuple[tuple[str, str], ...] = ()  # awaited by earlier runs
    alert_unchanged: bool = True  # raise alerts for periods where nothing changed
    report: bool = True  # write the monthly report of the latest month that changed


@flow(name="read-partitions", flow_run_name="read-{count}-partitions")
def read_partitions(partitions: list[Partition], count: int) -> list[PreparedPeriod]:
    """Read and validate each partition; fans out on this flow's task runner."""
    return list(read_and_validate.map(partitions).result())


def run_partitions(settings: Settings, request: RunRequest) -> list[PeriodLoad]:
    """Run ``request`` and return each source-period's outcome, in load order."""
    keys = source_periods(request.periods, request.sources)
    with source_period_leases(settings, keys, run_owner()):
        partitions = plan(
            settings,
            list(request.periods),
            list(request.sources),
            request.force,
            request.only_missing,
        )
        progress.planned([p.key for p in partitions])
        outcomes: dict[tuple[str, str], PeriodLoad] = {}
        unchanged = [p for p in partitions if p.action == "unchanged"]
        if unchanged:
            noted = note_unchanged(settings, unchanged)
            outcomes.update({(o.source, o.period): o for o in noted})
            progress.finished(noted)
        for p in partitions:
            if p.action == "loaded_before":
                outcomes[p.key] = PeriodLoad(p.source, p.period, "skipped", "")
                progress.finished([outcomes[p.key]])
        to_load = [p for p in partitions if p.action == "load"]
        if to_load:
            reader = read_partitions.with_options(task_runner=task_runner(settings))
            for prepared in reader(to_load, len(to_load)):
                outcome = load(settings, prepared, request.force)
                outcomes[(outcome.source, outcome.period)] = outcome
                progress.finished([outcome])
        # Once for all the loads; also completes what a failed earlier run left.
        rebuild_marts(settings)
        landed = {p.key for p in partitions}
        missing = [k for k in request.expected if k not in landed]
        arrived = [k for k in request.awaited_before if k in landed]
        if missing or arrived:
            note_awaited(settings, missing, arrived)
        loads = [outcomes[p.key] for p in partitions]
        raised = _check_and_alert(settings, request, loads)
        awaited = [*missing, *(k for k in request.awaited_before if k not in landed)]
        changed = sorted({o.period for o in loads if o.status == "loaded" and is_period(o.period)})
        publish_artifacts(settings, loads, awaited, raised, changed)
        if request.report and changed:
            write_report_task(settings, changed[-1])
        return loads + [PeriodLoad(s, p, "awaited", "") for s, p in missing]


def _check_and_alert(
    settings: Settings, request: RunRequest, loads: Sequence[PeriodLoad]
) -> list[RaisedAlerts]:
    """One quality checkpoint run for the periods that changed, then each period's alerts."""
    alerted = []
    for period in request.periods:
        mine = [o for o in loads if o.period == period or _first_of_year(o.period, period, request)]
        if not request.alert_unchanged and not any(o.status in ("loaded", "refused") for o in mine):
            continue
        alerted.append((period, mine))
    changed = [period for period, mine in alerted if any(o.status == "loaded" for o in mine)]
    reports = (
        dict(zip(changed, quality_for_periods(settings, changed), strict=True)) if changed else {}
    )
    return [
        alerts(settings, period, mine, reports.get(period), request.today, list(request.sources))
        for period, mine in alerted
    ]


def _first_of_year(loaded: str, period: str, request: RunRequest) -> bool:
    """Whether a yearly source's load (period ``YYYY``) is reported with ``period``: the
    run's first month of that year."""
    months = [p for p in request.periods if p.startswith(loaded)]
    return len(loaded) == 4 and bool(months) and period == months[0]
