"""Builders of real files in the agencies' layouts, for tests that need a specific delivery."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter

from schemas.credit_code import complete_credit_code

ELECTRICITY_HEADER = (
    "户号",
    "户名",
    "统一社会信用代码",
    "用电类别",
    "电费年月",
    "本月用电量（千瓦时）",
    "上年同月用电量（千瓦时）",
)
REGISTRY_HEADER = (
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


def code(n: int) -> str:
    """A valid enterprise credit code in the county, distinct for each ``n``."""
    return complete_credit_code(f"91340621MA{n:06d}")


def csv_text(rows: Sequence[Sequence[object]]) -> str:
    """Rows as CSV text with Windows line ends, as Excel saves it."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def electricity_rows(
    accounts: Sequence[tuple[str, str, str, int, int | None]], period: str = "202203"
) -> list[list[object]]:
    """Data rows from (户号, 户名, credit code, kWh, prior-year kWh)."""
    return [
        [account, name, credit, "大工业用电", period, f"{kwh:,}", "" if prior is None else prior]
        for account, name, credit, kwh, prior in accounts
    ]


def write_electricity_csv(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    header: Sequence[str] = ELECTRICITY_HEADER,
    total: int | str | None = "auto",
    encoding: str = "gbk",
) -> Path:
    """A utility CSV in GBK with a 合计 row (the sum of numeric kWh unless given)."""
    body: list[Sequence[object]] = [list(header), *rows]
    if total == "auto":
        total = sum(_int(row[5]) or 0 for row in rows)
    if total is not None:
        body.append(["", "合计", "", "", "", f"{total:,}", ""])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_text(body).encode(encoding))
    return path


def write_registry_csv(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """A register snapshot saved as CSV UTF-8 (with a byte-order mark)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_text([REGISTRY_HEADER, *rows]).encode("utf-8-sig"))
    return path


def registry_row(
    credit: str,
    name: str,
    town: str = "濉溪镇",
    *,
    industry: str = "3252",
    land: object = 10.0,
    above_scale: str = "是",
    key: str = "否",
    established: str = "2015/3/2",
    pool: str = "否",
    status: str = "在营",
) -> list[object]:
    """One register row with sensible defaults."""
    return [
        credit,
        name,
        industry,
        town,
        land,
        established,
        above_scale,
        key,
        pool,
        "无",
        "无",
        status,
    ]


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """A one-sheet workbook with ``rows`` from A1 (None leaves a cell empty)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Sheet1")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    workbook.close()
    return path


def _int(text: object) -> int | None:
    try:
        return int(str(text).replace(",", ""))
    except ValueError:
        return None


TAX_HEADER = (
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


def tax_row(
    credit: str,
    name: str,
    vat: float,
    cit: float = 0.0,
    other: float = 0.0,
    *,
    period: str = "2022-03",
    total: float | None = None,
    refund: float = 0.0,
    sales: float = 1_000_000.0,
) -> list[object]:
    """One tax row; the total is the sum of its parts unless given."""
    total = round(vat + cit + other, 2) if total is None else total
    return [credit, name, period, vat, cit, other, total, refund, sales]


def write_tax_xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    unit: str = "单位：元",
    title: str = "濉溪县工业企业税收入库明细（2022年3月）",
) -> Path:
    """A tax bureau workbook: title row, unit row, header in row 3."""
    return write_xlsx(path, [[title], [unit], list(TAX_HEADER), *rows])


STATISTICS_GROUPS = (
    ("工业总产值（千元）", 2),
    ("营业收入（千元）", 2),
    ("利润总额（千元）", 2),
    ("从业人员平均人数（人）", 1),
    ("综合能源消费量（吨标准煤）", 2),
)


def statistics_row(
    credit: str,
    name: str,
    output: float,
    output_prior: float | None,
    *,
    region: str = "340621100000",
    industry: str = "3252",
    revenue: float | None = None,
    revenue_prior: float | None = None,
    profit: float = 10.0,
    profit_prior: float = 8.0,
    employees: int = 100,
    energy: float = 50.0,
    energy_prior: float = 45.0,
) -> list[object]:
    """One statistics row in thousand yuan (千元)."""
    return [
        credit,
        name,
        industry,
        region,
        output,
        output_prior,
        output if revenue is None else revenue,
        output_prior if revenue_prior is None else revenue_prior,
        profit,
        profit_prior,
        employees,
        energy,
        energy_prior,
    ]


def write_statistics_xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    months: str = "2022年1-3月",
    two_row_header: bool = True,
    unit: str | None = None,
) -> Path:
    """A 联网直报 workbook: title, two-row merged header (or a one-row one), data, a note."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Sheet")
    sheet.merge_range(0, 0, 0, 13, f"濉溪县规模以上工业企业主要经济指标（{months}）")
    top = 1
    if unit is not None:
        sheet.write(1, 0, unit)
        top = 2
    for c, text in enumerate(("统一社会信用代码", "单位详细名称", "行业代码", "区划代码")):
        if two_row_header:
            sheet.merge_range(top, c, top + 1, c, text)
        else:
            sheet.write(top, c, text)
    column = 4
    for group, width in STATISTICS_GROUPS:
        if not two_row_header:
            for i in range(width):
                sheet.write(top, column + i, group if i == 0 else f"{group}上年同期")
        elif width == 1:
            sheet.merge_range(top, column, top + 1, column, group)
        else:
            sheet.merge_range(top, column, top, column + 1, group)
            sheet.write(top + 1, column, "本年累计")
            sheet.write(top + 1, column + 1, "上年同期")
        column += width
    first = top + (2 if two_row_header else 1)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(first + r, c, value)
    sheet.write(first + len(rows) + 1, 0, "注：本表数据来源于联网直报平台，金额单位为千元。")
    workbook.close()
    return path


PROJECTS_HEADER = (
    "项目代码",
    "项目名称",
    "项目单位统一社会信用代码",
    "建设性质",
    "所在乡镇（园区）",
    "总投资（万元）",
    "本年计划投资（万元）",
    "1-本月累计完成投资（万元）",
    "开工日期",
    "计划投产日期",
    "项目状态",
)


def project_row(
    project: str,
    credit: str,
    completed: object,
    *,
    nature: str = "新建",
    town: str = "濉溪镇",
    name: str | None = None,
    total: object = 50_000,
    planned: object = 20_000,
    started: object = "2021-09-15",
    operation: object = "2023-06-30",
    status: str = "在建",
) -> list[object]:
    """One project-library row, money in 万元."""
    return [
        project,
        name or f"{project}项目",
        credit,
        nature,
        town,
        total,
        planned,
        completed,
        started,
        operation,
        status,
    ]


def write_projects_xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    header: Sequence[str] = PROJECTS_HEADER,
    total: Sequence[object] | None = None,
) -> Path:
    """The bureau's project library: header in row 1, optionally a 合计 row at the end."""
    body: list[Sequence[object]] = [list(header), *rows]
    if total is not None:
        body.append(list(total))
    return write_xlsx(path, body)


TARGETS_HEADER = ("年度", "区域", "指标", "目标值", "力争值", "计量单位")


def write_targets_csv(
    path: Path, rows: Sequence[Sequence[object]], *, header: Sequence[str] = TARGETS_HEADER
) -> Path:
    """The county's annual targets as CSV UTF-8 (with a byte-order mark, as Excel saves it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_text([list(header), *rows]).encode("utf-8-sig"))
    return path
