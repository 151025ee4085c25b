"""How the report shows numbers: the units a bureau reads (万元, 万千瓦时) and growth in %."""

from __future__ import annotations

from typing import NamedTuple

SUPPRESSED = "—（少于3家）"
MISSING = "—"


class DisplayUnit(NamedTuple):
    """A warehouse unit as shown: its label, the divisor to it, and the decimals kept."""

    label: str
    divisor: float
    decimals: int


DISPLAY_UNITS: dict[str, DisplayUnit] = {
    "kWh": DisplayUnit("万千瓦时", 1e4, 1),
    "yuan": DisplayUnit("万元", 1e4, 1),
    "yuan/mu": DisplayUnit("万元/亩", 1e4, 2),
    "tce": DisplayUnit("吨标准煤", 1, 1),
    "enterprises": DisplayUnit("个", 1, 0),
}


def display_unit(unit: str | None) -> DisplayUnit:
    """The display of warehouse ``unit``; a unit already for reading (万元, %, 个) as it is."""
    if unit in DISPLAY_UNITS:
        return DISPLAY_UNITS[unit]
    return DisplayUnit(unit or "", 1, 0 if unit == "个" else 1)


def scaled(value: float | None, unit: str | None) -> float | None:
    """``value`` in the display unit of ``unit``."""
    return None if value is None else value / display_unit(unit).divisor


def amount(value: float | None, unit: str | None, *, suppressed: bool = False) -> str:
    """A figure in its display unit with thousands separators: ``10,753.8``."""
    if suppressed:
        return SUPPRESSED
    if value is None:
        return MISSING
    shown = display_unit(unit)
    return f"{value / shown.divisor:,.{shown.decimals}f}"


def percent(value: float | None, *, suppressed: bool = False) -> str:
    """A growth rate in % with its sign and one decimal: ``+3.2``, ``-0.4``."""
    if suppressed:
        return SUPPRESSED
    if value is None:
        return MISSING
    return f"{value:+.1f}"


def short_sha(sha256: str) -> str:
    """The first 12 hex digits of a file's sha256."""
    return sha256[:12]
