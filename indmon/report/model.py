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


#: From the most to the least pressing: a row with several targets shows the first found.
STATUS_URGENCY = ("behind", "no_data", "on_track", "ahead")


@dataclass(frozen=True)
class TargetStanding:
    """One annual target of a region as the page shows it (texts in the target's unit).

    ``floor`` and ``stretch`` read ``增长 10.0%`` for a growth target and ``40 个`` or
    ``5,000.0 万元`` for a count or value; ``actual`` the figure compared with them.
    """

    region: str
    is_county: bool
    indicator: str
    name: str
    measure: str
    floor: str
    stretch: str
    actual: str
    actual_period: str
    status: str

    @property
    def status_zh(self) -> str:
        """The status in Chinese."""
        return STATUS_ZH.get(self.status, self.status)

    @property
    def label(self) -> str:
        """The target's name, with its town or park unless it is the county's."""
        return self.name if self.is_county else f"{self.region}：{self.name}"


@dataclass(frozen=True)
class HeadlineRow:
    """One indicator of the work plan for the county, as its row of the headline table.

    ``key`` is the catalogue code (``electricity_kwh``) or ``published:<名称>`` for a figure
    the statistics bureau publishes; cells are display texts (units as in ``unit``);
    ``targets`` the county's targets on the indicator (a growth and a value target may both
    be set).
    """

    key: str
    name: str
    unit: str
    origin: str  # 计算 (from enterprise data) or 统计局发布
    month: str
    ytd: str
    yoy: str
    ytd_yoy: str
    targets: tuple[TargetStanding, ...] = ()

    @property
    def status(self) -> str:
        """The most pressing status of the row's targets (``no_target`` without one)."""
        found = {target.status for target in self.targets}
        return next((s for s in STATUS_URGENCY if s in found), "no_target")


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
    """One working list (e.g. 生产下滑预警): how many enterprises, and the top rows as
    display texts (none in a month without any)."""

    list_id: str
    title: str
    what: str
    columns: tuple[Column, ...]
    count: int
    rows: tuple[dict[str, str], ...] = ()


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
    targets: tuple[TargetStanding, ...]
    summary: tuple[str, ...] = field(default_factory=tuple)

    @property
    def targets_set(self) -> bool:
        """Whether the year has targets (a targets file of the year is loaded)."""
        return bool(self.targets)

    @property
    def year(self) -> str:
        """The report's year, ``2022``."""
        return self.period[:4]

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
