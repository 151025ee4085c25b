"""Which source-periods a run must read and load, decided by content hash before reading.

A source-period whose files (names and SHA-256) are those of its last successful load is
``unchanged``: it is noted in the ledger without being read, loaded or checked again, so
a re-run over many months does no work. ``--only-missing`` loads only source-periods never
loaded; ``force`` loads everything present.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa

from indmon.catalogue import SOURCES
from indmon.landing import LandedFile, fetch_period
from indmon.settings import Settings
from sources.landing import landing_period
from warehouse.ledger import latest_loaded_hashes
from warehouse.load import DeliveredFile

Action = Literal["load", "unchanged", "loaded_before"]


@dataclass(frozen=True)
class Partition:
    """One source-period present at the landing location, its files archived, and what to do.

    ``period`` is the source's own period: ``YYYY`` for a yearly source (its targets),
    else ``YYYY-MM``. ``landed`` is empty for a partition not fetched (``loaded_before``).
    """

    source: str
    period: str
    landed: tuple[LandedFile, ...]
    files: tuple[DeliveredFile, ...]
    action: Action

    @property
    def key(self) -> tuple[str, str]:
        """(source, period)."""
        return self.source, self.period


def source_periods(periods: Sequence[str], sources: Sequence[str]) -> list[tuple[str, str]]:
    """The (source, period) pairs a run covers, in period and load order; a yearly source
    appears once, under its year, at the first month of its year."""
    ordered = sorted(sources, key=lambda name: SOURCES[name].order)
    pairs = (
        (source, landing_period(source, period)) for period in sorted(periods) for source in ordered
    )
    return list(dict.fromkeys(pairs))


def plan_partitions(
    engine: sa.Engine,
    settings: Settings,
    keys: Sequence[tuple[str, str]],
    *,
    force: bool = False,
    only_missing: bool = False,
) -> list[Partition]:
    """Fetch each source-period of ``keys`` into the archive and decide its action from the
    ledger (order kept; a source-period with nothing delivered is left out).
    ``only_missing`` does not even fetch what loaded before."""
    if not keys:
        return []
    periods = [period for _, period in keys]
    loaded = latest_loaded_hashes(engine, sorted({s for s, _ in keys}), min(periods), max(periods))
    plan = []
    for source, period in keys:
        previous = loaded.get((source, period))
        if only_missing and not force and previous is not None:
            plan.append(Partition(source, period, (), (), "loaded_before"))
            continue
        landed = tuple(fetch_period(settings, source, period))
        if not landed:
            continue
        files = tuple(DeliveredFile(f.file_name, f.sha256) for f in landed)
        unchanged = previous == {f.file_name: f.sha256 for f in files}
        action: Action = "unchanged" if unchanged and not force else "load"
        plan.append(Partition(source, period, landed, files, action))
    return plan
