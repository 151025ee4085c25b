"""Which source-periods a run must read and load, decided by content hash before reading.

A source-period whose files (names and SHA-256) are those of its last successful load is
``unchanged``: it is noted in the ledger without being read, loaded or checked again, so
a re-run over many months does no work. ``--only-missing`` loads only source-periods never
loaded; ``force`` loads everything present.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import sqlalchemy as sa

from indmon.catalogue import SOURCES
from sources.extract import file_sha256
from sources.landing import period_files
from warehouse.ledger import latest_loaded_hashes
from warehouse.load import DeliveredFile

Action = Literal["load", "unchanged", "loaded_before"]


@dataclass(frozen=True)
class Partition:
    """One source-period present in the landing folder, its files hashed, and what to do."""

    source: str
    period: str
    paths: tuple[Path, ...]
    files: tuple[DeliveredFile, ...]
    action: Action

    @property
    def key(self) -> tuple[str, str]:
        """(source, period)."""
        return self.source, self.period


def present(
    landing_dir: Path, periods: Sequence[str], sources: Sequence[str]
) -> dict[tuple[str, str], list[Path]]:
    """The landed files of each (source, period) that has any, in period and load order."""
    found: dict[tuple[str, str], list[Path]] = {}
    ordered = sorted(sources, key=lambda name: SOURCES[name].order)
    for period in sorted(periods):
        for source in ordered:
            if paths := period_files(landing_dir, source, period):
                found[(source, period)] = paths
    return found


def plan_partitions(
    engine: sa.Engine,
    landed: dict[tuple[str, str], list[Path]],
    *,
    force: bool = False,
    only_missing: bool = False,
) -> list[Partition]:
    """Decide each landed source-period's action from the ledger (order kept)."""
    if not landed:
        return []
    periods = [period for _, period in landed]
    loaded = latest_loaded_hashes(
        engine, sorted({s for s, _ in landed}), min(periods), max(periods)
    )
    plan = []
    for (source, period), paths in landed.items():
        previous = loaded.get((source, period))
        if only_missing and not force and previous is not None:
            plan.append(Partition(source, period, tuple(paths), (), "loaded_before"))
            continue  # not even hashed
        files = tuple(DeliveredFile(path.name, file_sha256(path)) for path in paths)
        unchanged = previous == {f.file_name: f.sha256 for f in files}
        action: Action = "unchanged" if unchanged and not force else "load"
        plan.append(Partition(source, period, tuple(paths), files, action))
    return plan
