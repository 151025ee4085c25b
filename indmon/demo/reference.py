"""The county's reference lists the demo draws from: regions and GB/T 4754-2017 classes."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "warehouse" / "reference"


@dataclass(frozen=True)
class Region:
    """A town or park of the county, with the former names extracts may use."""

    code: str
    name: str
    kind: str
    former_names: tuple[str, ...]


@dataclass(frozen=True)
class Reference:
    """Towns, parks and the industrial four-digit classes (divisions 06-46) by division."""

    towns: tuple[Region, ...]
    parks: tuple[Region, ...]
    classes: dict[str, tuple[str, ...]]

    def region(self, name: str) -> Region:
        """The region with this current name."""
        for region in (*self.towns, *self.parks):
            if region.name == name:
                return region
        raise KeyError(name)


def load_reference(directory: Path = REFERENCE_DIR) -> Reference:
    """Read ``suixi_regions.csv`` and ``gbt4754_2017.csv``."""
    with (directory / "suixi_regions.csv").open(encoding="utf-8", newline="") as handle:
        regions = [
            Region(
                row["code"],
                row["name"],
                row["kind"],
                tuple(n for n in row["former_names"].split(";") if n),
            )
            for row in csv.DictReader(handle)
        ]
    classes: dict[str, list[str]] = {}
    with (directory / "gbt4754_2017.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["level"] == "4" and "06" <= row["division"] <= "46":
                classes.setdefault(row["division"], []).append(row["class"])
    return Reference(
        towns=tuple(r for r in regions if r.kind == "town"),
        parks=tuple(r for r in regions if r.kind == "park"),
        classes={division: tuple(codes) for division, codes in classes.items()},
    )
