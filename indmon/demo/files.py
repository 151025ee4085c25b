"""Writing the agencies' file formats byte-stably: Excel-style CSV and xlsxwriter workbooks."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Sequence
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

#: A cell as a writer hands it over: text, a number, a date, or nothing.
Cell = str | int | float | date | None

#: Fixed document properties so the same content gives the same bytes.
_FIXED_CREATED = datetime(2020, 1, 1)


def write_csv(
    path: Path, rows: Sequence[Sequence[Cell]], *, encoding: str, bom: bool = False
) -> None:
    """Write rows as Excel does on a Chinese Windows desktop: CRLF line ends, minimal quoting."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    data = buffer.getvalue().encode(encoding)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[Cell]],
    *,
    sheet: str = "Sheet1",
    thousands: Collection[int] = (),
) -> None:
    """One sheet, header in row 1; numbers as numbers, dates as Excel date cells.

    Whole numbers in the ``thousands`` columns (0-based) display as ``#,##0``; other
    whole numbers as General, decimals as ``0.0``.
    Text cells stay text (``strings_to_numbers`` is off), so account numbers keep their
    leading zeros. The creation date is fixed and xlsxwriter stamps zip members with a
    fixed time, so equal content writes equal bytes.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(
        str(path),
        {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    workbook.set_properties({"created": _FIXED_CREATED, "author": "", "title": ""})
    worksheet = workbook.add_worksheet(sheet)
    numbers = workbook.add_format({"num_format": "#,##0"})
    decimals = workbook.add_format({"num_format": "0.0"})
    dates = workbook.add_format({"num_format": "yyyy/m/d"})
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is None or cell == "":
                continue
            if isinstance(cell, date):
                worksheet.write_datetime(r, c, datetime(cell.year, cell.month, cell.day), dates)
            elif isinstance(cell, float):
                worksheet.write_number(r, c, cell, decimals)
            elif isinstance(cell, int):
                worksheet.write_number(r, c, cell, numbers if c in thousands else None)
            else:
                worksheet.write_string(r, c, cell)
    workbook.close()
