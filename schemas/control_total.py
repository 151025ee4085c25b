"""The control-total (合计) row: a delivery is whole only when its rows add up to it."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from sources.extract import Extract
from sources.tabular import ExtractRefused


def check_control_total(extract: Extract, columns: Sequence[str]) -> float | None:
    """Refuse the file when a total differs from the sum of its rows' numeric values.

    Every data row whose value is a number counts, held or not: the check is that
    the delivery is whole, not that every row is usable. Returns the first column's
    total (None when the file has no 合计 row or it gives no figure).
    """
    checked: list[float] = []
    for column in columns:
        total = extract.control_figures.get(column)
        if total is None:
            continue
        rows_sum = float(extract.rows[column].cast(pl.Float64).sum() or 0.0)
        if abs(rows_sum - total) > 0.005 + 1e-12 * abs(total):
            row = (extract.control_total or {}).get("row_number")
            raise ExtractRefused(
                extract.path,
                f"the 合计 row (row {row}) gives {extract.headers[column]} = {total:,.2f} but the "
                f"data rows add up to {rows_sum:,.2f}: the delivery is not whole",
            )
        checked.append(total)
    return checked[0] if checked else None
