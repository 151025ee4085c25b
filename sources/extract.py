"""What every reader returns: one delivered file as a frame of canonical columns."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from sources.parsing import CellParser, parse_number
from sources.tabular import ColumnSpec, DeliveredCells, RawTable

#: A parser turns a text column into a typed one (null where it does not parse).
Parser = Callable[[pl.Expr], pl.Expr]


@dataclass(frozen=True)
class Extract:
    """One delivered file, read and normalised.

    ``rows`` has ``file_name``, ``row_number`` (as a person sees it in the file),
    every canonical column, and for each parsed column ``<name>_text``, the text it was
    parsed from. ``cells`` keeps the same rows' cells as delivered: :meth:`raw` gives the
    JSON object of header -> value of the rows held back (built for those rows only).
    """

    source: str
    path: Path
    sha256: str
    encoding: str | None
    rows: pl.DataFrame
    control_total: Mapping[str, str | None] | None
    headers: Mapping[str, str]
    cells: DeliveredCells
    preamble: tuple[str, ...] = ()
    control_figures: Mapping[str, float] = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        """The file's name in its landing folder."""
        return self.path.name

    def raw(self, row_numbers: pl.Series) -> pl.DataFrame:
        """``row_number`` and ``raw`` (JSON object of header -> value as delivered) of the
        rows numbered ``row_numbers``."""
        return self.cells.raw(row_numbers)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, the identity of a delivery."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class ValueMemo:
    """The values a column computed per distinct text, kept for the next files."""

    values: dict[str | None, object] = field(default_factory=dict)
    dtype: pl.DataType | None = None


@dataclass(frozen=True)
class Parsed:
    """A column parsed from another (as read) by a parser; see :func:`normalise_columns`.

    ``few_values``: the column holds a few distinct texts (a month, a yes/no, a
    category), each parsed once.
    """

    parser: Parser
    source: str
    few_values: bool = False
    memo: ValueMemo = field(
        default_factory=lambda: ValueMemo(), init=False, compare=False, repr=False
    )

    @functools.cached_property
    def expression(self) -> pl.Expr:
        """The parser over the source column, as one expression (built once)."""
        return self.parser(pl.col(self.source))


@dataclass(frozen=True)
class PerValue:
    """A column computed by ``expression`` from one column (as read), ``source``, that
    holds a few distinct texts (a category, a town): computed once per distinct text."""

    expression: pl.Expr
    source: str
    memo: ValueMemo = field(
        default_factory=lambda: ValueMemo(), init=False, compare=False, repr=False
    )


@dataclass(frozen=True)
class Derived:
    """A column computed from the normalised columns once all are computed."""

    expr: pl.Expr


Normalised = pl.Expr | Parsed | PerValue | Derived


def normalise_columns(frame: pl.DataFrame, columns: Mapping[str, Normalised]) -> pl.DataFrame:
    """``frame`` with ``columns`` added or replaced (new ones in the given order).

    An expression is computed from ``frame`` as given; a :class:`Derived` one from the
    other columns once computed. A :class:`Parsed` column whose parser is a
    :class:`~sources.parsing.CellParser` takes the parser's clean pattern on every row,
    and its full cleaning only on the rows the pattern left (gathered, parsed, and put
    back in place): the same values as the parser's expression, without running the
    long cleaning over a whole file. A :class:`PerValue` column (or one parsed with
    ``few_values``) is computed for each distinct text and mapped back.
    """
    per_value = {
        f"_per_value_{name}": _per_value(frame, expr).alias(f"_per_value_{name}")
        for name, expr in columns.items()
        if isinstance(expr, PerValue) or (isinstance(expr, Parsed) and expr.few_values)
    }

    def first(name: str, expr: Normalised) -> pl.Expr:
        if f"_per_value_{name}" in per_value:
            return pl.col(f"_per_value_{name}")
        if isinstance(expr, Parsed):
            column = pl.col(expr.source)
            if isinstance(expr.parser, CellParser):
                return expr.parser.clean(column)
            return expr.parser(column)
        assert isinstance(expr, pl.Expr)
        return expr

    order = [*frame.columns, *(name for name in columns if name not in frame.columns)]
    result = (
        frame.lazy()
        .with_columns(per_value.values())
        .with_columns(
            first(name, expr).alias(name)
            for name, expr in columns.items()
            if not isinstance(expr, Derived)
        )
        .drop(*per_value)
        .collect()
    )
    for name, expr in columns.items():
        if (
            not isinstance(expr, Parsed)
            or not isinstance(expr.parser, CellParser)
            or expr.few_values
        ):
            continue
        texts = frame.get_column(expr.source)
        # A clean pattern gives null for a null cell: any other null was left by it.
        if result.get_column(name).null_count() == texts.null_count():
            continue
        left = (result.get_column(name).is_null() & texts.is_not_null()).arg_true()
        if left.len():
            result = result.with_columns(
                result.get_column(name).scatter(
                    left,
                    _full(expr.parser, texts.gather(left)).cast(result.schema[name]),
                )
            )
    derived = [expr.expr.alias(name) for name, expr in columns.items() if isinstance(expr, Derived)]
    return result.with_columns(derived).select(order) if derived else result.select(order)


#: Distinct texts whose values a :class:`PerValue` column remembers, at most.
PER_VALUE_MEMORY = 4096


def _per_value(frame: pl.DataFrame, column: Parsed | PerValue) -> pl.Series:
    """A column computed once per distinct text of its source column, mapped back.

    A column remembers the value of each text for the next files (a month, a town, a
    yes/no recur from file to file): only texts not seen before are computed.
    """
    texts = frame.get_column(column.source)
    distinct = texts.unique()
    memo = column.memo
    values: dict[str | None, object] = {}
    new: list[str | None] = []
    for text in distinct.to_list():
        value = memo.values.get(text, _UNSEEN)
        if value is _UNSEEN:
            new.append(text)
        else:
            values[text] = value
    dtype = memo.dtype
    if new:
        computed = (
            pl.DataFrame({column.source: new}, schema={column.source: pl.String})
            .select(column.expression)
            .to_series()
        )
        values.update(zip(new, computed.to_list(), strict=True))
        dtype = memo.dtype = computed.dtype
        if len(memo.values) + len(new) <= PER_VALUE_MEMORY:  # else not a few values
            memo.values.update(zip(new, computed.to_list(), strict=True))
    assert dtype is not None
    mapped = pl.Series([values[text] for text in distinct.to_list()], dtype=dtype)
    return texts.replace_strict(distinct, mapped, return_dtype=dtype)


_UNSEEN = object()


def _full(parser: CellParser, texts: pl.Series) -> pl.Series:
    """``parser``'s full cleaning of a few texts, its prepared text computed once."""
    prepared = texts.to_frame("text").select(parser.prepared_text)
    return prepared.select(parser.finished_text).to_series()


def parsed_columns(
    parsers: Mapping[str, Parser], *, few_values: Sequence[str] = ()
) -> dict[str, Normalised]:
    """For :func:`normalise_columns`: each column's text as ``<name>_text``, and the column
    replaced by its parsed value (those in ``few_values`` parsed once per distinct text)."""
    return {
        **{f"{name}_text": pl.col(name) for name in parsers},
        **{name: Parsed(parser, name, name in few_values) for name, parser in parsers.items()},
    }


def parse_columns(frame: pl.DataFrame, parsers: Mapping[str, Parser]) -> pl.DataFrame:
    """Keep each parsed column's text as ``<name>_text`` and replace it by its parsed value."""
    return normalise_columns(frame, parsed_columns(parsers))


def control_figures(total_row: Mapping[str, str | None] | None) -> dict[str, float]:
    """The numbers of a 合计 row, by canonical column (columns without a number left out)."""
    if not total_row:
        return {}
    texts = {k: v for k, v in total_row.items() if k != "row_number" and v is not None}
    # One column of the row's texts: one parse, whatever the number of columns.
    parsed = normalise_columns(
        pl.DataFrame({"text": list(texts.values())}, schema={"text": pl.String}),
        {"value": Parsed(parse_number, "text")},
    ).get_column("value")
    return {k: float(v) for k, v in zip(texts, parsed, strict=True) if v is not None}


def to_extract(
    source: str,
    table: RawTable,
    columns: Sequence[ColumnSpec],
    normalise: Callable[[pl.DataFrame], pl.DataFrame],
) -> Extract:
    """Wrap a read table as an :class:`Extract`, normalising its rows with ``normalise``."""
    rows = table.frame.with_columns(file_name=pl.lit(table.path.name)).pipe(normalise)
    return Extract(
        source=source,
        path=table.path,
        sha256=file_sha256(table.path),
        encoding=table.encoding,
        rows=rows,
        control_total=table.total_row,
        headers={spec.canonical: spec.label for spec in columns},
        cells=table.cells,
        preamble=table.preamble,
        control_figures=control_figures(table.total_row),
    )
