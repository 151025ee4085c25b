"""The closed list of reasons a delivered row is held back, in Chinese and English.

The order of this list is the order in which rules apply: a row gets the first reason
that fits (a value that does not parse, a value out of range, a period other than the
folder's, a duplicate).
"""

from __future__ import annotations

from typing import NamedTuple


class Reason(NamedTuple):
    """One held-row reason code with its texts for staff."""

    code: str
    zh: str
    en: str


REASONS: tuple[Reason, ...] = (
    Reason("missing_value", "必填项为空", "a required value is blank"),
    Reason("not_a_number", "数值无法识别", "a number could not be read"),
    Reason("invalid_date", "日期无法识别", "a date could not be read"),
    Reason("invalid_period", "所属期无法识别", "a period (year-month) could not be read"),
    Reason("invalid_flag", "是/否取值无法识别", "a yes/no value is neither 是 nor 否"),
    Reason(
        "invalid_credit_code",
        "统一社会信用代码校验不通过",
        "the credit code fails a check character",
    ),
    Reason(
        "not_an_enterprise",
        "非企业纳税人（个体工商户、合作社等）",
        "the taxpayer is not an enterprise",
    ),
    Reason("invalid_account", "户号不是10位数字", "the metering account is not 10 digits"),
    Reason(
        "unknown_region",
        "乡镇（园区）不在行政区划中",
        "the town or park is not one of the county's",
    ),
    Reason(
        "unknown_indicator",
        "指标不在指标目录中",
        "the indicator name is not one the catalogue knows",
    ),
    Reason(
        "unknown_category",
        "取值不在规定的选项中",
        "the value is not one of the allowed ones",
    ),
    Reason(
        "unknown_industry",
        "行业代码不在GB/T 4754-2017中",
        "the industry code is not a GB/T 4754 class",
    ),
    Reason(
        "total_mismatch", "税收合计不等于各税种之和", "the total differs from the sum of its parts"
    ),
    Reason("negative_value", "数值不应为负", "a value that cannot be negative is negative"),
    Reason(
        "unit_mismatch",
        "计量单位与指标不符",
        "the unit is not the one the indicator is measured in",
    ),
    Reason("stretch_below_floor", "力争值低于目标值", "the stretch target is below the floor"),
    Reason("period_mismatch", "所属期与文件夹不符", "the row's period is not the folder's period"),
    Reason(
        "duplicate_row", "重复行（首行已载入）", "an exact copy of an earlier row, which was loaded"
    ),
    Reason(
        "conflicting_duplicate", "同一主键多行且取值不同", "rows share a key with different values"
    ),
)

REASON_CODES: tuple[str, ...] = tuple(reason.code for reason in REASONS)
BY_CODE = {reason.code: reason for reason in REASONS}
