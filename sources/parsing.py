"""Vectorised cell parsers: Polars expressions from the delivered text to typed values.

Every parser takes an expression over a String column (the text :func:`sources.tabular.read_table`
returns) and gives null where the text does not parse; :func:`is_unparsed` tells an unparseable
cell from an empty one, so that the caller can hold the row back with the reason.
All are pure expressions (no Python callbacks), so they run over millions of rows.

Most cells are already clean ("1234", "2022-03"). Each parser first takes those with one
anchored pattern (:func:`_clean_first`), and runs its full cleaning only on the others: an
expression that reuses an intermediate result evaluates it again for every use, and the
full number cleaning reuses its text a few dozen times (2 s per 100,000 cells), which on
a column of nulls costs next to nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import polars as pl

from sources.text import blank_to_null

#: Units that may trail a number in a cell ("1,234元", "12.5%"); longest first.
NUMBER_UNITS = ("千瓦时", "万元", "千元", "元", "%")

_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"
_INTEGER = r"^[+-]?\d+$"
_GROUPED = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?"
_VALID_NUMBER = r"^(" + _GROUPED + r"|[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$"
_EXCEL_EPOCH = date(1899, 12, 30)
_TRUE = ("是", "Y", "YES", "1", "1.0", "TRUE", "T")
_FALSE = ("否", "N", "NO", "0", "0.0", "FALSE", "F")


def _numeric_text(expr: pl.Expr) -> pl.Expr:
    """Cleaned number text: half-width, no separators, units, currency signs; () as minus.

    Thousands separators must group by three ("1,234,567"); "1,2,3" is not a number.
    """
    return (
        blank_to_null(expr)
        .str.replace_all(r"[\s']", "")
        .str.replace_all("\u2212", "-")  # the minus sign
        .str.replace(r"^([+-]?)[¥￥]", "${1}")
        .str.replace("(?:" + "|".join(NUMBER_UNITS) + ")$", "")
        .str.replace(r"^\((.+)\)$", "-${1}")
        # One chain (a branch would evaluate the text twice): grouped by three, or no comma.
        .str.extract(_VALID_NUMBER, 1)
        .str.replace_all(",", "", literal=True)
    )


def _parse_number_full(expr: pl.Expr) -> pl.Expr:
    """Parse a number cell to Float64 ("1,234.5", "1.23E+07", "(123)", "12元"); else null."""
    value = _numeric_text(expr).cast(pl.Float64, strict=False)
    return value.replace([float("inf"), float("-inf")], None)


def is_unparsed(text_expr: pl.Expr, parsed_expr: pl.Expr) -> pl.Expr:
    """True where a cell holds text (not a null marker) that parsed to null."""
    return blank_to_null(text_expr).is_not_null() & parsed_expr.is_null()


def _parse_integer_full(expr: pl.Expr) -> pl.Expr:
    """Parse a whole-number cell to Int64 ("1,234", "12.0", "1.2E+03"); "12.5" is null."""
    text = _numeric_text(expr)
    value = text.cast(pl.Float64, strict=False)
    whole = value.is_finite() & (value == value.floor()) & (value.abs() < 9.0e18)
    return (
        pl.when(text.str.contains(_INTEGER))
        .then(text.cast(pl.Int64, strict=False))
        .when(whole)
        .then(value.cast(pl.Int64, strict=False))
        .otherwise(None)
    )


def _parse_period_full(expr: pl.Expr) -> pl.Expr:
    """Parse a month ("202203", "2022-3", "2022年3月", "2022/03", "2022-03-01") to "YYYY-MM"."""
    text = blank_to_null(expr)
    patterns = [
        r"^(\d{4})(\d{2})(?:\.0+)?$",
        r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$",
        r"^(\d{4})[-/.](\d{1,2})[-/.]\d{1,2}(?:\s+0{1,2}:00(?::00(?:\.0+)?)?)?$",
        r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*\d{1,2}\s*日$",
    ]
    year = pl.coalesce(*(text.str.extract(p, 1) for p in patterns))
    month = pl.coalesce(*(text.str.extract(p, 2) for p in patterns))
    valid = year.cast(pl.Int32, strict=False).is_between(1900, 2999) & month.cast(
        pl.Int32, strict=False
    ).is_between(1, 12)
    return pl.when(valid).then(pl.concat_str(year, pl.lit("-"), month.str.zfill(2)))


def _parse_date_full(expr: pl.Expr) -> pl.Expr:
    """Parse a date ("2015-03-02", "2015/3/2", "20150302", "2015年3月2日", serial "42064")."""
    text = blank_to_null(expr)
    patterns = [
        r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$",
        r"^(\d{4})(\d{2})(\d{2})$",
        r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$",
    ]
    year, month, day = (
        pl.coalesce(*(text.str.extract(p, group) for p in patterns)) for group in (1, 2, 3)
    )
    iso = pl.concat_str(year, pl.lit("-"), month.str.zfill(2), pl.lit("-"), day.str.zfill(2))
    written = iso.str.to_date("%Y-%m-%d", strict=False)
    # An Excel serial day number (five digits: 1927-05-18 to 2173-10-14), time of day dropped.
    serial = (
        pl.when(text.str.contains(r"^\d{5}(?:\.\d+)?$"))
        .then(text.cast(pl.Float64, strict=False).floor().cast(pl.Int64))
        .otherwise(None)
    )
    from_serial = (pl.lit(_EXCEL_EPOCH, dtype=pl.Date) + pl.duration(days=serial)).cast(pl.Date)
    return pl.coalesce(written, from_serial)


def parse_flag(expr: pl.Expr) -> pl.Expr:
    """Parse a yes/no cell (是/否, Y/N, 1/0, TRUE/FALSE, any case or width) to Boolean."""
    return (
        blank_to_null(expr)
        .str.to_uppercase()
        .replace_strict(
            [*_TRUE, *_FALSE],
            [True] * len(_TRUE) + [False] * len(_FALSE),
            default=None,
            return_dtype=pl.Boolean,
        )
    )


def normalise_industry_code(expr: pl.Expr) -> pl.Expr:
    """A GB/T 4754 class as four digits: "610" and "610.0" become "0610"; others as cleaned."""
    text = blank_to_null(expr).str.replace_all(r"[\s']", "").str.replace(r"^(\d+)\.0+$", "${1}")
    return text.str.replace(r"^(\d{3})$", "0${1}")


def _normalise_account_full(expr: pl.Expr) -> pl.Expr:
    """A 10-digit meter account: zero-padded when Excel ate leading zeros, ".0" dropped."""
    text = blank_to_null(expr).str.replace_all(r"[\s'‘’`]", "").str.replace(r"^(\d+)\.0+$", "${1}")
    scientific = text.str.contains(r"^\d(?:\.\d+)?[eE]\+?\d{1,2}$")
    value = text.cast(pl.Float64, strict=False)
    from_scientific = (
        pl.when(scientific & (value == value.floor()) & (value < 1e15))
        .then(value.cast(pl.Int64).cast(pl.String))
        .otherwise(text)
    )
    return (
        pl.when(from_scientific.str.contains(r"^\d{1,9}$"))
        .then(from_scientific.str.zfill(10))
        .otherwise(from_scientific)
    )


def _clean_first(
    expr: pl.Expr, clean: Callable[[pl.Expr], pl.Expr], full: Callable[[pl.Expr], pl.Expr]
) -> pl.Expr:
    """``clean(expr)`` where it gives a value, else ``full`` on the remaining cells only.

    ``clean`` must give null or exactly what ``full`` gives for the cell.
    """
    taken = clean(expr)
    return pl.coalesce(taken, full(pl.when(taken.is_null()).then(expr)))


def parse_number(expr: pl.Expr) -> pl.Expr:
    """Parse a number cell to Float64 ("1,234.5", "1.23E+07", "(123)", "12元"); else null."""
    return _clean_first(
        expr,
        lambda e: e.str.extract(r"^(-?[0-9]{1,15}(?:\.[0-9]{1,15})?)$", 1).cast(pl.Float64),
        _parse_number_full,
    )


def parse_integer(expr: pl.Expr) -> pl.Expr:
    """Parse a whole-number cell to Int64 ("1,234", "12.0", "1.2E+03"); "12.5" is null."""
    return _clean_first(
        expr, lambda e: e.str.extract(r"^(-?[0-9]{1,18})$", 1).cast(pl.Int64), _parse_integer_full
    )


def parse_period(expr: pl.Expr) -> pl.Expr:
    """Parse a month ("202203", "2022-3", "2022年3月", "2022/03", "2022-03-01") to "YYYY-MM"."""
    return _clean_first(
        expr,
        lambda e: e.str.replace(r"^([0-9]{4})([0-9]{2})$", "${1}-${2}").str.extract(
            r"^((?:19|2[0-9])[0-9]{2}-(?:0[1-9]|1[0-2]))$", 1
        ),
        _parse_period_full,
    )


def parse_date(expr: pl.Expr) -> pl.Expr:
    """Parse a date ("2015-03-02", "2015/3/2", "20150302", "2015年3月2日", serial "42064")."""
    return _clean_first(
        expr,
        lambda e: e.str.extract(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})$", 1).str.to_date(
            "%Y-%m-%d", strict=False
        ),
        _parse_date_full,
    )


def normalise_account(expr: pl.Expr) -> pl.Expr:
    """A 10-digit meter account: zero-padded when Excel ate leading zeros, ".0" dropped."""
    return _clean_first(expr, lambda e: e.str.extract(r"^([0-9]{10})$", 1), _normalise_account_full)
