"""Contract of the statistics bureau's above-scale extract (联网直报), cumulative from January."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas.credit_code import credit_code_is_valid
from schemas.delivery import check_unit, title_period
from schemas.reference import industry_classes, region_codes
from schemas.rules import Contract, Rule, cell
from sources.extract import Extract
from sources.parsing import is_unparsed
from sources.statistics import FIGURES
from sources.tabular import ExtractRefused

KEY = ("credit_code",)
MONEY = (
    "output_ytd",
    "output_prior_ytd",
    "revenue_ytd",
    "revenue_prior_ytd",
    "profit_ytd",
    "profit_prior_ytd",
)
NON_NEGATIVE = (
    "output_ytd",
    "output_prior_ytd",
    "revenue_ytd",
    "revenue_prior_ytd",
    "employees",
    "energy_ytd_tce",
    "energy_prior_ytd_tce",
)
VALID_COLUMNS = (
    "period",
    "credit_code",
    "name",
    "name_key",
    "industry_code",
    "region_code",
    *(f"{c}_yuan" for c in MONEY),
    "employees",
    "energy_ytd_tce",
    "energy_prior_ytd_tce",
    "file_name",
    "row_number",
)


class StatisticsRow(pa.DataFrameModel):
    """A statistics row that loads: one above-scale enterprise, year to date, in yuan."""

    period: str = pa.Field(str_matches=r"^\d{4}-(0[2-9]|1[0-2])$")
    credit_code: str = pa.Field(str_length=18, unique=True)
    region_code: str = pa.Field(str_matches=r"^\d{12}$", nullable=True)
    output_ytd_yuan: float = pa.Field(ge=0)
    revenue_ytd_yuan: float = pa.Field(ge=0)
    row_number: int = pa.Field(ge=1)


def check_period(extract: Extract, period: str) -> None:
    """Refuse a file in a January folder, or whose title names another period."""
    if period.endswith("-01"):
        raise ExtractRefused(
            extract.path,
            "statistics are not reported for January: January is reported with February "
            f"(1-2月), so the file belongs in the {period[:4]}-02 folder",
        )
    named = title_period(extract)
    if named is not None and named != period:
        raise ExtractRefused(
            extract.path,
            f"the title '{extract.preamble[0]}' names {named} but the file is in the "
            f"{period} folder",
        )


def rules(headers: dict[str, str], _period: str) -> list[Rule]:
    """The statistics row rules, in the order they apply."""

    def text_rule(reason: str, column: str, failed: pl.Expr) -> Rule:
        return Rule(reason, failed, headers[column], cell(f"{column}_text", headers[column]))

    return [
        text_rule("missing_value", "credit_code", pl.col("credit_code").is_null()),
        *(
            text_rule("missing_value", c, pl.col(f"{c}_text").is_null())
            for c in ("output_ytd", "revenue_ytd")
        ),
        *(
            text_rule("not_a_number", c, is_unparsed(pl.col(f"{c}_text"), pl.col(c)))
            for c in FIGURES
        ),
        text_rule(
            "invalid_credit_code", "credit_code", ~credit_code_is_valid(pl.col("credit_code"))
        ),
        text_rule(
            "unknown_region",
            "region_code",
            pl.col("region_code").is_not_null()
            & ~pl.col("region_code").is_in(list(region_codes())),
        ),
        text_rule(
            "unknown_industry",
            "industry_code",
            pl.col("industry_code").is_not_null()
            & ~pl.col("industry_code").is_in(list(industry_classes())),
        ),
        *(text_rule("negative_value", c, pl.col(c) < 0) for c in NON_NEGATIVE),
    ]


def to_yuan(rows: pl.DataFrame) -> pl.DataFrame:
    """Money from thousand yuan (千元), as delivered, to yuan, as stored."""
    return rows.with_columns((pl.col(c) * 1000).round(2).alias(f"{c}_yuan") for c in MONEY)


def in_thousand_yuan(extract: Extract, _period: str) -> None:
    """The unit row, if any, must say 千元."""
    check_unit(extract, "千元")


CONTRACT = Contract(
    rules=rules,
    key=KEY,
    values=("name", *FIGURES),
    valid_columns=VALID_COLUMNS,
    model=StatisticsRow,
    file_checks=(check_period, in_thousand_yuan),
    finish=to_yuan,
)
validate = CONTRACT.validate
