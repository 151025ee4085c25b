"""Reference lookups contracts check against: region names and codes, industry classes."""

from __future__ import annotations

from functools import cache

from warehouse.reference import industry_rows, region_name_rows, region_rows


@cache
def region_code_by_name() -> dict[str, str]:
    """Folded current or former name, or the 12-digit code itself -> region code."""
    names = {row["name_key"]: row["region_code"] for row in region_name_rows()}
    return {**names, **{code: code for code in names.values()}}


@cache
def region_codes() -> frozenset[str]:
    """Every region code of the county, the county's own included."""
    return frozenset(row["region_code"] for row in region_rows())


@cache
def county_code() -> str:
    """The county's own region code."""
    return next(row["region_code"] for row in region_rows() if row["kind"] == "county")


@cache
def industry_classes() -> frozenset[str]:
    """Every GB/T 4754-2017 four-digit class."""
    return frozenset(row["industry_code"] for row in industry_rows())
