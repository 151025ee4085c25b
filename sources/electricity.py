"""electricity — 工业用户月度电量: the power utility's kWh per metering account per month.

``.csv`` in GBK or GB18030 (sometimes ``.xlsx``), header in row 1, often a last
control-total row (户号 blank, 户名 ``合计``).
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
from sources.parsing import fold_text, normalise_account, parse_integer, parse_period
from sources.tabular import ColumnSpec, read_table
from sources.text import blank_to_null, normalise_name_expr

SOURCE = "electricity"

COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("account_no", "户号"),
    ColumnSpec("account_name", "户名"),
    ColumnSpec("credit_code", "统一社会信用代码", required=False),
    ColumnSpec("usage_category", "用电类别", required=False),
    ColumnSpec("billing_period", "电费年月"),
    ColumnSpec("kwh", "本月用电量（千瓦时）", aliases=("本月用电量",)),
    ColumnSpec(
        "kwh_prior_year", "上年同月用电量（千瓦时）", required=False, aliases=("上年同月用电量",)
    ),
)


#: The canonical columns from the columns as read (see :func:`normalise`).
NORMALISED: dict[str, Normalised] = {
    "account_name": Parsed(fold_text, "account_name"),
    "usage_category": PerValue(blank_to_null(pl.col("usage_category")), "usage_category"),
    "account_no_text": pl.col("account_no"),
    "account_no": Parsed(normalise_account, "account_no"),
    "credit_code_delivered": Parsed(fold_text, "credit_code"),
    "credit_code": Parsed(credit_code_parser, "credit_code"),
    "name_key": Derived(normalise_name_expr(pl.col("account_name"))),
    **parsed_columns(
        {
            "billing_period": parse_period,
            "kwh": parse_integer,
            "kwh_prior_year": parse_integer,
        },
        few_values=("billing_period",),
    ),
}


def normalise(rows: pl.DataFrame) -> pl.DataFrame:
    """Fold texts, normalise account and credit code, and parse the month and kWh."""
    return normalise_columns(rows, NORMALISED)


def read(path: Path) -> Extract:
    """Read one utility file into canonical columns, one row per delivered data row."""
    table = read_table(path, COLUMNS, total_label_columns=("account_no", "account_name"))
    return to_extract(SOURCE, table, COLUMNS, normalise)
