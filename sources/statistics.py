"""statistics — 规模以上工业企业主要经济指标: the statistics bureau's above-scale enterprises.

``.xlsx``, first sheet: a title naming the period (``2022年1-3月``), a two-row merged
header (a group over ``本年累计`` / ``上年同期``), money in thousand yuan (千元).
Figures are cumulative from January; the first file of a year is ``1-2月``.
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
from sources.parsing import fold_text, normalise_industry_code, parse_number
from sources.tabular import ColumnSpec, read_table
from sources.text import blank_to_null, normalise_name_expr

SOURCE = "statistics"
YTD, PRIOR = "本年累计", "上年同期"

#: Cumulative figures as delivered (千元 for money), before conversion to yuan.
FIGURES = (
    "output_ytd",
    "output_prior_ytd",
    "revenue_ytd",
    "revenue_prior_ytd",
    "profit_ytd",
    "profit_prior_ytd",
    "employees",
    "energy_ytd_tce",
    "energy_prior_ytd_tce",
)


def _pair(name: str, header: str) -> tuple[ColumnSpec, ColumnSpec]:
    return (
        ColumnSpec(f"{name}_ytd", header, sub_header=YTD),
        ColumnSpec(f"{name}_prior_ytd", header, sub_header=PRIOR, required=False),
    )


COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("credit_code", "统一社会信用代码"),
    ColumnSpec("name", "单位详细名称", aliases=("单位名称", "企业名称")),
    ColumnSpec("industry_code", "行业代码", required=False),
    ColumnSpec("region_code", "区划代码", required=False),
    *_pair("output", "工业总产值（千元）"),
    *_pair("revenue", "营业收入（千元）"),
    *_pair("profit", "利润总额（千元）"),
    ColumnSpec("employees", "从业人员平均人数（人）", required=False),
    ColumnSpec("energy_ytd_tce", "综合能源消费量（吨标准煤）", sub_header=YTD, required=False),
    ColumnSpec(
        "energy_prior_ytd_tce", "综合能源消费量（吨标准煤）", sub_header=PRIOR, required=False
    ),
)


#: The canonical columns from the columns as read (see :func:`normalise`).
NORMALISED: dict[str, Normalised] = {
    "name": Parsed(fold_text, "name"),
    "credit_code_text": pl.col("credit_code"),
    "credit_code": Parsed(credit_code_parser, "credit_code"),
    "industry_code_text": pl.col("industry_code"),
    "industry_code": Parsed(normalise_industry_code, "industry_code", few_values=True),
    "region_code_text": pl.col("region_code"),
    "region_code": PerValue(
        blank_to_null(pl.col("region_code")).str.replace(r"\.0$", ""), "region_code"
    ),
    "name_key": Derived(normalise_name_expr(pl.col("name"))),
    **parsed_columns(dict.fromkeys(FIGURES, parse_number)),
}


def normalise(rows: pl.DataFrame) -> pl.DataFrame:
    """Normalise codes and parse the cumulative figures (still in the file's units)."""
    return normalise_columns(rows, NORMALISED)


def read(path: Path) -> Extract:
    """Read one statistics file into canonical columns, one row per enterprise."""
    table = read_table(path, COLUMNS, header_rows=2, total_label_columns=("credit_code", "name"))
    return to_extract(SOURCE, table, COLUMNS, normalise)
