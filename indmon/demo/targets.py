"""The county's 年度目标: one file a year in ``targets/<YYYY>/`` (2021 CSV, 2022 workbook).

Targets are placed around what the year will actually bring, as the model knows it, so
that the last year's picture is mixed: some targets ahead of the stretch, some on track,
some behind the floor. Where the model knows the outcome exactly (investment from the
project library, the published value added) the margin is a point or two; where it only
approximates what the pipeline will compute (electricity, new above-scale enterprises)
it is wider. Each target's intended status is recorded in the manifest.
"""

from __future__ import annotations

import math
import random
from decimal import Decimal
from pathlib import Path

from indmon.demo.files import Cell, write_csv
from indmon.demo.indicators import county_kwh, value_added
from indmon.demo.manifest import DemoFile, DemoTarget, SourceOutput
from indmon.demo.model import County
from indmon.demo.projects import ProjectPlan, plan_projects
from indmon.demo.statistics import roster
from indmon.demo.tax import new_workbook, write_cells

SOURCE = "targets"
HEADER = ("年度", "区域", "指标", "目标值", "力争值", "计量单位")
COUNTY, PARK, TOWN = "濉溪县", "安徽省濉溪经济开发区", "濉溪镇"
#: The park as the 2022 workbook writes it: by its former name.
PARK_FORMER = "濉溪经济开发区"


def _december(county: County, year: int) -> int:
    return county.timeline.offset(year, 12)


def _investment(
    plan: ProjectPlan, county: County, year: int, *, renovation: bool, town: str | None
) -> Decimal:
    """Σ 1-本月累计完成投资 (万元) of December ``year`` over the listed projects."""
    t = _december(county, year)
    return sum(
        (
            plan.year_to_date(p, t, county.timeline)
            for p in plan.projects
            if plan.listed(p, t, county.timeline)
            and (not renovation or p.nature == "技术改造")
            and (town is None or p.town == town)
        ),
        Decimal(0),
    )


def _growth(now: float, before: float) -> float | None:
    return 100 * (now / before - 1) if before > 0 else None


def _new_above_scale(county: County, year: int) -> int:
    def seen(y: int) -> set[str]:
        return {
            e.code
            for month in range(2, 13)
            for e in roster(county, county.timeline.offset(y, month))
        }

    return len(seen(year) - seen(year - 1))


def _kwh_growth(county: County, year: int) -> float | None:
    months = [county.timeline.offset(year, m) for m in range(1, 13)]
    return _growth(
        sum(county_kwh(county, t) for t in months), sum(county_kwh(county, t - 12) for t in months)
    )


def _place(rng: random.Random, estimate: float, status: str, margin: float) -> tuple[float, float]:
    """Floor and stretch (halves) so that ``estimate`` lands ``status`` with ``margin`` to spare."""
    spare = margin + rng.choice((0.0, 0.5, 1.0))
    if status == "ahead":
        stretch = _half_down(estimate - spare)
        return stretch - 2.0, stretch
    if status == "behind":
        floor = _half_up(estimate + spare)
        return floor, floor + 2.0
    return _half_down(estimate - spare), _half_up(estimate + spare)


def _half_down(value: float) -> float:
    return math.floor(value * 2) / 2


def _half_up(value: float) -> float:
    return math.ceil(value * 2) / 2


def _target(
    rng: random.Random,
    year: int,
    region: str,
    name: str,
    estimate: float | None,
    status: str,
    margin: float,
    unit: str = "%",
) -> DemoTarget | None:
    """A target placed so that ``estimate`` reaches ``status`` (none without an estimate)."""
    if estimate is None:
        return None
    floor, stretch = _place(rng, estimate, status, margin)
    return DemoTarget(year, region, name, floor, stretch, unit, status)


def year_targets(
    rng: random.Random, county: County, plan: ProjectPlan, year: int
) -> list[DemoTarget]:
    """The targets of one year: the county's, the park's and a town's."""
    first = year == county.timeline.years[0]
    december = _december(county, year)
    january = county.timeline.offset(year, 1)

    def invest(y: int, *, renovation: bool = False, town: str | None = None) -> float:
        return float(_investment(plan, county, y, renovation=renovation, town=town))

    def growth(*, renovation: bool = False, town: str | None = None) -> float | None:
        if first:
            return None  # no project library of the year before
        before = invest(year - 1, renovation=renovation, town=town)
        return _growth(invest(year, renovation=renovation, town=town), before)

    published = float(value_added(county, december, range(january, december + 1)))
    candidates = [
        _target(rng, year, COUNTY, "规模以上工业增加值增长", published, "ahead", 1.0),
        _target(rng, year, COUNTY, "工业投资增长", growth(), "behind", 1.0),
        _target(rng, year, COUNTY, "技术改造投资增长", growth(renovation=True), "ahead", 1.0),
        _target(
            rng,
            year,
            COUNTY,
            "新增规上工业企业",
            None if first else float(_new_above_scale(county, year)),
            "on_track",
            3.0,
            "个",
        ),
        _target(rng, year, COUNTY, "工业用电量增长", _kwh_growth(county, year), "behind", 3.5),
        _target(rng, year, PARK, "工业投资增长", growth(town=PARK), "on_track", 1.5),
    ]
    targets = [t for t in candidates if t is not None]
    town_total = invest(year, town=TOWN)
    if town_total > 0:
        floor = round(town_total * 1.1, -1)
        targets.append(
            DemoTarget(year, TOWN, "工业投资", floor, round(floor * 1.15, -1), "万元", "behind")
        )
    return targets


def write_targets(landing: Path, county: County, seed: int) -> SourceOutput:
    """Write each whole year's targets; record them with their intended status."""
    rng = random.Random(f"{seed}:{SOURCE}")
    plan = plan_projects(county, seed)
    output = SourceOutput([], [], [])
    last_year = county.timeline.years[-1]
    for year in county.timeline.years:
        if _december(county, year) >= county.timeline.months:
            continue  # the year is not whole in the demo: no targets for it
        targets = year_targets(rng, county, plan, year)
        output.targets.extend(targets)
        _write(landing, year, targets, output, as_workbook=year == last_year)
    return output


def _write(
    landing: Path, year: int, targets: list[DemoTarget], output: SourceOutput, *, as_workbook: bool
) -> None:
    rows: list[list[Cell]] = [
        [
            t.year,
            PARK_FORMER if as_workbook and t.region == PARK else t.region,
            t.target_name,
            _number(t.floor),
            _number(t.stretch),
            t.unit,
        ]
        for t in targets
    ]
    folder = landing / SOURCE / str(year)
    if as_workbook:
        name = f"{year}年工业经济主要目标.xlsx"
        path = folder / name
        workbook = new_workbook(path)
        sheet = workbook.add_worksheet("Sheet1")
        write_cells(sheet, 0, [f"濉溪县{year}年工业经济主要目标任务"])
        write_cells(sheet, 1, list(HEADER))
        for index, row in enumerate(rows):
            write_cells(sheet, 2 + index, row)
        workbook.close()
    else:
        name = f"年度目标_{year}.csv"
        write_csv(folder / name, [list(HEADER), *rows], encoding="utf-8", bom=True)
    output.files.append(DemoFile(SOURCE, str(year), name, len(rows), kept_rows=len(rows)))


def _number(value: float) -> Cell:
    return int(value) if value == int(value) else value
