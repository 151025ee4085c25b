"""Query results as files: the canonical rows format (``.jsonl``) of a SQL source.

A query's result is kept like a delivered file, so that it is archived, hashed and read
through the same :func:`sources.tabular.read_table` and contract as a file. The format
(suffix ``sources.tabular.ROWS_SUFFIX``) is UTF-8 JSON Lines: the first line is the array
of column names as the query returned them (the agency's headers), every further line one
row as an array of texts (``null`` for none). Values are written as a person would read
them (numbers in their shortest exact form, dates ``YYYY-MM-DD``), and rows are sorted,
so an unchanged view gives the same bytes, hence the same SHA-256, whatever order the
database returns its rows in.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from sources.tabular import float_text


def _as_text(name: str, dtype: pl.DataType) -> pl.Expr:
    column = pl.col(name)
    if dtype == pl.String:
        text = column
    elif dtype == pl.Boolean:
        text = pl.when(column).then(pl.lit("TRUE")).otherwise(pl.lit("FALSE"))
    elif dtype.is_float():
        text = float_text(column)
    elif dtype == pl.Date:
        text = column.dt.strftime("%Y-%m-%d")
    elif isinstance(dtype, pl.Datetime):
        text = column.dt.strftime("%Y-%m-%d %H:%M:%S")
    else:  # integers, decimals (their own scale), and anything else by its text
        text = column.cast(pl.String)
    return pl.when(column.is_null()).then(None).otherwise(text).alias(name)


def canonical_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Every column as text, rows sorted by every column (nulls first)."""
    texts = frame.select(_as_text(name, dtype) for name, dtype in frame.schema.items())
    return texts.sort(texts.columns, nulls_last=False) if texts.width else texts


def rows_bytes(frame: pl.DataFrame) -> bytes:
    """The canonical rows file of a query result (see the module's docstring)."""
    texts = canonical_text(frame)
    lines = [json.dumps(texts.columns, ensure_ascii=False, separators=(",", ":"))]
    lines.extend(
        json.dumps(list(row), ensure_ascii=False, separators=(",", ":")) for row in texts.rows()
    )
    return ("\n".join(lines) + "\n").encode("utf-8")


def read_rows(path: Path) -> tuple[list[str], pl.DataFrame]:
    """The column names and the rows (String columns ``c0..``, ``row_number`` 1..n) of a file."""
    with path.open(encoding="utf-8") as handle:
        header = json.loads(handle.readline())
        records = [json.loads(line) for line in handle if line.strip()]
    names = [f"c{j}" for j in range(len(header))]
    grid = pl.DataFrame(records, schema=dict.fromkeys(names, pl.String), orient="row")
    numbers = pl.int_range(1, grid.height + 1, dtype=pl.Int64, eager=True).alias("row_number")
    return [str(h) for h in header], grid.select(numbers, *names)
