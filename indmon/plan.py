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
from indmon.landing import LandedFile, fetch_period, list_period
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


def present(
    settings: Settings, periods: Sequence[str], sources: Sequence[str]
) -> dict[tuple[str, str], list[str]]:
    """The delivered file names of each (source, period) that has any, in period and load
    order; a yearly source appears once, under its year, with the first month of its year."""
    found: dict[tuple[str, str], list[str]] = {}
    ordered = sorted(sources, key=lambda name: SOURCES[name].order)
    for period in sorted(periods):
        for source in ordered:
            key = (source, landing_period(source, period))
            if key not in found and (names := list_period(settings, source, period)):
                found[key] = names
    return found


def plan_partitions(
    engine: sa.Engine,
    settings: Settings,
    listed: dict[tuple[str, str], list[str]],
    *,
    force: bool = False,
    only_missing: bool = False,
) -> list[Partition]:
    """Fetch each listed source-period into the archive and decide its action from the
    ledger (order kept); ``only_missing`` does not even fetch what loaded before."""
    if not listed:
        return []
    periods = [period for _, period in listed]
    loaded = latest_loaded_hashes(
        engine, sorted({s for s, _ in listed}), min(periods), max(periods)
    )
    plan = []
    for source, period in listed:
        previous = loaded.get((source, period))
        if only_missing and not force and previous is not None:
            plan.append(Partition(source, period, (), (), "loaded_before"))
            continue
        landed = tuple(fetch_period(settings, source, period))
        files = tuple(DeliveredFile(f.file_name, f.sha256) for f in landed)
        unchanged = previous == {f.file_name: f.sha256 for f in files}
        action: Action = "unchanged" if unchanged and not force else "load"
        plan.append(Partition(source, period, landed, files, action))
    return plan
