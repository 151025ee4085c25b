"""A range of months loaded in order, skipping what the ledger shows unchanged.

Reading and validating fan out over (source, period) partitions on the task runner
chosen in settings (threads, or a Dask cluster); loads stay in period and dependency
order. A second backfill over unchanged files hashes them and does nothing else.
"""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.partitions import RunRequest, run_partitions
from flows.tasks import prepare_warehouse_task
from indmon.parameters import (
    Period,
    SourceName,
    check_sources,
    periods_between,
    today_in_shanghai,
)
from indmon.settings import Settings
from warehouse.load import PeriodLoad


@flow(name="backfill", flow_run_name="backfill-{first}-{last}", log_prints=False)
def backfill(
    first: Period,
    last: Period,
    sources: list[SourceName] | None = None,
    only_missing: bool = False,
    force: bool = False,
    as_of: date | None = None,
) -> list[PeriodLoad]:
    """Load every month from ``first`` to ``last`` (``YYYY-MM``) in order.

    ``only_missing`` loads only source-periods never loaded; ``force`` reloads even
    unchanged files. ``as_of`` is the day freshness is judged on (default: today).
    """
    settings = Settings()
    request = RunRequest(
        periods=tuple(periods_between(first, last)),
        sources=tuple(check_sources(sources)),
        today=as_of or today_in_shanghai(),
        force=force,
        only_missing=only_missing,
        alert_unchanged=False,
    )
    prepare_warehouse_task(settings)
    return run_partitions(settings, request)
