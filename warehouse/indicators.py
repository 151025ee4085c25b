"""The indicator catalogue: every indicator code a mart carries, with its label and definition."""

from __future__ import annotations

from typing import NamedTuple


class Indicator(NamedTuple):
    """One catalogue entry of ``dim_indicator``."""

    indicator: str
    name_zh: str
    unit: str
    definition: str
    source: str


_AS_LOADED = (
    "Growth against the same region's figure for the same month (year to date: the same "
    "months) a year earlier as loaded; null when that year is not loaded."
)
_CUMULATIVE = (
    "From the statistics bureau's above-scale file: value_ytd = Σ 本年累计 over the period's "
    "file; ytd_yoy_pct same-scope against Σ 上年同期 over the enterprises that report it; "
    "value = this period's year to date minus the previous month's (null for YYYY-02)."
)

CATALOGUE: tuple[Indicator, ...] = (
    Indicator(
        "electricity_kwh",
        "工业用电量",
        "kWh",
        "Sum of kWh over the utility's metering accounts: the county over every loaded row "
        "(resolved or not), a town or park over the enterprises located there that month. "
        "Growth is same-scope against the prior-year kWh delivered on the same rows.",
        "electricity",
    ),
    Indicator(
        "vat_yuan",
        "增值税",
        "yuan",
        "Σ VAT paid over loaded tax rows (refunds negative). " + _AS_LOADED,
        "tax",
    ),
    Indicator(
        "total_tax_yuan",
        "税收合计",
        "yuan",
        "Σ total taxes over loaded tax rows. " + _AS_LOADED,
        "tax",
    ),
    Indicator(
        "taxable_sales_yuan",
        "应税销售收入",
        "yuan",
        "Σ taxable sales declared on VAT returns over loaded tax rows. " + _AS_LOADED,
        "tax",
    ),
    Indicator(
        "vat_refund_yuan",
        "留抵退税额",
        "yuan",
        "Σ VAT credit refunded over loaded tax rows. " + _AS_LOADED,
        "tax",
    ),
    Indicator(
        "gross_output_yuan",
        "规上工业总产值",
        "yuan",
        "Gross industrial output, current prices. " + _CUMULATIVE,
        "statistics",
    ),
    Indicator(
        "revenue_yuan",
        "规上工业营业收入",
        "yuan",
        "Operating revenue. " + _CUMULATIVE,
        "statistics",
    ),
    Indicator(
        "profit_yuan", "规上工业利润总额", "yuan", "Total profit. " + _CUMULATIVE, "statistics"
    ),
    Indicator(
        "energy_tce",
        "规上工业综合能源消费量",
        "tce",
        "Energy use in tonnes of standard coal. " + _CUMULATIVE,
        "statistics",
    ),
    Indicator(
        "above_scale_count",
        "规模以上工业企业数",
        "enterprises",
        "value: enterprises in the period's statistics file.",
        "statistics",
    ),
    Indicator(
        "new_above_scale_count",
        "新增规上工业企业",
        "enterprises",
        "value_ytd: enterprises in this year's statistics files so far that are in none "
        "of last year's; null when no file of last year is loaded.",
        "statistics",
    ),
    Indicator(
        "per_mu_tax_yuan",
        "规上工业企业亩均税收",
        "yuan/mu",
        "value_ytd: Σ total tax January to the period ÷ Σ land (mu) over the enterprises "
        "in the period's statistics file whose register entry has land > 0 (their tax "
        "counts from January); null unless every tax month of the year so far is loaded. "
        "ytd_yoy_pct against the same computation a year earlier on that period's own "
        "roster and land.",
        "tax+statistics",
    ),
)
