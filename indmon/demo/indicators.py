"""The statistics bureau's county 主要经济指标 release: CSV UTF-8 with BOM and CRLF.

Five rows a month. 规模以上工业增加值 (growth only, comparable prices) follows the
same-scope output growth of the month's above-scale roster; 规模以上工业企业数 is the
roster's size; 工业投资 and 技术改造投资 are year-to-date 万元 from a series of their
own; 工业用电量 is the utility's total of every metered account (whole 万千瓦时) with its
growth against the same month and months a year earlier. In January the statistics rows
(value added, enterprises, investment) are blank: there is no January release.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from indmon.demo.files import Cell, write_csv
from indmon.demo.manifest import DemoFile, SourceOutput
from indmon.demo.model import County
from indmon.demo.periods import HISTORY, Timeline
from indmon.demo.statistics import reported_prior, roster

SOURCE = "indicators"
HEADER = ("指标名称", "计量单位", "本月", "1-本月累计", "本月同比增长（%）", "累计同比增长（%）")
#: Investment by calendar month: slow after the Spring Festival, a rush in December.
_RAW_INVEST = (0.45, 0.55, 0.85, 0.95, 1.0, 1.25, 0.95, 0.95, 1.15, 1.0, 1.05, 1.85)
INVEST_SEASON = tuple(f * 12 / sum(_RAW_INVEST) for f in _RAW_INVEST)
#: Monthly industrial investment (万元) at the start of the model's history.
INVEST_BASE = 60_000.0
RENOVATION_SHARE = 0.3


def file_name(timeline: Timeline, t: int) -> str:
    """``主要经济指标_YYYYMM.csv``."""
    return f"主要经济指标_{timeline.compact(t)}.csv"


def county_kwh(county: County, t: int) -> int:
    """The utility's total kWh of month ``t``: every account metered then."""
    return sum(
        e.kwh(a, t) or 0
        for e in county.enterprises
        if e.exists(t)
        for a in e.accounts
        if a.opened <= t
    )


def investment(seed: int, timeline: Timeline) -> tuple[list[float], list[float]]:
    """Monthly industrial and technical-renovation investment (万元), indexed ``t + HISTORY``."""
    rng = random.Random(f"{seed}:{SOURCE}:investment")
    total, renovation = [], []
    level, share = INVEST_BASE, RENOVATION_SHARE
    growth = {
        year: (rng.uniform(0.06, 0.2), rng.uniform(0.0, 0.06))
        for year in range(timeline.year_month(-HISTORY)[0], timeline.years[-1] + 1)
    }
    for t in range(-HISTORY, timeline.months):
        year, month = timeline.year_month(t)
        level *= math.exp(growth[year][0] / 12)
        share *= math.exp(growth[year][1] / 12)
        value = level * INVEST_SEASON[month - 1] * rng.lognormvariate(0, 0.05)
        total.append(value)
        renovation.append(value * min(share, 0.6) * rng.lognormvariate(0, 0.05))
    return total, renovation


def write_indicators(landing: Path, county: County, seed: int) -> SourceOutput:
    """Write every month's release; report the files."""
    timeline = county.timeline
    output = SourceOutput([], [], [])
    total, renovation = investment(seed, timeline)
    for t in timeline.offsets:
        year, month = timeline.year_month(t)
        january = timeline.offset(year, 1)
        ytd = range(january, t + 1)
        kwh_now = [county_kwh(county, s) for s in ytd]
        kwh_before = [county_kwh(county, s - 12) for s in ytd]
        rows: list[list[Cell]] = [
            ["规模以上工业增加值", "%", "", "", "", ""],
            ["规模以上工业企业数", "个", "", "", "", ""],
            ["工业投资", "万元", "", "", "", ""],
            ["技术改造投资", "万元", "", "", "", ""],
            [
                "工业用电量",
                "万千瓦时",
                round(kwh_now[-1] / 10_000),
                round(sum(kwh_now) / 10_000),
                growth(kwh_now[-1], kwh_before[-1]),
                growth(sum(kwh_now), sum(kwh_before)),
            ],
        ]
        if month > 1:
            rows[0][4] = value_added(county, t, (t,))
            rows[0][5] = value_added(county, t, ytd)
            rows[1][2] = len(roster(county, t))
            for row, series in ((rows[2], total), (rows[3], renovation)):
                now = sum(series[s + HISTORY] for s in ytd)
                row[3] = round(now / 100) * 100
                row[5] = growth(now, sum(series[s - 12 + HISTORY] for s in ytd))
        period, name = timeline.period(t), file_name(timeline, t)
        write_csv(
            landing / SOURCE / period / name, [list(HEADER), *rows], encoding="utf-8", bom=True
        )
        output.files.append(DemoFile(SOURCE, period, name, len(rows)))
    return output


def growth(now: float, before: float) -> str:
    """Growth in % with one decimal, blank when there is nothing to compare with."""
    return f"{(now / before - 1) * 100:.1f}" if before else ""


def output_growth(county: County, t: int, months: range | tuple[int, ...]) -> float:
    """Same-scope nominal output growth (%) of the month's roster over ``months``."""
    now = before = 0.0
    for enterprise in roster(county, t):
        if reported_prior(county, enterprise, t):
            now += sum(enterprise.figures(s).output for s in months)
            before += sum(enterprise.figures(s - 12).output for s in months)
    return (now / before - 1) * 100 if before else 0.0


def value_added(county: County, t: int, months: range | tuple[int, ...]) -> str:
    """Value added growth at comparable prices: follows nominal growth, kept within 5-12 %."""
    value = 8.0 + 1.2 * (output_growth(county, t, months) - 3.5)
    return f"{min(max(value, 5.0), 12.0):.1f}"
