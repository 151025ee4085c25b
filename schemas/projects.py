"""Contract of the bureau's industrial project library: which rows load and why others are held.

A project whose investor's credit code is missing or fails its check characters is not
held: its investment is real and its place (the town or park) is known, so it loads with
a NULL ``credit_code`` and the code as delivered in ``credit_code_delivered``, counted in
the county's and its town's investment; only the link to the enterprise is missing.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas.control_total import check_control_total
from schemas.credit_code import credit_code_is_valid
from schemas.registry import resolve_regions
from schemas.rules import Contract, Rule, cell
from sources.extract import Extract
from sources.parsing import is_unparsed
from sources.projects import DATES, MONEY

#: 建设性质: new build, extension, technical renovation (技改 is the usual short form).
NATURES = ("新建", "扩建", "技术改造")
NATURE_ALIASES = {"技改": "技术改造", "技术改造项目": "技术改造", "新建项目": "新建"}
#: 项目状态: planned, under construction, completed, in production.
STATUSES = ("谋划", "在建", "竣工", "投产")
RENOVATION = "技术改造"
#: 万元 -> yuan.
WAN = 10_000

KEY = ("project_code",)
VALUES = (
    "project_name",
    "credit_code_delivered",
    "nature",
    "region_code",
    *MONEY,
    *DATES,
    "status",
)
VALID_COLUMNS = (
    "period",
    "project_code",
    "project_name",
    "credit_code",
    "credit_code_delivered",
    "nature",
    "region_code",
    *(f"{c}_yuan" for c in MONEY),
    *DATES,
    "status",
    "file_name",
    "row_number",
)


class ProjectRow(pa.DataFrameModel):
    """A project row that loads: one project in one month, money in yuan."""

    period: str = pa.Field(str_matches=r"^\d{4}-(0[1-9]|1[0-2])$")
    project_code: str = pa.Field(str_length={"min_value": 1, "max_value": 64}, unique=True)
    credit_code: str = pa.Field(str_length=18, nullable=True)
    nature: str = pa.Field(isin=list(NATURES))
    region_code: str = pa.Field(str_matches=r"^\d{12}$")
    completed_ytd_yuan: float = pa.Field(ge=0)
    status: str = pa.Field(isin=list(STATUSES))
    row_number: int = pa.Field(ge=1)


def rules(headers: dict[str, str], _period: str) -> list[Rule]:
    """The project library's row rules, in the order they apply."""

    def rule(reason: str, column: str, failed: pl.Expr, text: str | None = None) -> Rule:
        return Rule(reason, failed, headers[column], cell(text or column, headers[column]))

    return [
        *(
            rule("missing_value", c, pl.col(c).is_null())
            for c in ("project_code", "project_name", "nature", "town", "status")
        ),
        rule(
            "missing_value",
            "completed_ytd",
            pl.col("completed_ytd_text").is_null(),
            "completed_ytd_text",
        ),
        *(
            rule("not_a_number", c, is_unparsed(pl.col(f"{c}_text"), pl.col(c)), f"{c}_text")
            for c in MONEY
        ),
        *(
            rule("invalid_date", c, is_unparsed(pl.col(f"{c}_text"), pl.col(c)), f"{c}_text")
            for c in DATES
        ),
        rule("unknown_category", "nature", ~pl.col("nature").is_in(list(NATURES))),
        rule("unknown_category", "status", ~pl.col("status").is_in(list(STATUSES))),
        rule("unknown_region", "town", pl.col("region_code").is_null()),
        *(rule("negative_value", c, pl.col(c) < 0, f"{c}_text") for c in MONEY),
    ]


def place_and_classify(rows: pl.DataFrame) -> pl.DataFrame:
    """Fold 建设性质 aliases, resolve the town or park, keep only a valid investor code."""
    valid = credit_code_is_valid(pl.col("credit_code"))
    return rows.with_columns(
        nature=pl.col("nature").replace(NATURE_ALIASES),
        credit_code=pl.when(valid).then(pl.col("credit_code")),
    ).pipe(resolve_regions)


def to_yuan(rows: pl.DataFrame) -> pl.DataFrame:
    """Money from ten thousand yuan (万元), as delivered, to yuan, as stored."""
    return rows.with_columns((pl.col(c) * WAN).round(2).alias(f"{c}_yuan") for c in MONEY)


def whole(extract: Extract, _period: str) -> None:
    """A 合计 row, if any, must equal the rows' investment."""
    check_control_total(extract, ("completed_ytd", "total_investment", "planned_year"))


CONTRACT = Contract(
    rules=rules,
    key=KEY,
    values=VALUES,
    valid_columns=VALID_COLUMNS,
    model=ProjectRow,
    file_checks=(whole,),
    prepare=place_and_classify,
    finish=to_yuan,
)
validate = CONTRACT.validate
