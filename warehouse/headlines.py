"""The county's headline indicators of a month, as a run reports them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

_COUNTY_HEADLINES = """
SELECT m.indicator, d.name_zh, m.unit, m.value, m.value_ytd, m.yoy_pct, m.ytd_yoy_pct
FROM mart_indicator_month AS m
JOIN dim_region AS r ON r.region_code = m.region_code AND r.kind = 'county'
JOIN dim_indicator AS d ON d.indicator = m.indicator
WHERE m.period = :period
ORDER BY m.indicator
"""


def county_headlines(engine: sa.Engine, period: str) -> list[dict[str, Any]]:
    """One row per indicator of the county for ``period``: month, year to date, growth."""
    with engine.connect() as connection:
        result = connection.execute(sa.text(_COUNTY_HEADLINES), {"period": period})
        return [dict(row._mapping) for row in result]
