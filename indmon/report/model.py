"""The monthly report as data: what the HTML page and the Prefect artifact both show."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The target statuses of ``mart_target_progress`` in Chinese, with the page's CSS class.
STATUS_ZH: dict[str, str] = {
    "ahead": "超序时进度",
    "on_track": "达序时进度",
    "behind": "落后序时进度",
    "no_data": "暂无数据",
}


@dataclass(frozen=True)
class HeadlineRow:
    """One indicator of the work plan for the county, as its row of the headline table.

    ``key`` is the catalogue code (``electricity_kwh``) or ``published:<名称>`` for a figure
    the statistics bureau publishes; cells are display texts (units as in ``unit``).
    """

    key: str
    name: str
    unit: str
    origin: str  # 计算 (from enterprise data) or 统计局发布
    month: str
    ytd: str
    yoy: str
    ytd_yoy: str
    target: str = "—"
    stretch: str = "—"
    progress: str = "—"
    status: str = "no_target"

    @property
    def status_zh(self) -> str:
        """The status in Chinese ("—" without a target)."""
        return STATUS_ZH.get(self.status, "—")


@dataclass(frozen=True)
class Chart:
    """One chart as inline SVG of a known size, or a note why it is not drawn."""

    chart_id: str
    title: str
    svg: str | None
    width: int = 0
    height: int = 0
    note: str = ""


@dataclass(frozen=True)
class Column:
    """A column of a working list: the row key it shows and its Chinese header."""

    key: str
    header: str
    numeric: bool = False


@dataclass(frozen=True)
class WorkingList:
    """One working list (e.g. 生产下滑预警): how many, and the top rows as display texts.

    ``count`` is None while the list's mart is not built (the page says so).
    """

    list_id: str
    title: str
    what: str
    columns: tuple[Column, ...]
    count: int | None
    rows: tuple[dict[str, str], ...] = ()
    table: str = ""

    @property
    def loaded(self) -> bool:
        """Whether the list's mart exists in the warehouse."""
        return self.count is not None


@dataclass(frozen=True)
class QualitySummary:
    """What the period's load brought and found: files, held rows, alerts, checks."""

    files: tuple[dict[str, Any], ...]
    held: tuple[dict[str, Any], ...]
    alerts: tuple[dict[str, Any], ...]
    checks_run: int
    checks_failed: tuple[dict[str, Any], ...]
    data_docs_link: str | None

    @property
    def rows_held(self) -> int:
        """Rows of the period held back, all sources."""
        return sum(int(item["rows_held"]) for item in self.held)


@dataclass(frozen=True)
class Provenance:
    """Which files and loads produced the report."""

    files: tuple[dict[str, Any], ...]
    load_ids: tuple[str, ...]
    latest_load_at: str | None
    first_period: str
    last_period: str


@dataclass(frozen=True)
class MonthlyReport:
    """The 工业经济运行月报 of one month for the county."""

    period: str
    county_name: str
    generated_at: str
    headline: tuple[HeadlineRow, ...]
    charts: tuple[Chart, ...]
    lists: tuple[WorkingList, ...]
    quality: QualitySummary
    provenance: Provenance
    targets_loaded: bool
    summary: tuple[str, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        """``濉溪县工业经济运行月报（2022年6月）``."""
        return f"{self.county_name}工业经济运行月报（{self.period[:4]}年{int(self.period[5:])}月）"


@dataclass(frozen=True)
class WrittenReport:
    """A report written to disk: where, for which month, and its short markdown."""

    path: Path
    period: str
    markdown: str
