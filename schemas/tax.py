"""Contract of the tax bureau's extract: which rows load and why the others are held."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas.control_total import check_control_total
from schemas.credit_code import ENTERPRISE_PREFIX, credit_code_is_valid
from schemas.delivery import check_unit
from schemas.rules import Contract, Rule, cell
from sources.extract import Extract
from sources.parsing import is_unparsed
from sources.tax import MONEY

KEY = ("credit_code",)
VALUES = ("taxpayer_name", *MONEY)
VALID_COLUMNS = (
    "period",
    "credit_code",
    "taxpayer_name",
    "name_key",
    *MONEY,
    "file_name",
    "row_number",
)
FEN = 0.01


class TaxRow(pa.DataFrameModel):
    """A tax row that loads: one enterprise's taxes paid in one month, in yuan."""

    period: str = pa.Field(str_matches=r"^\d{4}-(0[1-9]|1[0-2])$")
    credit_code: str = pa.Field(str_matches=r"^91[0-9A-Z]{16}$", unique=True)
    total_tax_yuan: float
    vat_refund_yuan: float = pa.Field(ge=0, nullable=True)
    row_number: int = pa.Field(ge=1)


def rules(headers: dict[str, str], period: str) -> list[Rule]:
    """The tax row rules, in the order they apply."""

    def text_rule(reason: str, column: str, failed: pl.Expr) -> Rule:
        return Rule(reason, failed, headers[column], cell(f"{column}_text", headers[column]))

    parts = pl.col("vat_yuan") + pl.col("cit_yuan") + pl.col("other_tax_yuan")
    return [
        text_rule("missing_value", "credit_code", pl.col("credit_code").is_null()),
        *(
            text_rule("missing_value", c, pl.col(f"{c}_text").is_null())
            for c in ("tax_period", "total_tax_yuan")
        ),
        text_rule(
            "invalid_period",
            "tax_period",
            is_unparsed(pl.col("tax_period_text"), pl.col("tax_period")),
        ),
        *(text_rule("not_a_number", c, is_unparsed(pl.col(f"{c}_text"), pl.col(c))) for c in MONEY),
        text_rule(
            "invalid_credit_code", "credit_code", ~credit_code_is_valid(pl.col("credit_code"))
        ),
        text_rule(
            "not_an_enterprise",
            "credit_code",
            ~pl.col("credit_code").str.starts_with(ENTERPRISE_PREFIX),
        ),
        Rule(
            "total_mismatch",
            (pl.col("total_tax_yuan") - parts.fill_null(0)).abs() > FEN + 1e-9,
            headers["total_tax_yuan"],
            pl.format(
                "{}={} but 增值税+企业所得税+其他税收={}",
                pl.lit(headers["total_tax_yuan"]),
                pl.col("total_tax_yuan_text"),
                parts.fill_null(0).round(2),
            ),
        ),
        *(
            text_rule("negative_value", c, pl.col(c) < 0)
            for c in ("vat_refund_yuan", "taxable_sales_yuan")
        ),
        Rule(
            "period_mismatch",
            pl.col("tax_period") != period,
            headers["tax_period"],
            pl.format(
                "{}='{}', folder is {}",
                pl.lit(headers["tax_period"]),
                pl.col("tax_period_text"),
                pl.lit(period),
            ),
        ),
    ]


def in_yuan_and_whole(extract: Extract, _period: str) -> None:
    """The unit row must say 元, and a 合计 row, if any, must equal the rows."""
    check_unit(extract, "元")
    check_control_total(extract, MONEY)


#: Loaded: enterprises (credit codes starting 91); other taxpayers (individual
#: businesses 92, cooperatives 93, institutions …) are held as ``not_an_enterprise``.
#: Negative VAT is valid (refunds exceed payments).
CONTRACT = Contract(
    rules=rules,
    key=KEY,
    values=VALUES,
    valid_columns=VALID_COLUMNS,
    model=TaxRow,
    file_checks=(in_yuan_and_whole,),
)
validate = CONTRACT.validate
