"""The monthly load: every source present in the landing folder, for one period.

Reading and validating fan out per source; loads run in dependency order (the register
before the facts that resolve against it), each in its own transaction. Then the quality
suites run as one checkpoint, and what the load and the checks found is raised as
alerts: one message per load to the configured channels.

A scheduled run has no ``period``: it loads the month before today in Asia/Shanghai. A
source due on a schedule with no file yet is recorded as awaited (no failure; the
freshness alert once it is late), and any later run of that source loads it once landed.
The flow builds its :class:`~indmon.settings.Settings` from the environment, so the
warehouse URL (which may hold a password) is never a flow parameter.
"""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.partitions import RunRequest, run_partitions
from flows.tasks import awaited_sources, prepare_warehouse_task
from indmon.parameters import Period, SourceName, check_sources, resolve_period, today_in_shanghai
from indmon.settings import Settings
from warehouse.load import PeriodLoad


@flow(name="monthly-load", log_prints=False)
def monthly_load(
    period: Period | None = None,
    force: bool = False,
    sources: list[SourceName] | None = None,
    as_of: date | None = None,
) -> list[PeriodLoad]:
    """Load the sources present for ``period`` (``YYYY-MM``; default: last month).

    ``sources`` limits the run (default: every source); ``as_of`` is the day freshness is
    judged on and the default period derived from (default: today in Asia/Shanghai).
    """
    settings = Settings()
    today = as_of or today_in_shanghai()
    period = resolve_period(period, today)
    names = check_sources(sources)
    prepare_warehouse_task(settings)
    before = [tuple(k) for k in awaited_sources(settings, names)]
    expected = [
        (name, period)
        for name in names
        if name in settings.arrival_days and not (name == "statistics" and period.endswith("-01"))
    ]
    request = RunRequest(
        periods=tuple(sorted({period, *(p for _, p in before)})),
        sources=tuple(names),
        today=today,
        force=force,
        expected=tuple(expected),
        awaited_before=tuple((s, p) for s, p in before),
    )
    return run_partitions(settings, request)
