"""The indicator catalogue: every indicator code a mart carries, with its label and definition."""

from __future__ import annotations

from typing import NamedTuple


class Indicator(NamedTuple):
    """One catalogue entry of ``dim_indicator``."""

    indicator: str
    name_zh: str
    unit: str
    definition: str
    source: str


CATALOGUE: tuple[Indicator, ...] = (
    Indicator(
        "electricity_kwh",
        "工业用电量",
        "kWh",
        "Sum of kWh over the utility's metering accounts: the county over every loaded row "
        "(resolved or not), a town or park over the enterprises located there that month. "
        "Growth is same-scope against the prior-year kWh delivered on the same rows.",
        "electricity",
    ),
)
