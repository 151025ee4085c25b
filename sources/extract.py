"""What every reader returns: one delivered file as a frame of canonical columns."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from sources.parsing import parse_number
from sources.tabular import ColumnSpec, RawTable

#: A parser turns a text column into a typed one (null where it does not parse).
Parser = Callable[[pl.Expr], pl.Expr]


@dataclass(frozen=True)
class Extract:
    """One delivered file, read and normalised.

    ``rows`` has ``file_name``, ``row_number`` (as a person sees it in the file),
    ``raw`` (JSON object of header -> value as delivered), every canonical column,
    and for each parsed column ``<name>_text``, the text it was parsed from.
    """

    source: str
    path: Path
    sha256: str
    encoding: str | None
    rows: pl.DataFrame
    control_total: Mapping[str, str | None] | None
    headers: Mapping[str, str]
    preamble: tuple[str, ...] = ()
    control_figures: Mapping[str, float] = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        """The file's name in its landing folder."""
        return self.path.name


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, the identity of a delivery."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_columns(frame: pl.DataFrame, parsers: Mapping[str, Parser]) -> pl.DataFrame:
    """Keep each parsed column's text as ``<name>_text`` and replace it by its parsed value.

    Run as a lazy query: its optimiser computes a parser's repeated sub-expressions once.
    """
    return (
        frame.lazy()
        .with_columns(
            *(pl.col(name).alias(f"{name}_text") for name in parsers),
            *(parser(pl.col(name)).alias(name) for name, parser in parsers.items()),
        )
        .collect()
    )


def control_figures(total_row: Mapping[str, str | None] | None) -> dict[str, float]:
    """The numbers of a 合计 row, by canonical column (columns without a number left out)."""
    if not total_row:
        return {}
    texts = {k: v for k, v in total_row.items() if k != "row_number"}
    parsed = pl.DataFrame(
        {k: [v] for k, v in texts.items()}, schema=dict.fromkeys(texts, pl.String)
    )
    figures = parsed.select(parse_number(pl.col(k)).alias(k) for k in texts).row(0, named=True)
    return {k: float(v) for k, v in figures.items() if v is not None}


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
        preamble=table.preamble,
        control_figures=control_figures(table.total_row),
    )
