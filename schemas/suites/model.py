"""The shapes of a quality suite, versioned in code, independent of Great Expectations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

_NO_ARGS: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class Check:
    """One expectation: a stable name, a Great Expectations class name and its arguments.

    ``name`` is unique within its suite and is what ``dq_result.expectation`` holds;
    ``description`` is the sentence a person reads in Data Docs.
    """

    name: str
    kind: str  # e.g. "ExpectColumnValuesToNotBeNull" (great_expectations.expectations)
    description: str
    kwargs: Mapping[str, Any] = field(default_factory=lambda: _NO_ARGS)


@dataclass(frozen=True)
class Suite:
    """A versioned set of checks on one batch: the rows ``query`` returns for a period.

    ``query`` and ``applies`` are SQL templates with ``{period}`` and ``{previous}`` (the
    month before), portable between SQLite and PostgreSQL. ``applies`` is a scalar
    query: the suite runs for a period only when it returns a positive number (a table
    with no rows for the period has nothing to check).
    """

    name: str
    version: str
    table_name: str
    description: str
    query: str
    applies: str
    checks: tuple[Check, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns of the batch that the checks read (see ``checked_columns``)."""
        return checked_columns(self.checks)


@dataclass(frozen=True)
class QualityBounds:
    """Configurable plausibility bounds, in %, for the county's month-on-month change."""

    electricity_mom_pct: tuple[float, float] = (-40.0, 60.0)
    tax_mom_pct: tuple[float, float] = (-60.0, 150.0)


def checked_columns(checks: Iterable[Check]) -> tuple[str, ...]:
    """The columns ``checks`` name (``column``, ``column_list``), in order of first use."""
    columns: dict[str, None] = {}
    for check in checks:
        if "column" in check.kwargs:
            columns[check.kwargs["column"]] = None
        columns.update(dict.fromkeys(check.kwargs.get("column_list", ())))
    return tuple(columns)


def rows_of(table: str, columns: Sequence[str]) -> str:
    """The batch of ``table`` for the period: its rows, with only ``columns``.

    Great Expectations reads the batch once per metric (or copies it into a temporary
    table once), so a batch narrowed to the checked columns is what makes that cheap.
    """
    if not columns:
        raise ValueError(f"a batch of {table} needs at least one column")
    return f"SELECT {', '.join(columns)} FROM {table} WHERE period = '{{period}}'"


def has_rows(table: str) -> str:
    """``applies`` for a suite on ``table``: it has rows for the period."""
    return f"SELECT COUNT(*) FROM {table} WHERE period = '{{period}}'"


def not_null(column: str, what: str) -> Check:
    """``column`` is never null."""
    return Check(
        f"{column} not null",
        "ExpectColumnValuesToNotBeNull",
        f"{what} is always given.",
        {"column": column},
    )


def unique(column: str, what: str) -> Check:
    """``column`` is unique within the batch (the period): its distinct values are as many
    as its values. One ``COUNT(DISTINCT)``; GX's per-value uniqueness check counts every
    value's rows with a window and then lists the repeated ones (1.6 s on a province
    month's million accounts, against 0.5 s)."""
    return Check(
        f"{column} unique",
        "ExpectColumnProportionOfUniqueValuesToBeBetween",
        f"{what} appears once per period.",
        {"column": column, "min_value": 1.0, "max_value": 1.0},
    )


def at_least(column: str, minimum: float, what: str) -> Check:
    """``column`` is at least ``minimum`` where given."""
    return Check(
        f"{column} >= {minimum:g}",
        "ExpectColumnValuesToBeBetween",
        f"{what} is at least {minimum:g} (where given).",
        {"column": column, "min_value": minimum},
    )


def rows_present(what: str) -> Check:
    """The batch is not empty."""
    return Check(
        "rows present",
        "ExpectTableRowCountToBeBetween",
        f"{what} has rows for the period.",
        {"min_value": 1},
    )


def zero(column: str, description: str) -> Check:
    """A violation count in a one-row batch is 0 (observed value: the count)."""
    return Check(
        column,
        "ExpectColumnMaxToBeBetween",
        description,
        {"column": column, "min_value": 0, "max_value": 0},
    )
