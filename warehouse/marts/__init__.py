"""Marts dashboards read, rebuilt with set-based SQL for the periods a load affects.

- ``mart_indicator_month``: one row per region (county, town, park) per month per indicator.
- ``mart_enterprise_month``: one row per enterprise per month.
- ``mart_published_indicator``: one row per published headline indicator per month.

A load rebuilds only the marts that read what it replaced, from the first period it
affects on.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from warehouse.marts.cumulative import rebuild_per_mu_tax, rebuild_statistics_indicators
from warehouse.marts.enterprise_month import rebuild_enterprise_month
from warehouse.marts.flows import rebuild_electricity_indicator, rebuild_tax_indicators
from warehouse.marts.published import rebuild_published

Rebuild = Callable[[sa.Connection, str], None]

ENTERPRISE: tuple[Rebuild, ...] = (
    rebuild_enterprise_month,
    rebuild_electricity_indicator,
    rebuild_tax_indicators,
    rebuild_statistics_indicators,
    rebuild_per_mu_tax,
)

#: What each source's load must rebuild. The register places every enterprise and
#: statistics places unregistered ones, so both move every enterprise-based mart.
DEPENDENT_MARTS: dict[str, tuple[Rebuild, ...]] = {
    "registry": ENTERPRISE,
    "statistics": ENTERPRISE,
    "electricity": (rebuild_enterprise_month, rebuild_electricity_indicator),
    "tax": (rebuild_enterprise_month, rebuild_tax_indicators, rebuild_per_mu_tax),
    "indicators": (rebuild_published,),
}


def rebuild_marts(connection: sa.Connection, source: str, from_period: str) -> None:
    """Rebuild the marts that depend on ``source`` for the periods from ``from_period`` on."""
    for rebuild in DEPENDENT_MARTS[source]:
        rebuild(connection, from_period)


def rebuild_all_marts(connection: sa.Connection, from_period: str) -> None:
    """Rebuild every mart from ``from_period`` on (after a change that touches them all)."""
    for rebuild in (*ENTERPRISE, rebuild_published):
        rebuild(connection, from_period)
