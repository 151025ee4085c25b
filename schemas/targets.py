"""Contract of the county's annual targets: which rows load and why the others are held.

Each 指标 must name a target the indicator catalogue knows (``warehouse.indicators.TARGETS``,
aliases allowed), in a unit that target is measured in; each 区域 must be the county or
one of its towns and parks (former names resolve). Targets are stored in the unit of the
indicator's figure (a 万元 target in yuan).
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas.reference import region_code_by_name
from schemas.rules import Contract, Rule, cell
from sources.parsing import is_unparsed
from sources.text import normalise_label, normalise_name_expr
from warehouse.indicators import TARGETS

KEY = ("region_code", "indicator")
VALUES = ("target_name", "unit_delivered", "floor_value", "stretch_value")
VALID_COLUMNS = (
    "period",
    "year",
    "region_code",
    "indicator",
    "target_name",
    "measure",
    "unit",
    "unit_delivered",
    "floor_value",
    "stretch_value",
    "file_name",
    "row_number",
)


class TargetRow(pa.DataFrameModel):
    """A target that loads: one indicator's floor and stretch for one region and year."""

    period: str = pa.Field(str_matches=r"^\d{4}$")
    year: int = pa.Field(ge=1900, le=2999)
    region_code: str = pa.Field(str_matches=r"^\d{12}$")
    indicator: str
    measure: str = pa.Field(isin=["growth_pct", "count", "value"])
    floor_value: float
    stretch_value: float = pa.Field(nullable=True)
    row_number: int = pa.Field(ge=1)


def _by_name() -> dict[str, int]:
    """Folded target name or alias -> position in ``TARGETS``."""
    return {
        normalise_label(name): index
        for index, target in enumerate(TARGETS)
        for name in (target.target_name, *target.aliases)
    }


def identify(rows: pl.DataFrame) -> pl.DataFrame:
    """Resolve 区域 to a region code and 指标 to its catalogue target and unit factor."""
    index = normalise_name_expr(pl.col("target_name")).replace_strict(
        _by_name(), default=None, return_dtype=pl.Int64
    )
    factors = {
        f"{i}|{normalise_label(unit)}": factor
        for i, target in enumerate(TARGETS)
        for unit, factor in target.units.items()
    }
    unit_key = pl.concat_str(
        index.cast(pl.String), pl.lit("|"), normalise_name_expr(pl.col("unit"))
    )
    return rows.with_columns(
        region_code=normalise_name_expr(pl.col("region")).replace_strict(
            region_code_by_name(), default=None, return_dtype=pl.String
        ),
        target_index=index,
        indicator=index.replace_strict(
            dict(enumerate(t.indicator for t in TARGETS)), default=None, return_dtype=pl.String
        ),
        measure=index.replace_strict(
            dict(enumerate(t.measure for t in TARGETS)), default=None, return_dtype=pl.String
        ),
        unit_factor=unit_key.replace_strict(factors, default=None, return_dtype=pl.Float64),
        unit_delivered=pl.col("unit"),
    )


def rules(headers: dict[str, str], period: str) -> list[Rule]:
    """The targets' row rules, in the order they apply."""

    def rule(reason: str, column: str, failed: pl.Expr, text: str | None = None) -> Rule:
        return Rule(reason, failed, headers[column], cell(text or column, headers[column]))

    return [
        rule("missing_value", "year", pl.col("year_text").is_null(), "year_text"),
        *(rule("missing_value", c, pl.col(c).is_null()) for c in ("region", "target_name")),
        rule("missing_value", "floor", pl.col("floor_text").is_null(), "floor_text"),
        rule("missing_value", "unit", pl.col("unit").is_null()),
        rule(
            "invalid_period",
            "year",
            is_unparsed(pl.col("year_text"), pl.col("year")),
            "year_text",
        ),
        *(
            rule("not_a_number", c, is_unparsed(pl.col(f"{c}_text"), pl.col(c)), f"{c}_text")
            for c in ("floor", "stretch")
        ),
        Rule(
            "period_mismatch",
            pl.col("year").cast(pl.String) != period[:4],
            headers["year"],
            pl.format(
                "{}='{}', folder is {}", pl.lit(headers["year"]), "year_text", pl.lit(period)
            ),
        ),
        rule("unknown_region", "region", pl.col("region_code").is_null()),
        rule("unknown_indicator", "target_name", pl.col("indicator").is_null()),
        Rule(
            "unit_mismatch",
            pl.col("unit_factor").is_null(),
            headers["unit"],
            pl.format(
                "{}='{}' for {}",
                pl.lit(headers["unit"]),
                pl.col("unit"),
                pl.col("target_name"),
            ),
        ),
        Rule(
            "stretch_below_floor",
            pl.col("stretch") < pl.col("floor"),
            headers["stretch"],
            pl.format(
                "{}={} < {}={}",
                pl.lit(headers["stretch"]),
                "stretch_text",
                pl.lit(headers["floor"]),
                "floor_text",
            ),
        ),
    ]


def in_indicator_units(rows: pl.DataFrame) -> pl.DataFrame:
    """Targets in the unit of the indicator's figure, with the catalogue's own name."""
    unit = pl.col("target_index").replace_strict(
        dict(enumerate(t.unit for t in TARGETS)), default=None, return_dtype=pl.String
    )
    return rows.with_columns(
        floor_value=pl.col("floor") * pl.col("unit_factor"),
        stretch_value=pl.col("stretch") * pl.col("unit_factor"),
        unit=unit,
    )


CONTRACT = Contract(
    rules=rules,
    key=KEY,
    values=VALUES,
    valid_columns=VALID_COLUMNS,
    model=TargetRow,
    prepare=identify,
    finish=in_indicator_units,
    key_label="区域+指标",
)
validate = CONTRACT.validate
