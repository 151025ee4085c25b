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

_INVESTMENT = (
    "From the project library: value_ytd = Σ 1-本月累计完成投资 over the period's projects "
    "{scope}(万元 × 10 000), a town or park over the projects located there; value = this "
    "period's year to date minus the previous month's (January: the year to date itself; "
    "null when the previous month is not loaded). Growth against the same region's figure "
    "for the same period a year earlier as loaded; null when that period is not loaded."
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
    Indicator(
        "industrial_investment_yuan",
        "工业投资",
        "yuan",
        _INVESTMENT.format(scope=""),
        "projects",
    ),
    Indicator(
        "renovation_investment_yuan",
        "技术改造投资",
        "yuan",
        _INVESTMENT.format(scope="with 建设性质 = 技术改造 "),
        "projects",
    ),
)


# --- annual targets: 指标 as delivered -> catalogue indicator -------------------------

#: Prefix of a target indicator read from ``mart_published_indicator`` (by its name).
PUBLISHED = "published:"

GROWTH, COUNT, VALUE = "growth_pct", "count", "value"
#: Units a target may be delivered in, by measure, with the factor to the indicator's unit.
PERCENT = {"%": 1.0, "％": 1.0}
ENTERPRISES = {"个": 1.0, "家": 1.0, "户": 1.0}
YUAN = {"万元": 10_000.0, "元": 1.0, "亿元": 100_000_000.0}
YUAN_PER_MU = {"万元/亩": 10_000.0, "元/亩": 1.0}


class TargetIndicator(NamedTuple):
    """How an annual target (指标 as the county writes it) is measured against an indicator.

    ``measure`` is ``growth_pct`` (compared with ``ytd_yoy_pct``), ``count`` or ``value``
    (compared with ``value_ytd``); ``units`` are the delivered units accepted, with the
    factor that brings a target to ``unit``, the unit of the indicator's figure.
    """

    target_name: str
    indicator: str
    measure: str
    unit: str
    units: dict[str, float]
    aliases: tuple[str, ...] = ()


TARGETS: tuple[TargetIndicator, ...] = (
    TargetIndicator(
        "规模以上工业增加值增长",
        PUBLISHED + "规模以上工业增加值",
        GROWTH,
        "%",
        PERCENT,
        ("规上工业增加值增长", "规模以上工业增加值增速", "规上工业增加值增速"),
    ),
    TargetIndicator(
        "工业投资增长", "industrial_investment_yuan", GROWTH, "%", PERCENT, ("工业投资增速",)
    ),
    TargetIndicator(
        "技术改造投资增长",
        "renovation_investment_yuan",
        GROWTH,
        "%",
        PERCENT,
        ("技改投资增长", "技术改造投资增速", "技改投资增速"),
    ),
    TargetIndicator(
        "新增规上工业企业",
        "new_above_scale_count",
        COUNT,
        "enterprises",
        ENTERPRISES,
        ("新增规模以上工业企业", "新入规工业企业"),
    ),
    TargetIndicator(
        "规上工业企业亩均税收增长",
        "per_mu_tax_yuan",
        GROWTH,
        "%",
        PERCENT,
        ("规模以上工业企业亩均税收增长", "亩均税收增长"),
    ),
    TargetIndicator("工业用电量增长", "electricity_kwh", GROWTH, "%", PERCENT, ("工业用电量增速",)),
    TargetIndicator(
        "工业税收增长", "total_tax_yuan", GROWTH, "%", PERCENT, ("税收增长", "工业税收增速")
    ),
    TargetIndicator(
        "规上工业总产值增长",
        "gross_output_yuan",
        GROWTH,
        "%",
        PERCENT,
        ("规模以上工业总产值增长",),
    ),
    TargetIndicator(
        "规上工业营业收入增长",
        "revenue_yuan",
        GROWTH,
        "%",
        PERCENT,
        ("规模以上工业营业收入增长",),
    ),
    TargetIndicator(
        "规上工业利润总额增长", "profit_yuan", GROWTH, "%", PERCENT, ("规模以上工业利润增长",)
    ),
    TargetIndicator("工业投资", "industrial_investment_yuan", VALUE, "yuan", YUAN, ("工业投资额",)),
    TargetIndicator(
        "技术改造投资", "renovation_investment_yuan", VALUE, "yuan", YUAN, ("技改投资",)
    ),
    TargetIndicator(
        "规上工业企业亩均税收",
        "per_mu_tax_yuan",
        VALUE,
        "yuan/mu",
        YUAN_PER_MU,
        ("规模以上工业企业亩均税收",),
    ),
)
