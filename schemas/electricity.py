"""Contract of the utility's electricity extract: which rows load and why the others are held."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas.control_total import check_control_total
from schemas.credit_code import credit_code_is_valid
from schemas.rules import Contract, Rule, cell
from sources.extract import Extract
from sources.parsing import is_unparsed

KEY = ("account_no",)
VALUES = ("account_name", "credit_code", "usage_category", "kwh", "kwh_prior_year")
VALID_COLUMNS = (
    "period",
    "account_no",
    "account_name",
    "name_key",
    "credit_code",
    "credit_code_delivered",
    "usage_category",
    "kwh",
    "kwh_prior_year",
    "file_name",
    "row_number",
)
TOTALLED = ("kwh", "kwh_prior_year")


class ElectricityRow(pa.DataFrameModel):
    """An electricity row that loads: one metering account in one month."""

    period: str = pa.Field(str_matches=r"^\d{4}-(0[1-9]|1[0-2])$")
    account_no: str = pa.Field(str_matches=r"^\d{10}$", unique=True)
    credit_code: str = pa.Field(str_length=18, nullable=True)
    kwh: int = pa.Field(ge=0)
    kwh_prior_year: int = pa.Field(ge=0, nullable=True)
    row_number: int = pa.Field(ge=1)


def rules(headers: dict[str, str], period: str) -> list[Rule]:
    """The electricity row rules, in the order they apply."""

    def unparsed(column: str) -> Rule:
        text = f"{column}_text"
        reason = "invalid_period" if column == "billing_period" else "not_a_number"
        return Rule(
            reason,
            is_unparsed(pl.col(text), pl.col(column)),
            headers[column],
            cell(text, headers[column]),
        )

    def missing(column: str) -> Rule:
        return Rule(
            "missing_value",
            pl.col(f"{column}_text").is_null(),
            headers[column],
            cell(f"{column}_text", headers[column]),
        )

    return [
        Rule(
            "missing_value",
            pl.col("account_no").is_null(),
            headers["account_no"],
            cell("account_no_text", headers["account_no"]),
        ),
        missing("billing_period"),
        missing("kwh"),
        unparsed("billing_period"),
        unparsed("kwh"),
        unparsed("kwh_prior_year"),
        Rule(
            "invalid_account",
            ~pl.col("account_no").str.contains(r"^\d{10}$"),
            headers["account_no"],
            cell("account_no_text", headers["account_no"]),
        ),
        Rule("negative_value", pl.col("kwh") < 0, headers["kwh"], cell("kwh_text", headers["kwh"])),
        Rule(
            "negative_value",
            pl.col("kwh_prior_year") < 0,
            headers["kwh_prior_year"],
            cell("kwh_prior_year_text", headers["kwh_prior_year"]),
        ),
        Rule(
            "period_mismatch",
            pl.col("billing_period") != period,
            headers["billing_period"],
            pl.format(
                "{}='{}', folder is {}",
                pl.lit(headers["billing_period"]),
                pl.col("billing_period_text"),
                pl.lit(period),
            ),
        ),
    ]


def whole(extract: Extract, _period: str) -> None:
    """The file's 合计 row must equal its rows (kWh and prior-year kWh)."""
    check_control_total(extract, TOTALLED)


def valid_codes_only(rows: pl.DataFrame) -> pl.DataFrame:
    """A code that fails its check characters does not hold the row: the account is
    resolved another way, and the code as delivered is kept."""
    valid = credit_code_is_valid(pl.col("credit_code"))
    return rows.with_columns(credit_code=pl.when(valid).then(pl.col("credit_code")))


CONTRACT = Contract(
    rules=rules,
    key=KEY,
    values=VALUES,
    valid_columns=VALID_COLUMNS,
    model=ElectricityRow,
    file_checks=(whole,),
    prepare=valid_codes_only,
)
validate = CONTRACT.validate
