"""A range of months loaded in order, each as a monthly-load subflow."""

from __future__ import annotations

from prefect import flow

from flows.monthly import monthly_load
from warehouse.load import PeriodLoad


@flow(name="backfill", log_prints=False)
def backfill(periods: list[str], force: bool = False) -> list[PeriodLoad]:
    """Load every period in ``periods`` in order (later months depend on earlier ones)."""
    results: list[PeriodLoad] = []
    for period in sorted(periods):
        results.extend(monthly_load(period, force=force))
    return results
