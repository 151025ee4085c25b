"""tax — 工业企业税收入库明细: the tax bureau's taxes paid per taxpayer per month.

``.xlsx``, first sheet: a title row, a unit row (``单位：元``), the header in row 3.
Amounts in yuan with two decimals, as numbers or as text with thousands separators.
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
    normalise_columns,
    parsed_columns,
    to_extract,
)
from sources.parsing import fold_text, parse_number, parse_period
from sources.tabular import ColumnSpec, read_table
from sources.text import normalise_name_expr

SOURCE = "tax"
MONEY = (
    "vat_yuan",
    "cit_yuan",
    "other_tax_yuan",
    "total_tax_yuan",
    "vat_refund_yuan",
    "taxable_sales_yuan",
)

COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("credit_code", "纳税人识别号", aliases=("统一社会信用代码",)),
    ColumnSpec("taxpayer_name", "纳税人名称"),
    ColumnSpec("tax_period", "所属期", aliases=("税款所属期",)),
    ColumnSpec("vat_yuan", "增值税"),
    ColumnSpec("cit_yuan", "企业所得税"),
    ColumnSpec("other_tax_yuan", "其他税收"),
    ColumnSpec("total_tax_yuan", "税收合计"),
    ColumnSpec("vat_refund_yuan", "留抵退税额", required=False),
    ColumnSpec("taxable_sales_yuan", "应税销售收入", required=False),
)


#: The canonical columns from the columns as read (see :func:`normalise`).
NORMALISED: dict[str, Normalised] = {
    "taxpayer_name": Parsed(fold_text, "taxpayer_name"),
    "credit_code_text": pl.col("credit_code"),
    "credit_code": Parsed(credit_code_parser, "credit_code"),
    "name_key": Derived(normalise_name_expr(pl.col("taxpayer_name"))),
    **parsed_columns(
        {"tax_period": parse_period, **dict.fromkeys(MONEY, parse_number)},
        few_values=("tax_period",),
    ),
}


def normalise(rows: pl.DataFrame) -> pl.DataFrame:
    """Normalise the taxpayer id, and parse the period and the amounts."""
    return normalise_columns(rows, NORMALISED)


def read(path: Path) -> Extract:
    """Read one tax file into canonical columns, one row per delivered data row."""
    table = read_table(path, COLUMNS, total_label_columns=("credit_code", "taxpayer_name"))
    return to_extract(SOURCE, table, COLUMNS, normalise)
