"""Suites on one fact or mart table each: keys unique and not null, values in range."""

from __future__ import annotations

from schemas.suites.model import (
    Check,
    Suite,
    at_least,
    checked_columns,
    has_rows,
    not_null,
    rows_of,
    rows_present,
    unique,
)

RESOLUTIONS = ("manual", "own_code", "history", "name_match", "unresolved")


def _suite(name: str, table: str, description: str, *checks: Check) -> Suite:
    return Suite(
        name=name,
        version="1.0",
        table_name=table,
        description=description,
        query=rows_of(table, checked_columns(checks)),
        applies=has_rows(table),
        checks=checks,
    )


ELECTRICITY = _suite(
    "fact_electricity",
    "fact_electricity",
    "Electricity facts of the period: one row per metering account, kWh not negative.",
    rows_present("fact_electricity"),
    not_null("account_no", "The metering account (户号)"),
    unique("account_no", "A metering account"),
    not_null("kwh", "The month's kWh"),
    at_least("kwh", 0, "The month's kWh"),
    at_least("kwh_prior_year", 0, "The prior-year kWh (上年同月用电量)"),
    Check(
        "resolution known",
        "ExpectColumnValuesToBeInSet",
        "Every account is resolved one of the documented ways (or unresolved).",
        {"column": "resolution", "value_set": list(RESOLUTIONS)},
    ),
    Check(
        "credit_code has 18 characters",
        "ExpectColumnValueLengthsToEqual",
        "A resolved enterprise's credit code has 18 characters (unresolved: null).",
        {"column": "credit_code", "value": 18},
    ),
)

TAX = _suite(
    "fact_tax",
    "fact_tax",
    "Tax facts of the period: one row per enterprise taxpayer, refunds and sales not negative.",
    rows_present("fact_tax"),
    not_null("credit_code", "The taxpayer's credit code"),
    unique("credit_code", "A taxpayer"),
    not_null("total_tax_yuan", "税收合计"),
    at_least("vat_refund_yuan", 0, "留抵退税额"),
    at_least("taxable_sales_yuan", 0, "应税销售收入"),
)

STATISTICS = _suite(
    "fact_statistics",
    "fact_statistics",
    "Statistics facts of the period: one row per above-scale enterprise, figures in range.",
    rows_present("fact_statistics"),
    not_null("credit_code", "The enterprise's credit code"),
    unique("credit_code", "An above-scale enterprise"),
    at_least("output_ytd_yuan", 0, "工业总产值 本年累计"),
    at_least("revenue_ytd_yuan", 0, "营业收入 本年累计"),
    at_least("employees", 0, "从业人员平均人数"),
    at_least("energy_ytd_tce", 0, "综合能源消费量 本年累计"),
    Check(
        "region_code has 12 digits",
        "ExpectColumnValuesToMatchRegex",
        "区划代码 as reported is 12 digits (where given).",
        {"column": "region_code", "regex": r"^[0-9]{12}$"},
    ),
)

ENTERPRISE_MONTH = _suite(
    "mart_enterprise_month",
    "mart_enterprise_month",
    "The enterprise mart of the period: one row per enterprise.",
    rows_present("mart_enterprise_month"),
    not_null("credit_code", "The enterprise's credit code"),
    unique("credit_code", "An enterprise"),
    not_null("is_registered", "Whether the enterprise is registered"),
    at_least("electricity_accounts", 0, "The number of metering accounts"),
    at_least("electricity_kwh", 0, "The enterprise's kWh"),
)

INDICATOR_MONTH = _suite(
    "mart_indicator_month",
    "mart_indicator_month",
    "The indicator mart of the period: one row per region per indicator.",
    rows_present("mart_indicator_month"),
    not_null("region_code", "The region"),
    not_null("indicator", "The indicator code"),
    not_null("unit", "The unit"),
    Check(
        "(region_code, indicator) unique",
        "ExpectCompoundColumnsToBeUnique",
        "A region has one row per indicator per period.",
        {"column_list": ["region_code", "indicator"]},
    ),
)

PUBLISHED = _suite(
    "mart_published_indicator",
    "mart_published_indicator",
    "The published headline indicators of the period: one row per indicator per region.",
    rows_present("mart_published_indicator"),
    not_null("region_code", "The region"),
    not_null("name", "The published indicator's name"),
    Check(
        "(region_code, name) unique",
        "ExpectCompoundColumnsToBeUnique",
        "A region has one row per published indicator per period.",
        {"column_list": ["region_code", "name"]},
    ),
)

TABLE_SUITES = (ELECTRICITY, TAX, STATISTICS, ENTERPRISE_MONTH, INDICATOR_MONTH, PUBLISHED)
