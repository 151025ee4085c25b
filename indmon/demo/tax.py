"""The tax bureau's monthly 工业企业税收入库明细: xlsx, title row, ``单位：元``, header in row 3.

One row per taxpayer that filed in the month: the enterprises in production (a stopped
one pays only its land and property taxes for three months, then drops out), five
individual businesses (92…) and a farmers' cooperative (93…), which are no enterprises.
Amounts follow the enterprise model: 应税销售收入 is the month's revenue, 增值税 a rate
× value added (now and then negative), 企业所得税 a share of a positive profit, 税收合计
their sum to the fen. 2022 brings the large VAT credit refunds (留抵退税额), most in
April-June. Amounts are numbers with 2 decimals, on some rows text such as
``1,234,567.89``; 所属期 is ``2022-03`` or, in some files, ``202203``. Six bad rows are
injected, one per month in six months, and reported.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from indmon.demo.build import SEASON
from indmon.demo.files import Cell
from indmon.demo.manifest import DemoEvent, DemoFile, InjectedFault, SourceOutput
from indmon.demo.model import County, Enterprise
from indmon.demo.naming import mistype
from indmon.demo.periods import HISTORY, Timeline
from schemas.credit_code import ALPHABET, complete_credit_code

SOURCE = "tax"
HEADER = (
    "纳税人识别号",
    "纳税人名称",
    "所属期",
    "增值税",
    "企业所得税",
    "其他税收",
    "税收合计",
    "留抵退税额",
    "应税销售收入",
)
ID, NAME, PERIOD, VAT, CIT, OTHER, TOTAL, REFUND, SALES = range(9)
#: Excel row of the first data row (title, unit and header above it).
FIRST_ROW = 4
#: The injected bad rows: offset -> kind.
FAULTS = {
    5: "invalid_credit_code",
    9: "total_mismatch",
    11: "not_a_number",
    14: "period_mismatch",
    16: "exact_duplicate",
    20: "conflicting_duplicate",
}
STOPPED_MONTHS = 3
TEXT_ROW_SHARE = 0.06
COMPACT_PERIOD_SHARE = 0.25
NEGATIVE_VAT_SHARE = 0.012
REFUND_YEAR = 2022
#: Taxpayers that are no enterprises: (category prefix, name).
NOT_ENTERPRISES = (
    ("92", "濉溪县刘桥镇李记五金加工部"),
    ("92", "濉溪县韩村镇张氏石材加工厂"),
    ("92", "濉溪县五沟镇王师傅农机修理部"),
    ("92", "濉溪县孙疃镇陈记豆制品加工坊"),
    ("92", "濉溪县濉溪镇鑫隆门窗加工部"),
    ("93", "濉溪县百善镇丰禾农产品加工专业合作社"),
)
_FIXED_CREATED = datetime(2020, 1, 1)

Row = list[Cell]


@dataclass(frozen=True)
class Taxpayer:
    """One taxpayer: an enterprise of the model, or a small one (``enterprise`` None)."""

    code: str
    name: str
    enterprise: Enterprise | None
    other_rate: float
    fixed_fen: int
    refunds: dict[int, float] = field(default_factory=dict)
    small_sales: float = 0.0


@dataclass(frozen=True)
class Amounts:
    """One taxpayer-month, in fen."""

    vat: int
    cit: int
    other: int
    refund: int
    sales: int

    @property
    def total(self) -> int:
        """税收合计 = 增值税 + 企业所得税 + 其他税收."""
        return self.vat + self.cit + self.other


def plan_taxpayers(county: County, seed: int) -> list[Taxpayer]:
    """Every taxpayer with its rates and 2022 refund months, in 纳税人识别号 order."""
    rng = random.Random(f"{seed}:{SOURCE}:plan")
    timeline = county.timeline
    spring = [timeline.offset(REFUND_YEAR, m) for m in (4, 5, 6)]
    rest = [timeline.offset(REFUND_YEAR, m) for m in (1, 2, 3, 7, 8, 9, 10, 11, 12)]
    earlier = [timeline.offset(REFUND_YEAR - 1, m) for m in range(1, 13)]
    payers = []
    for e in county.registered:
        refunds: dict[int, float] = {}
        if "13" <= e.industry[:2] <= "43" and e.base_revenue >= 3e6 and rng.random() < 0.15:
            refunds[rng.choice(spring)] = rng.uniform(0.4, 2.5)
        if rng.random() < 0.03:
            refunds.setdefault(rng.choice(rest), rng.uniform(0.1, 0.6))
        if rng.random() < 0.02:
            refunds.setdefault(rng.choice(earlier), rng.uniform(0.05, 0.3))
        land_tax = (e.land_mu or 5.0) * 667 * rng.uniform(3, 8) / 12
        payers.append(
            Taxpayer(e.code, e.name, e, rng.uniform(0.003, 0.008), round(land_tax * 100), refunds)
        )
    for prefix, name in NOT_ENTERPRISES:
        body = "MA" + "".join(rng.choice(ALPHABET) for _ in range(6))
        payers.append(
            Taxpayer(
                complete_credit_code(prefix + "340621" + body),
                name,
                None,
                rng.uniform(0.004, 0.01),
                round(rng.uniform(50, 300) * 100),
                small_sales=rng.uniform(3e4, 2.5e5),
            )
        )
    return sorted(payers, key=lambda p: p.code)


def amounts(seed: int, county: County, payer: Taxpayer, t: int) -> Amounts | None:
    """What the taxpayer paid for month ``t``; None when it filed nothing."""
    rng = random.Random(f"{seed}:{SOURCE}:{t}:{payer.code}")
    e = payer.enterprise
    if e is None:
        return _small(rng, county.timeline, payer, t)
    if not e.exists(t):
        return None
    figures = e.figures(t)
    if figures.revenue == 0:
        active = [s for s in range(-HISTORY, t) if e.activity_at(s) > 0]
        if not active or t - active[-1] > STOPPED_MONTHS:
            return None
        return Amounts(0, 0, payer.fixed_fen, 0, 0)
    assert e.economics is not None
    sales = figures.revenue * rng.lognormvariate(0, 0.02)
    vat = sales * e.economics.value_added * 0.13 * rng.lognormvariate(0, 0.3)
    if rng.random() < NEGATIVE_VAT_SHARE:
        vat = -sales * rng.uniform(0.002, 0.012)
    rate = 0.25 if e.base_revenue >= 3e7 else 0.05
    cit = max(figures.profit, 0.0) * rate * rng.lognormvariate(0, 0.15)
    return Amounts(
        _fen(vat),
        _fen(cit),
        _fen(sales * payer.other_rate) + payer.fixed_fen,
        _fen(sales * payer.refunds.get(t, 0.0)),
        _fen(sales),
    )


def _small(rng: random.Random, timeline: Timeline, payer: Taxpayer, t: int) -> Amounts:
    """An individual business (1 % VAT, none from April 2022) or the cooperative (exempt)."""
    year, month = timeline.year_month(t)
    sales = payer.small_sales * SEASON[month - 1] * rng.lognormvariate(0, 0.1)
    exempt = payer.code.startswith("93") or (year, month) >= (2022, 4)
    return Amounts(
        0 if exempt else _fen(sales * 0.01),
        0,
        _fen(sales * payer.other_rate) + payer.fixed_fen,
        0,
        _fen(sales),
    )


def file_name(timeline: Timeline, t: int) -> str:
    """``税收入库明细_YYYYMM.xlsx``."""
    return f"税收入库明细_{timeline.compact(t)}.xlsx"


def write_tax(landing: Path, county: County, seed: int) -> SourceOutput:
    """Write every month's file; report files (with kept totals), faults and small taxpayers."""
    timeline = county.timeline
    payers = plan_taxpayers(county, seed)
    output = SourceOutput(
        [],
        [],
        [
            DemoEvent(
                "not_an_enterprise",
                timeline.period(0),
                p.code,
                p.name,
                f"category {p.code[:2]} taxpayer in every tax file; never an enterprise",
            )
            for p in payers
            if p.enterprise is None
        ],
    )
    for t in timeline.offsets:
        rng = random.Random(f"{seed}:{SOURCE}:{t}")
        period, name = timeline.period(t), file_name(timeline, t)
        compact = rng.random() < COMPACT_PERIOD_SHARE
        filed = [(p, a) for p in payers if (a := amounts(seed, county, p, t)) is not None]
        rows = [_row(rng, timeline, p, a, t, compact) for p, a in filed]
        held: set[str] = set()
        kind = FAULTS.get(t)
        if kind is not None:
            fault, held = _inject(rng, seed, county, kind, name, t, filed, rows, compact)
            output.faults.append(fault)
        year, month = timeline.year_month(t)
        write_titled(
            landing / SOURCE / period / name,
            f"濉溪县工业企业税收入库明细（{year}年{month}月）",
            rows,
        )
        kept = [a for p, a in filed if p.enterprise is not None and p.code not in held]
        output.files.append(
            DemoFile(
                SOURCE,
                period,
                name,
                len(rows),
                kept_rows=len(kept),
                kept_total=yuan(sum(a.total for a in kept)),
            )
        )
    return output


def _fen(value: float) -> int:
    return round(value * 100)


def yuan(fen: int) -> str:
    """Fen as an exact 2-decimal text: ``-1234.50``."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def _money(fen: int, as_text: bool) -> Cell:
    """A number (``0`` for nothing), or text with thousands separators."""
    if as_text:
        whole, cents = divmod(abs(fen), 100)
        return f"{'-' if fen < 0 else ''}{whole:,}.{cents:02d}"
    return fen / 100 if fen else 0


def _row(
    rng: random.Random,
    timeline: Timeline,
    payer: Taxpayer,
    paid: Amounts,
    t: int,
    compact: bool,
    *,
    as_text: bool | None = None,
) -> Row:
    if as_text is None:
        as_text = rng.random() < TEXT_ROW_SHARE
    money = (paid.vat, paid.cit, paid.other, paid.total, paid.refund, paid.sales)
    period = timeline.compact(t) if compact else timeline.period(t)
    return [payer.code, payer.name, period, *(_money(v, as_text) for v in money)]


def _inject(
    rng: random.Random,
    seed: int,
    county: County,
    kind: str,
    name: str,
    t: int,
    filed: list[tuple[Taxpayer, Amounts]],
    rows: list[Row],
    compact: bool,
) -> tuple[InjectedFault, set[str]]:
    """Damage one enterprise's numeric row (or add one); say where and whose rows to hold."""
    timeline = county.timeline
    clean = [
        i
        for i, (p, a) in enumerate(filed)
        if p.enterprise is not None
        and a.sales > 0
        and isinstance(rows[i][TOTAL], float)
        and amounts(seed, county, p, t - 1) is not None
    ]
    index = rng.choice(clean)
    payer, paid = filed[index]

    def fault(row_number: int, description: str, value: str, key: str = "") -> InjectedFault:
        return InjectedFault(
            SOURCE,
            timeline.period(t),
            name,
            row_number,
            kind,
            f"{payer.code} {payer.name}: {description}",
            key=key or payer.code,
            value=value,
        )

    if kind == "invalid_credit_code":
        written = mistype(rng, payer.code)
        rows[index][ID] = written
        return fault(
            index + FIRST_ROW,
            f"纳税人识别号 written {written}, which fails its check",
            written,
            written,
        ), {payer.code}
    if kind == "total_mismatch":
        total = paid.total + rng.choice((100_00, 1_000_00, -100_00))
        rows[index][TOTAL] = total / 100
        return fault(
            index + FIRST_ROW,
            f"税收合计 {yuan(total)} but 增值税 + 企业所得税 + 其他税收 = {yuan(paid.total)}",
            yuan(total),
        ), {payer.code}
    if kind == "not_a_number":
        rows[index][SALES] = "待补"
        return fault(
            index + FIRST_ROW, f"应税销售收入 is 待补 instead of {yuan(paid.sales)}", "待补"
        ), {payer.code}
    if kind == "period_mismatch":
        previous = amounts(seed, county, payer, t - 1)
        assert previous is not None
        rows.append(_row(rng, timeline, payer, previous, t - 1, compact, as_text=False))
        return fault(
            len(rows) + FIRST_ROW - 1,
            f"a row for 所属期 {rows[-1][PERIOD]} (its own row is at row {index + FIRST_ROW})",
            str(rows[-1][PERIOD]),
        ), set()
    if kind == "exact_duplicate":
        rows.insert(index + 1, list(rows[index]))
        return fault(
            index + FIRST_ROW + 1, f"exact copy of row {index + FIRST_ROW}", yuan(paid.total)
        ), set()
    if kind == "conflicting_duplicate":
        other = replace(paid, vat=round(paid.vat * 1.15) + 123)
        rows.append(_row(rng, timeline, payer, other, t, compact, as_text=False))
        return fault(
            len(rows) + FIRST_ROW - 1,
            f"again with 税收合计 {yuan(other.total)} "
            f"(row {index + FIRST_ROW} has {yuan(paid.total)})",
            yuan(other.total),
        ), {payer.code}
    raise ValueError(f"unknown tax fault kind {kind!r}")


def new_workbook(path: Path) -> Any:
    """An xlsxwriter workbook with fixed properties, so equal content writes equal bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(
        str(path),
        {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    workbook.set_properties({"created": _FIXED_CREATED, "author": "", "title": ""})
    return workbook


def write_cells(sheet: Any, row: int, cells: Sequence[Cell], first_col: int = 0) -> None:
    """Numbers as numbers, everything else as text; None and "" stay empty."""
    for col, cell in enumerate(cells, start=first_col):
        if cell is None or cell == "":
            continue
        if isinstance(cell, int | float):
            sheet.write_number(row, col, cell)
        else:
            sheet.write_string(row, col, str(cell))


def write_titled(path: Path, title: str, rows: Sequence[Row]) -> None:
    """The tax layout: title merged over A1:I1, 单位：元 in A2, header in row 3, data below."""
    workbook = new_workbook(path)
    sheet = workbook.add_worksheet("Sheet1")
    sheet.merge_range(0, 0, 0, len(HEADER) - 1, title)
    sheet.write_string(1, 0, "单位：元")
    write_cells(sheet, 2, HEADER)
    for index, row in enumerate(rows):
        write_cells(sheet, FIRST_ROW - 1 + index, row)
    workbook.close()
