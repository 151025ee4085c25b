"""Freshness: which sources have not arrived by the day they are due.

Each source is due by a day of the month after its period (electricity the 5th, tax
the 12th, statistics the 15th by default). Statistics has no January file: January is
reported with February, so nothing is due for a January period.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class LateSource:
    """A source whose files for ``period`` had not landed by ``due``."""

    source: str
    period: str
    due: date


def due_date(period: str, day: int) -> date:
    """The ``day`` of the month after ``period``."""
    year, month = int(period[:4]), int(period[5:7])
    return date(year + month // 12, month % 12 + 1, day)


def late_sources(
    delivered: Callable[[str, str], bool],
    period: str,
    today: date,
    arrival_days: Mapping[str, int],
) -> list[LateSource]:
    """The sources due for ``period`` by ``today`` for which ``delivered(source, period)``
    finds nothing at the landing location (a folder, an fsspec URL or a SQL source)."""
    late = []
    for source, day in sorted(arrival_days.items()):
        if source == "statistics" and period.endswith("-01"):
            continue
        due = due_date(period, day)
        if today > due and not delivered(source, period):
            late.append(LateSource(source, period, due))
    return late
