"""The bureau's 工业项目库: one workbook a month, one row per project, money in 万元.

Every month's completed investment is the county's 工业投资 series of the published
release (``indicators.investment``), shared among the projects under way that month; the
技术改造 series among the renovation projects. A project belongs to a registered demo
enterprise and is built in the town or park where its investor is when it is planned.
It is listed two months before it starts (谋划, nothing completed), while it is built
(在建), and for the rest of the year it finished in (竣工, then 投产), so that the sum of
1-本月累计完成投资 over a month's rows is the county's year to date; in January every
cumulative figure restarts.

The mess: money written as text with thousands separators in some months, the parks'
former names in 2021, 技改 for 技术改造 in some rows, typed credit codes, an investor code
mistyped and one left blank (both load: the investment counts without the enterprise),
a 合计 row in the quarter-end months, and two injected faults (a 待核 figure, an exact
duplicate row).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from indmon.demo.files import Cell, write_xlsx
from indmon.demo.indicators import investment
from indmon.demo.manifest import DemoEvent, DemoFile, InjectedFault, SourceOutput
from indmon.demo.model import ABOVE_SCALE_REVENUE, County, Enterprise
from indmon.demo.naming import mistype
from indmon.demo.periods import HISTORY, Timeline

SOURCE = "projects"
HEADER = (
    "项目代码",
    "项目名称",
    "项目单位统一社会信用代码",
    "建设性质",
    "所在乡镇（园区）",
    "总投资（万元）",
    "本年计划投资（万元）",
    "1-本月累计完成投资（万元）",
    "开工日期",
    "计划投产日期",
    "项目状态",
)
FIRST_ROW = 2
RENOVATION, NEW, EXTENSION = "技术改造", "新建", "扩建"
NATURE_CODE = {NEW: "01", EXTENSION: "02", RENOVATION: "03"}
#: Month offsets with injected faults: a 待核 figure, an exact duplicate row.
FAULTS = {4: "not_a_number", 21: "exact_duplicate"}
TEXT_MONEY_MONTHS = (7, 15)
FORMER_PARK_NAMES = {"安徽省濉溪经济开发区": "濉溪经济开发区", "濉溪芜湖现代产业园区": "濉芜产业园"}
PRODUCTS = (
    "智能化生产线",
    "年产10万吨新材料",
    "高端装备制造",
    "绿色化改造",
    "数字化车间",
    "精深加工",
    "节能降耗",
    "产能提升",
)


@dataclass(frozen=True)
class Project:
    """One project: its investor, where it is built, when, and its share of each month."""

    code: str
    name: str
    investor: Enterprise
    credit_code: str  # as the library writes it
    nature: str
    town: str
    start: int
    end: int
    weight: float


@dataclass(frozen=True)
class ProjectPlan:
    """Every project and each one's completed investment per month (万元, one decimal)."""

    projects: tuple[Project, ...]
    monthly: dict[tuple[str, int], Decimal]

    def year_to_date(self, project: Project, t: int, timeline: Timeline) -> Decimal:
        """1-本月累计完成投资 of ``project`` at month ``t`` (万元)."""
        january = timeline.offset(timeline.year_month(t)[0], 1)
        return sum(
            (self.monthly.get((project.code, s), Decimal(0)) for s in range(january, t + 1)),
            Decimal(0),
        )

    def listed(self, project: Project, t: int, timeline: Timeline) -> bool:
        """Whether the month's library lists the project (planned, built, or finished this year)."""
        same_year = timeline.year_month(t)[0] == timeline.year_month(project.end)[0]
        return project.start - 2 <= t and (t <= project.end or same_year)

    def status(self, project: Project, t: int) -> str:
        """项目状态 at month ``t``."""
        if t < project.start:
            return "谋划"
        if t < project.end:
            return "在建"
        return "竣工" if t <= project.end + 1 else "投产"


def plan_projects(county: County, seed: int) -> ProjectPlan:
    """The county's projects for the seed, and the share of each month each one completed."""
    rng = random.Random(f"{seed}:{SOURCE}")
    timeline = county.timeline
    last = timeline.months - 1
    spans: list[tuple[str, int, int]] = [(RENOVATION, 0, last + 6), (NEW, -4, last + 9)]
    for _ in range(14):
        start = rng.randint(-6, last - 1)
        spans.append((RENOVATION, start, start + rng.randint(3, 10)))
    for _ in range(30):
        start = rng.randint(-6, last - 1)
        spans.append((rng.choice((NEW, NEW, EXTENSION)), start, start + rng.randint(4, 18)))
    projects = []
    taken: set[str] = set()
    for index, (nature, start, end) in enumerate(spans):
        investor = _investor(rng, county, max(start - 2, 0), nature)
        planned = max(start - 2, 0)
        year = timeline.year_month(planned)[0]
        prefix = f"{year}-340621-{investor.industry[:2]}-{NATURE_CODE[nature]}"
        code = f"{prefix}-{rng.randint(1, 99999):06d}"
        while code in taken:
            code = f"{prefix}-{rng.randint(1, 99999):06d}"
        taken.add(code)
        written = investor.code
        if index == 5:
            written = mistype(rng, investor.code)
        elif index == 11:
            written = ""
        elif rng.random() < 0.1:
            written = "'" + investor.code.lower()
        stem = investor.name.split("有限")[0].removesuffix("科技").removesuffix("股份")
        product = rng.choice(PRODUCTS)
        projects.append(
            Project(
                code=code,
                name=f"{stem}{product}{'技术改造' if nature == RENOVATION else nature}项目",
                investor=investor,
                credit_code=written,
                nature=nature,
                town=investor.town_at(planned),
                start=start,
                end=end,
                weight=rng.lognormvariate(0, 0.6),
            )
        )
    total, renovation = investment(seed, timeline)
    monthly: dict[tuple[str, int], Decimal] = {}
    for t in timeline.offsets:
        for kind, amount in (
            (True, renovation[t + HISTORY]),
            (False, total[t + HISTORY] - renovation[t + HISTORY]),
        ):
            active = [
                p for p in projects if p.start <= t <= p.end and (p.nature == RENOVATION) == kind
            ]
            weights = sum(p.weight for p in active)
            for project in active:
                share = Decimal(f"{amount * project.weight / weights:.1f}")
                monthly[(project.code, t)] = share
    return ProjectPlan(tuple(projects), monthly)


def _investor(rng: random.Random, county: County, t: int, nature: str) -> Enterprise:
    """A registered enterprise trading at ``t``; renovation by established, larger ones."""
    pool = [
        e
        for e in county.register_at(t)
        if e.status_at(t) == "在营"
        and e.industry != "0610"
        and (nature != RENOVATION or e.base_revenue >= ABOVE_SCALE_REVENUE / 2)
    ]
    return rng.choices(pool, [e.base_revenue**0.5 for e in pool])[0]


def file_name(timeline: Timeline, t: int) -> str:
    """``工业项目库_YYYYMM.xlsx``."""
    return f"工业项目库_{timeline.compact(t)}.xlsx"


def write_projects(landing: Path, county: County, seed: int) -> SourceOutput:
    """Write every month's project library; report files, faults and the odd investor code."""
    timeline = county.timeline
    plan = plan_projects(county, seed)
    output = SourceOutput([], [], [])
    for project in plan.projects:
        if project.credit_code != project.investor.code and not project.credit_code.startswith("'"):
            kind = (
                "project_investor_blank" if not project.credit_code else "project_investor_mistyped"
            )
            output.events.append(
                DemoEvent(
                    kind,
                    timeline.period(max(project.start - 2, 0)),
                    project.investor.code,
                    project.investor.name,
                    f"{project.code}: 项目单位统一社会信用代码 '{project.credit_code}'",
                )
            )
    for t in timeline.offsets:
        period, name = timeline.period(t), file_name(timeline, t)
        rows = [
            row
            for project in plan.projects
            if (row := _row(plan, project, t, timeline)) is not None
        ]
        faults: list[InjectedFault] = []
        if t in FAULTS:
            rows, faults = _inject(rows, FAULTS[t], period, name)
        kept = [
            row
            for n, row in enumerate(rows, start=FIRST_ROW)
            if n not in {f.row_number for f in faults}
        ]
        table: list[list[Cell]] = [list(HEADER), *rows]
        if timeline.year_month(t)[1] % 3 == 0 and t not in FAULTS:
            table.append(_total(rows))
        write_xlsx(landing / SOURCE / period / name, table, thousands=(5, 6))
        output.files.append(
            DemoFile(
                SOURCE,
                period,
                name,
                len(rows),
                kept_rows=len(kept),
                kept_total=str(sum((_wan(row[7]) for row in kept), Decimal(0))),
            )
        )
        output.faults.extend(faults)
    return output


def _row(plan: ProjectPlan, project: Project, t: int, timeline: Timeline) -> list[Cell] | None:
    if not plan.listed(project, t, timeline):
        return None
    year = timeline.year_month(t)[0]
    ytd = plan.year_to_date(project, t, timeline)
    life = sum((v for (code, _), v in plan.monthly.items() if code == project.code), Decimal(0))
    this_year = sum(
        (
            v
            for (code, s), v in plan.monthly.items()
            if code == project.code and timeline.year_month(s)[0] == year
        ),
        Decimal(0),
    )
    town = project.town
    if year == 2021:
        town = FORMER_PARK_NAMES.get(town, town)
    nature = "技改" if project.nature == RENOVATION and t % 5 == 0 else project.nature
    as_text = t in TEXT_MONEY_MONTHS
    started = date(*timeline.year_month(project.start), 1 + int(project.code[-2:]) % 28)
    operating = date(*timeline.year_month(project.end + 2), 28)
    return [
        project.code,
        project.name,
        project.credit_code or None,
        nature,
        town,
        _money(Decimal(max(round(life * Decimal("0.012")) * 100, 100)), as_text),
        _money(Decimal(round(this_year * Decimal("0.11")) * 10), as_text),
        _money(ytd, as_text),
        started if t >= project.start - 1 else None,
        operating,
        plan.status(project, t),
    ]


def _money(value: Decimal, as_text: bool) -> Cell:
    if as_text:
        return f"{value:,.1f}"
    return int(value) if value == value.to_integral_value() else float(value)


def _wan(cell: Cell) -> Decimal:
    return Decimal(str(cell).replace(",", ""))


def _total(rows: list[list[Cell]]) -> list[Cell]:
    sums = [sum((_wan(row[c]) for row in rows), Decimal(0)) for c in (5, 6, 7)]
    return [None, "合计", None, None, None, *(float(s) for s in sums), None, None, None]


def _inject(
    rows: list[list[Cell]], kind: str, period: str, name: str
) -> tuple[list[list[Cell]], list[InjectedFault]]:
    """Break one row of the month as people do; return the rows and the fault."""
    at = min(5, len(rows) - 1)
    if kind == "not_a_number":
        rows[at][7] = "待核"
        row_number = FIRST_ROW + at
        detail, value = "1-本月累计完成投资 written 待核", "待核"
    else:
        rows.insert(at + 1, list(rows[at]))
        row_number = FIRST_ROW + at + 1
        detail, value = "the same project row twice", str(rows[at][7])
    fault = InjectedFault(SOURCE, period, name, row_number, kind, detail, str(rows[at][0]), value)
    return rows, [fault]
