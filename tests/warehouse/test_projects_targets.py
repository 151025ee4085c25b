"""Investment from the project library and progress against the annual targets, by hand.

Figures in the comments are 万元 as written in the files; the warehouse holds yuan.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.files import code, project_row, write_projects_xlsx, write_targets_csv
from tests.warehouse.helpers import load_month, rows, snapshot

A, B, C, D, E = code(1), code(2), code(3), code(4), code(5)
COUNTY, SUIXI, LIUQIAO = "340621000000", "340621100000", "340621102000"
WAN = 10_000
BAD_CODE = A[:-1] + ("0" if A[-1] != "0" else "1")

#: period -> (project, investor, completed 1-本月 万元, 建设性质, town)
PROJECTS = {
    "2021-02": [("P1", A, 100, "新建", "濉溪镇"), ("P2", B, 40, "技术改造", "刘桥镇")],
    "2021-03": [("P1", A, 150, "新建", "濉溪镇"), ("P2", B, 60, "技术改造", "刘桥镇")],
    # A new year: P1's cumulative restarts, P2 is finished, P3 and P4 start.
    "2022-01": [("P1", A, 30, "新建", "濉溪镇"), ("P3", B, 20, "技术改造", "刘桥镇")],
    "2022-02": [("P1", A, 60, "新建", "濉溪镇"), ("P3", B, 35, "技术改造", "刘桥镇")],
    "2022-03": [
        ("P1", A, 90, "新建", "濉溪镇"),
        ("P3", B, 50, "技术改造", "刘桥镇"),
        ("P4", BAD_CODE, 10, "扩建", "濉溪镇"),  # an investor code that fails its check
    ],
}

#: Planned projects with nothing spent yet, by three more investors in each town: every
#: figure below is then about at least three enterprises, so none is suppressed.
PLANNED = [
    ("F1", C, 0, "技术改造", "濉溪镇"),
    ("F2", D, 0, "技术改造", "濉溪镇"),
    ("F3", E, 0, "技术改造", "濉溪镇"),
    ("F4", D, 0, "技术改造", "刘桥镇"),
    ("F5", E, 0, "技术改造", "刘桥镇"),
]

TARGETS_2022 = [
    [2022, "濉溪县", "工业投资增长", -30, -20, "%"],
    [2022, "濉溪县", "技术改造投资增长", 0, 10, "%"],
    [2022, "濉溪县", "工业用电量增长", 5, 8, "%"],
    [2022, "刘桥镇", "技术改造投资增长", -20, -10, "%"],
    [2022, "濉溪镇", "工业投资", 300, 380, "万元"],
]


def _land(landing: Path, period: str) -> None:
    write_projects_xlsx(
        landing / "projects" / period / f"项目库_{period}.xlsx",
        [
            project_row(p, investor, done, nature=nature, town=town)
            for p, investor, done, nature, town in PROJECTS[period] + PLANNED
        ],
    )


def _investment(engine: sa.Engine, indicator: str, region: str = COUNTY) -> dict[str, tuple]:
    return {
        r.period: (r.value, r.value_ytd, r.yoy_pct, r.ytd_yoy_pct)
        for r in rows(
            engine,
            "SELECT * FROM mart_indicator_month WHERE indicator = :i AND region_code = :r",
            i=indicator,
            r=region,
        )
    }


def _progress(engine: sa.Engine) -> dict[tuple[str, str], tuple]:
    return {
        (r.region_code, r.indicator): (
            r.actual_value,
            r.actual_period,
            r.expected_share,
            r.status,
        )
        for r in rows(engine, "SELECT * FROM mart_target_progress WHERE year = 2022")
    }


def test_investment_year_to_date_month_and_growth(engine: sa.Engine, landing: Path) -> None:
    for period in ("2021-02", "2021-03", "2022-01", "2022-03"):
        _land(landing, period)
        load_month(engine, landing, period)
    industrial = _investment(engine, "industrial_investment_yuan")
    assert industrial == {
        "2021-02": (None, 140 * WAN, None, None),  # January not loaded: no single month
        "2021-03": (70 * WAN, 210 * WAN, None, None),
        "2022-01": (50 * WAN, 50 * WAN, None, None),  # January's month is its year to date
        # 2022-02 not loaded: no single month for March; year to date on 2021-03's 210.
        "2022-03": (None, 150 * WAN, None, pytest.approx(100 * (150 / 210 - 1))),
    }
    renovation = _investment(engine, "renovation_investment_yuan")
    assert renovation["2022-03"] == (None, 50 * WAN, None, pytest.approx(100 * (50 / 60 - 1)))
    suixi = _investment(engine, "industrial_investment_yuan", SUIXI)
    assert suixi["2022-03"] == (None, 100 * WAN, None, pytest.approx(100 * (100 / 150 - 1)))
    assert _investment(engine, "renovation_investment_yuan", SUIXI)["2022-03"][1] == 0
    liuqiao = _investment(engine, "renovation_investment_yuan", LIUQIAO)
    assert liuqiao["2022-03"][1] == 50 * WAN
    assert (
        len(
            rows(
                engine,
                "SELECT 1 FROM mart_indicator_month WHERE period = '2022-03' "
                "AND indicator = 'industrial_investment_yuan'",
            )
        )
        == 14
    )

    # February arrives late: March's single month and its growth are rebuilt.
    _land(landing, "2022-02")
    load_month(engine, landing, "2022-02")
    industrial = _investment(engine, "industrial_investment_yuan")
    # 2021-02 has a year to date (the file is cumulative) but no single month.
    assert industrial["2022-02"] == (45 * WAN, 95 * WAN, None, pytest.approx(100 * (95 / 140 - 1)))
    assert industrial["2022-03"][:3] == (55 * WAN, 150 * WAN, pytest.approx(100 * (55 / 70 - 1)))

    (p4,) = rows(engine, "SELECT * FROM fact_project WHERE project_code = 'P4'")
    assert (p4.credit_code, p4.credit_code_delivered, p4.is_registered) == (None, BAD_CODE, False)
    assert (p4.region_code, p4.completed_ytd_yuan) == (SUIXI, 10 * WAN)


def test_target_progress_follows_every_load(engine: sa.Engine, landing: Path) -> None:
    write_targets_csv(landing / "targets" / "2022" / "2022年目标.csv", TARGETS_2022)
    for period in ("2021-02", "2021-03"):
        _land(landing, period)
        load_month(engine, landing, period)
    assert rows(engine, "SELECT * FROM mart_target_progress") == []  # no targets for 2021

    _land(landing, "2022-01")
    loads = load_month(engine, landing, "2022-01")
    assert (loads["targets"].period, loads["targets"].status) == ("2022", "loaded")
    # January: no growth yet (2021-01 is not loaded); 濉溪镇 has 30 against
    # 300 × 1/12 = 25 (floor) and 380 × 1/12 = 31.7 (stretch).
    assert _progress(engine) == {
        (COUNTY, "industrial_investment_yuan"): (None, None, None, "no_data"),
        (COUNTY, "renovation_investment_yuan"): (None, None, None, "no_data"),
        (COUNTY, "electricity_kwh"): (None, None, None, "no_data"),
        (LIUQIAO, "renovation_investment_yuan"): (None, None, None, "no_data"),
        (SUIXI, "industrial_investment_yuan"): (
            30 * WAN,
            "2022-01",
            pytest.approx(1 / 12),
            "on_track",
        ),
    }
    (value,) = rows(engine, "SELECT * FROM mart_target_progress WHERE measure = 'value'")
    assert (value.target_name, value.unit) == ("工业投资", "yuan")
    assert (value.floor_value, value.stretch_value) == (300 * WAN, 380 * WAN)

    _land(landing, "2022-03")
    loads = load_month(engine, landing, "2022-03")
    assert loads["targets"].status == "unchanged"
    assert _progress(engine) == {
        # 150 against 210 a year earlier: -28.6 %, between the floor -30 and the stretch -20.
        (COUNTY, "industrial_investment_yuan"): (
            pytest.approx(100 * (150 / 210 - 1)),
            "2022-03",
            None,
            "on_track",
        ),
        # Renovation 50 against 60: -16.7 %, below the county's floor of 0, within 刘桥镇's.
        (COUNTY, "renovation_investment_yuan"): (
            pytest.approx(100 * (50 / 60 - 1)),
            "2022-03",
            None,
            "behind",
        ),
        (COUNTY, "electricity_kwh"): (None, None, None, "no_data"),
        (LIUQIAO, "renovation_investment_yuan"): (
            pytest.approx(100 * (50 / 60 - 1)),
            "2022-03",
            None,
            "on_track",
        ),
        # 濉溪镇: 90 + 10 (P4, investor unknown) = 100 against 75 and 95 (3/12 of the year).
        (SUIXI, "industrial_investment_yuan"): (100 * WAN, "2022-03", 0.25, "ahead"),
    }
    before = snapshot(engine)
    assert {load.status for load in load_month(engine, landing, "2022-03").values()} == {
        "unchanged"
    }
    assert snapshot(engine) == before


def test_targets_re_sent_replace_the_year(engine: sa.Engine, landing: Path) -> None:
    path = landing / "targets" / "2022" / "目标.csv"
    write_targets_csv(path, TARGETS_2022)
    load_month(engine, landing, "2022-05")
    write_targets_csv(path, [[2022, "濉溪县", "工业投资增长", 10, 15, "%"]])
    loads = load_month(engine, landing, "2022-06")
    assert loads["targets"].status == "loaded"
    assert [
        tuple(r) for r in rows(engine, "SELECT year, region_code, indicator FROM fact_target")
    ] == [(2022, COUNTY, "industrial_investment_yuan")]
    assert [r.status for r in rows(engine, "SELECT status FROM mart_target_progress")] == [
        "no_data"
    ]
