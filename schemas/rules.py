"""Row rules and the split of an extract into valid rows and held rows.

A contract is a list of :class:`Rule` s, each a vectorised Polars condition; every row
gets the first rule it fails (``reason``, ``column_name`` and a ``detail`` naming the
value), duplicates are judged last on the rows still valid, and the frame is split.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandera.polars as pa
import polars as pl

from schemas.reasons import REASON_CODES

if TYPE_CHECKING:
    from sources.extract import Extract

HELD_COLUMNS = ("file_name", "row_number", "reason", "column_name", "detail", "raw")


@dataclass(frozen=True)
class Rule:
    """A row fails this rule where ``failed`` is true; ``detail`` says what was found."""

    reason: str
    failed: pl.Expr
    column_name: str | None
    detail: pl.Expr

    def __post_init__(self) -> None:
        if self.reason not in REASON_CODES:
            raise ValueError(f"unknown held-row reason {self.reason!r}")


@dataclass(frozen=True)
class Split:
    """The rows of one source and period that load, and those held with their reasons."""

    valid: pl.DataFrame
    held: pl.DataFrame

    @property
    def rows_read(self) -> int:
        """Data rows read: loaded plus held."""
        return self.valid.height + self.held.height


@dataclass(frozen=True)
class Judging:
    """A contract's rules as the expressions that judge rows: each rule's condition (a
    column named by its position), the position of the first failed rule of a row from
    those, and the three texts of a row from that position (``_first_failed``)."""

    failed: tuple[pl.Expr, ...]
    first: pl.Expr
    texts: tuple[pl.Expr, pl.Expr, pl.Expr]

    @classmethod
    def of(cls, rules: Sequence[Rule]) -> Judging:
        """The judging expressions of ``rules`` (in the order they apply)."""
        failed = tuple(rule.failed.fill_null(False).alias(str(i)) for i, rule in enumerate(rules))
        first = pl.lit(None, dtype=pl.Int32)
        for i in reversed(range(len(rules))):
            first = pl.when(pl.col(str(i))).then(pl.lit(i, dtype=pl.Int32)).otherwise(first)

        def chosen(attribute: str) -> pl.Expr:
            expression = pl.lit(None, dtype=pl.String)
            for i, rule in reversed(list(enumerate(rules))):
                value = getattr(rule, attribute)
                if not isinstance(value, pl.Expr):
                    value = pl.lit(value, dtype=pl.String)
                expression = pl.when(pl.col("_first_failed") == i).then(value).otherwise(expression)
            return expression.cast(pl.String).alias(attribute)

        return cls(
            failed,
            first.alias("_first_failed"),
            (chosen("reason"), chosen("column_name"), chosen("detail")),
        )


def first_failure(frame: pl.DataFrame, rules: Sequence[Rule] | Judging) -> pl.DataFrame:
    """Add ``reason``, ``column_name`` and ``detail`` from the first rule each row fails.

    Each rule's condition is evaluated once over every row, giving the first failed rule
    of each row; the three texts are then taken for the failed rows only (a handful), and
    are null elsewhere. Rules are row by row: a rule's texts for a row do not depend on
    the other rows.
    """
    judging = rules if isinstance(rules, Judging) else Judging.of(rules)
    # Each rule's condition a column (evaluated in parallel), then the first true one.
    failed = frame.select(judging.failed).select(judging.first).to_series()
    positions = failed.is_not_null().arg_true()
    texts = frame[positions].with_columns(failed.gather(positions)).select(judging.texts)
    return frame.with_columns(
        pl.repeat(None, frame.height, dtype=pl.String, eager=True)
        .alias(name)
        .scatter(positions, texts.get_column(name))
        for name in texts.columns
    )


@functools.lru_cache(maxsize=256)
def _judging(
    rules: Callable[[dict[str, str], str], list[Rule]],
    headers: tuple[tuple[str, str], ...],
    period: str,
) -> Judging:
    """A contract's rules for a file's headers and a period, built once."""
    return Judging.of(rules(dict(headers), period))


def mark_duplicates(
    frame: pl.DataFrame, key: Sequence[str], values: Sequence[str], label: str
) -> pl.DataFrame:
    """Judge duplicates among rows with no reason yet, in file then row order.

    Rows sharing ``key`` with identical ``values``: the first loads, the rest are
    ``duplicate_row``. Rows sharing ``key`` with different values: all are
    ``conflicting_duplicate``. ``label`` names the key as the file's header does.

    One hash pass finds the rows whose key repeats; only those (a handful in a real
    delivery) go through the per-key windows, and their texts are put back in place.
    """
    candidate = pl.col("reason").is_null()
    repeated = candidate & pl.struct(*key, candidate.alias("_candidate")).is_duplicated()
    positions = frame.select(repeated).to_series().arg_true()
    if positions.is_empty():
        return frame
    judged = _mark_repeated(frame[positions], key, values, label)
    return frame.with_columns(
        frame.get_column(name).clone().scatter(positions, judged.get_column(name))
        for name in ("reason", "column_name", "detail")
    )


def _mark_repeated(
    frame: pl.DataFrame, key: Sequence[str], values: Sequence[str], label: str
) -> pl.DataFrame:
    candidate = pl.col("reason").is_null()
    group = [pl.col(k) for k in key]
    variants = pl.struct(values).n_unique().over(*group, candidate)
    position = pl.int_range(pl.len()).over(*group, candidate, order_by=["file_name", "row_number"])
    conflicting = candidate & (pl.len().over(*group, candidate) > 1) & (variants > 1)
    duplicate = candidate & ~conflicting & (position > 0)
    first_row = (
        pl.struct("file_name", "row_number")
        .sort_by("file_name", "row_number")
        .first()
        .over(*group, candidate)
    )
    return frame.with_columns(
        reason=pl.when(conflicting)
        .then(pl.lit("conflicting_duplicate"))
        .when(duplicate)
        .then(pl.lit("duplicate_row"))
        .otherwise(pl.col("reason")),
        column_name=pl.when(conflicting | duplicate).then(pl.lit(label)).otherwise("column_name"),
        detail=pl.when(conflicting)
        .then(pl.format("{} appears more than once with different values", pl.lit(label)))
        .when(duplicate)
        .then(
            pl.format(
                "same as {} row {}",
                first_row.struct.field("file_name"),
                first_row.struct.field("row_number"),
            )
        )
        .otherwise(pl.col("detail")),
    )


def split_rows(
    frame: pl.DataFrame, valid_columns: Sequence[str], extracts: Sequence[Extract]
) -> Split:
    """Split a judged frame into the valid rows (``valid_columns``) and the held rows.

    ``frame``'s ``_extract`` is the position in ``extracts`` of the file each row comes
    from; a held row's ``raw`` (the row as delivered) is built from that file's cells.
    """
    # Filtered after choosing the columns: the others (texts, flags) are not copied.
    held = (
        frame.lazy()
        .filter(pl.col("reason").is_not_null())
        .select(*HELD_COLUMNS[:-1], "_extract")
        .collect()
    )
    valid = frame.lazy().filter(pl.col("reason").is_null()).select(valid_columns).collect()
    return Split(valid=valid, held=with_raw(held, extracts).sort("file_name", "row_number"))


def with_raw(held: pl.DataFrame, extracts: Sequence[Extract]) -> pl.DataFrame:
    """The held rows with their ``raw`` JSON, in place of their ``_extract`` position."""
    raws = [
        extracts[position]
        .raw(rows.get_column("row_number"))
        .with_columns(_extract=pl.lit(position, dtype=held.schema["_extract"]))
        for (position,), rows in held.group_by("_extract")
    ]
    if not raws:
        return held.drop("_extract").with_columns(raw=pl.lit(None, dtype=pl.String))
    return held.join(
        pl.concat(raws), on=["_extract", "row_number"], how="left", maintain_order="left"
    ).drop("_extract")


def cell(column: str, header: str) -> pl.Expr:
    """A detail text naming the header and the value as read, e.g. ``本月用电量='待核'``."""
    return pl.format("{}='{}'", pl.lit(header), pl.col(column).cast(pl.String).fill_null(""))


FileCheck = Callable[["Extract", str], None]
Transform = Callable[[pl.DataFrame], pl.DataFrame]


def _unchanged(rows: pl.DataFrame) -> pl.DataFrame:
    return rows


@dataclass(frozen=True)
class Contract:
    """One source's contract: what a file must be, what a row must be, what loads.

    ``validate`` walks every file of a period once: file checks (each may refuse a
    file), then the rows of all files together: ``prepare``, the row rules (first
    failure wins), ``finish``, duplicates on ``key`` (``values`` tell an exact copy from
    a conflicting one), and the split, whose valid rows must pass the pandera ``model``.
    ``key_label`` names the key in messages when its first column is not a delivered one.
    """

    rules: Callable[[dict[str, str], str], list[Rule]]
    key: tuple[str, ...]
    values: tuple[str, ...]
    valid_columns: tuple[str, ...]
    model: type[pa.DataFrameModel]
    file_checks: tuple[FileCheck, ...] = ()
    prepare: Transform = _unchanged
    finish: Transform = _unchanged
    key_label: str | None = None

    def validate(self, extracts: Sequence[Extract], period: str) -> Split:
        """Check every file of one source-period and split its rows into valid and held."""
        for extract in extracts:
            for check in self.file_checks:
                check(extract, period)
        headers = dict(extracts[0].headers)
        files = pl.Series(
            "_extract",
            np.repeat(np.arange(len(extracts), dtype=np.int32), [e.rows.height for e in extracts]),
        )
        rows = pl.concat([e.rows for e in extracts], how="diagonal_relaxed").with_columns(
            files, period=pl.lit(period)
        )
        judged = (
            rows.pipe(self.prepare)
            .pipe(first_failure, _judging(self.rules, tuple(headers.items()), period))
            .pipe(self.finish)
            .pipe(mark_duplicates, self.key, self.values, self.key_label or headers[self.key[0]])
        )
        split = split_rows(judged, self.valid_columns, extracts)
        self.model.validate(split.valid)
        return split
