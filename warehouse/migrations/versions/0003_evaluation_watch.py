"""The bureau's rules (cfg_ tables), the working-list marts and the wide-audience rule.

Adds the cfg_ tables synced from the rules file, mart_per_mu_evaluation,
mart_decline_watch, mart_cultivation, mart_zombie_watch, mart_town_ranking, and
enterprise_count/suppressed on mart_indicator_month.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 17:10:31.085772
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cfg_decline_level",
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("min_months", sa.Integer(), nullable=False),
        sa.Column("min_fall_pct", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("level", name=op.f("pk_cfg_decline_level")),
        comment="One row per warning level: reached by consecutive months or by depth of fall.",
    )
    op.create_table(
        "cfg_decline_measure",
        sa.Column("measure", sa.String(length=24), nullable=False),
        sa.Column("threshold_pct", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("measure", name=op.f("pk_cfg_decline_measure")),
        comment="One row per measure watched for decline: the year-on-year fall that counts.",
    )
    op.create_table(
        "cfg_evaluation_class",
        sa.Column("class_name", sa.String(length=1), nullable=False),
        sa.Column("max_rank_pct", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("class_name", name=op.f("pk_cfg_evaluation_class")),
        comment="One row per class A-D: the rank percentile up to which an enterprise gets it.",
    )
    op.create_table(
        "cfg_evaluation_indicator",
        sa.Column("group_name", sa.String(length=16), nullable=False),
        sa.Column("indicator", sa.String(length=24), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("base", sa.String(length=16), nullable=True),
        sa.Column("base_value", sa.Float(), nullable=True),
        sa.Column("cap", sa.Float(), nullable=True),
        sa.Column("floor_score", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint(
            "group_name", "indicator", name=op.f("pk_cfg_evaluation_indicator")
        ),
        comment="One row per evaluation group per scored indicator: weight and scoring method.",
    )
    op.create_table(
        "cfg_exempt_division",
        sa.Column("division_code", sa.String(length=2), nullable=False),
        sa.PrimaryKeyConstraint("division_code", name=op.f("pk_cfg_exempt_division")),
        comment="One row per GB/T 4754 division exempt from 亩均效益评价 (utilities).",
    )
    op.create_table(
        "cfg_rule",
        sa.Column("rule_key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("rule_key", name=op.f("pk_cfg_rule")),
        comment="One row per numeric rule of the current rules file (e.g. zombie.idle_months).",
    )
    op.create_table(
        "cfg_version",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("config_version", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_cfg_version")),
        comment="One row per distinct rules file synced; is_current marks the one the marts use.",
    )
    op.create_table(
        "mart_cultivation",
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("region_code", sa.String(length=12), nullable=True),
        sa.Column("industry_code", sa.String(length=4), nullable=True),
        sa.Column("in_cultivation_pool", sa.Boolean(), nullable=False),
        sa.Column("trailing_sales_yuan", sa.Float(), nullable=False),
        sa.Column("months_with_sales", sa.Integer(), nullable=False),
        sa.Column("threshold_yuan", sa.Float(), nullable=False),
        sa.Column("share_of_threshold", sa.Float(), nullable=False),
        sa.Column("gap_yuan", sa.Float(), nullable=False),
        sa.Column("crossed_period", sa.String(length=7), nullable=True),
        sa.Column("months_since_crossing", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("credit_code", "period", name=op.f("pk_mart_cultivation")),
        comment="入规培育: one row per registered below-scale enterprise per tax period whose trailing twelve months' taxable sales are within the configured band of the threshold.",
    )
    op.create_table(
        "mart_decline_watch",
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("measure", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("region_code", sa.String(length=12), nullable=True),
        sa.Column("key_enterprise", sa.Boolean(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("prior_year_value", sa.Float(), nullable=True),
        sa.Column("yoy_pct", sa.Float(), nullable=False),
        sa.Column("consecutive_months", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint(
            "credit_code", "period", "measure", name=op.f("pk_mart_decline_watch")
        ),
        comment="生产下滑预警: one row per enterprise per period per measure whose year-on-year fall is beyond the configured threshold, with the run of periods in decline.",
    )
    op.create_table(
        "mart_per_mu_evaluation",
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("through_period", sa.String(length=7), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("region_code", sa.String(length=12), nullable=True),
        sa.Column("industry_code", sa.String(length=4), nullable=True),
        sa.Column("group_name", sa.String(length=16), nullable=False),
        sa.Column("land_mu", sa.Float(), nullable=True),
        sa.Column("tax_yuan", sa.Float(), nullable=True),
        sa.Column("per_mu_tax_yuan", sa.Float(), nullable=True),
        sa.Column("revenue_yuan", sa.Float(), nullable=True),
        sa.Column("per_mu_revenue_yuan", sa.Float(), nullable=True),
        sa.Column("energy_tce", sa.Float(), nullable=True),
        sa.Column("revenue_per_tce_yuan", sa.Float(), nullable=True),
        sa.Column("employees", sa.Float(), nullable=True),
        sa.Column("revenue_per_employee_yuan", sa.Float(), nullable=True),
        sa.Column("score_per_mu_tax", sa.Float(), nullable=True),
        sa.Column("score_per_mu_revenue", sa.Float(), nullable=True),
        sa.Column("score_energy", sa.Float(), nullable=True),
        sa.Column("score_labour", sa.Float(), nullable=True),
        sa.Column("total_score", sa.Float(), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("rank_pct", sa.Float(), nullable=True),
        sa.Column("evaluation_class", sa.String(length=1), nullable=True),
        sa.Column("exempt_reason", sa.String(length=16), nullable=True),
        sa.Column("config_version", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("credit_code", "year", name=op.f("pk_mart_per_mu_evaluation")),
        comment="亩均效益评价: one row per registered enterprise (not 注销) per evaluation year, year to date of the latest tax period of the year; scores, rank and class within its group by the bureau's rules (cfg_ tables), or the reason it is exempt.",
    )
    op.create_table(
        "mart_town_ranking",
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("indicator", sa.String(length=48), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("value_ytd", sa.Float(), nullable=True),
        sa.Column("ytd_yoy_pct", sa.Float(), nullable=True),
        sa.Column("rank_by", sa.String(length=16), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("regions_ranked", sa.Integer(), nullable=False),
        sa.Column("enterprise_count", sa.Integer(), nullable=True),
        sa.Column("suppressed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint(
            "region_code", "period", "indicator", name=op.f("pk_mart_town_ranking")
        ),
        comment="One row per town or park per period per headline indicator, ranked (1 = best) among the regions with a figure. Wide-audience: suppressed like mart_indicator_month.",
    )
    op.create_table(
        "mart_zombie_watch",
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("region_code", sa.String(length=12), nullable=True),
        sa.Column("industry_code", sa.String(length=4), nullable=True),
        sa.Column("operating_status", sa.String(length=16), nullable=True),
        sa.Column("land_mu", sa.Float(), nullable=True),
        sa.Column("idle_months", sa.Integer(), nullable=False),
        sa.Column("last_active_period", sa.String(length=7), nullable=True),
        sa.PrimaryKeyConstraint("credit_code", "period", name=op.f("pk_mart_zombie_watch")),
        comment="僵尸企业线索: one row per registered enterprise (not 注销) per period idle (no kWh, no tax paid, no statistics row) for at least the configured months in a row.",
    )
    with op.batch_alter_table("mart_indicator_month", schema=None) as batch_op:
        batch_op.add_column(sa.Column("enterprise_count", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("suppressed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("mart_indicator_month", schema=None) as batch_op:
        batch_op.drop_column("suppressed")
        batch_op.drop_column("enterprise_count")

    op.drop_table("mart_zombie_watch")
    op.drop_table("mart_town_ranking")
    op.drop_table("mart_per_mu_evaluation")
    op.drop_table("mart_decline_watch")
    op.drop_table("mart_cultivation")
    op.drop_table("cfg_version")
    op.drop_table("cfg_rule")
    op.drop_table("cfg_exempt_division")
    op.drop_table("cfg_evaluation_indicator")
    op.drop_table("cfg_evaluation_class")
    op.drop_table("cfg_decline_measure")
    op.drop_table("cfg_decline_level")
