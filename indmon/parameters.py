"""The parameters flows accept, validated: months ``YYYY-MM`` and the catalogue's sources.

The annotated types give Prefect (and the deployment's parameter schema in the UI) the
rule; the ``check_*`` functions give the same rule with a clear message to plain callers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Literal, get_args
from zoneinfo import ZoneInfo

from pydantic import Field

from indmon.catalogue import SOURCES

TIME_ZONE = "Asia/Shanghai"
PERIOD_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"

#: A month, ``YYYY-MM``.
Period = Annotated[str, Field(pattern=PERIOD_PATTERN, description="A month, YYYY-MM.")]
#: A source of the catalogue (kept equal to ``SOURCES`` by a test).
SourceName = Literal[
    "registry", "electricity", "tax", "statistics", "indicators", "projects", "targets"
]


def today_in_shanghai() -> date:
    """Today's date in the county's time zone."""
    return datetime.now(ZoneInfo(TIME_ZONE)).date()


def check_period(text: str) -> str:
    """``text`` if it is a month ``YYYY-MM``, else a ValueError saying so."""
    from sources.landing import is_period

    if not is_period(text):
        raise ValueError(f"{text!r} is not a month YYYY-MM")
    return text


def check_sources(names: Sequence[str] | None) -> list[str]:
    """The named sources (all of the catalogue for None); an unknown name is refused."""
    if names is None:
        return list(SOURCES)
    unknown = [name for name in names if name not in SOURCES]
    if unknown:
        raise ValueError(f"unknown source {', '.join(unknown)}; one of {', '.join(SOURCES)}")
    return list(dict.fromkeys(names))


def previous_period(today: date) -> str:
    """The month before ``today``'s: what a scheduled run without a period loads."""
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    return f"{year}-{month:02d}"


def resolve_period(period: str | None, today: date) -> str:
    """The period a run is for: as given (checked), else the month before ``today``."""
    return check_period(period) if period is not None else previous_period(today)


def periods_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive, in order."""
    check_period(first), check_period(last)
    if first > last:
        raise ValueError(f"--from {first} is after --to {last}")
    year, month = int(first[:4]), int(first[5:])
    periods = []
    while (period := f"{year}-{month:02d}") <= last:
        periods.append(period)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return periods


def source_names() -> tuple[str, ...]:
    """The names ``SourceName`` allows."""
    return get_args(SourceName)
