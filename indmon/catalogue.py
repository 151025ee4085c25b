"""The sources the pipeline knows: how each is read, what contract it meets, load order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import schemas.electricity
import schemas.indicators
import schemas.projects
import schemas.registry
import schemas.statistics
import schemas.targets
import schemas.tax
import sources.electricity
import sources.indicators
import sources.projects
import sources.registry
import sources.statistics
import sources.targets
import sources.tax
from schemas.rules import Split
from sources.extract import Extract


@dataclass(frozen=True)
class SourceDef:
    """One agency extract: reader, contract, and its place in the load order."""

    name: str
    read: Callable[[Path], Extract]
    validate: Callable[[Sequence[Extract], str], Split]
    order: int  # lower loads first: the register before facts that resolve against it


SOURCES: dict[str, SourceDef] = {
    source.name: source
    for source in (
        SourceDef("registry", sources.registry.read, schemas.registry.validate, 0),
        SourceDef("electricity", sources.electricity.read, schemas.electricity.validate, 1),
        SourceDef("tax", sources.tax.read, schemas.tax.validate, 1),
        SourceDef("statistics", sources.statistics.read, schemas.statistics.validate, 1),
        SourceDef("indicators", sources.indicators.read, schemas.indicators.validate, 1),
        SourceDef("projects", sources.projects.read, schemas.projects.validate, 1),
        # Yearly (targets/<YYYY>/): loaded with any month of its year, after the facts.
        SourceDef("targets", sources.targets.read, schemas.targets.validate, 2),
    )
}


def in_load_order(names: Sequence[str]) -> list[SourceDef]:
    """The named sources sorted by load order."""
    return sorted((SOURCES[name] for name in names), key=lambda s: s.order)
