"""The demo county's enterprise model: who exists when, where, how big, and each month's activity.

Every source writer reads from this model, so the registry, the utility's meters and
(later) tax and statistics files tell one consistent story. Arrays are indexed by
``t + HISTORY`` where ``t`` is the month offset from the first generated period.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indmon.demo.periods import HISTORY, Timeline

#: Revenue (yuan per year) from which an enterprise belongs in the above-scale roster.
ABOVE_SCALE_REVENUE = 20_000_000
LARGE_POWER_KWH = 1_000_000

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
        return round(self.base_kwh / 12 * self.activity_at(t) * account.share
                     * account.noise[t + HISTORY])


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
        return sum(enterprise.revenue(t) for t in range(first, first + 12)
                   if -HISTORY <= t < self.timeline.months and enterprise.exists(t))
