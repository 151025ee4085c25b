"""Contract of the county's published headline release: loaded as published."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas.reference import county_code
from schemas.rules import Contract, Rule, cell
from sources.indicators import FIGURES
from sources.parsing import is_unparsed

VALID_COLUMNS = ("region_code", "period", "name", "unit", *FIGURES, "file_name", "row_number")


class PublishedRow(pa.DataFrameModel):
    """A published indicator that loads: one headline figure of the county for one month."""

    region_code: str = pa.Field(str_matches=r"^\d{12}$")
    period: str = pa.Field(str_matches=r"^\d{4}-(0[1-9]|1[0-2])$")
    name: str = pa.Field(unique=True)


def rules(headers: dict[str, str], _period: str) -> list[Rule]:
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


def in_the_county(rows: pl.DataFrame) -> pl.DataFrame:
    """The release is the county's own."""
    return rows.with_columns(region_code=pl.lit(county_code()))


CONTRACT = Contract(
    rules=rules,
    key=("name",),
    values=("unit", *FIGURES),
    valid_columns=VALID_COLUMNS,
    model=PublishedRow,
    prepare=in_the_county,
)
validate = CONTRACT.validate
