"""Read any landing file (.csv or .xlsx) into a frame of text columns.

Every agency file goes through :func:`read_table`: the encoding is detected, the header row is
found below title and unit rows, columns are matched to the caller's :class:`ColumnSpec` list by
their normalised header text, and every data row comes back as text with the row number a person
sees in Excel or a text editor. Blank rows and note rows (``注：…``, ``制表人：…``) are skipped;
the control-total row (``合计``) is returned separately. Typing the cells is left to the callers
(see :mod:`sources.parsing`), so that a cell that does not parse can be held back with its text.

A file whose structure is wrong is refused as a whole with :class:`ExtractRefused`.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import fastexcel
import polars as pl

from sources.text import normalise_label

#: How many rows from the top are searched for the header row.
HEADER_SCAN_ROWS = 30

#: A row whose first non-blank cell starts with one of these is a note under (or above) the table.
NOTE_PREFIXES = ("注", "制表", "填报", "说明", "备注", "审核", "负责人", "数据来源")

#: Cell texts (after folding width and removing spaces) that mark the control-total row.
TOTAL_LABELS = ("合计", "总计")

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
CSV_SUFFIXES = (".csv", ".txt")
#: A SQL source's result kept as a file (see :mod:`sources.rows`).
ROWS_SUFFIX = ".jsonl"

_NOTE_PATTERN = "^(?:" + "|".join(NOTE_PREFIXES) + ")"
# Whitespace (including the ideographic space) may sit anywhere inside the label: "合 计".
_TOTAL_PATTERN = "^(?:" + "|".join(r"\s*".join(label) for label in TOTAL_LABELS) + ")$"
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CSV_SNIFF_CHARS = 1_000_000
_CSV_SNIFF_RECORDS = 200


@dataclass(frozen=True)
class ColumnSpec:
    """One expected column: its canonical name and the header(s) the agency uses for it."""

    canonical: str
    header: str
    required: bool = True
    aliases: tuple[str, ...] = ()
    sub_header: str | None = None

    @functools.cached_property
    def names(self) -> frozenset[str]:
        """The normalised header texts this column accepts."""
        return frozenset(normalise_label(h) for h in (self.header, *self.aliases))

    @property
    def label(self) -> str:
        """The column as a person would name it in a message."""
        return self.header if self.sub_header is None else f"{self.header}/{self.sub_header}"


class ExtractRefused(Exception):
    """A file refused as a whole; ``str(exc)`` names the file and says what is wrong."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = Path(path)
        self.reason = message
        super().__init__(f"{self.path.name}: {message}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.reason))


@dataclass(frozen=True)
class DeliveredCells:
    """The data rows' cells exactly as delivered, kept for the ``raw`` of the rows held back.

    ``frame`` has ``row_number`` and one String column per header, ``c0``, ``c1``, … in the
    order of ``keys`` (the header texts; a repeated one gets `` (2)``, `` (3)``).
    """

    frame: pl.DataFrame
    keys: tuple[str, ...]

    def raw(self, row_numbers: pl.Series) -> pl.DataFrame:
        """``row_number`` and ``raw``, the JSON object of header -> value as delivered, of the
        rows numbered ``row_numbers`` (in the file's order)."""
        fields = [pl.col(f"c{i}").alias(key) for i, key in enumerate(self.keys)]
        raw = pl.struct(fields).struct.json_encode() if fields else pl.lit("{}")
        return self.frame.filter(pl.col("row_number").is_in(row_numbers.implode())).select(
            "row_number", raw.alias("raw")
        )


@dataclass(frozen=True)
class RawTable:
    """A landing file read as text: data rows, the control-total row and what was found above.

    ``frame`` has ``row_number`` and the canonical columns (stripped text, null when blank);
    ``cells`` the same rows' cells as delivered, for the ``raw`` of rows held back.
    """

    path: Path
    frame: pl.DataFrame
    total_row: dict[str, str | None] | None
    encoding: str | None
    headers: tuple[str, ...]
    preamble: tuple[str, ...]
    cells: DeliveredCells


def read_table(
    path: Path,
    columns: Sequence[ColumnSpec],
    *,
    header_rows: int = 1,
    total_label_columns: Sequence[str] = (),
) -> RawTable:
    """Read a .csv or .xlsx landing file into text columns named by ``columns``' canonical names.

    ``header_rows`` is 1, or 2 for a group header over sub-headers (``ColumnSpec.sub_header``).
    ``total_label_columns`` limits where the ``合计``/``总计`` label of the total row is looked
    for (canonical names); by default any cell of the row may carry it.
    Raises :class:`ExtractRefused` when the file cannot be used as a whole.
    """
    path = Path(path)
    if header_rows not in (1, 2):
        raise ValueError(f"header_rows must be 1 or 2, not {header_rows}")
    if not columns:
        raise ValueError("at least one ColumnSpec is needed")
    suffix = path.suffix.lower()
    encoding: str | None
    if suffix in EXCEL_SUFFIXES:
        grid = _read_excel_grid(path)
        encoding = None
    elif suffix in CSV_SUFFIXES:
        grid, encoding = _read_csv_grid(path)
    elif suffix == ROWS_SUFFIX:
        grid = _read_rows_grid(path, columns, header_rows)
        encoding = None
    else:
        raise ExtractRefused(path, f"file type {path.suffix!r} is not .csv or .xlsx")
    return _build_table(path, grid, encoding, columns, header_rows, tuple(total_label_columns))


# --------------------------------------------------------------------------------------------
# CSV


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """Decode the bytes of a CSV file, detecting UTF-8 (with or without BOM), GBK or GB18030."""
    refused = "the encoding is not UTF-8, GBK or GB18030"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractRefused(path, f"{refused} (it looks like UTF-16)")
    if b"\x00" in data:
        raise ExtractRefused(path, f"{refused} (it contains NUL bytes: UTF-16 or a binary file)")
    candidates = ("utf-8-sig",) if data.startswith(b"\xef\xbb\xbf") else ("utf-8", "gbk", "gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL_CHARS.search(text, 0, 65536):
            break
        return text, encoding
    raise ExtractRefused(path, refused)


def _read_csv_grid(path: Path) -> tuple[pl.DataFrame, str]:
    """Parse a CSV file into ``row_number`` plus String columns ``c0..``, one row per record."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractRefused(path, f"the file cannot be read ({exc.strerror})") from exc
    if not data or data.isspace():  # (not data.strip(), without copying the file)
        raise ExtractRefused(path, "file is empty")
    read_as_utf8 = _utf8_grid(data)
    if read_as_utf8 is not None:
        return read_as_utf8
    text, encoding = _decode(path, data)
    if not text or text.isspace():
        raise ExtractRefused(path, "file is empty")

    try:
        width = _sniffed_width(text)
        try:
            grid = _polars_csv(text, width)
        except (pl.exceptions.PolarsError, _LineMismatch):
            # Malformed quoting or rows longer than the first ones: the csv module is slower
            # but lenient, and knows the line each record starts on.
            grid = _python_csv(text)
    except csv.Error as exc:
        raise ExtractRefused(path, f"the file is not readable as CSV ({exc})") from exc
    return grid, encoding


def _sniffed_width(text: str) -> int:
    """The widest of the first records: the number of columns to read."""
    sniff = csv.reader(io.StringIO(text[:_CSV_SNIFF_CHARS], newline=""))
    return max((len(r) for r in itertools.islice(sniff, _CSV_SNIFF_RECORDS)), default=1)


def _utf8_grid(data: bytes) -> tuple[pl.DataFrame, str] | None:
    """The grid of a UTF-8 file (with or without BOM) whose records are each on one line,
    parsed from its bytes as they are: what decoding it first gives, without decoding and
    encoding the whole file in Python (Polars checks the bytes are UTF-8 as it reads).

    None for any other file (another encoding, a record over several lines, a file to
    refuse): :func:`_decode` and the general path then decide.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        return None
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    # Enough of the text for the checks on its start and for the sniffing (4 bytes or
    # fewer per character).
    head = _utf8_head(body, 4 * _CSV_SNIFF_CHARS + 4)
    if not head or head.isspace() or _CONTROL_CHARS.search(head, 0, 65536):
        return None
    try:
        grid = _read_csv_bytes(body, _sniffed_width(head))
    except (csv.Error, pl.exceptions.PolarsError):
        return None
    n_lines = body.count(b"\n") + (0 if body.endswith(b"\n") else 1)
    if grid.height != n_lines:
        return None
    return _numbered(grid, pl.int_range(1, n_lines + 1, dtype=pl.Int64, eager=True)), (
        "utf-8-sig" if bom else "utf-8"
    )


def _utf8_head(data: bytes, size: int) -> str | None:
    """The first ``size`` bytes decoded as UTF-8 (a character cut at the end left out);
    None when they are not UTF-8."""
    head = data[:size]
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as error:
        if len(data) > size and error.reason == "unexpected end of data":
            return head[: error.start].decode("utf-8")
        return None


class _LineMismatch(Exception):
    """Polars' record count does not match the physical lines; use the slow path."""


def _read_csv_bytes(data: bytes, width: int) -> pl.DataFrame:
    """UTF-8 CSV bytes as ``width`` String columns ``c0..`` (fewer fields: nulls)."""
    return pl.read_csv(
        data,
        has_header=False,
        schema={f"c{j}": pl.String for j in range(width)},
        missing_columns="insert",
        raise_if_empty=False,
    )


def _numbered(grid: pl.DataFrame, lines: pl.Series) -> pl.DataFrame:
    """``grid`` with ``row_number`` (the line each record starts on) first."""
    return grid.with_columns(lines.alias("row_number")).select("row_number", *grid.columns)


def _polars_csv(text: str, width: int) -> pl.DataFrame:
    """Parse with polars (all String); the row number is the line each record starts on."""
    grid = _read_csv_bytes(text.encode("utf-8"), width)
    n_lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if grid.height == n_lines:  # no record spans lines: record i is on line i + 1
        lines = pl.int_range(1, n_lines + 1, dtype=pl.Int64, eager=True)
    else:
        lines = _record_start_lines(text, n_lines)
        if lines.len() != grid.height:
            raise _LineMismatch
    return _numbered(grid, lines)


def _record_start_lines(text: str, n_lines: int) -> pl.Series:
    """The 1-based line number on which each CSV record starts (quoted newlines span lines)."""
    lines = pl.Series("line", [text]).str.split("\n").explode().head(n_lines)
    quotes = lines.str.count_matches('"', literal=True).cast(pl.Int64)
    # A line starts a record when the quotes before it are balanced ("" escapes count twice).
    starts = ((quotes.cum_sum() - quotes) % 2) == 0
    return pl.int_range(1, n_lines + 1, dtype=pl.Int64, eager=True).filter(starts)


def _python_csv(text: str) -> pl.DataFrame:
    """Parse with the csv module (the fallback for malformed or ragged files)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    starts: list[int] = []
    previous = 0
    for record in reader:
        starts.append(previous + 1)
        previous = reader.line_num
        rows.append(record)
    width = max((len(r) for r in rows), default=1) or 1
    names = [f"c{j}" for j in range(width)]
    padded = [
        [cell if cell != "" else None for cell in r] + [None] * (width - len(r)) for r in rows
    ]
    grid = pl.DataFrame(padded, schema={n: pl.String for n in names}, orient="row")
    return grid.select(pl.Series("row_number", starts, dtype=pl.Int64), *names)


# --------------------------------------------------------------------------------------------
# A query's rows


def _spec_matches(spec: ColumnSpec, name: str) -> bool:
    """Whether a query column named ``name`` is ``spec`` (``组/子`` for a sub-column)."""
    folded = normalise_label(name)
    if spec.sub_header is None:
        return folded in spec.names
    group, _, sub = folded.partition("/")
    return group in spec.names and sub == normalise_label(spec.sub_header)


def _read_rows_grid(path: Path, columns: Sequence[ColumnSpec], header_rows: int) -> pl.DataFrame:
    """A query's rows as a grid whose header is the query's column names, rows numbered 1..n.

    Sub-columns are named ``组/子`` (``工业总产值/本年累计``) and become a two-row header
    where the source has one. A required column the query does not return refuses it.
    """
    from sources.rows import read_rows

    try:
        names, grid = read_rows(path)
    except (OSError, ValueError) as exc:
        raise ExtractRefused(path, f"the query's rows cannot be read ({exc})") from exc
    missing = [
        spec.label
        for spec in columns
        if spec.required and not any(_spec_matches(spec, name) for name in names)
    ]
    if missing:
        raise ExtractRefused(
            path,
            f"the query returns no column {', '.join(missing)}"
            f" (its columns: {', '.join(names) or 'none'})",
        )
    cells = [f"c{j}" for j in range(len(names))]
    if header_rows == 1:
        headers = [dict(zip(["row_number", *cells], [0, *names], strict=True))]
    else:
        split = [name.partition("/") for name in names]
        headers = [
            dict(zip(["row_number", *cells], [-1, *(g for g, _, _ in split)], strict=True)),
            dict(zip(["row_number", *cells], [0, *(s for _, _, s in split)], strict=True)),
        ]
    top = pl.DataFrame(headers, schema=grid.schema)
    return pl.concat([top, grid])


# --------------------------------------------------------------------------------------------
# Excel

# Calamine writes a number cell read as text with up to nine decimals ("32530827.789999999"),
# and booleans as "true"/"false". Text of that shape is re-rendered from the cell's number.
_CALAMINE_NUMBER = r"^-?(?:0|[1-9]\d*)(?:\.\d{0,8}[1-9])?$"
_CALAMINE_DATETIME = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?$"
_CALAMINE_DECIMAL = r"^-?(?:0|[1-9]\d*)\.\d{0,8}[1-9]$"
_LONG_DIGITS = r"^-?\d{16,}$"


def _read_excel_grid(path: Path) -> pl.DataFrame:
    """Read the first sheet with calamine into ``row_number`` plus String columns ``c0..``.

    Each cell's own type decides its text: numbers as shortest round-trip text (integers without
    ``.0``), dates as ``YYYY-MM-DD`` (``YYYY-MM-DD HH:MM:SS`` with a time of day), booleans as
    ``TRUE``/``FALSE``, text cells exactly as stored. The sheet is read as text first; columns
    holding fractional numbers or booleans are read a second time as numbers, because calamine's
    own text for a fraction has nine decimals ("32530827.789999999"), not the shortest round-trip
    form. Whole numbers are exact in calamine's text, so integer-only columns are read once.
    """
    if not path.exists():
        raise ExtractRefused(path, "the file does not exist")
    if path.stat().st_size == 0:
        raise ExtractRefused(path, "file is empty")
    try:
        reader = fastexcel.read_excel(path)
        if not reader.sheet_names:
            raise ExtractRefused(path, "the workbook has no sheet")
        texts = _load_sheet(reader, "string")
        if texts.width == 0 or texts.height == 0:
            raise ExtractRefused(path, "file is empty")
        texts = texts.rename({name: f"s{j}" for j, name in enumerate(texts.columns)})
        kinds = _column_kinds(texts)
        numeric = [j for j in range(texts.width) if kinds[f"n{j}"] or kinds[f"b{j}"]]
        # A second read (as numbers) only where the text cannot tell: a boolean cell (a text
        # cell "true" stays text) or nine decimals that may have cut a longer fraction
        # (1/3). Elsewhere a fraction's number is its calamine text parsed: "32530827.789999999"
        # is the double of 32530827.79 (one sheet parse instead of two).
        booleans = [j for j in numeric if kinds[f"b{j}"]]
        numbers = _load_sheet(reader, "float", booleans) if booleans else pl.DataFrame()
    except ExtractRefused:
        raise
    except Exception as exc:  # calamine raises its own error classes for broken files
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ExtractRefused(path, f"not a readable Excel workbook ({first_line})") from exc
    if numbers.height not in (0, texts.height) or numbers.width != len(booleans):
        raise ExtractRefused(path, "the sheet could not be read consistently")
    numbers = numbers.rename(
        {name: f"f{j}" for j, name in zip(booleans, numbers.columns, strict=True)}
    )
    # A column of numbers (no booleans, no dates) takes its calamine text where that is
    # already the number's shortest text, and re-renders the others only (see _renders_as).
    plain = [j for j in numeric if j not in booleans and not kinds[f"d{j}"]]
    stacked = pl.concat([texts, numbers], how="horizontal") if booleans else texts
    cells = [
        pl.col(f"s{j}").alias(f"c{j}")
        if j in plain
        else _excel_cell_text(
            pl.col(f"s{j}"), pl.col(f"f{j}") if j in numeric else None, dates=kinds[f"d{j}"]
        ).alias(f"c{j}")
        for j in range(texts.width)
    ]
    grid = (
        stacked.lazy()
        .with_columns(
            pl.col(f"s{j}").cast(pl.Float64, strict=False).alias(f"f{j}")
            for j in numeric
            if j not in booleans and j not in plain
        )
        .select(pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("row_number"), *cells)
        .collect()
    )
    for j in plain:
        text = grid.get_column(f"c{j}")
        redone = (_is_calamine_number(text) & ~_renders_as_itself(text)).arg_true()
        if redone.len():
            rendered = (
                text.gather(redone)
                .to_frame()
                .select(float_text(pl.col(text.name).cast(pl.Float64, strict=False)))
                .to_series()
            )
            grid = grid.with_columns(text.scatter(redone, rendered))
    return grid


def _column_kinds(texts: pl.DataFrame) -> dict[str, bool]:
    """Per sheet column ``s<j>``: ``n<j>`` it holds a fraction, ``b<j>`` a boolean or nine
    decimals that may have cut a longer fraction, ``d<j>`` a date-time."""
    columns = list(enumerate(texts.columns))
    kinds = texts.select(
        *(pl.col(n).str.contains(_CALAMINE_DECIMAL).any().alias(f"n{j}") for j, n in columns),
        *(pl.col(n).is_in(["true", "false"]).any().alias(f"b{j}") for j, n in columns),
        *(pl.col(n).str.contains(r"\.\d{9}$").any().alias(f"nine{j}") for j, n in columns),
        *(pl.col(n).str.contains(_CALAMINE_DATETIME).any().alias(f"d{j}") for j, n in columns),
    ).row(0, named=True)
    for j, n in columns:
        if kinds.pop(f"nine{j}") and not kinds[f"b{j}"]:
            nine = texts.get_column(n).filter(texts.get_column(n).str.contains(r"\.\d{9}$"))
            kinds[f"b{j}"] = bool(nine.to_frame().select(_nine_decimals_kept(pl.col(n))).item())
    return kinds


def _is_calamine_number(text: pl.Series) -> pl.Series:
    """Cells whose calamine text is a number (see :func:`_excel_cell_text`)."""
    return (text.str.contains(_CALAMINE_NUMBER) & ~text.str.contains(_LONG_DIGITS)).fill_null(False)


def _renders_as_itself(text: pl.Series) -> pl.Series:
    """Number texts that :func:`float_text` of their own value gives back unchanged.

    At most 15 characters (so at most 15 significant digits: the double of such a decimal
    gives back that decimal, and no shorter one), not below 1e-4 (written with an
    exponent), and not ``-0``. The texts are calamine numbers: no leading zeros, no
    trailing zeros in a fraction.
    """
    return (
        (text.str.len_bytes() <= 15) & ~text.str.contains(r"^-?0\.0000") & (text != "-0")
    ).fill_null(False)


def _nine_decimals_kept(text: pl.Expr) -> pl.Expr:
    """Whether a nine-decimal calamine text is its number's shortest form (so maybe cut)."""
    return (float_text(text.cast(pl.Float64, strict=False)) == text).any()


def _load_sheet(
    reader: fastexcel.ExcelReader,
    dtype: Literal["string", "float"],
    columns: list[int] | None = None,
) -> pl.DataFrame:
    """The first sheet from Excel row 1 on (blank rows kept), without a header, as ``dtype``."""
    sheet = reader.load_sheet(0, header_row=None, skip_rows=0, dtypes=dtype, use_columns=columns)
    frame = sheet.to_polars()
    assert isinstance(frame, pl.DataFrame)
    return frame


def _excel_cell_text(text: pl.Expr, number: pl.Expr | None, *, dates: bool) -> pl.Expr:
    """The delivered text of a cell from its calamine text and (where read) its number."""
    result = text
    if dates:
        moment = text.str.to_datetime("%Y-%m-%d %H:%M:%S%.f", strict=False).dt.round("1s")
        result = (
            pl.when(~text.str.contains(_CALAMINE_DATETIME).fill_null(False))
            .then(text)
            .when(moment.dt.time() == pl.time(0, 0, 0))
            .then(moment.dt.strftime("%Y-%m-%d"))
            .otherwise(moment.dt.strftime("%Y-%m-%d %H:%M:%S"))
        )
    if number is not None:
        is_bool = number.is_not_null() & text.is_in(["true", "false"])
        is_number = (
            number.is_not_null()
            & text.str.contains(_CALAMINE_NUMBER)
            & ~text.str.contains(_LONG_DIGITS)
        )
        result = (
            pl.when(is_bool)
            .then(pl.when(text == "true").then(pl.lit("TRUE")).otherwise(pl.lit("FALSE")))
            .when(is_number)
            .then(float_text(number))
            .otherwise(result)
        )
    return result


def float_text(number: pl.Expr) -> pl.Expr:
    """Format Float64 as Python would: ``610`` for whole numbers, else ``repr`` (round-trip)."""
    whole = number.is_finite() & (number == number.round(0)) & (number.abs() < 1e16)
    shortest = (
        number.cast(pl.String)
        # Polars writes 1e-7 where Python writes 1e-07, and 0.000015 where Python writes 1.5e-05.
        .str.replace(r"e([+-])(\d)$", "e${1}0${2}")
        .str.replace(r"^(-?)0\.0000([1-9])(\d+)$", "${1}${2}.${3}e-05")
        .str.replace(r"^(-?)0\.0000([1-9])$", "${1}${2}e-05")
    )
    integer = number.cast(pl.Int64, strict=False).cast(pl.String)
    return pl.when(whole).then(integer).otherwise(shortest)


# --------------------------------------------------------------------------------------------
# Header, rows and the result


@dataclass(frozen=True)
class _Header:
    """Where the header is and what each column is called."""

    index: int  # position of the (group) header row in the grid
    keys: tuple[str, ...]  # per grid column: header text as found ("" when the column has none)
    matched: dict[str, int]  # canonical -> grid column


def _cell(value: str | None) -> str:
    return "" if value is None else value.strip()


def _matches_in_row(cells: Sequence[str], columns: Sequence[ColumnSpec]) -> dict[str, list[int]]:
    """For each spec, the positions in ``cells`` whose normalised text is one of its names."""
    folded = [normalise_label(c) for c in cells]
    return {
        spec.canonical: [j for j, f in enumerate(folded) if f and f in spec.names]
        for spec in columns
    }


def _find_header(
    path: Path,
    head: list[tuple[str | None, ...]],
    row_numbers: list[int],
    columns: Sequence[ColumnSpec],
) -> int:
    """The position of the first row that carries every required header, or refuse."""
    required = [spec for spec in columns if spec.required]
    best: tuple[int, int] | None = None  # (matched spec count, position)
    for i, row in enumerate(head):
        cells = [_cell(c) for c in row]
        if not any(cells):
            continue
        found = _matches_in_row(cells, columns)
        if required and all(found[spec.canonical] for spec in required):
            return i
        if not required and any(found.values()):
            return i
        count = sum(1 for spec in columns if found[spec.canonical])
        if best is None or count > best[0]:
            best = (count, i)
    if best is None:
        missing_all = ", ".join(spec.header for spec in required)
        raise ExtractRefused(
            path,
            f"required column(s) {missing_all} not found: the first {HEADER_SCAN_ROWS} rows"
            " are blank",
        )
    cells = [_cell(c) for c in head[best[1]]]
    found = _matches_in_row(cells, columns)
    missing = [spec.header for spec in required if not found[spec.canonical]]
    listed = ", ".join(c for c in cells if c) or "(none)"
    raise ExtractRefused(
        path,
        f"required column(s) {', '.join(missing)} not found in the first {HEADER_SCAN_ROWS} rows;"
        f" headers found (row {row_numbers[best[1]]}): {listed}",
    )


def _resolve_one_row(
    path: Path, cells: list[str], columns: Sequence[ColumnSpec], row_number: int
) -> tuple[tuple[str, ...], dict[str, int]]:
    found = _matches_in_row(cells, columns)
    matched: dict[str, int] = {}
    for spec in columns:
        positions = found[spec.canonical]
        if len(positions) > 1:
            raise ExtractRefused(
                path,
                f"column {spec.header} appears {len(positions)} times in the header"
                f" (row {row_number}, columns {', '.join(str(p + 1) for p in positions)})",
            )
        if positions:
            matched[spec.canonical] = positions[0]
    return tuple(cells), matched


def _resolve_two_rows(
    path: Path,
    groups: list[str],
    subs: list[str],
    columns: Sequence[ColumnSpec],
    row_number: int,
) -> tuple[tuple[str, ...], dict[str, int]]:
    """Match specs against a group row over a sub-header row (merged group cells allowed)."""
    effective: list[str] = []  # the nearest non-empty group cell at or left of each column
    current = ""
    for g in groups:
        current = g or current
        effective.append(current)
    span: dict[str, int] = {}
    for e in effective:
        span[e] = span.get(e, 0) + 1
    keys = tuple(
        f"{e}/{s}" if s and e and normalise_label(s) != normalise_label(e) else (s or g)
        for g, e, s in zip(groups, effective, subs, strict=True)
    )
    matched: dict[str, int] = {}
    for spec in columns:
        names = spec.names
        if spec.sub_header is not None:
            wanted = normalise_label(spec.sub_header)
            positions = [
                j
                for j, (e, s) in enumerate(zip(effective, subs, strict=True))
                if normalise_label(e) in names and normalise_label(s) == wanted
            ]
        else:
            positions = [
                j
                for j, (g, s) in enumerate(zip(groups, subs, strict=True))
                if g
                and normalise_label(g) in names
                and (not s or normalise_label(s) == normalise_label(g) or span[g] == 1)
            ]
        if len(positions) > 1:
            raise ExtractRefused(
                path,
                f"column {spec.label} appears {len(positions)} times in the header"
                f" (rows {row_number}-{row_number + 1},"
                f" columns {', '.join(str(p + 1) for p in positions)})",
            )
        if positions:
            matched[spec.canonical] = positions[0]
        elif spec.required and spec.sub_header is not None:
            under = [s for e, s in zip(effective, subs, strict=True) if normalise_label(e) in names]
            listed = ", ".join(s for s in under if s) or "nothing"
            raise ExtractRefused(
                path,
                f"column {spec.header} has no sub-column {spec.sub_header} in row"
                f" {row_number + 1} (found under it: {listed}); a two-row header is expected",
            )
        elif spec.required:
            raise ExtractRefused(
                path,
                f"column {spec.header} (without sub-columns) not found in rows"
                f" {row_number}-{row_number + 1}",
            )
    return keys, matched


def _unique_keys(keys: Sequence[str]) -> list[tuple[int, str]]:
    """(column, key) for every column with a header; repeated headers get `` (2)``, `` (3)``."""
    seen: dict[str, int] = {}
    out: list[tuple[int, str]] = []
    for j, key in enumerate(keys):
        if not key:
            continue
        seen[key] = seen.get(key, 0) + 1
        out.append((j, key if seen[key] == 1 else f"{key} ({seen[key]})"))
    return out


def _stripped(expr: pl.Expr) -> pl.Expr:
    """The cell without surrounding whitespace; null when nothing is left."""
    return expr.str.strip_chars().replace("", None)


def _build_table(
    path: Path,
    grid: pl.DataFrame,
    encoding: str | None,
    columns: Sequence[ColumnSpec],
    header_rows: int,
    total_label_columns: tuple[str, ...],
) -> RawTable:
    """Find the header in ``grid``, split off preamble, notes and the total row, name columns."""
    cell_names = [c for c in grid.columns if c != "row_number"]
    head_frame = grid.head(HEADER_SCAN_ROWS + header_rows)
    head_rows = head_frame.select(cell_names).rows()
    head_numbers = head_frame.get_column("row_number").to_list()
    if not any(_cell(c) for row in head_rows for c in row):
        nonblank = pl.any_horizontal(_stripped(pl.col(c)).is_not_null() for c in cell_names)
        if not grid.select(nonblank.any()).item():
            raise ExtractRefused(path, "file is empty")
    index = _find_header(path, head_rows[:HEADER_SCAN_ROWS], head_numbers, columns)
    header_number = head_numbers[index]
    group_cells = [_cell(c) for c in head_rows[index]]
    if header_rows == 1:
        keys, matched = _resolve_one_row(path, group_cells, columns, header_number)
    else:
        if index + 1 >= len(head_rows):
            missing = [s.label for s in columns if s.required and s.sub_header is not None]
            raise ExtractRefused(
                path,
                f"the two-row header ends at row {header_number}: sub-column(s)"
                f" {', '.join(missing) or '(none)'} not found",
            )
        sub_cells = [_cell(c) for c in head_rows[index + 1]]
        keys, matched = _resolve_two_rows(path, group_cells, sub_cells, columns, header_number)
    preamble = tuple(
        " ".join(c for c in cells if c)
        for cells in ([_cell(c) for c in row] for row in head_rows[:index])
        if any(cells)
    )

    # Stripped cells, null when blank; the row classification works on these.
    stripped = [pl.col(f"_s{j}") for j in range(len(cell_names))]
    label_positions = (
        [matched[name] for name in total_label_columns if name in matched]
        if total_label_columns
        else list(range(len(cell_names)))
    )
    filled = pl.sum_horizontal(*(s.is_not_null().cast(pl.Int32) for s in stripped))
    is_total = (
        pl.any_horizontal(
            *(stripped[j].str.contains(_TOTAL_PATTERN) for j in label_positions)
        ).fill_null(False)
        if label_positions
        else pl.lit(False)
    )
    is_note = pl.coalesce(*stripped).str.contains(_NOTE_PATTERN).fill_null(False) & (filled <= 2)
    data = (
        grid.lazy()
        .slice(index + header_rows)
        .with_columns(_stripped(pl.col(c)).alias(f"_s{j}") for j, c in enumerate(cell_names))
        .with_columns(_total=is_total, _dropped=(filled == 0) | is_total | is_note)
        .collect()
    )

    total_positions = data.get_column("_total").arg_true()
    if total_positions.len() > 1:
        rows = data.get_column("row_number").gather(total_positions).to_list()
        raise ExtractRefused(
            path, f"more than one total (合计) row: rows {', '.join(str(n) for n in rows)}"
        )

    outputs: list[pl.Expr] = [pl.col("row_number")]
    for spec in columns:
        if spec.canonical in matched:
            outputs.append(stripped[matched[spec.canonical]].alias(spec.canonical))
        else:
            outputs.append(pl.lit(None, dtype=pl.String).alias(spec.canonical))
    frame = data.select(outputs)

    total_row: dict[str, str | None] | None = None
    if total_positions.len() == 1:
        values = frame.row(total_positions[0], named=True)
        total_row = {name: value for name, value in values.items() if name != "row_number"}
        total_row["row_number"] = str(values["row_number"])

    keyed = _unique_keys(keys)
    cells = data.select(
        "row_number", *(pl.col(cell_names[j]).alias(f"c{i}") for i, (j, _) in enumerate(keyed))
    )
    # Blank, note and total rows left out: usually a few at the end, so a slice, not a copy.
    dropped = data.get_column("_dropped")
    return RawTable(
        path=path,
        frame=_without(frame, dropped),
        total_row=total_row,
        encoding=encoding,
        headers=tuple(k for k in keys if k),
        preamble=preamble,
        cells=DeliveredCells(_without(cells, dropped), tuple(key for _, key in keyed)),
    )


def _without(frame: pl.DataFrame, dropped: pl.Series) -> pl.DataFrame:
    """``frame`` without the rows where ``dropped`` is true (a slice when they are at the
    start and the end only)."""
    positions = dropped.arg_true()
    count = positions.len()
    if count == 0:
        return frame
    # Rows dropped at the start: positions 0..k-1; at the end: height-(count-k)..height-1.
    leading = int((positions == pl.int_range(0, count, eager=True)).sum())
    if positions.slice(leading).equals(
        pl.int_range(frame.height - (count - leading), frame.height, eager=True)
        .cast(positions.dtype)
        .alias(positions.name),
        check_names=False,
    ):
        return frame.slice(leading, frame.height - count)
    return frame.filter(~dropped)
