"""``mart_published_indicator``: the statistics bureau's headline release, as published.

One row per published indicator per region per month.
"""

from __future__ import annotations

import sqlalchemy as sa

PUBLISHED = """
INSERT INTO mart_published_indicator (region_code, period, name, unit, value, value_ytd,
                                      yoy_pct, ytd_yoy_pct)
SELECT region_code, period, name, unit, value, value_ytd, yoy_pct, ytd_yoy_pct
FROM stg_published_indicator
WHERE period >= :from_period
"""


def rebuild_published(connection: sa.Connection, from_period: str) -> None:
    """Rebuild ``mart_published_indicator`` from ``from_period`` on."""
    parameters = {"from_period": from_period}
    connection.execute(
        sa.text("DELETE FROM mart_published_indicator WHERE period >= :from_period"), parameters
    )
    connection.execute(sa.text(PUBLISHED), parameters)
