"""Data-quality suites on the warehouse, versioned in code (run by ``warehouse.quality``).

Each suite has a name and a version, checks one batch (the rows a query returns for a
period) and lists its expectations by stable names. Bump a suite's version whenever its
checks change, so results stored in ``dq_result`` and Data Docs say which rules held.
"""

from __future__ import annotations

from schemas.suites.crosstable import (
    COMPLETENESS,
    RECONCILIATION,
    REFERENTIAL_INTEGRITY,
    plausibility,
)
from schemas.suites.model import Check, QualityBounds, Suite
from schemas.suites.tables import TABLE_SUITES

__all__ = ["Check", "QualityBounds", "Suite", "all_suites"]


def all_suites(bounds: QualityBounds | None = None) -> tuple[Suite, ...]:
    """Every suite, in the order they run, with plausibility ``bounds`` (default bounds)."""
    return (
        *TABLE_SUITES,
        REFERENTIAL_INTEGRITY,
        COMPLETENESS,
        RECONCILIATION,
        plausibility(bounds or QualityBounds()),
    )
