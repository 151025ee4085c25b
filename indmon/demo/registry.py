"""The bureau's monthly register snapshot (企业名录): CSV UTF-8 with BOM, every 6th month xlsx."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from indmon.demo.files import Cell, write_csv, write_xlsx
from indmon.demo.manifest import DemoEvent, DemoFile, InjectedFault, SourceOutput
from indmon.demo.model import County, Enterprise
from indmon.demo.naming import mistype

SOURCE = "registry"
HEADER = (
    "统一社会信用代码",
    "企业名称",
    "行业代码",
    "所在乡镇（园区）",
    "用地面积（亩）",
    "成立日期",
    "规上企业",
    "重点企业",
    "入规培育库",
    "专精特新",
    "绿色工厂",
    "经营状态",
)
#: (offset, current name, former name written in that month's snapshot).
FORMER_NAMES = (
    (4, "孙疃镇", "孙町镇"),
    (5, "孙疃镇", "孙町镇"),
    (13, "孙疃镇", "孙町镇"),
    (7, "安徽省濉溪经济开发区", "濉溪经济开发区"),
    (17, "安徽省濉溪经济开发区", "濉溪经济开发区"),
    (20, "安徽省濉溪经济开发区", "濉溪经济开发区"),
)
INVALID_CODE_AT = 10
DUPLICATE_CODE_AT = 17


def is_xlsx_month(t: int) -> bool:
    """Every 6th snapshot is saved as a workbook instead of a CSV."""
    return (t + 1) % 6 == 0


def file_name(county: County, t: int) -> str:
    """``企业名录_YYYYMM.csv`` or ``.xlsx``."""
    return f"企业名录_{county.timeline.compact(t)}.{'xlsx' if is_xlsx_month(t) else 'csv'}"


def write_registry(landing: Path, county: County, seed: int) -> SourceOutput:
    """Write every month's snapshot and report the files, faults and former-name months."""
    output = SourceOutput([], [], [])
    for t in county.timeline.offsets:
        rng = random.Random(f"{seed}:{SOURCE}:{t}")
        period = county.timeline.period(t)
        name = file_name(county, t)
        rows = [_row(rng, county, e, t) for e in county.register_at(t)]
        fault = _inject(rng, county, t, name, rows)
        if fault is not None:
            output.faults.append(fault)
        path = landing / SOURCE / period / name
        table: list[list[Cell]] = [list(HEADER), *rows]
        if is_xlsx_month(t):
            write_xlsx(path, table)
        else:
            write_csv(path, table, encoding="utf-8", bom=True)
        output.files.append(DemoFile(SOURCE, period, name, len(rows)))
        for since, current, former in FORMER_NAMES:
            if since == t:
                output.events.append(
                    DemoEvent(
                        "former_town_name",
                        period,
                        "",
                        "",
                        f"{former} written for {current} in {name}",
                    )
                )
    return output


def _row(rng: random.Random, county: County, enterprise: Enterprise, t: int) -> list[Cell]:
    xlsx = is_xlsx_month(t)
    town = enterprise.town_at(t)
    for since, current, former in FORMER_NAMES:
        if since == t and town == current:
            town = former
    industry: Cell = enterprise.industry
    if xlsx:
        industry = int(enterprise.industry)
    elif enterprise.industry.startswith("0") and rng.random() < 0.35:
        industry = enterprise.industry.lstrip("0")
    land: Cell = enterprise.land_mu
    if not xlsx:
        land = "" if enterprise.land_mu is None else f"{enterprise.land_mu:.1f}"
    return [
        enterprise.code,
        enterprise.name,
        industry,
        town,
        land,
        _date_cell(enterprise, xlsx),
        _yes(county.above_scale(enterprise, t)),
        _yes(enterprise.key_enterprise),
        _yes(county.cultivated(enterprise, t)),
        enterprise.specialised_at(t),
        enterprise.green,
        enterprise.status_at(t),
    ]


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


def _date_cell(enterprise: Enterprise, xlsx: bool) -> Cell:
    """成立日期 in the enterprise's own style; a workbook holds date cells except ``20150302``."""
    year, month, day = enterprise.established
    if enterprise.date_style == "compact":
        return f"{year:04d}{month:02d}{day:02d}"
    if xlsx:
        return date(year, month, day)
    if enterprise.date_style == "iso":
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{year}/{month}/{day}"


def _inject(
    rng: random.Random, county: County, t: int, name: str, rows: list[list[Cell]]
) -> InjectedFault | None:
    """A mistyped code in one snapshot; the same code twice in another."""
    period = county.timeline.period(t)
    if t == INVALID_CODE_AT:
        index = rng.randrange(len(rows))
        true_code = str(rows[index][0])
        rows[index][0] = mistype(rng, true_code)
        return InjectedFault(
            SOURCE,
            period,
            name,
            index + 2,
            "invalid_credit_code",
            f"credit code {rows[index][0]} of {rows[index][1]} fails its check "
            f"(true code {true_code})",
            key=str(rows[index][0]),
            value=str(rows[index][0]),
        )
    if t == DUPLICATE_CODE_AT:
        index = rng.choice([i for i, row in enumerate(rows) if row[4] not in (None, "")])
        copy = list(rows[index])
        land = round(float(str(rows[index][4])) * 1.5, 1)
        copy[4] = land if isinstance(rows[index][4], float) else f"{land:.1f}"
        rows.append(copy)
        return InjectedFault(
            SOURCE,
            period,
            name,
            len(rows) + 1,
            "duplicate_credit_code",
            f"{copy[0]} {copy[1]} appears again (first at row {index + 2}) "
            f"with 用地面积 {copy[4]} instead of {rows[index][4]}",
            key=str(copy[0]),
            value=str(copy[4]),
        )
    return None
