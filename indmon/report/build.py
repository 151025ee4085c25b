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
from indmon.report.formatting import (
    MISSING,
    amount,
    display_unit,
    percent,
    scaled,
    short_sha,
)
from indmon.report.model import (
    STATUS_ZH,
    Chart,
    Column,
    HeadlineRow,
    MonthlyReport,
    Provenance,
    QualitySummary,
    TargetStanding,
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
NO_TARGETS = "{year}年未下达目标：仓库中没有该年的目标文件（targets/{year}/）。"
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


def _target_figure(value: float | None, target: dict[str, Any]) -> str:
    """A target's figure in its unit: ``增长 10.0%`` (growth), ``40 个``, ``5,000.0 万元``."""
    if value is None:
        return "—"
    if target["measure"] == "growth_pct":
        return f"增长 {value:.1f}%"
    unit = target["unit"]
    return f"{amount(value, unit)} {display_unit(unit).label}"


def _target_actual(target: dict[str, Any]) -> str:
    """What the target is compared with, over the months it covers (``1-6月``): the growth
    so far, or the figure so far with the share of the floor it makes and of the year
    elapsed."""
    actual, floor = target["actual_value"], target["floor_value"]
    if actual is None:
        return "暂无数据"
    month = _month(target["actual_period"])
    months = "1月" if month == 1 else f"1-{month}月"
    if target["measure"] == "growth_pct":
        return f"{months}增长 {actual:.1f}%"
    done = f"，完成目标 {100 * actual / floor:.0f}%" if floor else ""
    expected = target["expected_share"]
    elapsed = "" if expected is None else f"，序时进度 {100 * expected:.0f}%"
    return f"{months}累计 {_target_figure(actual, target)}{done}{elapsed}"


def target_standing(target: dict[str, Any]) -> TargetStanding:
    """A row of ``mart_target_progress`` as the page shows it."""
    return TargetStanding(
        region=str(target["region_name"]),
        is_county=bool(target["is_county"]),
        indicator=str(target["indicator"]),
        name=str(target["target_name"]),
        measure=str(target["measure"]),
        floor=_target_figure(target["floor_value"], target),
        stretch=_target_figure(target["stretch_value"], target),
        actual=_target_actual(target),
        actual_period=target["actual_period"] or "—",
        status=str(target["status"]),
    )


def headline_rows(
    catalogue: list[dict[str, Any]],
    figures: list[dict[str, Any]],
    published: list[dict[str, Any]],
    targets: list[dict[str, Any]],
) -> tuple[HeadlineRow, ...]:
    """The headline table: the work plan's indicators with the county's targets on each,
    in reading order (``targets`` as from ``report_data.target_progress``)."""
    names = {item["indicator"]: item for item in catalogue}
    by_indicator = {item["indicator"]: item for item in figures}
    by_name = {item["name"]: item for item in published}
    by_target: dict[str, list[TargetStanding]] = {}
    for target in targets:
        if target["is_county"]:
            by_target.setdefault(target["indicator"], []).append(target_standing(target))
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
        standing = tuple(by_target.get(key, ()))
        if key.startswith(PUBLISHED):
            name = key.removeprefix(PUBLISHED)
            row = _published_row(key, name, by_name.get(name))
        elif key in names:
            entry = names[key]
            row = _computed_row(key, entry["name_zh"], entry["unit"], by_indicator.get(key))
        else:  # a target the catalogue does not know: its name as delivered
            row = _computed_row(key, standing[0].name if standing else key, "", None)
        rows.append(replace(row, targets=standing))
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
    """One point per target: growth targets in %, count and value targets as the share of
    the floor done (with the share of the year elapsed); no actual: ``暂无数据``."""
    points = []
    for target in targets:
        standing = target_standing(target)
        actual, floor, stretch = (
            target["actual_value"],
            target["floor_value"],
            target["stretch_value"],
        )
        point: dict[str, Any] = {
            "name": standing.label,
            "status": standing.status_zh,
            "growth": target["measure"] == "growth_pct",
        }
        if target["measure"] == "growth_pct":
            point |= {"figure": actual, "floor_mark": floor, "stretch_mark": stretch}
            point["text"] = "暂无数据" if actual is None else f"{actual:.1f}%"
        else:
            expected = target["expected_share"]
            done = None if actual is None or not floor else 100 * actual / floor
            point |= {
                "figure": done,
                "floor_mark": None if expected is None else 100 * expected,
                "stretch_mark": (
                    None
                    if expected is None or not floor or stretch is None
                    else 100 * expected * stretch / floor
                ),
            }
            point["text"] = "暂无数据" if done is None else f"{done:.0f}%"
        points.append(point)
    return points


def _ranking_points(ranking: list[dict[str, Any]], unit: str | None) -> list[dict]:
    """The ranked towns and parks: growth in %, or the year-to-date figure in ``unit``'s
    display unit."""
    by_value = bool(ranking) and ranking[0]["rank_by"] == "value_ytd"
    points = []
    for row in ranking:
        if row["rank"] is None:
            continue
        if by_value:
            figure = scaled(row["value_ytd"], unit)
            text = amount(row["value_ytd"], unit)
        else:
            figure = row["ytd_yoy_pct"]
            text = f"{percent(figure)}%"
        points.append({"name": row["name"], "rank": row["rank"], "figure": figure, "text": text})
    return points


def _left_out_note(ranking: list[dict[str, Any]]) -> str:
    """Which towns and parks the ranking leaves out, and why."""
    unranked = [row for row in ranking if row["rank"] is None]
    hidden = [row["name"] for row in unranked if row["suppressed"] and row["enterprise_count"]]
    empty = [row["name"] for row in unranked if not row["enterprise_count"]]
    missing = [row["name"] for row in unranked if row["enterprise_count"] and not row["suppressed"]]
    parts = []
    if hidden:
        parts.append(f"企业少于3家不予显示：{'、'.join(hidden)}")
    if missing:
        parts.append(f"无上年同期可比数据：{'、'.join(missing)}")
    if empty:
        parts.append(f"无相关企业：{'、'.join(empty)}")
    return "；".join(parts)


def build_charts(
    connection: sa.Connection, period: str, targets: list[dict[str, Any]]
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
    target_title = f"{year}年目标完成情况"
    if targets:
        drawn.append(charts.target_progress("targets", target_title, _target_points(targets)))
    else:
        drawn.append(charts.not_drawn("targets", target_title, NO_TARGETS.format(year=year)))
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
    columns: tuple[Column, ...],
    found: tuple[int, list[dict[str, Any]]],
    shown: Any,
) -> WorkingList:
    count, rows = found
    return WorkingList(list_id, title, what, columns, count, tuple(shown(r) for r in rows))


def _decline_row(row: dict[str, Any]) -> dict[str, str]:
    unit = MEASURE_UNIT.get(row["measure"])
    return {
        "name": _text(row["name"]),
        "region": _text(row["region_name"]),
        "key": _yes(row["key_enterprise"]),
        "measure": MEASURE_ZH.get(row["measure"], row["measure"]),
        "unit": display_unit(unit).label,
        "value": amount(row["value"], unit),
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
        "gap": "已达标" if row["crossed_period"] else amount(row["gap_yuan"], "yuan"),
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
    """The four working lists with their counts and top rows."""
    year = int(period[:4])
    n = lambda key, header: Column(key, header, numeric=True)  # noqa: E731
    c = Column
    return (
        _working_list(
            "decline",
            "生产下滑预警",
            "用电量或产值同比下降的企业，重点企业在前，按预警等级排序",
            (
                c("name", "企业名称"),
                c("region", "乡镇（园区）"),
                c("key", "重点企业"),
                c("measure", "指标"),
                c("unit", "单位"),
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
            "近12个月应税销售收入接近或已达2000万元的规下企业，按达标比例排序；已达标的应尽快申报入规",
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


def _shown(text: str) -> bool:
    return not text.startswith(MISSING)


def _figure_line(label: str, row: HeadlineRow) -> str | None:
    parts = []
    if _shown(row.month):
        growth = f"，同比 {row.yoy}%" if _shown(row.yoy) else ""
        parts.append(f"本月 {row.month} {row.unit}{growth}")
    if _shown(row.ytd):
        growth = f"，同比 {row.ytd_yoy}%" if _shown(row.ytd_yoy) else ""
        parts.append(f"累计 {row.ytd} {row.unit}{growth}")
    return f"{label}{'；'.join(parts)}。" if parts else None


def _targets_line(year: str, targets: tuple[TargetStanding, ...]) -> str:
    if not targets:
        return f"{year}年目标尚未下达（没有载入该年的目标文件）。"
    counts = {status: 0 for status in STATUS_ZH}
    for target in targets:
        counts[target.status] = counts.get(target.status, 0) + 1
    parts = [f"{STATUS_ZH[s]} {n} 项" for s, n in counts.items() if n and s != "behind"]
    behind = [t.label for t in targets if t.status == "behind"]
    if behind:
        parts.append(f"落后序时进度 {len(behind)} 项（{'、'.join(behind)}）")
    return f"{year}年目标 {len(targets)} 项：{'，'.join(parts)}。"


def _summary(
    year: str,
    headline: tuple[HeadlineRow, ...],
    targets: tuple[TargetStanding, ...],
    lists: tuple[WorkingList, ...],
) -> tuple[str, ...]:
    """本月要点: the few sentences a reader needs before the tables."""
    rows = {row.key: row for row in headline}
    lines = []
    if (added := rows.get(PUBLISHED + VALUE_ADDED)) and _shown(added.ytd_yoy):
        lines.append(f"规模以上工业增加值累计增长 {added.ytd_yoy}%（统计局发布）。")
    for key, label in (
        ("electricity_kwh", "工业用电量"),
        ("total_tax_yuan", "工业税收"),
        ("gross_output_yuan", "规上工业总产值"),
        ("industrial_investment_yuan", "工业投资"),
    ):
        if (row := rows.get(key)) and (line := _figure_line(label, row)):
            lines.append(line)
    lines.append(_targets_line(year, targets))
    counts = [f"{item.title} {item.count} 家" for item in lists]
    lines.append("需要走访的企业：" + "，".join(counts) + "（名单见第三部分）。")
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
        standing = tuple(target_standing(target) for target in targets)
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
            targets=standing,
            summary=_summary(period[:4], headline, standing, lists),
        )
