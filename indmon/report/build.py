"""Gather the monthly report from the warehouse: headline, charts, working lists, quality."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from indmon.report import charts
from indmon.report.formatting import amount, display_unit, percent, scaled, short_sha
from indmon.report.model import (
    STATUS_ZH,
    Chart,
    Column,
    HeadlineRow,
    MonthlyReport,
    Provenance,
    QualitySummary,
    WorkingList,
)
from schemas.reasons import BY_CODE
from warehouse import report_data as data

PUBLISHED = "published:"
VALUE_ADDED = "规模以上工业增加值"
#: The work plan's indicators in the order the bureau reads them; those not in the
#: warehouse's catalogue (or, published, not released) are left out, and target
#: indicators not listed here follow.
HEADLINE_ORDER = (
    PUBLISHED + VALUE_ADDED,
    "gross_output_yuan",
    "revenue_yuan",
    "profit_yuan",
    "electricity_kwh",
    "total_tax_yuan",
    "taxable_sales_yuan",
    "per_mu_tax_yuan",
    "above_scale_count",
    "new_above_scale_count",
    "industrial_investment_yuan",
    "renovation_investment_yuan",
    "energy_tce",
)
TOP_ROWS = 10
NOT_LOADED = "尚未加载：仓库中还没有 {table} 表（相关数据加载后自动出现）。"
LEVEL_ZH = {"red": "红色", "orange": "橙色", "yellow": "黄色", "blue": "蓝色"}
MEASURE_ZH = {"electricity_kwh": "用电量", "gross_output_yuan": "工业总产值"}
MEASURE_UNIT = {"electricity_kwh": "kWh", "gross_output_yuan": "yuan"}
GROUP_ZH = {"above_scale": "规上", "below_scale": "规下"}


def _year_before(period: str) -> str:
    return f"{int(period[:4]) - 1}{period[4:]}"


def _month(period: str) -> int:
    return int(period[5:])


# --- headline -------------------------------------------------------------------------


def _computed_row(key: str, name: str, unit: str, figures: dict[str, Any] | None) -> HeadlineRow:
    figures = figures or {}
    hidden = bool(figures.get("suppressed"))
    return HeadlineRow(
        key=key,
        name=name,
        unit=display_unit(unit).label,
        origin="计算",
        month=amount(figures.get("value"), unit, suppressed=hidden),
        ytd=amount(figures.get("value_ytd"), unit, suppressed=hidden),
        yoy=percent(figures.get("yoy_pct"), suppressed=hidden),
        ytd_yoy=percent(figures.get("ytd_yoy_pct"), suppressed=hidden),
    )


def _published_row(key: str, name: str, figures: dict[str, Any] | None) -> HeadlineRow:
    figures = figures or {}
    unit = figures.get("unit") or ""
    month_text, ytd_text = (
        amount(figures.get("value"), unit),
        amount(figures.get("value_ytd"), unit),
    )
    return HeadlineRow(
        key=key,
        name=name,
        unit=unit,
        origin="统计局发布",
        month="—" if unit == "%" else month_text,
        ytd="—" if unit == "%" else ytd_text,
        yoy=percent(figures.get("yoy_pct")),
        ytd_yoy=percent(figures.get("ytd_yoy_pct")),
    )


def _with_target(row: HeadlineRow, target: dict[str, Any] | None) -> HeadlineRow:
    if target is None:
        return row
    unit = target["unit"] or ""
    label = display_unit(unit).label

    def shown(value: float | None) -> str:
        return "—" if value is None else f"{amount(value, unit)}{label}"

    actual, floor = target["actual_value"], target["floor_value"]
    if actual is None:
        progress = "暂无数据"
    elif target["measure"] == "growth_pct":
        progress = f"增长 {percent(actual)}%"
    else:
        share = f"{100 * actual / floor:.0f}%" if floor else "—"
        expected = target["expected_share"]
        elapsed = "" if expected is None else f"，序时 {100 * expected:.0f}%"
        progress = f"完成 {shown(actual)}（{share}{elapsed}）"
    return replace(
        row,
        target=shown(floor),
        stretch=shown(target["stretch_value"]),
        progress=progress,
        status=str(target["status"]),
    )


def headline_rows(
    catalogue: list[dict[str, Any]],
    figures: list[dict[str, Any]],
    published: list[dict[str, Any]],
    targets: list[dict[str, Any]] | None,
) -> tuple[HeadlineRow, ...]:
    """The headline table: the work plan's indicators with their targets, in reading order."""
    names = {item["indicator"]: item for item in catalogue}
    by_indicator = {item["indicator"]: item for item in figures}
    by_name = {item["name"]: item for item in published}
    by_target = {item["indicator"]: item for item in targets or []}
    keys = [
        key
        for key in HEADLINE_ORDER
        if key in by_target
        or (key.startswith(PUBLISHED) and key.removeprefix(PUBLISHED) in by_name)
        or key in names
    ]
    keys += sorted(key for key in by_target if key not in keys)
    rows = []
    for key in keys:
        target = by_target.get(key)
        if key.startswith(PUBLISHED):
            name = key.removeprefix(PUBLISHED)
            row = _published_row(key, name, by_name.get(name))
        elif key in names:
            entry = names[key]
            row = _computed_row(key, entry["name_zh"], entry["unit"], by_indicator.get(key))
        else:  # a target the catalogue does not know: its name as delivered
            row = _computed_row(key, target["target_name"] if target else key, "", None)
        rows.append(_with_target(row, target))
    return tuple(rows)


# --- charts ---------------------------------------------------------------------------


def _monthly_points(series: list[dict[str, Any]], indicator: str, unit: str) -> list[dict]:
    return [
        {
            "year": f"{row['period'][:4]}年",
            "month": _month(row["period"]),
            "value": scaled(row["value"], unit),
        }
        for row in series
        if row["indicator"] == indicator and row["value"] is not None
    ]


def _growth_points(series: list[dict[str, Any]], year: str, names: dict[str, str]) -> list[dict]:
    return [
        {
            "month": _month(row["period"]),
            "name": names[row["indicator"]],
            "growth": row["ytd_yoy_pct"],
        }
        for row in series
        if row["indicator"] in names
        and row["period"].startswith(year)
        and row["ytd_yoy_pct"] is not None
    ]


def _target_points(targets: list[dict[str, Any]]) -> list[dict]:
    points = []
    for target in targets:
        actual, floor = target["actual_value"], target["floor_value"]
        if actual is None or not floor:
            continue
        expected = target["expected_share"]
        points.append(
            {
                "name": target["target_name"],
                "completion": round(100 * actual / floor, 1),
                "status": STATUS_ZH.get(target["status"], target["status"]),
                "expected": None if expected is None else round(100 * expected, 1),
            }
        )
    return points


def _ranking_points(ranking: list[dict[str, Any]], unit: str | None) -> list[dict]:
    figure = "value_ytd" if ranking and ranking[0]["rank_by"] == "value_ytd" else "ytd_yoy_pct"
    return [
        {
            "name": row["name"],
            "rank": row["rank"],
            "figure": scaled(row[figure], unit) if figure == "value_ytd" else row[figure],
        }
        for row in ranking
        if row["rank"] is not None and row[figure] is not None
    ]


def _left_out_note(ranking: list[dict[str, Any]]) -> str:
    hidden = [row["name"] for row in ranking if row["suppressed"]]
    missing = [row["name"] for row in ranking if not row["suppressed"] and row["rank"] is None]
    parts = []
    if hidden:
        parts.append(f"企业少于3家不予显示：{'、'.join(hidden)}")
    if missing:
        parts.append(f"无可比数据：{'、'.join(missing)}")
    return "；".join(parts)


def build_charts(
    connection: sa.Connection, period: str, targets: list[dict[str, Any]] | None
) -> tuple[Chart, ...]:
    """Every chart of the report, drawn (or a note when there is nothing to draw)."""
    year, last_year = period[:4], _year_before(period)[:4]
    series = data.county_series(
        connection,
        ("electricity_kwh", "total_tax_yuan", "gross_output_yuan", "revenue_yuan"),
        f"{last_year}-01",
        period,
    )
    drawn = [
        charts.monthly_against_last_year(
            "electricity",
            f"全县工业用电量：{year}年与{last_year}年逐月对比",
            "万千瓦时",
            _monthly_points(series, "electricity_kwh", "kWh"),
        ),
        charts.monthly_against_last_year(
            "tax",
            f"全县工业税收：{year}年与{last_year}年逐月对比",
            "万元",
            _monthly_points(series, "total_tax_yuan", "yuan"),
        ),
        charts.ytd_growth(
            "growth",
            f"{year}年规上工业总产值、营业收入累计增速",
            _growth_points(
                series, year, {"gross_output_yuan": "工业总产值", "revenue_yuan": "营业收入"}
            ),
        ),
    ]
    target_title = f"{year}年目标完成进度"
    if targets is None:
        drawn.append(
            charts.not_drawn(
                "targets", target_title, NOT_LOADED.format(table="mart_target_progress")
            )
        )
    else:
        drawn.append(charts.target_progress("targets", target_title, _target_points(targets)))
    electricity = data.town_ranking(connection, period, "electricity_kwh")
    drawn.append(
        charts.region_ranking(
            "town-electricity",
            f"乡镇（园区）工业用电量累计增速排名（1-{_month(period)}月）",
            "累计同比增长（%）",
            _ranking_points(electricity, None),
            _left_out_note(electricity),
        )
    )
    per_mu = data.town_ranking(connection, period, "per_mu_tax_yuan")
    drawn.append(
        charts.region_ranking(
            "town-per-mu-tax",
            f"乡镇（园区）规上工业亩均税收排名（1-{_month(period)}月）",
            "亩均税收（万元/亩）",
            _ranking_points(per_mu, "yuan/mu"),
            _left_out_note(per_mu),
        )
    )
    return tuple(drawn)


# --- working lists --------------------------------------------------------------------


def _yes(value: Any) -> str:
    return "是" if value else "否"


def _text(value: Any) -> str:
    return "—" if value is None else str(value)


def _working_list(
    list_id: str,
    title: str,
    what: str,
    table: str,
    columns: tuple[Column, ...],
    found: tuple[int, list[dict[str, Any]]] | None,
    shown: Any,
) -> WorkingList:
    if found is None:
        return WorkingList(list_id, title, what, columns, None, table=table)
    count, rows = found
    return WorkingList(list_id, title, what, columns, count, tuple(shown(r) for r in rows), table)


def _decline_row(row: dict[str, Any]) -> dict[str, str]:
    unit = MEASURE_UNIT.get(row["measure"])
    return {
        "name": _text(row["name"]),
        "region": _text(row["region_name"]),
        "key": _yes(row["key_enterprise"]),
        "measure": MEASURE_ZH.get(row["measure"], row["measure"]),
        "value": f"{amount(row['value'], unit)} {display_unit(unit).label}",
        "prior": amount(row["prior_year_value"], unit),
        "yoy": percent(row["yoy_pct"]),
        "months": _text(row["consecutive_months"]),
        "level": LEVEL_ZH.get(row["level"], _text(row["level"])),
    }


def _cultivation_row(row: dict[str, Any]) -> dict[str, str]:
    share = row["share_of_threshold"]
    return {
        "name": _text(row["name"]),
        "region": _text(row["region_name"]),
        "industry": _text(row["industry_code"]),
        "pool": _yes(row["in_cultivation_pool"]),
        "sales": amount(row["trailing_sales_yuan"], "yuan"),
        "share": "—" if share is None else f"{100 * share:.1f}%",
        "gap": amount(row["gap_yuan"], "yuan"),
        "crossed": _text(row["crossed_period"]),
    }


def _zombie_row(row: dict[str, Any]) -> dict[str, str]:
    return {
        "name": _text(row["name"]),
        "region": _text(row["region_name"]),
        "industry": _text(row["industry_code"]),
        "status": _text(row["operating_status"]),
        "land": amount(row["land_mu"], "亩"),
        "idle": _text(row["idle_months"]),
        "last": _text(row["last_active_period"]) if row["last_active_period"] else "从未",
    }


def _class_d_row(row: dict[str, Any]) -> dict[str, str]:
    score = row["total_score"]
    return {
        "name": _text(row["name"]),
        "region": _text(row["region_name"]),
        "group": GROUP_ZH.get(row["group_name"], _text(row["group_name"])),
        "through": _text(row["through_period"]),
        "land": amount(row["land_mu"], "亩"),
        "tax": amount(row["per_mu_tax_yuan"], "yuan/mu"),
        "revenue": amount(row["per_mu_revenue_yuan"], "yuan/mu"),
        "score": "—" if score is None else f"{score:.1f}",
        "rank": _text(row["rank"]),
    }


def working_lists(connection: sa.Connection, period: str) -> tuple[WorkingList, ...]:
    """The four working lists with their counts and top rows (None counts: not built)."""
    year = int(period[:4])
    n = lambda key, header: Column(key, header, numeric=True)  # noqa: E731
    c = Column
    return (
        _working_list(
            "decline",
            "生产下滑预警",
            "用电量或产值同比下降的企业，重点企业在前，按预警等级排序",
            "mart_decline_watch",
            (
                c("name", "企业名称"),
                c("region", "乡镇（园区）"),
                c("key", "重点企业"),
                c("measure", "指标"),
                n("value", "本月"),
                n("prior", "上年同月"),
                n("yoy", "同比（%）"),
                n("months", "连续下降月数"),
                c("level", "预警等级"),
            ),
            data.decline_watch(connection, period, TOP_ROWS),
            _decline_row,
        ),
        _working_list(
            "cultivation",
            "入规培育对象",
            "近12个月应税销售收入接近或达到2000万元的规下企业，按达标比例排序",
            "mart_cultivation",
            (
                c("name", "企业名称"),
                c("region", "乡镇（园区）"),
                c("industry", "行业代码"),
                c("pool", "在培育库"),
                n("sales", "近12个月应税销售（万元）"),
                n("share", "达标比例"),
                n("gap", "差距（万元）"),
                c("crossed", "达标月份"),
            ),
            data.cultivation(connection, period, TOP_ROWS),
            _cultivation_row,
        ),
        _working_list(
            "zombie",
            "僵尸企业线索",
            "连续多月无用电、无纳税、无统计报表的在册企业，按停滞月数排序",
            "mart_zombie_watch",
            (
                c("name", "企业名称"),
                c("region", "乡镇（园区）"),
                c("industry", "行业代码"),
                c("status", "经营状态"),
                n("land", "用地（亩）"),
                n("idle", "停滞月数"),
                c("last", "最近活动月份"),
            ),
            data.zombie_watch(connection, period, TOP_ROWS),
            _zombie_row,
        ),
        _working_list(
            "per-mu-d",
            "亩均效益评价D类企业",
            f"{year}年亩均效益综合评价为D类的企业，按总分由低到高",
            "mart_per_mu_evaluation",
            (
                c("name", "企业名称"),
                c("region", "乡镇（园区）"),
                c("group", "组别"),
                c("through", "评价截至"),
                n("land", "用地（亩）"),
                n("tax", "亩均税收（万元/亩）"),
                n("revenue", "亩均营收（万元/亩）"),
                n("score", "总分"),
                n("rank", "组内排名"),
            ),
            data.per_mu_class_d(connection, year, TOP_ROWS),
            _class_d_row,
        ),
    )


# --- quality and provenance -----------------------------------------------------------


def _moment(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(ZoneInfo("Asia/Shanghai"))
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)[:16]


def data_docs_link(data_docs_dir: Path | None, report_dir: Path) -> str | None:
    """The quality page (or GX's index) relative to the report's folder, when it exists."""
    if data_docs_dir is None:
        return None
    for name in ("quality.html", "index.html"):
        page = data_docs_dir / name
        if page.is_file():
            return Path(os.path.relpath(page.resolve(), report_dir.resolve())).as_posix()
    return None


def quality_summary(
    connection: sa.Connection, period: str, docs_link: str | None
) -> QualitySummary:
    """Files of the period, rows held by reason, alerts raised and failed checks."""
    files = [
        {
            **item,
            "sha": short_sha(item["sha256"]),
            "finished": _moment(item["finished_at"]),
            "load": str(item["load_id"])[:8],
        }
        for item in data.files_of_period(connection, period)
    ]
    held = [
        {**item, "reason_zh": BY_CODE[item["reason"]].zh if item["reason"] in BY_CODE else ""}
        for item in data.held_by_reason(connection, period)
    ]
    alerts = [
        {**item, "raised": _moment(item["raised_at"])}
        for item in data.alerts_of_period(connection, period)
    ]
    checks = data.quality_checks(connection, period)
    return QualitySummary(
        files=tuple(files),
        held=tuple(held),
        alerts=tuple(alerts),
        checks_run=len(checks),
        checks_failed=tuple(check for check in checks if not check["success"]),
        data_docs_link=docs_link,
    )


def provenance(connection: sa.Connection, period: str) -> Provenance:
    """The files in force for the months the report reads (last January to the period)."""
    first = f"{_year_before(period)[:4]}-01"
    files = data.files_in_force(connection, first, period)
    shown = tuple(
        {**item, "sha": short_sha(item["sha256"]), "finished": _moment(item["finished_at"])}
        for item in files
    )
    latest = max((item["finished_at"] for item in files), default=None)
    load_ids = tuple(sorted({str(item["load_id"]) for item in files if item["period"] == period}))
    return Provenance(shown, load_ids, None if latest is None else _moment(latest), first, period)


# --- the report -----------------------------------------------------------------------


def _summary(headline: tuple[HeadlineRow, ...], lists: tuple[WorkingList, ...]) -> tuple[str, ...]:
    """本月要点: the few sentences a reader needs before the tables."""
    rows = {row.key: row for row in headline}
    lines = []
    if (added := rows.get(PUBLISHED + VALUE_ADDED)) and added.ytd_yoy != "—":
        lines.append(f"规模以上工业增加值累计增长 {added.ytd_yoy}%（统计局发布）。")
    for key, label in (
        ("electricity_kwh", "工业用电量"),
        ("total_tax_yuan", "工业税收"),
        ("gross_output_yuan", "规上工业总产值"),
    ):
        if (row := rows.get(key)) and row.ytd != "—":
            lines.append(
                f"{label}本月 {row.month} {row.unit}，同比 {row.yoy}%；"
                f"累计 {row.ytd} {row.unit}，同比 {row.ytd_yoy}%。"
            )
    behind = [row.name for row in headline if row.status == "behind"]
    if behind:
        lines.append(f"落后序时进度的目标：{'、'.join(behind)}。")
    counts = [f"{item.title} {item.count} 家" for item in lists if item.count is not None]
    if counts:
        lines.append("需要走访的企业：" + "，".join(counts) + "。")
    return tuple(lines)


def build_report(
    engine: sa.Engine,
    period: str,
    *,
    data_docs_link: str | None = None,
    generated_at: datetime | None = None,
) -> MonthlyReport:
    """The report of ``period`` from the warehouse behind ``engine``."""
    moment = generated_at or datetime.now(ZoneInfo("Asia/Shanghai"))
    with engine.connect() as connection:
        targets = data.target_progress(connection, int(period[:4]))
        headline = headline_rows(
            data.indicator_catalogue(connection),
            data.county_figures(connection, period),
            data.county_published(connection, period),
            targets,
        )
        lists = working_lists(connection, period)
        return MonthlyReport(
            period=period,
            county_name=str(data.county(connection)["name"]),
            generated_at=_moment(moment),
            headline=headline,
            charts=build_charts(connection, period, targets),
            lists=lists,
            quality=quality_summary(connection, period, data_docs_link),
            provenance=provenance(connection, period),
            targets_loaded=targets is not None,
            summary=_summary(headline, lists),
        )
