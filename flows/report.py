"""The monthly report (工业经济运行月报) as a flow step: the HTML page and a Prefect artifact."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from indmon.report import NothingToReport, write_report
from indmon.settings import Settings
from warehouse.engine import warehouse_engine

ARTIFACT_KEY = "monthly-report"


@task(name="write-report", cache_policy=NO_CACHE, task_run_name="report-{period}")
def write_report_task(settings: Settings, period: str | None) -> Path | None:
    """Write the month's report page and publish its short version as an artifact.

    A month with nothing to report (e.g. only the register loaded) logs why and returns
    None: the report never fails a load.
    """
    with warehouse_engine(settings.warehouse_url) as engine:
        try:
            written = write_report(engine, settings, period)
        except NothingToReport as reason:
            get_run_logger().warning("no monthly report for %s: %s", period or "latest", reason)
            return None
    create_markdown_artifact(
        key=ARTIFACT_KEY,
        markdown=written.markdown,
        description=f"工业经济运行月报 {written.period}: {written.path}",
    )
    return written.path


@flow(name="monthly-report", flow_run_name="monthly-report-{period}", log_prints=False)
def monthly_report(period: str | None = None) -> Path | None:
    """Write the report of ``period`` (``YYYY-MM``; default the latest loaded month)."""
    return write_report_task(Settings(), period)
