"""The order marts are rebuilt in: each after the marts it reads."""

from __future__ import annotations

from warehouse.marts import (
    ALL_MARTS,
    DEPENDENT_MARTS,
    in_dependency_order,
    rebuild_enterprise_month,
    rebuild_tax_indicators,
    rebuild_town_ranking,
)


def test_every_source_rebuilds_its_marts_in_dependency_order() -> None:
    for source, rebuilds in DEPENDENT_MARTS.items():
        assert in_dependency_order(rebuilds) == list(rebuilds), source
    assert len(set(ALL_MARTS)) == len(ALL_MARTS)


def test_the_marts_of_several_sources_rebuilt_once_keep_the_order() -> None:
    # Electricity's list and then tax's, first seen first, would rank the towns before
    # the tax indicators are rebuilt.
    union = dict.fromkeys([*DEPENDENT_MARTS["electricity"], *DEPENDENT_MARTS["tax"]])
    ordered = in_dependency_order(union)
    assert ordered.index(rebuild_tax_indicators) < ordered.index(rebuild_town_ranking)
    assert ordered[0] is rebuild_enterprise_month  # the indicators place facts with it
