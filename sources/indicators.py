"""indicators — 主要经济指标月报: the statistics bureau's published county headline figures.

``.csv`` UTF-8, header in row 1, one row per indicator; blank where not published.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from sources.extract import Extract, parse_columns, to_extract
from sources.parsing import parse_number
from sources.tabular import ColumnSpec, read_table
from sources.text import blank_to_null

SOURCE = "indicators"
FIGURES = ("value", "value_ytd", "yoy_pct", "ytd_yoy_pct")

COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("name", "指标名称"),
    ColumnSpec("unit", "计量单位", required=False),
    ColumnSpec("value", "本月", required=False),
    ColumnSpec("value_ytd", "1-本月累计", aliases=("本年累计", "1-本月")),
    ColumnSpec("yoy_pct", "本月同比增长（%）", required=False, aliases=("本月同比增长",)),
    ColumnSpec("ytd_yoy_pct", "累计同比增长（%）", aliases=("累计同比增长",)),
)


def normalise(rows: pl.DataFrame) -> pl.DataFrame:
    """Fold the names and units, and parse the figures."""
    return rows.with_columns(
        name=blank_to_null(pl.col("name")).str.replace_all(r"\s+", ""),
        unit=blank_to_null(pl.col("unit")),
    ).pipe(parse_columns, dict.fromkeys(FIGURES, parse_number))


def read(path: Path) -> Extract:
    """Read one headline release into canonical columns, one row per indicator."""
    table = read_table(path, COLUMNS)
    return to_extract(SOURCE, table, COLUMNS, normalise)
