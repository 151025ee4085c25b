"""The quality checkpoint on its own: the suites for a month, failures raised as alerts."""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.tasks import alerts, prepare_warehouse_task, quality_for_periods
from indmon.parameters import Period, resolve_period, today_in_shanghai
from indmon.settings import Settings
from warehouse.quality import QualityReport


@flow(name="quality-checkpoint", log_prints=False)
def quality_checkpoint(period: Period | None = None, as_of: date | None = None) -> QualityReport:
    """Check ``period`` (default: last month in Asia/Shanghai) and raise what fails."""
    settings = Settings()
    today = as_of or today_in_shanghai()
    period = resolve_period(period, today)
    prepare_warehouse_task(settings)
    (report,) = quality_for_periods(settings, [period])
    alerts(settings, period, [], report, today)
    return report
