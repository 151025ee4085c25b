"""Build the demo county from a seed: enterprises, their dynamics, accounts and rosters.

All randomness comes from one ``random.Random`` stream named after the seed, drawn in a
fixed order; a later extension draws from its own stream (``f"{seed}:economics"``,
``f"{seed}:tax"`` …) so that adding a source never changes the files of the others.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from indmon.demo.model import (
    ABOVE_SCALE_REVENUE,
    LARGE_POWER_KWH,
    LINHUAN_TOWNS,
    STATIONS,
    Account,
    County,
    Enterprise,
    Event,
    draw_economics,
)
from indmon.demo.naming import (
    BRANCH_SUFFIXES,
    PROFILES,
    UNREGISTERED_NAMES,
    IndustryProfile,
    account_number,
    credit_code,
    enterprise_name,
)
from indmon.demo.periods import HISTORY, Timeline
from indmon.demo.reference import Reference

BASE_ENTERPRISES = 592
ENTRANT_OFFSETS = (2, 4, 7, 9, 13, 16, 18, 21)
MINE_TOWNS = ("临涣镇", "临涣镇", "孙疃镇", "韩村镇", "五沟镇", "刘桥镇", "百善镇", "南坪镇")
TOWN_WEIGHTS = {"濉溪镇": 3.0, "刘桥镇": 2.0, "韩村镇": 1.5}
#: Spring Festival dip in January/February, summer peak; normalised to mean 1.
_RAW_SEASON = (0.86, 0.74, 0.98, 1.00, 1.00, 1.04, 1.12, 1.13, 1.03, 1.00, 1.01, 1.05)
SEASON = tuple(f * 12 / sum(_RAW_SEASON) for f in _RAW_SEASON)
KEY_ENTERPRISES = 40
CULTIVATION_POOL = 30


@dataclass
class Dynamics:
    """How one enterprise's activity moves: trend, a level drop, a stop, a half stop."""

    growth: float = 0.0
    drop_at: int | None = None
    drop_factor: float = 1.0
    stop_at: int | None = None
    half_at: int | None = None


def build_county(seed: int, timeline: Timeline, reference: Reference) -> County:
    """The whole county for one seed: register order is establishment order, entrants last."""
    rng = random.Random(f"{seed}:county")
    names: set[str] = set()
    codes: set[str] = set()
    base = [_mine(rng, town, names, codes) for town in MINE_TOWNS]
    base += [
        _enterprise(rng, reference, names, codes) for _ in range(BASE_ENTERPRISES - len(MINE_TOWNS))
    ]
    base.sort(key=lambda e: e.established)
    county = County(timeline, base)
    _assign_flags(rng, county)
    dynamics = {e.code: Dynamics(growth=rng.normalvariate(0.04, 0.08)) for e in base}
    _assign_scenarios(rng, county, dynamics, reference)
    for t in ENTRANT_OFFSETS:
        if t < timeline.months:
            entrant = _entrant(rng, reference, timeline, t, names, codes)
            county.enterprises.append(entrant)
            dynamics[entrant.code] = Dynamics(growth=rng.normalvariate(0.04, 0.08))
            county.events.append(Event("entered", t, entrant.code, entrant.name, entrant.town))
    numbers: set[str] = set()
    for enterprise in county.enterprises:
        enterprise.activity = _activity(rng, timeline, enterprise, dynamics[enterprise.code])
        enterprise.accounts = _accounts(rng, timeline, enterprise, numbers)
    for index, name in enumerate(UNREGISTERED_NAMES):
        county.enterprises.append(_unregistered(rng, timeline, name, index, numbers))
    _rosters(county)
    draw_economics(seed, county.enterprises, timeline.months)
    return county


def _profile(rng: random.Random) -> IndustryProfile:
    return rng.choices(PROFILES, [p.weight for p in PROFILES])[0]


def _industry(rng: random.Random, reference: Reference, profile: IndustryProfile) -> str:
    allowed = reference.classes[profile.division]
    chosen = profile.classes or allowed
    missing = set(chosen) - set(allowed)
    if missing:
        raise ValueError(f"classes {sorted(missing)} are not in the GB/T 4754-2017 reference")
    return rng.choice(chosen)


def _kwh(rng: random.Random, revenue: float, profile: IndustryProfile) -> float:
    """Annual kWh from revenue and the industry's intensity, kept within 50 thousand-100 million."""
    kwh = revenue / profile.intensity * rng.lognormvariate(0, 0.35)
    floor = max(40_000.0, 50_000 * rng.lognormvariate(0, 0.2))
    return min(max(kwh, floor), 100_000_000 * rng.uniform(0.9, 1.0))


def _land(rng: random.Random, revenue: float) -> float | None:
    if rng.random() < 0.08:
        return None
    low, high = (20, 300) if revenue >= ABOVE_SCALE_REVENUE else (2, 30)
    return round(math.exp(rng.uniform(math.log(low), math.log(high))), 1)


def _town(rng: random.Random, reference: Reference, revenue: float) -> str:
    """Parks hold the bigger enterprises."""
    park_share = 0.5 if revenue >= ABOVE_SCALE_REVENUE else 0.12
    if rng.random() < park_share:
        return rng.choices([p.name for p in reference.parks], [0.6, 0.4])[0]
    towns = [t.name for t in reference.towns]
    return rng.choices(towns, [TOWN_WEIGHTS.get(t, 1.0) for t in towns])[0]


def _new(
    rng: random.Random,
    profile: IndustryProfile,
    industry: str,
    town: str,
    revenue: float,
    established: tuple[int, int, int],
    names: set[str],
    codes: set[str],
) -> Enterprise:
    return Enterprise(
        code=credit_code(rng, established[0], codes),
        name=enterprise_name(rng, profile, names),
        industry=industry,
        town=town,
        established=established,
        date_style=rng.choices(("slash", "iso", "compact"), (5, 3, 2))[0],
        land_mu=_land(rng, revenue),
        base_revenue=revenue,
        base_kwh=_kwh(rng, revenue, profile),
    )


def _date(rng: random.Random, first_year: int, last_year: int) -> tuple[int, int, int]:
    return rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28)


def _mine(rng: random.Random, town: str, names: set[str], codes: set[str]) -> Enterprise:
    profile = PROFILES[0]
    revenue = rng.lognormvariate(math.log(5e8), 0.5)
    return _new(rng, profile, "0610", town, revenue, _date(rng, 1996, 2008), names, codes)


def _enterprise(
    rng: random.Random, reference: Reference, names: set[str], codes: set[str]
) -> Enterprise:
    profile = _profile(rng)
    revenue = min(max(rng.lognormvariate(math.log(9e6), 1.1), 3e5), 3e9)
    established = _date(rng, 1996, 2016 if revenue >= ABOVE_SCALE_REVENUE else 2020)
    return _new(
        rng,
        profile,
        _industry(rng, reference, profile),
        _town(rng, reference, revenue),
        revenue,
        established,
        names,
        codes,
    )


def _entrant(
    rng: random.Random,
    reference: Reference,
    timeline: Timeline,
    t: int,
    names: set[str],
    codes: set[str],
) -> Enterprise:
    """A newly registered enterprise that enters the register (and the meters) at month ``t``."""
    profile = _profile(rng)
    revenue = rng.lognormvariate(math.log(1.5e7), 0.9) * (10 if t == 7 else 1)
    year, month = timeline.year_month(t - rng.randint(2, 8))
    entrant = _new(
        rng,
        profile,
        _industry(rng, reference, profile),
        _town(rng, reference, revenue),
        revenue,
        (max(year, 2016), month, rng.randint(1, 28)),
        names,
        codes,
    )
    entrant.entry = t
    return entrant


def _assign_flags(rng: random.Random, county: County) -> None:
    """重点企业 for the largest, 专精特新 among mid-sized makers, 绿色工厂 among the large."""
    by_size = sorted(county.enterprises, key=lambda e: -e.base_revenue)
    for enterprise in by_size[:KEY_ENTERPRISES]:
        enterprise.key_enterprise = True
    makers = [e for e in by_size[15:260] if "13" <= e.industry[:2] <= "43"]
    chosen = rng.sample(makers, 28)
    for enterprise in chosen[:3]:
        enterprise.specialised = ((-HISTORY, "国家级专精特新“小巨人”"),)
    for enterprise in chosen[3:]:
        enterprise.specialised = ((-HISTORY, "省级专精特新"),)
    upgrade = min(18, county.timeline.months - 1)
    chosen[3].specialised += ((upgrade, "国家级专精特新“小巨人”"),)
    county.events.append(
        Event(
            "specialised_upgraded",
            upgrade,
            chosen[3].code,
            chosen[3].name,
            "专精特新 省级专精特新 -> 国家级专精特新“小巨人”",
        )
    )
    green = rng.sample(by_size[:150], 31)
    for enterprise, level in zip(
        green, ["国家级"] * 3 + ["省级"] * 10 + ["市级"] * 18, strict=True
    ):
        enterprise.green = level


def _assign_scenarios(
    rng: random.Random, county: County, dynamics: dict[str, Dynamics], reference: Reference
) -> None:
    """Stops, drops, decline, half stops, promotions and moves, each on distinct enterprises."""
    months = county.timeline.months
    used: set[str] = set()

    def pick(count: int, low: float, high: float, *, towns_only: bool = False) -> list[Enterprise]:
        pool = [
            e
            for e in county.enterprises
            if low <= e.base_revenue < high
            and e.code not in used
            and not e.key_enterprise
            and e.industry != "0610"
            and e.specialised == ()
            and not (towns_only and e.town in {p.name for p in reference.parks})
        ]
        chosen = rng.sample(pool, count)
        used.update(e.code for e in chosen)
        return chosen

    def event(kind: str, t: int, enterprise: Enterprise, detail: str) -> None:
        county.events.append(Event(kind, t, enterprise.code, enterprise.name, detail))

    for enterprise in pick(4, 2e6, 4e7):
        stop = months - rng.randint(7, 9)
        dynamics[enterprise.code].stop_at = stop
        enterprise.statuses = ((stop, "停产"),)
        event("stopped", stop, enterprise, "zero kWh from this month to the end")
    for enterprise in pick(5, 1e7, 3e8):
        drop = dynamics[enterprise.code]
        drop.drop_at, drop.drop_factor = min(rng.randint(6, 12), months - 1), rng.uniform(0.5, 0.65)
        drop.growth = rng.normalvariate(0.0, 0.03)
        event(
            "dropped",
            drop.drop_at,
            enterprise,
            f"activity x{drop.drop_factor:.2f} from this month: year-on-year below -20 %",
        )
    for enterprise in pick(20, 1e6, 1e8):
        dynamics[enterprise.code].growth = rng.uniform(-0.18, -0.08)
    for enterprise in pick(3, 2e6, 4e7):
        half = rng.randint(-6, 10)
        dynamics[enterprise.code].half_at = half
        enterprise.statuses = ((half, "半停产"),)
        event(
            "half_stopped",
            max(half, 0),
            enterprise,
            f"activity x0.45 and 半停产 since {county.timeline.period(half)}",
        )
    for enterprise in pick(4, 1.78e7, 1.95e7):
        dynamics[enterprise.code].growth = 0.35
    parks = [p.name for p in reference.parks]
    for enterprise in pick(3, 1e6, 2e7, towns_only=True):
        moved = min(rng.randint(5, 20), months - 1)
        new_town = rng.choice(parks)
        enterprise.moves = ((moved, new_town),)
        event("moved", moved, enterprise, f"{enterprise.town} -> {new_town}")


def _activity(
    rng: random.Random, timeline: Timeline, enterprise: Enterprise, dynamics: Dynamics
) -> tuple[float, ...]:
    """Monthly activity index: season x trend x noise, with drops, stops and a ramp-up."""
    values = []
    for t in range(-HISTORY, timeline.months):
        month = timeline.year_month(t)[1]
        value = SEASON[month - 1] * math.exp(dynamics.growth * t / 12) * rng.lognormvariate(0, 0.04)
        if dynamics.drop_at is not None and t >= dynamics.drop_at:
            value *= dynamics.drop_factor
        if dynamics.half_at is not None and t >= dynamics.half_at:
            value *= 0.45
        if (dynamics.stop_at is not None and t >= dynamics.stop_at) or t < enterprise.entry:
            value = 0.0
        elif enterprise.entry > -HISTORY:
            value *= min(1.0, (t - enterprise.entry + 1) / 4)
        values.append(value)
    return tuple(values)


def _accounts(
    rng: random.Random, timeline: Timeline, enterprise: Enterprise, numbers: set[str]
) -> list[Account]:
    """1-3 metering accounts: the main one under the enterprise's name, branches suffixed."""
    if enterprise.base_kwh >= 10_000_000:
        count = rng.choice((2, 3))
    elif enterprise.base_kwh >= LARGE_POWER_KWH:
        count = rng.choice((1, 1, 2))
    else:
        count = 1
    shares = [1.0] if count == 1 else [rng.uniform(0.55, 0.8)]
    for index in range(1, count):
        rest = 1.0 - sum(shares)
        shares.append(rest if index == count - 1 else rest * rng.uniform(0.3, 0.7))
    station = STATIONS[1] if enterprise.town in LINHUAN_TOWNS else STATIONS[0]
    accounts = []
    for index, share in enumerate(shares):
        opened = enterprise.entry
        if index and enterprise.entry == -HISTORY and rng.random() < 0.15:
            opened = rng.randint(-11, timeline.months - 4)
        noise = tuple(rng.lognormvariate(0, 0.03) for _ in range(HISTORY + timeline.months))
        kwh = enterprise.base_kwh * share
        accounts.append(
            Account(
                number=account_number(rng, numbers),
                holder=enterprise.name + (BRANCH_SUFFIXES[index - 1] if index else ""),
                share=share,
                opened=opened,
                station=station,
                noise=noise,
                category="大工业用电" if kwh >= LARGE_POWER_KWH else "一般工商业用电",
            )
        )
    return accounts


def _unregistered(
    rng: random.Random, timeline: Timeline, name: str, index: int, numbers: set[str]
) -> Enterprise:
    """A small workshop the utility bills under a name the register never holds, with no code."""
    enterprise = Enterprise(
        code="",
        name=name,
        industry=("3031", "3022")[index],
        town=("临涣镇", "濉溪镇")[index],
        established=(2005, 1, 1),
        date_style="iso",
        land_mu=None,
        base_revenue=2e6,
        base_kwh=rng.uniform(80_000, 300_000),
        registered=False,
    )
    enterprise.activity = _activity(rng, timeline, enterprise, Dynamics())
    enterprise.accounts = _accounts(rng, timeline, enterprise, numbers)
    return enterprise


def _rosters(county: County) -> None:
    """Above-scale roster per year (previous year's revenue) and the cultivation pool."""
    timeline = county.timeline
    for year in timeline.years:
        january = timeline.offset(year, 1)
        revenue = {e.code: county.calendar_revenue(e, year - 1) for e in county.registered}
        roster = frozenset(code for code, value in revenue.items() if value >= ABOVE_SCALE_REVENUE)
        county.rosters[year] = roster
        candidates = [
            e
            for e in county.registered
            if e.code not in roster and e.exists(january) and e.status_at(january) == "在营"
        ]
        candidates.sort(key=lambda e: (-revenue[e.code], e.code))
        county.pools[year] = frozenset(e.code for e in candidates[:CULTIVATION_POOL])
        previous = county.rosters.get(year - 1)
        if previous is None:
            continue
        for enterprise in county.registered:
            if enterprise.code in roster and enterprise.code not in previous:
                county.events.append(
                    Event(
                        "promoted", january, enterprise.code, enterprise.name, "规上企业 否 -> 是"
                    )
                )
            elif enterprise.code in previous and enterprise.code not in roster:
                county.events.append(
                    Event("demoted", january, enterprise.code, enterprise.name, "规上企业 是 -> 否")
                )
