"""The monthly report (工业经济运行月报): one self-contained HTML page per month.

``write_report(engine, settings, period)`` gathers the month from the warehouse
(``warehouse/report_data.py`` holds every query), draws the charts offline, writes
``<report dir>/monthly-report-<YYYY-MM>.html`` and returns its path with a shortened
Markdown version for the Prefect artifact.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from indmon.report.build import build_report, data_docs_link
from indmon.report.html import render_html
from indmon.report.markdown import render_markdown
from indmon.report.model import MonthlyReport, WrittenReport
from indmon.settings import Settings
from sources.landing import is_period
from warehouse.report_data import is_loaded, latest_period

__all__ = [
    "MonthlyReport",
    "NothingToReport",
    "WrittenReport",
    "build_report",
    "render_html",
    "render_markdown",
    "report_file_name",
    "resolve_period",
    "write_report",
]


class NothingToReport(ValueError):
    """The warehouse holds nothing for the month asked (or nothing at all)."""


def report_file_name(period: str) -> str:
    """``monthly-report-2022-06.html``."""
    return f"monthly-report-{period}.html"


def resolve_period(engine: sa.Engine, period: str | None) -> str:
    """``period`` when the warehouse has county figures for it; the latest loaded by default."""
    if period is not None and not is_period(period):
        raise NothingToReport(f"{period!r} is not a month YYYY-MM")
    with engine.connect() as connection:
        latest = latest_period(connection)
        loaded = period is not None and is_loaded(connection, period)
    if latest is None:
        raise NothingToReport("the warehouse holds no loaded month yet: run `indmon run` first")
    if period is None:
        return latest
    if not loaded:
        raise NothingToReport(f"nothing is loaded for {period} (latest month: {latest})")
    return period


def write_report(
    engine: sa.Engine,
    settings: Settings,
    period: str | None = None,
    *,
    generated_at: datetime | None = None,
) -> WrittenReport:
    """Write the report of ``period`` (default: the latest loaded month) and return it."""
    month = resolve_period(engine, period)
    folder = settings.resolved_report_dir
    folder.mkdir(parents=True, exist_ok=True)
    report = build_report(
        engine,
        month,
        data_docs_link=data_docs_link(settings.resolved_data_docs_dir, folder),
        generated_at=generated_at,
    )
    path = folder / report_file_name(month)
    path.write_text(render_html(report), encoding="utf-8")
    return WrittenReport(path, month, render_markdown(report, str(path)))
