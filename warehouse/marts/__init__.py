"""Marts dashboards read, rebuilt with set-based SQL for the periods a load affects.

- ``mart_indicator_month``: one row per region (county, town, park) per month per indicator.
- ``mart_enterprise_month``: one row per enterprise per month.
- ``mart_published_indicator``: one row per published headline indicator per month.
- ``mart_target_progress``: one row per region per year per target indicator.

A load rebuilds only the marts that read what it replaced, from the first period it
affects on.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from warehouse.marts.cumulative import rebuild_per_mu_tax, rebuild_statistics_indicators
from warehouse.marts.enterprise_month import rebuild_enterprise_month
from warehouse.marts.flows import rebuild_electricity_indicator, rebuild_tax_indicators
from warehouse.marts.investment import rebuild_investment_indicators
from warehouse.marts.published import rebuild_published
from warehouse.marts.targets import rebuild_target_progress

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
#: Projects are placed by the library's own town or park, not by the register. Target
#: progress reads the indicator marts, so it comes last wherever an actual may move.
DEPENDENT_MARTS: dict[str, tuple[Rebuild, ...]] = {
    "registry": (*ENTERPRISE, rebuild_target_progress),
    "statistics": (*ENTERPRISE, rebuild_target_progress),
    "electricity": (
        rebuild_enterprise_month,
        rebuild_electricity_indicator,
        rebuild_target_progress,
    ),
    "tax": (
        rebuild_enterprise_month,
        rebuild_tax_indicators,
        rebuild_per_mu_tax,
        rebuild_target_progress,
    ),
    "indicators": (rebuild_published, rebuild_target_progress),
    "projects": (rebuild_investment_indicators, rebuild_target_progress),
    "targets": (rebuild_target_progress,),
}


def rebuild_marts(connection: sa.Connection, source: str, from_period: str) -> None:
    """Rebuild the marts that depend on ``source`` for the periods from ``from_period`` on."""
    for rebuild in DEPENDENT_MARTS[source]:
        rebuild(connection, from_period)


def rebuild_all_marts(connection: sa.Connection, from_period: str) -> None:
    """Rebuild every mart from ``from_period`` on (after a change that touches them all)."""
    for rebuild in (
        *ENTERPRISE,
        rebuild_published,
        rebuild_investment_indicators,
        rebuild_target_progress,
    ):
        rebuild(connection, from_period)
