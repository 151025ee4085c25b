"""Marts dashboards read, rebuilt with set-based SQL for the periods a load affects.

- ``mart_indicator_month``: one row per region (county, town, park) per month per indicator.
- ``mart_enterprise_month``: one row per enterprise per month.
- ``mart_published_indicator``: one row per published headline indicator per month.
- ``mart_target_progress``: one row per region per year per target indicator.
- ``mart_town_ranking``: towns and parks ranked on headline indicators per month.
- The bureau's working lists, driven by its rules (``cfg_`` tables): ``mart_per_mu_evaluation``,
  ``mart_decline_watch``, ``mart_cultivation``, ``mart_zombie_watch``.

Wide-audience marts (``mart_indicator_month``, ``mart_town_ranking``, and the published
figures) never show a figure about fewer than three enterprises; the enterprise-level
marts and lists are for the bureau's staff.

A load rebuilds only the marts that read what it replaced, from the first period it
affects on; a run rebuilds them once for all of its loads (``planned_rebuilds``, used by
``warehouse.mart_pending``). ``mart_enterprise_month`` comes first: it places every
enterprise a fact names in each month, and the indicator marts join it to place their
facts (:func:`warehouse.marts.fragments.located`) instead of looking each one up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import sqlalchemy as sa

from warehouse.marts.cultivation import rebuild_cultivation
from warehouse.marts.cumulative import rebuild_per_mu_tax, rebuild_statistics_indicators
from warehouse.marts.decline import rebuild_decline_watch
from warehouse.marts.enterprise_month import rebuild_enterprise_month
from warehouse.marts.evaluation import rebuild_per_mu_evaluation
from warehouse.marts.flows import rebuild_electricity_indicator, rebuild_tax_indicators
from warehouse.marts.investment import rebuild_investment_indicators
from warehouse.marts.published import rebuild_published
from warehouse.marts.ranking import rebuild_town_ranking
from warehouse.marts.targets import rebuild_target_progress
from warehouse.marts.zombie import rebuild_zombie_watch

Rebuild = Callable[[sa.Connection, str], None]

#: The marts the bureau's rules drive: rebuilt whole when the rules change.
RULE_MARTS: tuple[Rebuild, ...] = (
    rebuild_per_mu_evaluation,
    rebuild_decline_watch,
    rebuild_cultivation,
    rebuild_zombie_watch,
)

ENTERPRISE: tuple[Rebuild, ...] = (
    rebuild_enterprise_month,
    rebuild_electricity_indicator,
    rebuild_tax_indicators,
    rebuild_statistics_indicators,
    rebuild_per_mu_tax,
    *RULE_MARTS,
    rebuild_town_ranking,
)

#: What each source's load must rebuild, in order (a mart after the marts it reads).
#: The register places every enterprise and statistics places unregistered ones, so both
#: move every enterprise-based mart. Electricity, tax and statistics are each one of the
#: three signs of life the zombie watch looks for. Projects are placed by the library's
#: own town or park, not by the register. Target progress reads the indicator marts, so
#: it comes last wherever an actual may move.
DEPENDENT_MARTS: dict[str, tuple[Rebuild, ...]] = {
    "registry": (*ENTERPRISE, rebuild_target_progress),
    "statistics": (*ENTERPRISE, rebuild_target_progress),
    "electricity": (
        rebuild_enterprise_month,
        rebuild_electricity_indicator,
        rebuild_decline_watch,
        rebuild_zombie_watch,
        rebuild_town_ranking,
        rebuild_target_progress,
    ),
    "tax": (
        rebuild_enterprise_month,
        rebuild_tax_indicators,
        rebuild_per_mu_tax,
        rebuild_per_mu_evaluation,
        rebuild_cultivation,
        rebuild_zombie_watch,
        rebuild_town_ranking,
        rebuild_target_progress,
    ),
    "indicators": (rebuild_published, rebuild_target_progress),
    "projects": (rebuild_investment_indicators, rebuild_target_progress),
    "targets": (rebuild_target_progress,),
}

#: Every mart, each after the marts it reads (``mart_enterprise_month`` before the
#: indicators that place facts with it, the indicators before the ranking and targets).
ALL_MARTS: tuple[Rebuild, ...] = (
    *ENTERPRISE,
    rebuild_published,
    rebuild_investment_indicators,
    rebuild_target_progress,
)

#: A period before any data: rebuilding from here rebuilds everything.
EVERY_PERIOD = "0000-01"


def planned_rebuilds(
    changes: Iterable[tuple[str, str]], every_mart_from: str | None = None
) -> list[tuple[Rebuild, str]]:
    """Each mart to rebuild once for several changes, from the earliest period any needs.

    ``changes`` are (source, first period) pairs (several loads, say); ``every_mart_from``
    adds every mart from that period. The marts come in ``ALL_MARTS`` order, so a mart is
    rebuilt after the marts it reads whichever sources asked for them.
    """
    starts: dict[Rebuild, str] = {}
    if every_mart_from is not None:
        starts = dict.fromkeys(ALL_MARTS, every_mart_from)
    for source, from_period in changes:
        for rebuild in DEPENDENT_MARTS[source]:
            starts[rebuild] = min(starts.get(rebuild, from_period), from_period)
    return [(rebuild, starts[rebuild]) for rebuild in in_dependency_order(starts)]


def run_rebuilds(connection: sa.Connection, plan: Iterable[tuple[Rebuild, str]]) -> None:
    """Run each (mart rebuild, first period) of ``plan`` in order."""
    for rebuild, from_period in plan:
        rebuild(connection, from_period)


def rebuild_marts(connection: sa.Connection, source: str, from_period: str) -> None:
    """Rebuild the marts that depend on ``source`` for the periods from ``from_period`` on."""
    run_rebuilds(connection, planned_rebuilds([(source, from_period)]))


def rebuild_all_marts(connection: sa.Connection, from_period: str) -> None:
    """Rebuild every mart from ``from_period`` on (after a change that touches them all)."""
    run_rebuilds(connection, planned_rebuilds([], every_mart_from=from_period))


def in_dependency_order(rebuilds: Iterable[Rebuild]) -> list[Rebuild]:
    """``rebuilds`` sorted so that each mart comes after the marts it reads.

    For rebuilding the union of several sources' ``DEPENDENT_MARTS`` once: their
    first-seen order is not enough (electricity's list then tax's would put the town
    ranking before the tax indicators it reads).
    """
    return sorted(rebuilds, key=ALL_MARTS.index)


def rebuild_rule_marts(connection: sa.Connection) -> None:
    """Rebuild every period of the marts the bureau's rules drive (after the rules changed)."""
    for rebuild in RULE_MARTS:
        rebuild(connection, EVERY_PERIOD)
