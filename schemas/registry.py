"""Contract of the enterprise register: which rows load and why the others are held."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas.control_total import check_control_total
from schemas.credit_code import credit_code_is_valid
from schemas.reference import industry_classes, region_code_by_name
from schemas.rules import Contract, Rule, cell
from sources.extract import Extract
from sources.parsing import is_unparsed
from sources.text import normalise_name_expr

KEY = ("credit_code",)
VERSIONED = (
    "name",
    "industry_code",
    "region_code",
    "land_mu",
    "established_on",
    "above_scale",
    "key_enterprise",
    "cultivation_pool",
    "specialised",
    "green_factory",
    "operating_status",
)
VALID_COLUMNS = (
    "period",
    *KEY,
    "name_key",
    *VERSIONED,
    "attributes_key",
    "file_name",
    "row_number",
)


class RegistryRow(pa.DataFrameModel):
    """A register row that loads: one enterprise in one snapshot."""

    period: str = pa.Field(str_matches=r"^\d{4}-(0[1-9]|1[0-2])$")
    credit_code: str = pa.Field(str_length=18, unique=True)
    name: str = pa.Field(str_length={"min_value": 1})
    industry_code: str = pa.Field(str_matches=r"^\d{4}$")
    region_code: str = pa.Field(str_matches=r"^\d{12}$")
    land_mu: float = pa.Field(ge=0, nullable=True)
    above_scale: bool
    key_enterprise: bool
    cultivation_pool: bool
    row_number: int = pa.Field(ge=1)


def rules(headers: dict[str, str], _period: str) -> list[Rule]:
    """The register's row rules, in the order they apply."""

    def unparsed(column: str, reason: str) -> Rule:
        text = f"{column}_text"
        return Rule(
            reason,
            is_unparsed(pl.col(text), pl.col(column)),
            headers[column],
            cell(text, headers[column]),
        )

    def missing(column: str, text_column: str | None = None) -> Rule:
        text = text_column or column
        return Rule(
            "missing_value", pl.col(text).is_null(), headers[column], cell(text, headers[column])
        )

    return [
        missing("credit_code", "credit_code_text"),
        missing("name"),
        missing("industry_code", "industry_code_text"),
        missing("town"),
        missing("above_scale", "above_scale_text"),
        unparsed("land_mu", "not_a_number"),
        unparsed("established_on", "invalid_date"),
        unparsed("above_scale", "invalid_flag"),
        unparsed("key_enterprise", "invalid_flag"),
        unparsed("cultivation_pool", "invalid_flag"),
        Rule(
            "invalid_credit_code",
            ~credit_code_is_valid(pl.col("credit_code")),
            headers["credit_code"],
            cell("credit_code_text", headers["credit_code"]),
        ),
        Rule(
            "unknown_region",
            pl.col("region_code").is_null(),
            headers["town"],
            cell("town", headers["town"]),
        ),
        Rule(
            "unknown_industry",
            ~pl.col("industry_code").is_in(list(industry_classes())),
            headers["industry_code"],
            cell("industry_code_text", headers["industry_code"]),
        ),
        Rule(
            "negative_value",
            pl.col("land_mu") < 0,
            headers["land_mu"],
            cell("land_mu_text", headers["land_mu"]),
        ),
    ]


def resolve_regions(rows: pl.DataFrame) -> pl.DataFrame:
    """Town or park name (current or former) or code -> 12-digit region code."""
    key = normalise_name_expr(pl.col("town"))
    return rows.with_columns(
        region_code=key.replace_strict(region_code_by_name(), default=None, return_dtype=pl.String)
    )


def attributes_key(rows: pl.DataFrame) -> pl.DataFrame:
    """A digest of the versioned attributes: a new value opens a new enterprise version."""
    digest = (
        pl.concat_str(
            [pl.col(c).cast(pl.String).fill_null("∅") for c in VERSIONED], separator="\x1f"
        )
        .hash()
        .cast(pl.String)
    )
    return rows.with_columns(attributes_key=digest)


def whole(extract: Extract, _period: str) -> None:
    """A 合计 row, if any, must equal the rows' land."""
    check_control_total(extract, ("land_mu",))


def flags_default_to_no(rows: pl.DataFrame) -> pl.DataFrame:
    """A blank 重点企业 or 入规培育库 means 否; then towns resolve to region codes."""
    return rows.with_columns(
        key_enterprise=pl.col("key_enterprise").fill_null(False),
        cultivation_pool=pl.col("cultivation_pool").fill_null(False),
    ).pipe(resolve_regions)


CONTRACT = Contract(
    rules=rules,
    key=KEY,
    values=VERSIONED,
    valid_columns=VALID_COLUMNS,
    model=RegistryRow,
    file_checks=(whole,),
    prepare=flags_default_to_no,
    finish=attributes_key,
)
validate = CONTRACT.validate
