"""The warehouse's tables (SQLAlchemy Core), layered staging -> dimensions/facts -> marts.

Every table states its grain. Periods are text ``YYYY-MM``; region codes are 12-digit
text; credit codes are the normalised 18-character unified social credit code.
Alembic migrations in ``warehouse/migrations`` create exactly these tables.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Period = sa.String(7)
RegionCode = sa.String(12)
CreditCode = sa.String(18)
IndustryCode = sa.String(4)
JsonText = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def register_attributes(*, in_dimension: bool) -> list[sa.Column[object]]:
    """The register's attributes of an enterprise, as staged and as versioned.

    In the dimension the industry and region reference their dimensions (and may be
    unknown); in staging, where the contract has checked them, they are required.
    """

    def code(name: str, type_: sa.String, target: str) -> sa.Column[object]:
        if in_dimension:
            return sa.Column(name, type_, sa.ForeignKey(target))
        return sa.Column(name, type_, nullable=False)

    return [
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        code("industry_code", IndustryCode, "dim_industry.industry_code"),
        code("region_code", RegionCode, "dim_region.region_code"),
        sa.Column("land_mu", sa.Float, nullable=True),
        sa.Column("established_on", sa.Date, nullable=True),
        sa.Column("above_scale", sa.Boolean, nullable=False),
        sa.Column("key_enterprise", sa.Boolean, nullable=False),
        sa.Column("cultivation_pool", sa.Boolean, nullable=False),
        sa.Column("specialised", sa.String(32), nullable=True),
        sa.Column("green_factory", sa.String(16), nullable=True),
        sa.Column("operating_status", sa.String(16), nullable=True),
    ]


def indicator_figures() -> list[sa.Column[object]]:
    """An indicator's month, year to date and their growth: computed or as published."""
    names = ("value", "value_ytd", "yoy_pct", "ytd_yoy_pct")
    return [sa.Column(name, sa.Float, nullable=True) for name in names]


def tax_amounts() -> list[sa.Column[object]]:
    """A taxpayer's month, in yuan: staged, as a fact, and in the enterprise mart."""
    names = (
        "vat_yuan",
        "cit_yuan",
        "other_tax_yuan",
        "total_tax_yuan",
        "vat_refund_yuan",
        "taxable_sales_yuan",
    )
    return [sa.Column(name, sa.Float, nullable=True) for name in names]


def statistics_figures() -> list[sa.Column[object]]:
    """An above-scale enterprise's year to date and same-scope prior year (yuan, tce)."""
    names = (
        "output_ytd_yuan",
        "output_prior_ytd_yuan",
        "revenue_ytd_yuan",
        "revenue_prior_ytd_yuan",
        "profit_ytd_yuan",
        "profit_prior_ytd_yuan",
        "employees",
        "energy_ytd_tce",
        "energy_prior_ytd_tce",
    )
    return [sa.Column(name, sa.Float, nullable=True) for name in names]


def suppression() -> list[sa.Column[object]]:
    """The wide-audience rule's columns: enterprises behind a figure, and whether it is hidden."""
    return [
        sa.Column("enterprise_count", sa.Integer, nullable=True),
        sa.Column("suppressed", sa.Boolean, nullable=False, server_default=sa.false()),
    ]


# --- dimensions from reference data -------------------------------------------------

dim_region = sa.Table(
    "dim_region",
    metadata,
    sa.Column("region_code", RegionCode, primary_key=True),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),  # county / town / park
    sa.Column("parent_code", RegionCode, nullable=True),
    comment="One row per region: the county and each of its towns and parks.",
)

dim_region_name = sa.Table(
    "dim_region_name",
    metadata,
    sa.Column("name_key", sa.String(64), primary_key=True),
    sa.Column("region_code", RegionCode, sa.ForeignKey("dim_region.region_code"), nullable=False),
    sa.Column("is_current", sa.Boolean, nullable=False),
    comment="One row per name a region is known by (current and former), folded for matching.",
)

dim_industry = sa.Table(
    "dim_industry",
    metadata,
    sa.Column("industry_code", IndustryCode, primary_key=True),
    sa.Column("class_name", sa.String(128), nullable=False),
    sa.Column("group_code", sa.String(3), nullable=False),
    sa.Column("group_name", sa.String(128), nullable=False),
    sa.Column("division_code", sa.String(2), nullable=False),
    sa.Column("division_name", sa.String(128), nullable=False),
    sa.Column("section_code", sa.String(1), nullable=False),
    sa.Column("section_name", sa.String(128), nullable=False),
    sa.Column("is_industry", sa.Boolean, nullable=False),
    comment="One row per GB/T 4754-2017 class; is_industry marks divisions 06-46.",
)

dim_indicator = sa.Table(
    "dim_indicator",
    metadata,
    sa.Column("indicator", sa.String(48), primary_key=True),
    sa.Column("name_zh", sa.String(64), nullable=False),
    sa.Column("unit", sa.String(16), nullable=False),
    sa.Column("definition", sa.Text, nullable=False),
    sa.Column("source", sa.String(32), nullable=False),
    comment="One row per indicator code: the catalogue dashboards label marts with.",
)

# --- staging: valid rows as delivered, replaced per period ---------------------------

stg_registry = sa.Table(
    "stg_registry",
    metadata,
    sa.Column("period", Period, primary_key=True),
    sa.Column("credit_code", CreditCode, primary_key=True),
    *register_attributes(in_dimension=False),
    sa.Column("attributes_key", sa.String(64), nullable=False),
    sa.Column("file_name", sa.String(255), nullable=False),
    sa.Column("row_number", sa.Integer, nullable=False),
    comment="One row per enterprise per register snapshot (period).",
)

stg_electricity = sa.Table(
    "stg_electricity",
    metadata,
    sa.Column("period", Period, primary_key=True),
    sa.Column("account_no", sa.String(20), primary_key=True),
    sa.Column("account_name", sa.String(200), nullable=True),
    sa.Column("name_key", sa.String(200), nullable=True),
    sa.Column("credit_code", CreditCode, nullable=True),  # the row's own code, when valid
    sa.Column("credit_code_delivered", sa.String(64), nullable=True),
    sa.Column("usage_category", sa.String(32), nullable=True),
    sa.Column("kwh", sa.BigInteger, nullable=False),
    sa.Column("kwh_prior_year", sa.BigInteger, nullable=True),
    sa.Column("file_name", sa.String(255), nullable=False),
    sa.Column("row_number", sa.Integer, nullable=False),
    sa.Index("ix_stg_electricity_account_period", "account_no", "period"),
    # The rows a name may resolve: a register load looks up those whose name it changed.
    sa.Index(
        "ix_stg_electricity_uncoded_name",
        "name_key",
        sqlite_where=sa.text("credit_code IS NULL"),
        postgresql_where=sa.text("credit_code IS NULL"),
    ),
    comment="One row per metering account per month, as delivered by the utility.",
)

stg_tax = sa.Table(
    "stg_tax",
    metadata,
    sa.Column("period", Period, primary_key=True),
    sa.Column("credit_code", CreditCode, primary_key=True),
    sa.Column("taxpayer_name", sa.String(200), nullable=True),
    sa.Column("name_key", sa.String(200), nullable=True),
    *tax_amounts(),
    sa.Column("file_name", sa.String(255), nullable=False),
    sa.Column("row_number", sa.Integer, nullable=False),
    comment="One row per enterprise taxpayer per month, in yuan, as delivered by the tax bureau.",
)

stg_statistics = sa.Table(
    "stg_statistics",
    metadata,
    sa.Column("period", Period, primary_key=True),
    sa.Column("credit_code", CreditCode, primary_key=True),
    sa.Column("name", sa.String(200), nullable=True),
    sa.Column("name_key", sa.String(200), nullable=True),
    sa.Column("industry_code", IndustryCode, nullable=True),
    sa.Column("region_code", RegionCode, nullable=True),
    *statistics_figures(),
    sa.Column("file_name", sa.String(255), nullable=False),
    sa.Column("row_number", sa.Integer, nullable=False),
    comment=(
        "One row per above-scale enterprise per period: year-to-date figures and the "
        "same-scope prior-year figures as reported, money in yuan."
    ),
)

stg_published_indicator = sa.Table(
    "stg_published_indicator",
    metadata,
    sa.Column("region_code", RegionCode, primary_key=True),
    sa.Column("period", Period, primary_key=True),
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("unit", sa.String(16), nullable=True),
    *indicator_figures(),
    sa.Column("file_name", sa.String(255), nullable=False),
    sa.Column("row_number", sa.Integer, nullable=False),
    comment="One row per published headline indicator per month, as released.",
)


def project_attributes() -> list[sa.Column[object]]:
    """A project's month as the library records it: investor, place, kind, money in yuan."""
    return [
        sa.Column("project_name", sa.String(200), nullable=False),
        sa.Column("credit_code_delivered", sa.String(64), nullable=True),  # as typed
        sa.Column("nature", sa.String(8), nullable=False),  # 新建 / 扩建 / 技术改造
        sa.Column("region_code", RegionCode, nullable=False),
        sa.Column("status", sa.String(8), nullable=False),  # 谋划 / 在建 / 竣工 / 投产
        sa.Column("total_investment_yuan", sa.Float, nullable=True),
        sa.Column("planned_year_yuan", sa.Float, nullable=True),
        sa.Column("completed_ytd_yuan", sa.Float, nullable=False),
        sa.Column("started_on", sa.Date, nullable=True),
        sa.Column("planned_operation_on", sa.Date, nullable=True),
    ]


def target_attributes() -> list[sa.Column[object]]:
    """One annual target as delivered and as measured: floor and stretch in ``unit``."""
    return [
        sa.Column("target_name", sa.String(64), nullable=False),  # 指标 as delivered
        sa.Column("measure", sa.String(16), nullable=False),  # growth_pct / count / value
        sa.Column("unit", sa.String(16), nullable=False),  # the indicator figure's unit
        sa.Column("floor_value", sa.Float, nullable=False),
        sa.Column("stretch_value", sa.Float, nullable=True),
    ]


stg_project = sa.Table(
    "stg_project",
    metadata,
    sa.Column("period", Period, primary_key=True),
    sa.Column("project_code", sa.String(64), primary_key=True),
    sa.Column("credit_code", CreditCode, nullable=True),  # NULL when missing or invalid
    *project_attributes(),
    sa.Column("file_name", sa.String(255), nullable=False),
    sa.Column("row_number", sa.Integer, nullable=False),
    comment="One row per project per month, as the bureau's project library records it (yuan).",
)

stg_target = sa.Table(
    "stg_target",
    metadata,
    sa.Column("period", Period, primary_key=True),  # the year, YYYY (the landing folder)
    sa.Column("region_code", RegionCode, primary_key=True),
    sa.Column("indicator", sa.String(48), primary_key=True),
    sa.Column("year", sa.Integer, nullable=False),
    *target_attributes(),
    sa.Column("unit_delivered", sa.String(16), nullable=False),
    sa.Column("file_name", sa.String(255), nullable=False),
    sa.Column("row_number", sa.Integer, nullable=False),
    comment="One row per target indicator per region per year, as the county set it.",
)

# --- dimensions and facts derived from staging --------------------------------------

dim_enterprise = sa.Table(
    "dim_enterprise",
    metadata,
    sa.Column("credit_code", CreditCode, primary_key=True),
    sa.Column("valid_from", Period, primary_key=True),
    sa.Column("valid_to", Period, nullable=True),  # exclusive; NULL while current
    sa.Column("is_current", sa.Boolean, nullable=False),
    *register_attributes(in_dimension=True),
    sa.Index("ix_dim_enterprise_name_key", "name_key"),
    comment=(
        "One row per enterprise per version: valid_from <= period < valid_to. A change of "
        "any register attribute between two snapshots opens a new version."
    ),
)

account_map = sa.Table(
    "account_map",
    metadata,
    sa.Column("account_no", sa.String(20), primary_key=True),
    sa.Column("credit_code", CreditCode, nullable=False),
    sa.Column("mapped_at", sa.DateTime(timezone=True), nullable=False),
    comment="One row per metering account mapped by hand to an enterprise, for all months.",
)

fact_electricity = sa.Table(
    "fact_electricity",
    metadata,
    sa.Column("period", Period, primary_key=True),
    sa.Column("account_no", sa.String(20), primary_key=True),
    sa.Column("account_name", sa.String(200), nullable=True),
    sa.Column("credit_code", CreditCode, nullable=True),  # resolved enterprise, or NULL
    sa.Column("resolution", sa.String(16), nullable=False),
    sa.Column("is_registered", sa.Boolean, nullable=False),
    sa.Column("usage_category", sa.String(32), nullable=True),
    sa.Column("kwh", sa.BigInteger, nullable=False),
    sa.Column("kwh_prior_year", sa.BigInteger, nullable=True),
    sa.Column("file_name", sa.String(255), nullable=False),
    sa.Column("row_number", sa.Integer, nullable=False),
    # Covering: an enterprise's kWh per month is summed from the index alone.
    sa.Index(
        "ix_fact_electricity_credit_code_kwh", "credit_code", "period", "kwh", "kwh_prior_year"
    ),
    comment=(
        "One row per metering account per month, with the resolved enterprise "
        "(manual map, own code, account history, exact name, or unresolved)."
    ),
)

fact_tax = sa.Table(
    "fact_tax",
    metadata,
    sa.Column("period", Period, primary_key=True),
    sa.Column("credit_code", CreditCode, primary_key=True),
    sa.Column("is_registered", sa.Boolean, nullable=False),
    sa.Column("taxpayer_name", sa.String(200), nullable=True),
    *tax_amounts(),
    sa.Index("ix_fact_tax_credit_code_period", "credit_code", "period"),
    comment="One row per enterprise per month: taxes paid into the treasury, in yuan.",
)

fact_statistics = sa.Table(
    "fact_statistics",
    metadata,
    sa.Column("period", Period, primary_key=True),
    sa.Column("credit_code", CreditCode, primary_key=True),
    sa.Column("is_registered", sa.Boolean, nullable=False),
    sa.Column("name", sa.String(200), nullable=True),
    sa.Column("industry_code", IndustryCode, nullable=True),
    sa.Column("region_code", RegionCode, nullable=True),  # 区划代码 as reported
    *statistics_figures(),
    sa.Index("ix_fact_statistics_credit_code_period", "credit_code", "period"),
    comment=(
        "One row per above-scale enterprise per period: year-to-date figures in yuan "
        "and the same-scope prior-year figures as reported."
    ),
)

fact_project = sa.Table(
    "fact_project",
    metadata,
    sa.Column("period", Period, primary_key=True),
    sa.Column("project_code", sa.String(64), primary_key=True),
    sa.Column("credit_code", CreditCode, nullable=True),  # the investor; NULL when unknown
    sa.Column("is_registered", sa.Boolean, nullable=False),
    *project_attributes(),
    sa.Index("ix_fact_project_region_period", "region_code", "period"),
    comment=(
        "One row per project per month: the town or park it is built in, the investor "
        "(NULL when the delivered code is missing or invalid) and the investment completed "
        "from January to the month, in yuan."
    ),
)

fact_target = sa.Table(
    "fact_target",
    metadata,
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("region_code", RegionCode, sa.ForeignKey("dim_region.region_code"), primary_key=True),
    sa.Column("indicator", sa.String(48), primary_key=True),
    *target_attributes(),
    comment="One row per region per year per target indicator: floor and stretch targets.",
)

# --- bookkeeping --------------------------------------------------------------------

held_row = sa.Table(
    "held_row",
    metadata,
    sa.Column("source", sa.String(16), primary_key=True),
    sa.Column("period", Period, primary_key=True),
    sa.Column("file_name", sa.String(255), primary_key=True),
    sa.Column("row_number", sa.Integer, primary_key=True),
    sa.Column("reason", sa.String(32), nullable=False),
    sa.Column("column_name", sa.String(64), nullable=True),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("raw", JsonText, nullable=False),
    comment="One row per delivered row that could not be used, with its reason and raw values.",
)

ingest_ledger = sa.Table(
    "ingest_ledger",
    metadata,
    sa.Column("load_id", sa.String(36), primary_key=True),
    sa.Column("file_name", sa.String(255), primary_key=True),
    sa.Column("source", sa.String(16), nullable=False),
    sa.Column("period", Period, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("encoding", sa.String(16), nullable=True),
    sa.Column("rows_read", sa.Integer, nullable=False),
    sa.Column("rows_loaded", sa.Integer, nullable=False),
    sa.Column("rows_held", sa.Integer, nullable=False),
    sa.Column("control_total", sa.Float, nullable=True),
    sa.Column("status", sa.String(16), nullable=False),  # loaded / unchanged / refused
    sa.Column("message", sa.Text, nullable=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("read_seconds", sa.Float, nullable=True),
    sa.Column("load_seconds", sa.Float, nullable=True),
    sa.Index("ix_ingest_ledger_source_period", "source", "period"),
    comment="One row per file per load attempt: what was read, loaded, held, and how it ended.",
)

# --- marts: what dashboards read ----------------------------------------------------

mart_enterprise_month = sa.Table(
    "mart_enterprise_month",
    metadata,
    sa.Column("credit_code", CreditCode, primary_key=True),
    sa.Column("period", Period, primary_key=True),
    sa.Column("name", sa.String(200), nullable=True),
    sa.Column("region_code", RegionCode, nullable=True),
    sa.Column("industry_code", IndustryCode, nullable=True),
    sa.Column("above_scale", sa.Boolean, nullable=True),
    sa.Column("key_enterprise", sa.Boolean, nullable=True),
    sa.Column("is_registered", sa.Boolean, nullable=False),
    sa.Column("electricity_accounts", sa.Integer, nullable=False),
    sa.Column("electricity_kwh", sa.BigInteger, nullable=True),
    sa.Column("electricity_kwh_prior_year", sa.BigInteger, nullable=True),
    *tax_amounts(),
    *statistics_figures(),
    # kWh of the accounts that give a prior-year figure: the side of same-scope growth
    # the indicator and the decline watch compare with electricity_kwh_prior_year.
    sa.Column("electricity_kwh_comparable", sa.BigInteger, nullable=True),
    comment=(
        "One row per enterprise per month: every registered enterprise valid that month "
        "and every resolved enterprise with facts that month, as it was that month."
    ),
)

mart_indicator_month = sa.Table(
    "mart_indicator_month",
    metadata,
    sa.Column("region_code", RegionCode, primary_key=True),
    sa.Column("period", Period, primary_key=True),
    sa.Column("indicator", sa.String(48), primary_key=True),
    sa.Column("unit", sa.String(16), nullable=False),
    *indicator_figures(),
    *suppression(),
    comment=(
        "One row per region (county, town, park) per month per indicator. Wide-audience: "
        "figures about fewer than three enterprises are null and suppressed."
    ),
)

mart_published_indicator = sa.Table(
    "mart_published_indicator",
    metadata,
    sa.Column("region_code", RegionCode, primary_key=True),
    sa.Column("period", Period, primary_key=True),
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("unit", sa.String(16), nullable=True),
    *indicator_figures(),
    comment=(
        "One row per published headline indicator per region per month, as the statistics "
        "bureau released it (value added growth at comparable prices comes only from here)."
    ),
)

mart_target_progress = sa.Table(
    "mart_target_progress",
    metadata,
    sa.Column("region_code", RegionCode, primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("indicator", sa.String(48), primary_key=True),
    *target_attributes(),
    sa.Column("actual_value", sa.Float, nullable=True),
    sa.Column("actual_period", Period, nullable=True),
    sa.Column("expected_share", sa.Float, nullable=True),
    sa.Column("status", sa.String(8), nullable=False),  # ahead / on_track / behind / no_data
    comment=(
        "One row per region per year per target indicator: the targets, the actual as of "
        "the latest loaded period of the year, and the status against the targets."
    ),
)

mart_per_mu_evaluation = sa.Table(
    "mart_per_mu_evaluation",
    metadata,
    sa.Column("credit_code", CreditCode, primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("through_period", Period, nullable=False),
    sa.Column("name", sa.String(200), nullable=True),
    sa.Column("region_code", RegionCode, nullable=True),
    sa.Column("industry_code", IndustryCode, nullable=True),
    sa.Column("group_name", sa.String(16), nullable=False),  # above_scale / below_scale
    sa.Column("land_mu", sa.Float, nullable=True),
    *(
        sa.Column(name, sa.Float, nullable=True)
        for name in (
            "tax_yuan",
            "per_mu_tax_yuan",
            "revenue_yuan",
            "per_mu_revenue_yuan",
            "energy_tce",
            "revenue_per_tce_yuan",
            "employees",
            "revenue_per_employee_yuan",
            "score_per_mu_tax",
            "score_per_mu_revenue",
            "score_energy",
            "score_labour",
            "total_score",
        )
    ),
    sa.Column("rank", sa.Integer, nullable=True),
    sa.Column("rank_pct", sa.Float, nullable=True),
    sa.Column("evaluation_class", sa.String(1), nullable=True),
    sa.Column("exempt_reason", sa.String(16), nullable=True),
    sa.Column("config_version", sa.String(64), nullable=False),
    comment=(
        "亩均效益评价: one row per registered enterprise (not 注销) per evaluation year, year to "
        "date of the latest tax period of the year; scores, rank and class within its group "
        "by the bureau's rules (cfg_ tables), or the reason it is exempt."
    ),
)

mart_decline_watch = sa.Table(
    "mart_decline_watch",
    metadata,
    sa.Column("credit_code", CreditCode, primary_key=True),
    sa.Column("period", Period, primary_key=True),
    sa.Column("measure", sa.String(24), primary_key=True),
    sa.Column("name", sa.String(200), nullable=True),
    sa.Column("region_code", RegionCode, nullable=True),
    sa.Column("key_enterprise", sa.Boolean, nullable=False),
    sa.Column("value", sa.Float, nullable=True),
    sa.Column("prior_year_value", sa.Float, nullable=True),
    sa.Column("yoy_pct", sa.Float, nullable=False),
    sa.Column("consecutive_months", sa.Integer, nullable=False),
    sa.Column("level", sa.String(8), nullable=False),  # blue / yellow / orange / red
    comment=(
        "生产下滑预警: one row per enterprise per period per measure whose year-on-year "
        "fall is beyond the configured threshold, with the run of periods in decline."
    ),
)

mart_cultivation = sa.Table(
    "mart_cultivation",
    metadata,
    sa.Column("credit_code", CreditCode, primary_key=True),
    sa.Column("period", Period, primary_key=True),
    sa.Column("name", sa.String(200), nullable=True),
    sa.Column("region_code", RegionCode, nullable=True),
    sa.Column("industry_code", IndustryCode, nullable=True),
    sa.Column("in_cultivation_pool", sa.Boolean, nullable=False),
    sa.Column("trailing_sales_yuan", sa.Float, nullable=False),
    sa.Column("months_with_sales", sa.Integer, nullable=False),
    sa.Column("threshold_yuan", sa.Float, nullable=False),
    sa.Column("share_of_threshold", sa.Float, nullable=False),
    sa.Column("gap_yuan", sa.Float, nullable=False),
    sa.Column("crossed_period", Period, nullable=True),
    sa.Column("months_since_crossing", sa.Integer, nullable=True),
    comment=(
        "入规培育: one row per registered below-scale enterprise per tax period whose trailing "
        "twelve months' taxable sales are within the configured band of the threshold."
    ),
)

mart_zombie_watch = sa.Table(
    "mart_zombie_watch",
    metadata,
    sa.Column("credit_code", CreditCode, primary_key=True),
    sa.Column("period", Period, primary_key=True),
    sa.Column("name", sa.String(200), nullable=True),
    sa.Column("region_code", RegionCode, nullable=True),
    sa.Column("industry_code", IndustryCode, nullable=True),
    sa.Column("operating_status", sa.String(16), nullable=True),
    sa.Column("land_mu", sa.Float, nullable=True),
    sa.Column("idle_months", sa.Integer, nullable=False),
    sa.Column("last_active_period", Period, nullable=True),
    comment=(
        "僵尸企业线索: one row per registered enterprise (not 注销) per period idle (no kWh, no "
        "tax paid, no statistics row) for at least the configured months in a row."
    ),
)

mart_town_ranking = sa.Table(
    "mart_town_ranking",
    metadata,
    sa.Column("region_code", RegionCode, primary_key=True),
    sa.Column("period", Period, primary_key=True),
    sa.Column("indicator", sa.String(48), primary_key=True),
    sa.Column("value", sa.Float, nullable=True),
    sa.Column("value_ytd", sa.Float, nullable=True),
    sa.Column("ytd_yoy_pct", sa.Float, nullable=True),
    sa.Column("rank_by", sa.String(16), nullable=False),  # ytd_yoy_pct / value_ytd
    sa.Column("rank", sa.Integer, nullable=True),
    sa.Column("regions_ranked", sa.Integer, nullable=False),
    *suppression(),
    comment=(
        "One row per town or park per period per headline indicator, ranked (1 = best) "
        "among the regions with a figure. Wide-audience: suppressed like mart_indicator_month."
    ),
)

# --- the bureau's rules, synced from the versioned configuration file ------------------

cfg_version = sa.Table(
    "cfg_version",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("config_version", sa.String(64), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("is_current", sa.Boolean, nullable=False),
    comment="One row per distinct rules file synced; is_current marks the one the marts use.",
)

cfg_rule = sa.Table(
    "cfg_rule",
    metadata,
    sa.Column("rule_key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Float, nullable=False),
    comment="One row per numeric rule of the current rules file (e.g. zombie.idle_months).",
)

cfg_exempt_division = sa.Table(
    "cfg_exempt_division",
    metadata,
    sa.Column("division_code", sa.String(2), primary_key=True),
    comment="One row per GB/T 4754 division exempt from 亩均效益评价 (utilities).",
)

cfg_evaluation_indicator = sa.Table(
    "cfg_evaluation_indicator",
    metadata,
    sa.Column("group_name", sa.String(16), primary_key=True),
    sa.Column("indicator", sa.String(24), primary_key=True),
    sa.Column("weight", sa.Float, nullable=False),
    sa.Column("method", sa.String(8), nullable=False),  # ratio / min_max
    sa.Column("base", sa.String(16), nullable=True),  # group_average, or NULL with base_value
    sa.Column("base_value", sa.Float, nullable=True),
    sa.Column("cap", sa.Float, nullable=True),
    sa.Column("floor_score", sa.Float, nullable=True),
    comment="One row per evaluation group per scored indicator: weight and scoring method.",
)

cfg_evaluation_class = sa.Table(
    "cfg_evaluation_class",
    metadata,
    sa.Column("class_name", sa.String(1), primary_key=True),
    sa.Column("max_rank_pct", sa.Float, nullable=False),
    comment="One row per class A-D: the rank percentile up to which an enterprise gets it.",
)

cfg_decline_measure = sa.Table(
    "cfg_decline_measure",
    metadata,
    sa.Column("measure", sa.String(24), primary_key=True),
    sa.Column("threshold_pct", sa.Float, nullable=False),
    comment="One row per measure watched for decline: the year-on-year fall that counts.",
)

cfg_decline_level = sa.Table(
    "cfg_decline_level",
    metadata,
    sa.Column("level", sa.String(8), primary_key=True),
    sa.Column("severity", sa.Integer, nullable=False),  # 1 = mildest
    sa.Column("min_months", sa.Integer, nullable=False),
    sa.Column("min_fall_pct", sa.Float, nullable=False),
    comment="One row per warning level: reached by consecutive months or by depth of fall.",
)

# --- data quality and alerts ------------------------------------------------------

dq_result = sa.Table(
    "dq_result",
    metadata,
    sa.Column("run_id", sa.String(36), primary_key=True),
    sa.Column("suite", sa.String(64), primary_key=True),
    sa.Column("expectation", sa.String(200), primary_key=True),
    sa.Column("period", Period, nullable=False),
    sa.Column("table_name", sa.String(64), nullable=True),
    sa.Column("success", sa.Boolean, nullable=False),
    sa.Column("observed_value", sa.Text, nullable=True),
    sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_dq_result_period_suite", "period", "suite"),
    comment="One row per expectation per quality-suite run (a run checks one period).",
)

alert = sa.Table(
    "alert",
    metadata,
    sa.Column("alert_id", sa.String(36), primary_key=True),
    sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("severity", sa.String(8), nullable=False),  # info / warning / critical
    sa.Column("kind", sa.String(48), nullable=False),
    sa.Column("source", sa.String(16), nullable=True),
    sa.Column("period", Period, nullable=True),
    sa.Column("subject", sa.String(200), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("delivered_to", sa.Text, nullable=True),
    sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("delivery_attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("delivery_error", sa.Text, nullable=True),
    sa.Index("ix_alert_period_kind", "period", "kind"),
    # Unique: two runs raising the same finding at once store it once.
    sa.Index("ux_alert_fingerprint", "fingerprint", unique=True),
    comment=(
        "One row per finding raised (a failed check, a held-row pattern, a late source); "
        "fingerprint identifies the same finding again so it is not sent twice."
    ),
)

# --- orchestration ----------------------------------------------------------------

load_lease = sa.Table(
    "load_lease",
    metadata,
    sa.Column("source", sa.String(16), primary_key=True),
    sa.Column("period", Period, primary_key=True),
    sa.Column("owner", sa.String(200), nullable=False),
    sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    comment=(
        "One row per source-period a run is working on (read, load, checks, alerts): "
        "a second run of the same source-period waits; an expired lease may be taken over."
    ),
)

awaited_source = sa.Table(
    "awaited_source",
    metadata,
    sa.Column("source", sa.String(16), primary_key=True),
    sa.Column("period", Period, primary_key=True),
    sa.Column("due_on", sa.Date, nullable=True),
    sa.Column("first_checked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_checked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=True),
    comment=(
        "One row per source-period a scheduled run expected but found no file for; "
        "arrived_at is set when a later run loads it."
    ),
)

mart_pending = sa.Table(
    "mart_pending",
    metadata,
    sa.Column("source", sa.String(16), primary_key=True),
    sa.Column("from_period", Period, primary_key=True),
    sa.Column("load_id", sa.String(36), nullable=False),
    sa.Column("noted_at", sa.DateTime(timezone=True), nullable=False),
    comment=(
        "One row per (source, first period) whose marts a committed load left to rebuild, "
        "written in the load's transaction; the latest such load and when it committed. "
        "The run's mart rebuild deletes the rows it rebuilt, in its own transaction."
    ),
)
