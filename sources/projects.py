"""projects — 工业项目库: the bureau's industrial project library, one row per project per month.

``.xlsx`` (first sheet), header in row 1. Money in ten thousand yuan (万元); completed
investment is cumulative from January (1-本月累计).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from schemas.credit_code import credit_code_parser
from sources.extract import (
    Extract,
    Normalised,
    Parsed,
    PerValue,
    normalise_columns,
    parsed_columns,
    to_extract,
)
from sources.parsing import fold_text, parse_date, parse_number
from sources.tabular import ColumnSpec, read_table
from sources.text import blank_to_null

SOURCE = "projects"

#: Money as delivered, in 万元 (converted to yuan by the contract).
MONEY = ("total_investment", "planned_year", "completed_ytd")
DATES = ("started_on", "planned_operation_on")

COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("project_code", "项目代码", aliases=("项目编码", "项目统一代码")),
    ColumnSpec("project_name", "项目名称"),
    ColumnSpec(
        "credit_code",
        "项目单位统一社会信用代码",
        aliases=("统一社会信用代码", "项目单位信用代码"),
    ),
    ColumnSpec("nature", "建设性质"),
    ColumnSpec("town", "所在乡镇（园区）", aliases=("所在乡镇", "所在园区", "乡镇（园区）")),
    ColumnSpec("total_investment", "总投资（万元）", required=False),
    ColumnSpec("planned_year", "本年计划投资（万元）", required=False),
    ColumnSpec(
        "completed_ytd",
        "1-本月累计完成投资（万元）",
        aliases=("本年累计完成投资（万元）", "1-本月完成投资（万元）"),
    ),
    ColumnSpec("started_on", "开工日期", required=False),
    ColumnSpec("planned_operation_on", "计划投产日期", required=False),
    ColumnSpec("status", "项目状态"),
)

#: Closed-list texts, compared without spaces.
CHOICE_COLUMNS = ("nature", "town", "status")


#: The canonical columns from the columns as read (see :func:`normalise`).
NORMALISED: dict[str, Normalised] = {
    **{
        c: PerValue(blank_to_null(pl.col(c)).str.replace_all(r"\s+", ""), c) for c in CHOICE_COLUMNS
    },
    "project_name": Parsed(fold_text, "project_name"),
    "project_code_text": pl.col("project_code"),
    "project_code": blank_to_null(pl.col("project_code")).str.replace_all(r"\s+", ""),
    "credit_code_delivered": Parsed(fold_text, "credit_code"),
    "credit_code": Parsed(credit_code_parser, "credit_code"),
    **parsed_columns({**dict.fromkeys(MONEY, parse_number), **dict.fromkeys(DATES, parse_date)}),
}


def normalise(rows: pl.DataFrame) -> pl.DataFrame:
    """Fold texts, normalise the project and credit codes, parse money and dates."""
    return normalise_columns(rows, NORMALISED)


def read(path: Path) -> Extract:
    """Read one project-library file into canonical columns, one row per delivered row."""
    table = read_table(path, COLUMNS, total_label_columns=("project_code", "project_name"))
    return to_extract(SOURCE, table, COLUMNS, normalise)
