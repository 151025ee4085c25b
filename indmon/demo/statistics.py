"""The statistics bureau's 规模以上工业企业主要经济指标 (联网直报): year-to-date xlsx.

One file per month but January (the first file of a year is ``1-2月`` in the ``YYYY-02``
folder), one row per enterprise of that year's above-scale roster. Row 1 is the title,
rows 2-3 the two-row header (a merged group cell over 本年累计/上年同期; single columns
merged down; 从业人员平均人数 merged K2:K3), then the data, a blank row and a 注 row.
Money in 千元 (whole), energy in tce (1 decimal). 本年累计 sums the model's months from
January; 上年同期 sums the same months a year earlier times an as-reported factor per
enterprise and year, blank for an enterprise founded within the last year. Two bad rows
are injected and reported.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from indmon.demo.files import Cell
from indmon.demo.manifest import DemoFile, InjectedFault, SourceOutput
from indmon.demo.model import County, Enterprise, MonthFigures
from indmon.demo.reference import Reference, load_reference
from indmon.demo.tax import new_workbook, write_cells

SOURCE = "statistics"
SINGLE = ("统一社会信用代码", "单位详细名称", "行业代码", "区划代码")
#: Header groups of row 2 and whether they split into 本年累计/上年同期 in row 3.
GROUPS = (
    ("工业总产值（千元）", True),
    ("营业收入（千元）", True),
    ("利润总额（千元）", True),
    ("从业人员平均人数（人）", False),
    ("综合能源消费量（吨标准煤）", True),
)
SUB = ("本年累计", "上年同期")
CODE, NAME, INDUSTRY, REGION, OUTPUT, OUTPUT_PRIOR, REVENUE, REVENUE_PRIOR = range(8)
#: Columns the title spans (A:N, one more than the table, as the bureau's export does).
TITLE_COLUMNS = 14
FIRST_ROW = 4
NOTE = "注：本表数据来源于联网直报平台，金额单位为千元。"
#: The injected bad rows: offset -> kind.
FAULTS = {6: "not_a_number", 19: "conflicting_duplicate"}

Row = list[Cell]


def file_name(county: County, t: int) -> str:
    """``规上工业企业主要经济指标_YYYYMM.xlsx``."""
    return f"规上工业企业主要经济指标_{county.timeline.compact(t)}.xlsx"


def roster(county: County, t: int) -> list[Enterprise]:
    """The month's rows: the register's above-scale enterprises, in register order."""
    return [e for e in county.register_at(t) if county.above_scale(e, t)]


def reported_prior(county: County, enterprise: Enterprise, t: int) -> bool:
    """Whether 上年同期 is filled: the enterprise existed from January a year earlier."""
    year = county.timeline.year_month(t)[0]
    january = county.timeline.offset(year - 1, 1)
    return enterprise.exists(january) and enterprise.established[:2] <= (year - 1, 1)


def write_statistics(landing: Path, county: County, seed: int) -> SourceOutput:
    """Write every month's year-to-date file (none in January); report files and faults."""
    timeline = county.timeline
    reference = load_reference()
    output = SourceOutput([], [], [])
    factors: dict[int, dict[str, float]] = {}
    for t in timeline.offsets:
        year, month = timeline.year_month(t)
        if month == 1:
            continue
        if year not in factors:
            rng = random.Random(f"{seed}:{SOURCE}:{year}")
            factors[year] = {code: rng.uniform(0.97, 1.03) for code in sorted(county.rosters[year])}
        rng = random.Random(f"{seed}:{SOURCE}:{t}")
        period, name = timeline.period(t), file_name(county, t)
        enterprises = roster(county, t)
        rows = [_row(county, reference, e, t, factors[year][e.code]) for e in enterprises]
        held: set[str] = set()
        kind = FAULTS.get(t)
        if kind is not None:
            fault, held = _inject(rng, kind, period, name, rows)
            output.faults.append(fault)
        _write(
            landing / SOURCE / period / name,
            f"濉溪县规模以上工业企业主要经济指标（{year}年1-{month}月）",
            rows,
        )
        kept = [row for row in rows[: len(enterprises)] if row[CODE] not in held]
        output.files.append(
            DemoFile(
                SOURCE,
                period,
                name,
                len(rows),
                kept_rows=len(kept),
                kept_total=str(sum(_whole(row[OUTPUT]) for row in kept)),
            )
        )
    return output


def year_to_date(county: County, enterprise: Enterprise, t: int) -> list[MonthFigures]:
    """The enterprise's months from January of ``t``'s year to ``t``."""
    january = county.timeline.offset(county.timeline.year_month(t)[0], 1)
    return [enterprise.figures(s) for s in range(january, t + 1)]


def _row(
    county: County, reference: Reference, enterprise: Enterprise, t: int, factor: float
) -> Row:
    now = _sums(year_to_date(county, enterprise, t), 1.0)
    prior: Sequence[Cell] = [None] * 5
    if reported_prior(county, enterprise, t):
        prior = _sums(year_to_date(county, enterprise, t - 12), factor)
    return [
        enterprise.code,
        enterprise.name,
        enterprise.industry,
        reference.region(enterprise.town_at(t)).code,
        now[0],
        prior[0],
        now[1],
        prior[1],
        now[2],
        prior[2],
        now[3],
        now[4],
        prior[4],
    ]


def _sums(months: list[MonthFigures], factor: float) -> list[Cell]:
    """Output, revenue, profit (千元), average staff and energy (tce, 1 decimal)."""
    return [
        round(sum(m.output for m in months) * factor / 1000),
        round(sum(m.revenue for m in months) * factor / 1000),
        round(sum(m.profit for m in months) * factor / 1000),
        round(sum(m.staff for m in months) / len(months)),
        round(sum(m.tce for m in months) * factor, 1),
    ]


def _whole(cell: Cell) -> int:
    """A whole-千元 cell as an int (0 when blank)."""
    return cell if isinstance(cell, int) else 0


def _inject(
    rng: random.Random, kind: str, period: str, name: str, rows: list[Row]
) -> tuple[InjectedFault, set[str]]:
    """Text in 营业收入 本年累计, or an enterprise again with other figures."""
    index = rng.choice([i for i, row in enumerate(rows) if row[OUTPUT_PRIOR] is not None])
    row = rows[index]
    code = str(row[CODE])

    def fault(row_number: int, description: str, value: str) -> InjectedFault:
        return InjectedFault(
            SOURCE,
            period,
            name,
            row_number,
            kind,
            f"{code} {row[NAME]}: {description}",
            key=code,
            value=value,
        )

    if kind == "not_a_number":
        true_value = row[REVENUE]
        row[REVENUE] = "待报"
        return fault(
            index + FIRST_ROW, f"营业收入 本年累计 is 待报 instead of {true_value}", "待报"
        ), {code}
    if kind == "conflicting_duplicate":
        copy = list(row)
        copy[OUTPUT] = round(_whole(row[OUTPUT]) * 1.06) + 11
        copy[REVENUE] = round(_whole(row[REVENUE]) * 1.05) + 7
        rows.append(copy)
        return fault(
            len(rows) + FIRST_ROW - 1,
            f"again with 工业总产值 本年累计 {copy[OUTPUT]} "
            f"(row {index + FIRST_ROW} has {row[OUTPUT]})",
            str(copy[OUTPUT]),
        ), {code}
    raise ValueError(f"unknown statistics fault kind {kind!r}")


def _write(path: Path, title: str, rows: list[Row]) -> None:
    """Title over A1:N1, the two-row header, the data, a blank row and the note."""
    workbook = new_workbook(path)
    sheet = workbook.add_worksheet("Sheet1")
    sheet.merge_range(0, 0, 0, TITLE_COLUMNS - 1, title)
    for col, label in enumerate(SINGLE):
        sheet.merge_range(1, col, 2, col, label)
    col = len(SINGLE)
    for label, split in GROUPS:
        if split:
            sheet.merge_range(1, col, 1, col + 1, label)
            write_cells(sheet, 2, SUB, col)
            col += 2
        else:
            sheet.merge_range(1, col, 2, col, label)
            col += 1
    for index, row in enumerate(rows):
        write_cells(sheet, FIRST_ROW - 1 + index, row)
    sheet.write_string(FIRST_ROW + len(rows), 0, NOTE)
    workbook.close()
