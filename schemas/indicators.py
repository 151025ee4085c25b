"""Contract of the county's published headline release: loaded as published."""

from __future__ import annotations

from collections.abc import Sequence

import pandera.polars as pa
import polars as pl

from schemas.reference import county_code
from schemas.rules import Rule, Split, cell, first_failure, mark_duplicates, split_rows
from sources.extract import Extract
from sources.indicators import FIGURES
from sources.parsing import is_unparsed

VALID_COLUMNS = ("region_code", "period", "name", "unit", *FIGURES, "file_name", "row_number")


class PublishedRow(pa.DataFrameModel):
    """A published indicator that loads: one headline figure of the county for one month."""

    region_code: str = pa.Field(str_matches=r"^\d{12}$")
    period: str = pa.Field(str_matches=r"^\d{4}-(0[1-9]|1[0-2])$")
    name: str = pa.Field(unique=True)


def rules(headers: dict[str, str]) -> list[Rule]:
    """The release's row rules, in the order they apply."""
    return [
        Rule(
            "missing_value",
            pl.col("name").is_null(),
            headers["name"],
            cell("name", headers["name"]),
        ),
        *(
            Rule(
                "not_a_number",
                is_unparsed(pl.col(f"{c}_text"), pl.col(c)),
                headers[c],
                cell(f"{c}_text", headers[c]),
            )
            for c in FIGURES
        ),
    ]


def validate(extracts: Sequence[Extract], period: str) -> Split:
    """Check the release of one month and split its rows into valid and held."""
    headers = dict(extracts[0].headers)
    rows = pl.concat([e.rows for e in extracts], how="diagonal_relaxed").with_columns(
        period=pl.lit(period), region_code=pl.lit(county_code())
    )
    judged = rows.pipe(first_failure, rules(headers)).pipe(
        mark_duplicates, ("name",), ("unit", *FIGURES), headers["name"]
    )
    split = split_rows(judged, VALID_COLUMNS)
    PublishedRow.validate(split.valid)
    return split
