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

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import polars as pl

from sources.text import NULL_MARKERS, blank_to_null

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


def _number_from_text(text: pl.Expr) -> pl.Expr:
    """A cleaned number text (:func:`_numeric_text`) to Float64; infinities are null."""
    return text.cast(pl.Float64, strict=False).replace([float("inf"), float("-inf")], None)


def is_unparsed(text_expr: pl.Expr, parsed_expr: pl.Expr) -> pl.Expr:
    """True where a cell holds text (not a null marker) that parsed to null."""
    # The text is folded only where the value is null (a few rows), not in every row.
    unparsed = parsed_expr.is_null()
    return unparsed & blank_to_null(pl.when(unparsed).then(text_expr)).is_not_null()


def _integer_from_text(text: pl.Expr) -> pl.Expr:
    """A cleaned number text (:func:`_numeric_text`) to Int64 when it is a whole number."""
    value = text.cast(pl.Float64, strict=False)
    whole = value.is_finite() & (value == value.floor()) & (value.abs() < 9.0e18)
    return (
        pl.when(text.str.contains(_INTEGER))
        .then(text.cast(pl.Int64, strict=False))
        .when(whole)
        .then(value.cast(pl.Int64, strict=False))
        .otherwise(None)
    )


#: The month forms a period cell may take; no text matches two of them.
_PERIOD_FORMS = (
    r"(\d{4})(\d{2})(?:\.0+)?",
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?",
    r"(\d{4})[-/.](\d{1,2})[-/.]\d{1,2}(?:\s+0{1,2}:00(?::00(?:\.0+)?)?)?",
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*\d{1,2}\s*日",
)
_PERIOD_PATTERN = "^(?:" + "|".join(_PERIOD_FORMS) + ")$"

#: The date forms a date cell may take (besides an Excel serial); no text matches two.
_DATE_FORMS = (
    r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?",
    r"(\d{4})(\d{2})(\d{2})",
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日",
)
_DATE_PATTERN = "^(?:" + "|".join(_DATE_FORMS) + ")$"


def _matched(forms: int, per_form: int, group: int) -> pl.Expr:
    """Inside ``struct.with_fields`` of ``str.extract_groups`` over an alternation of
    ``forms`` forms of ``per_form`` groups each: group ``group`` (1-based) of the form
    that matched."""
    return pl.coalesce(pl.field(str(form * per_form + group)) for form in range(forms))


def _period_from_text(text: pl.Expr) -> pl.Expr:
    """A month text (blank markers null) to "YYYY-MM" (one match of the pattern per cell)."""
    year, month = (_matched(len(_PERIOD_FORMS), 2, g) for g in (1, 2))
    valid = year.cast(pl.Int32, strict=False).is_between(1900, 2999) & month.cast(
        pl.Int32, strict=False
    ).is_between(1, 12)
    period = pl.when(valid).then(pl.concat_str(year, pl.lit("-"), month.str.zfill(2)))
    return (
        text.str.extract_groups(_PERIOD_PATTERN)
        .struct.with_fields(period.alias("period"))
        .struct.field("period")
    )


def _date_from_text(text: pl.Expr) -> pl.Expr:
    """A date text (blank markers null) to Date (one match of the pattern per cell)."""
    year, month, day = (_matched(len(_DATE_FORMS), 3, g) for g in (1, 2, 3))
    iso = pl.concat_str(year, pl.lit("-"), month.str.zfill(2), pl.lit("-"), day.str.zfill(2))
    written = (
        text.str.extract_groups(_DATE_PATTERN)
        .struct.with_fields(iso.alias("iso"))
        .struct.field("iso")
        .str.to_date("%Y-%m-%d", strict=False)
    )
    # An Excel serial day number (five digits: 1927-05-18 to 2173-10-14), time of day dropped.
    serial = (
        pl.when(text.str.contains(r"^\d{5}(?:\.\d+)?$"))
        .then(text.cast(pl.Float64, strict=False).floor().cast(pl.Int64))
        .otherwise(None)
    )
    from_serial = (pl.lit(_EXCEL_EPOCH, dtype=pl.Date) + pl.duration(days=serial)).cast(pl.Date)
    return pl.coalesce(written, from_serial)


def _flag_from_text(text: pl.Expr) -> pl.Expr:
    """A yes/no text (blank markers null) to Boolean."""
    return text.str.to_uppercase().replace_strict(
        [*_TRUE, *_FALSE],
        [True] * len(_TRUE) + [False] * len(_FALSE),
        default=None,
        return_dtype=pl.Boolean,
    )


def _industry_code_text(expr: pl.Expr) -> pl.Expr:
    """An industry code without blank markers, spaces, apostrophes or a ".0"."""
    return blank_to_null(expr).str.replace_all(r"[\s']", "").str.replace(r"^(\d+)\.0+$", "${1}")


def _industry_code_from_text(text: pl.Expr) -> pl.Expr:
    """A cleaned industry code with its leading zero back."""
    return text.str.replace(r"^(\d{3})$", "0${1}")


def _account_text(expr: pl.Expr) -> pl.Expr:
    """An account without blank markers, spaces, apostrophes or a ".0"."""
    return blank_to_null(expr).str.replace_all(r"[\s'‘’`]", "").str.replace(r"^(\d+)\.0+$", "${1}")


def _account_from_text(text: pl.Expr) -> pl.Expr:
    """A cleaned account: zero-padded when Excel ate leading zeros, from scientific form."""
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


@dataclass(frozen=True)
class CellParser:
    """A parser in two parts: ``clean`` takes an already-clean cell with one anchored pattern
    (null for any other), ``full`` cleans and parses any cell.

    ``full`` is ``finish(prepare(cell))``: ``prepare`` cleans the text, ``finish`` uses it
    several times; a frame keeps ``prepare``'s text as a column, so that it is computed once
    (an expression would compute it again for every use).

    Called on an expression it is one expression (``clean``'s value, else ``full``'s);
    :func:`sources.extract.parse_columns` runs ``full`` only on the rows ``clean`` left,
    which in a delivered file are a handful. ``clean`` must give null or exactly what
    ``full`` gives for the cell.
    """

    clean: Callable[[pl.Expr], pl.Expr]
    prepare: Callable[[pl.Expr], pl.Expr]
    finish: Callable[[pl.Expr], pl.Expr]

    def full(self, expr: pl.Expr) -> pl.Expr:
        """The full cleaning and parsing of any cell: ``finish(prepare(expr))``."""
        return self.finish(self.prepare(expr))

    @functools.cached_property
    def prepared_text(self) -> pl.Expr:
        """``prepare`` over a column ``text`` (built once)."""
        return self.prepare(pl.col("text")).alias("text")

    @functools.cached_property
    def finished_text(self) -> pl.Expr:
        """``finish`` over a column ``text`` of prepared texts (built once)."""
        return self.finish(pl.col("text"))

    def __call__(self, expr: pl.Expr) -> pl.Expr:
        taken = self.clean(expr)
        return pl.coalesce(taken, self.full(pl.when(taken.is_null()).then(expr)))


def _when_matches(expr: pl.Expr, pattern: str, value: pl.Expr | None = None) -> pl.Expr:
    """``value`` (the cell itself by default) where the cell matches ``pattern``, else null
    (a test and no new text: cheaper than extracting the match)."""
    return pl.when(expr.str.contains(pattern)).then(expr if value is None else value)


def _number_clean(expr: pl.Expr) -> pl.Expr:
    return _when_matches(
        expr, r"^-?[0-9]{1,15}(?:\.[0-9]{1,15})?$", expr.cast(pl.Float64, strict=False)
    )


def _integer_clean(expr: pl.Expr) -> pl.Expr:
    return _when_matches(expr, r"^-?[0-9]{1,18}$", expr.cast(pl.Int64, strict=False))


def _period_clean(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace(r"^([0-9]{4})([0-9]{2})$", "${1}-${2}").str.extract(
        r"^((?:19|2[0-9])[0-9]{2}-(?:0[1-9]|1[0-2]))$", 1
    )


def _date_clean(expr: pl.Expr) -> pl.Expr:
    return _when_matches(
        expr, r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", expr.str.to_date("%Y-%m-%d", strict=False)
    )


def _account_clean(expr: pl.Expr) -> pl.Expr:
    return _when_matches(expr, r"^[0-9]{10}$")


#: Parse a number cell to Float64 ("1,234.5", "1.23E+07", "(123)", "12元"); else null.
parse_number = CellParser(_number_clean, _numeric_text, _number_from_text)

#: Parse a whole-number cell to Int64 ("1,234", "12.0", "1.2E+03"); "12.5" is null.
parse_integer = CellParser(_integer_clean, _numeric_text, _integer_from_text)

#: Parse a month ("202203", "2022-3", "2022年3月", "2022/03", "2022-03-01") to "YYYY-MM".
parse_period = CellParser(_period_clean, blank_to_null, _period_from_text)

#: Parse a date ("2015-03-02", "2015/3/2", "20150302", "2015年3月2日", serial "42064").
parse_date = CellParser(_date_clean, blank_to_null, _date_from_text)

#: A 10-digit meter account: zero-padded when Excel ate leading zeros, ".0" dropped.
normalise_account = CellParser(_account_clean, _account_text, _account_from_text)


#: Parse a yes/no cell (是/否, Y/N, 1/0, TRUE/FALSE, any case or width) to Boolean.
parse_flag = CellParser(
    lambda expr: expr.replace_strict(
        ["是", "否"], [True, False], default=None, return_dtype=pl.Boolean
    ),
    blank_to_null,
    _flag_from_text,
)

#: A GB/T 4754 class as four digits: "610" and "610.0" become "0610"; others as cleaned.
normalise_industry_code = CellParser(
    lambda expr: _when_matches(expr, r"^[0-9]{4}$"),
    _industry_code_text,
    _industry_code_from_text,
)

#: :func:`~sources.text.blank_to_null` as a two-part parser: a text without full-width
#: forms or surrounding whitespace that is not a null marker is as it is.
fold_text = CellParser(
    lambda expr: pl.when(
        ~expr.str.contains(r"[\x{FF01}-\x{FF5E}\x{3000}]|^\s|\s$") & ~expr.is_in(list(NULL_MARKERS))
    ).then(expr),
    blank_to_null,
    lambda text: text,
)
