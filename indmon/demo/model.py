"""The demo county's enterprise model: who exists when, where, how big, and each month's activity.

Every source writer reads from this model, so the registry, the utility's meters, the
tax bureau's and the statistics bureau's files tell one consistent story. Arrays are
indexed by ``t + HISTORY`` where ``t`` is the month offset from the first generated period.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from indmon.demo.periods import HISTORY, Timeline

#: Revenue (yuan per year) from which an enterprise belongs in the above-scale roster.
ABOVE_SCALE_REVENUE = 20_000_000
LARGE_POWER_KWH = 1_000_000

#: Tonnes of standard coal per 10 000 kWh (the equivalent-value conversion factor).
TCE_PER_10K_KWH = 1.229
#: Other energy (coal, gas, oil) in tce per tce of electricity, by division; 0.2 elsewhere.
OTHER_ENERGY = {"06": 2.0, "13": 0.5, "22": 1.0, "26": 1.5, "30": 3.0, "44": 8.0}

STATIONS = ("城区供电所", "临涣供电所")
#: Towns served by the 临涣 supply station; every other town and both parks by 城区.
LINHUAN_TOWNS = frozenset({"临涣镇", "五沟镇", "孙疃镇", "韩村镇", "南坪镇", "铁佛镇", "双堆集镇"})


@dataclass(frozen=True)
class Account:
    """One metering account (户号) of an enterprise, stable over the months it exists."""

    number: str
    holder: str
    share: float
    opened: int
    station: str
    noise: tuple[float, ...]
    category: str


@dataclass(frozen=True)
class Economics:
    """What tax and statistics need beyond revenue and kWh, drawn once per enterprise.

    The noise series are indexed like ``activity``, so a month's figures are the same in
    every file that shows them and year-to-date sums in later files extend earlier ones.
    """

    output_ratio: float
    margin: float
    value_added: float
    staff: int
    other_energy: float
    revenue_noise: tuple[float, ...]
    output_noise: tuple[float, ...]
    margin_noise: tuple[float, ...]


@dataclass(frozen=True)
class MonthFigures:
    """One enterprise's month: yuan (output, revenue, profit), people, kWh and tce."""

    output: float
    revenue: float
    profit: float
    staff: int
    kwh: int
    tce: float


NO_FIGURES = MonthFigures(0.0, 0.0, 0.0, 0, 0, 0.0)


@dataclass
class Enterprise:
    """One enterprise and everything about it that changes over the months."""

    code: str
    name: str
    industry: str
    town: str
    established: tuple[int, int, int]
    date_style: str
    land_mu: float | None
    base_revenue: float
    base_kwh: float
    activity: tuple[float, ...] = ()
    entry: int = -HISTORY
    registered: bool = True
    moves: tuple[tuple[int, str], ...] = ()
    statuses: tuple[tuple[int, str], ...] = ()
    key_enterprise: bool = False
    specialised: tuple[tuple[int, str], ...] = ()
    green: str = "无"
    accounts: list[Account] = field(default_factory=list)
    economics: Economics | None = None

    def exists(self, t: int) -> bool:
        """Whether the enterprise is in the register (and metered) at month ``t``."""
        return t >= self.entry

    def town_at(self, t: int) -> str:
        """Current town or park name at month ``t``."""
        return _latest(self.moves, t, self.town)

    def status_at(self, t: int) -> str:
        """经营状态 at month ``t``."""
        return _latest(self.statuses, t, "在营")

    def specialised_at(self, t: int) -> str:
        """专精特新 at month ``t``."""
        return _latest(self.specialised, t, "无")

    def activity_at(self, t: int) -> float:
        """Activity index at month ``t`` (1.0 = the base annual level spread evenly)."""
        return self.activity[t + HISTORY]

    def revenue(self, t: int) -> float:
        """Revenue (yuan) in month ``t``."""
        return self.base_revenue / 12 * self.activity_at(t)

    def kwh(self, account: Account, t: int) -> int | None:
        """kWh of one account in month ``t``; None before the account exists."""
        if t < account.opened or t < -HISTORY:
            return None
        return round(
            self.base_kwh / 12 * self.activity_at(t) * account.share * account.noise[t + HISTORY]
        )

    def figures(self, t: int) -> MonthFigures:
        """Output, revenue, profit, staff, kWh and energy of month ``t`` (zeros before entry).

        A stopped enterprise sells nothing, keeps a third of its staff and loses its fixed
        costs (1.5 % of a normal month's revenue).
        """
        economics = self.economics
        if economics is None:
            raise ValueError(f"{self.name} has no economics (build_county draws them)")
        if not self.exists(t) or t < -HISTORY:
            return NO_FIGURES
        index = t + HISTORY
        activity = self.activity[index]
        normal = self.base_revenue / 12
        revenue = normal * activity * economics.revenue_noise[index]
        profit = revenue * (economics.margin + economics.margin_noise[index])
        if activity == 0:
            profit = -0.015 * normal
        staff = economics.staff * (0.75 + 0.25 * min(activity, 1.2) if activity else 0.3)
        kwh = sum(self.kwh(account, t) or 0 for account in self.accounts)
        return MonthFigures(
            output=normal * activity * economics.output_ratio * economics.output_noise[index],
            revenue=revenue,
            profit=profit,
            staff=max(1, round(staff)),
            kwh=kwh,
            tce=kwh / 10_000 * TCE_PER_10K_KWH * (1 + economics.other_energy),
        )


def draw_economics(seed: int, enterprises: list[Enterprise], months: int) -> None:
    """Give every enterprise its :class:`Economics` from the seed's own ``economics`` stream."""
    rng = random.Random(f"{seed}:economics")
    length = HISTORY + months
    for enterprise in enterprises:
        mine = enterprise.industry == "0610"
        productivity = 2.5e5 if mine else rng.lognormvariate(math.log(8e5), 0.35)
        margin = 0.12 if mine else min(max(rng.normalvariate(0.05, 0.045), -0.08), 0.2)
        other = OTHER_ENERGY.get(enterprise.industry[:2], 0.2) * rng.lognormvariate(0, 0.3)
        enterprise.economics = Economics(
            output_ratio=rng.lognormvariate(0.01, 0.04),
            margin=margin,
            value_added=rng.uniform(0.18, 0.35),
            staff=max(8, round(enterprise.base_revenue / productivity)),
            other_energy=other,
            revenue_noise=tuple(rng.lognormvariate(0, 0.03) for _ in range(length)),
            output_noise=tuple(rng.lognormvariate(0, 0.03) for _ in range(length)),
            margin_noise=tuple(rng.normalvariate(0, 0.015) for _ in range(length)),
        )


def _latest(changes: tuple[tuple[int, str], ...], t: int, default: str) -> str:
    value = default
    for since, new in changes:
        if since <= t:
            value = new
    return value


@dataclass(frozen=True)
class Event:
    """Something a dashboard should show, at month ``t`` (an entry, a stop, a move …)."""

    kind: str
    t: int
    code: str
    name: str
    detail: str


@dataclass
class County:
    """All enterprises (registered ones first, in register order) on one timeline."""

    timeline: Timeline
    enterprises: list[Enterprise]
    rosters: dict[int, frozenset[str]] = field(default_factory=dict)
    pools: dict[int, frozenset[str]] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    @property
    def registered(self) -> list[Enterprise]:
        """Enterprises the bureau's register holds at some month."""
        return [e for e in self.enterprises if e.registered]

    def register_at(self, t: int) -> list[Enterprise]:
        """The register snapshot of month ``t``, in register order."""
        return [e for e in self.registered if e.exists(t)]

    def above_scale(self, enterprise: Enterprise, t: int) -> bool:
        """Whether the enterprise is in the above-scale roster of month ``t``'s year."""
        year = self.timeline.year_month(t)[0]
        return enterprise.code in self.rosters[year]

    def cultivated(self, enterprise: Enterprise, t: int) -> bool:
        """Whether the enterprise is in the 入规培育库 of month ``t``'s year."""
        year = self.timeline.year_month(t)[0]
        return enterprise.code in self.pools[year]

    def calendar_revenue(self, enterprise: Enterprise, year: int) -> float:
        """Revenue (yuan) over one calendar year, counting only months it existed."""
        first = self.timeline.offset(year, 1)
        return sum(
            enterprise.revenue(t)
            for t in range(first, first + 12)
            if -HISTORY <= t < self.timeline.months and enterprise.exists(t)
        )
