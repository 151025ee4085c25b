"""The project-library contract on real workbooks, with the mess real deliveries carry."""

from __future__ import annotations

from pathlib import Path

import pytest

from indmon.catalogue import SOURCES
from indmon.steps import PreparedPeriod, prepare_period
from tests.files import PROJECTS_HEADER, code, project_row, write_projects_xlsx, write_xlsx

A, B = code(1), code(2)


def _prepare(path: Path, period: str = "2022-03") -> PreparedPeriod:
    return prepare_period(SOURCES["projects"], period, [path])


def test_messy_rows_are_normalised_and_money_is_in_yuan(tmp_path: Path) -> None:
    # Half-width brackets and stray spaces in the headers, columns in another order, an
    # extra column; numbers as text with separators, full-width digits, a trailing 万元;
    # a former town name; 技改 for 技术改造; a typed code; a 合计 row and a note.
    header = [
        "项目名称",
        " 项目代码 ",
        "项目单位统一社会信用代码",
        "建设性质",
        "所在乡镇(园区)",
        "总投资(万元)",
        "本年计划投资(万元)",
        "1-本月累计完成投资(万元)",
        "开工日期",
        "计划投产日期",
        "项目状态",
        "备注说明",
    ]
    rows = [
        [
            "电池铝箔项目",
            "P-1",
            "'" + A.lower(),
            "扩建",
            "孙町镇",
            "150,000",
            "60000",
            "14,820.5",
            "2021/9/15",
            "20230630",
            "在建",
            "省重点",
        ],
        [
            "手套改造项目",
            "P-2",
            "９１" + B[2:],
            "技改",
            "濉溪经济开发区",
            "３２０００",
            "—",
            "6100万元",
            "2022-02-20",
            None,
            " 在 建 ",
            None,
        ],
        [
            "化工延链项目",
            "P-3",
            B,
            "新建",
            "濉溪县",
            80000,
            10000,
            0,
            None,
            "2024-12-31",
            "谋划",
            None,
        ],
    ]
    total = [None, "合计", None, None, None, 262000, 70000, 20920.5, None, None, None, None]
    path = write_xlsx(tmp_path / "项目库.xlsx", [header, *rows, total, ["注：金额单位为万元。"]])
    prepared = _prepare(path)
    assert prepared.split is not None and prepared.split.held.is_empty()
    valid = {r["project_code"]: r for r in prepared.split.valid.iter_rows(named=True)}
    assert valid["P-1"]["credit_code"] == A
    assert valid["P-1"]["region_code"] == "340621109000"  # 孙町镇 is 孙疃镇's former name
    assert valid["P-1"]["completed_ytd_yuan"] == 148_205_000
    assert valid["P-1"]["total_investment_yuan"] == 1_500_000_000
    assert str(valid["P-1"]["started_on"]) == "2021-09-15"
    assert str(valid["P-1"]["planned_operation_on"]) == "2023-06-30"
    assert valid["P-2"]["nature"] == "技术改造" and valid["P-2"]["status"] == "在建"
    assert valid["P-2"]["credit_code"] == B and valid["P-2"]["region_code"] == "340621400000"
    assert valid["P-2"]["planned_year_yuan"] is None
    assert valid["P-2"]["total_investment_yuan"] == 320_000_000
    assert valid["P-2"]["completed_ytd_yuan"] == 61_000_000
    assert valid["P-3"]["region_code"] == "340621000000"  # a county-level project
    assert valid["P-3"]["completed_ytd_yuan"] == 0


def test_rows_that_cannot_be_used_are_held_with_file_row_and_column(tmp_path: Path) -> None:
    path = write_projects_xlsx(
        tmp_path / "项目库.xlsx",
        [
            project_row("P-1", A, 100),
            project_row("", A, 100),
            project_row("P-3", A, "待核"),
            project_row("P-4", A, 100, started="2022-13-45"),
            project_row("P-5", A, 100, nature="改建"),
            project_row("P-6", A, 100, status="停建"),
            project_row("P-7", A, 100, town="火星镇"),
            project_row("P-8", A, -5),
            project_row("P-9", A, 100),
            project_row("P-9", A, 100),
            project_row("P-10", A, 100),
            project_row("P-10", A, 120),
            project_row("P-11", A, ""),
        ],
    )
    prepared = _prepare(path)
    assert prepared.split is not None
    held = [
        (r["row_number"], r["reason"], r["column_name"], r["detail"])
        for r in prepared.split.held.iter_rows(named=True)
    ]
    assert held == [
        (3, "missing_value", "项目代码", "项目代码=''"),
        (4, "not_a_number", "1-本月累计完成投资（万元）", "1-本月累计完成投资（万元）='待核'"),
        (5, "invalid_date", "开工日期", "开工日期='2022-13-45'"),
        (6, "unknown_category", "建设性质", "建设性质='改建'"),
        (7, "unknown_category", "项目状态", "项目状态='停建'"),
        (8, "unknown_region", "所在乡镇（园区）", "所在乡镇（园区）='火星镇'"),
        (9, "negative_value", "1-本月累计完成投资（万元）", "1-本月累计完成投资（万元）='-5'"),
        (11, "duplicate_row", "项目代码", "same as 项目库.xlsx row 10"),
        (
            12,
            "conflicting_duplicate",
            "项目代码",
            "项目代码 appears more than once with different values",
        ),
        (
            13,
            "conflicting_duplicate",
            "项目代码",
            "项目代码 appears more than once with different values",
        ),
        (14, "missing_value", "1-本月累计完成投资（万元）", "1-本月累计完成投资（万元）=''"),
    ]
    assert prepared.split.valid["project_code"].to_list() == ["P-1", "P-9"]
    assert prepared.split.rows_read == 13


def test_an_invalid_or_missing_investor_code_keeps_the_investment(tmp_path: Path) -> None:
    mistyped = A[:-1] + ("0" if A[-1] != "0" else "1")
    path = write_projects_xlsx(
        tmp_path / "p.xlsx",
        [project_row("P-1", mistyped, 100, town="刘桥镇"), project_row("P-2", "", 50)],
    )
    prepared = _prepare(path)
    assert prepared.split is not None and prepared.split.held.is_empty()
    valid = prepared.split.valid.sort("project_code")
    assert valid["credit_code"].to_list() == [None, None]
    assert valid["credit_code_delivered"].to_list() == [mistyped, None]
    assert valid["region_code"].to_list() == ["340621102000", "340621100000"]
    assert valid["completed_ytd_yuan"].to_list() == [1_000_000, 500_000]


def test_a_total_row_that_does_not_add_up_refuses_the_file(tmp_path: Path) -> None:
    total = [None, "合计", None, None, None, None, None, 999, None, None, None]
    path = write_projects_xlsx(
        tmp_path / "不全.xlsx", [project_row("P-1", A, 100), project_row("P-2", B, 50)], total=total
    )
    prepared = _prepare(path)
    assert prepared.split is None
    (message,) = prepared.refused.values()
    assert "不全.xlsx" in message and "1-本月累计完成投资（万元）" in message
    assert "999.00" in message and "150.00" in message


@pytest.mark.parametrize("unit", ["（元）", ""])
def test_completed_investment_in_another_unit_or_none_is_refused(tmp_path: Path, unit: str) -> None:
    header = [
        h if not h.startswith("1-本月") else f"1-本月累计完成投资{unit}" for h in PROJECTS_HEADER
    ]
    path = write_projects_xlsx(tmp_path / "元.xlsx", [project_row("P-1", A, 100)], header=header)
    prepared = _prepare(path)
    assert prepared.split is None
    (message,) = prepared.refused.values()
    assert "元.xlsx" in message and "1-本月累计完成投资（万元）" in message


def test_the_sample_loads_whole() -> None:
    sample = Path(__file__).resolve().parents[1] / "data" / "samples" / "projects_2022-03.xlsx"
    prepared = _prepare(sample)
    assert prepared.split is not None and prepared.split.held.is_empty()
    assert prepared.split.valid["completed_ytd_yuan"].sum() == pytest.approx(209_205_000)
