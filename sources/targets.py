"""targets — 年度目标: the county's annual floor (目标值) and stretch (力争值) targets.

``.csv`` UTF-8 or ``.xlsx``, header in row 1, one row per indicator and region; it lands
once a year in ``targets/<YYYY>/``.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from sources.extract import Extract, parse_columns, to_extract
from sources.parsing import parse_integer, parse_number
from sources.tabular import ColumnSpec, read_table
from sources.text import blank_to_null

SOURCE = "targets"

COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("year", "年度", aliases=("年份",)),
    ColumnSpec("region", "区域", aliases=("地区", "乡镇（园区）", "所在乡镇（园区）")),
    ColumnSpec("target_name", "指标", aliases=("指标名称",)),
    ColumnSpec("floor", "目标值", aliases=("保底目标", "保底值")),
    ColumnSpec("stretch", "力争值", required=False, aliases=("力争目标",)),
    ColumnSpec("unit", "计量单位", aliases=("单位",)),
)


def normalise(rows: pl.DataFrame) -> pl.DataFrame:
    """Fold names and units (no spaces, half-width), parse the year and the targets."""
    return rows.with_columns(
        *(
            blank_to_null(pl.col(c)).str.replace_all(r"\s+", "").alias(c)
            for c in ("region", "target_name", "unit")
        ),
    ).pipe(parse_columns, {"year": parse_integer, "floor": parse_number, "stretch": parse_number})


def read(path: Path) -> Extract:
    """Read one targets file into canonical columns, one row per indicator and region."""
    table = read_table(path, COLUMNS, total_label_columns=("region", "target_name"))
    return to_extract(SOURCE, table, COLUMNS, normalise)
