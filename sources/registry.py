"""registry — 企业名录: the bureau's own enterprise register, a full snapshot every month.

``.xlsx`` (first sheet) or ``.csv`` saved as CSV UTF-8, header in row 1.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from schemas.credit_code import credit_code_parser
from sources.extract import (
    Derived,
    Extract,
    Normalised,
    Parsed,
    PerValue,
    normalise_columns,
    parsed_columns,
    to_extract,
)
from sources.parsing import (
    fold_text,
    normalise_industry_code,
    parse_date,
    parse_flag,
    parse_number,
)
from sources.tabular import ColumnSpec, read_table
from sources.text import blank_to_null, normalise_name_expr

SOURCE = "registry"

COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("credit_code", "统一社会信用代码"),
    ColumnSpec("name", "企业名称"),
    ColumnSpec("industry_code", "行业代码"),
    ColumnSpec("town", "所在乡镇（园区）", aliases=("所在乡镇", "所在园区", "乡镇（园区）")),
    ColumnSpec("land_mu", "用地面积（亩）", required=False),
    ColumnSpec("established_on", "成立日期", required=False),
    ColumnSpec("above_scale", "规上企业"),
    ColumnSpec("key_enterprise", "重点企业", required=False),
    ColumnSpec("cultivation_pool", "入规培育库", required=False),
    ColumnSpec("specialised", "专精特新", required=False),
    ColumnSpec("green_factory", "绿色工厂", required=False),
    ColumnSpec("operating_status", "经营状态", required=False),
)

TEXT_COLUMNS = ("name", "town", "specialised", "green_factory", "operating_status")
#: Text columns with a few distinct values (folded once per value).
CATEGORIES = ("town", "specialised", "green_factory", "operating_status")


#: The canonical columns from the columns as read (see :func:`normalise`).
NORMALISED: dict[str, Normalised] = {
    "name": Parsed(fold_text, "name"),
    **{c: PerValue(blank_to_null(pl.col(c)), c) for c in CATEGORIES},
    "credit_code_text": pl.col("credit_code"),
    "credit_code": Parsed(credit_code_parser, "credit_code"),
    "industry_code_text": pl.col("industry_code"),
    "industry_code": Parsed(normalise_industry_code, "industry_code", few_values=True),
    "name_key": Derived(normalise_name_expr(pl.col("name"))),
    **parsed_columns(
        {
            "land_mu": parse_number,
            "established_on": parse_date,
            "above_scale": parse_flag,
            "key_enterprise": parse_flag,
            "cultivation_pool": parse_flag,
        },
        few_values=("above_scale", "key_enterprise", "cultivation_pool"),
    ),
}


def normalise(rows: pl.DataFrame) -> pl.DataFrame:
    """Fold texts, normalise codes and parse numbers, dates and flags."""
    return normalise_columns(rows, NORMALISED)


def read(path: Path) -> Extract:
    """Read one register file into canonical columns, one row per delivered data row."""
    table = read_table(path, COLUMNS, total_label_columns=("credit_code", "name"))
    return to_extract(SOURCE, table, COLUMNS, normalise)
