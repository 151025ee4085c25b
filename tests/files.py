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
) -> list[object]:
    """One register row with sensible defaults."""
    return [
        credit,
        name,
        industry,
        town,
        land,
        "2015/3/2",
        above_scale,
        key,
        "否",
        "无",
        "无",
        "在营",
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
