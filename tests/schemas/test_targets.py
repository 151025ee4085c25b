"""The annual-targets contract on real files: names, regions and units the catalogue knows."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from indmon.catalogue import SOURCES
from indmon.cli import app
from indmon.steps import PreparedPeriod, prepare_period
from tests.files import TARGETS_HEADER, write_targets_csv, write_xlsx

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "targets_2022.csv"


def _prepare(path: Path, period: str = "2022") -> PreparedPeriod:
    return prepare_period(SOURCES["targets"], period, [path])


def test_names_regions_and_units_resolve_to_the_catalogue(tmp_path: Path) -> None:
    path = write_targets_csv(
        tmp_path / "2022" / "目标.csv",
        [
            [2022, " 濉溪县 ", "规模以上工业增加值增长", "10", "12", "%"],
            [2022, "濉溪县", "技改投资增长", "20%", "25%", "％"],  # an alias, units in the cells
            [2022, "濉溪县", "工业投资", "1,200,000", "", "万元"],  # a value target, no stretch
            ["2022", "濉溪县经济开发区", "新增规上工业企业", "１５", "20", "个"],  # former name
            [2022, "孙町镇", "规上工业企业亩均税收", "3.5", "4", "万元/亩"],
        ],
    )
    prepared = _prepare(path)
    assert prepared.period == "2022"
    assert prepared.split is not None and prepared.split.held.is_empty()
    valid = {
        (r["region_code"], r["indicator"]): (
            r["target_name"],
            r["measure"],
            r["unit"],
            r["floor_value"],
            r["stretch_value"],
        )
        for r in prepared.split.valid.iter_rows(named=True)
    }
    assert valid == {
        ("340621000000", "published:规模以上工业增加值"): (
            "规模以上工业增加值增长",
            "growth_pct",
            "%",
            10.0,
            12.0,
        ),
        ("340621000000", "renovation_investment_yuan"): (
            "技改投资增长",
            "growth_pct",
            "%",
            20.0,
            25.0,
        ),
        ("340621000000", "industrial_investment_yuan"): (
            "工业投资",
            "value",
            "yuan",
            12_000_000_000.0,
            None,
        ),
        ("340621400000", "new_above_scale_count"): (
            "新增规上工业企业",
            "count",
            "enterprises",
            15.0,
            20.0,
        ),
        ("340621109000", "per_mu_tax_yuan"): (
            "规上工业企业亩均税收",
            "value",
            "yuan/mu",
            35_000.0,
            40_000.0,
        ),
    }
    assert set(prepared.split.valid["period"]) == {"2022"}


def test_unknown_names_regions_and_units_are_held_naming_row_and_column(tmp_path: Path) -> None:
    path = write_targets_csv(
        tmp_path / "目标.csv",
        [
            [2022, "濉溪县", "工业投资增长", 15, 20, "%"],
            [2022, "濉溪县", "数字经济核心产业增长", 15, 20, "%"],
            [2022, "火星镇", "工业投资增长", 15, 20, "%"],
            [2022, "濉溪县", "技术改造投资增长", 15, 20, "万元"],
            [2021, "濉溪县", "工业用电量增长", 5, 8, "%"],
            [2022, "濉溪县", "税收增长", 8, 6, "%"],
            [2022, "濉溪县", "新增规上工业企业", "待定", 50, "个"],
            [2022, "", "新增规上工业企业", 40, 50, "个"],
            [2022, "安徽省濉溪经济开发区", "新增规上工业企业", 15, 20, "个"],
            [
                2022,
                "濉溪经济开发区",
                "新增规上工业企业",
                16,
                20,
                "个",
            ],  # the same, by a former name
        ],
    )
    prepared = _prepare(path)
    assert prepared.split is not None
    held = [
        (r["row_number"], r["reason"], r["column_name"], r["detail"])
        for r in prepared.split.held.iter_rows(named=True)
    ]
    assert held == [
        (3, "unknown_indicator", "指标", "指标='数字经济核心产业增长'"),
        (4, "unknown_region", "区域", "区域='火星镇'"),
        (5, "unit_mismatch", "计量单位", "计量单位='万元' for 技术改造投资增长"),
        (6, "period_mismatch", "年度", "年度='2021', folder is 2022"),
        (7, "stretch_below_floor", "力争值", "力争值=6 < 目标值=8"),
        (8, "not_a_number", "目标值", "目标值='待定'"),
        (9, "missing_value", "区域", "区域=''"),
        (
            10,
            "conflicting_duplicate",
            "区域+指标",
            "区域+指标 appears more than once with different values",
        ),
        (
            11,
            "conflicting_duplicate",
            "区域+指标",
            "区域+指标 appears more than once with different values",
        ),
    ]
    assert prepared.split.valid["indicator"].to_list() == ["industrial_investment_yuan"]


def test_targets_in_a_workbook_read_like_csv(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "目标.xlsx",
        [
            ["濉溪县2022年工业经济主要目标"],
            list(TARGETS_HEADER),
            [2022, "濉溪县", "工业投资增长", 15, 20, "%"],
        ],
    )
    prepared = _prepare(path)
    assert prepared.split is not None
    assert prepared.split.valid.select("indicator", "floor_value", "row_number").row(0) == (
        "industrial_investment_yuan",
        15.0,
        3,
    )


def test_the_sample_loads_whole_for_any_month_of_its_year() -> None:
    prepared = _prepare(SAMPLE, "2022-07")
    assert prepared.period == "2022"
    assert prepared.split is not None and prepared.split.held.is_empty()
    assert prepared.split.valid.height == 6


def test_cli_validate_takes_a_year_folder(tmp_path: Path) -> None:
    path = write_targets_csv(
        tmp_path / "targets" / "2022" / "目标.csv",
        [[2022, "濉溪县", "工业投资增长", 15, 20, "%"], [2022, "濉溪县", "招商引资", 1, 2, "亿元"]],
    )
    runner = CliRunner(env={"COLUMNS": "200"})
    result = runner.invoke(app, ["validate", str(path), "--source", "targets"])
    assert result.exit_code == 0, result.output
    assert "2 rows read, 1 would load, 1 would be held" in result.output
    assert "unknown_indicator" in result.output and "指标不在指标目录中" in result.output
    monthly = runner.invoke(app, ["validate", str(path), "--source", "tax"])
    assert monthly.exit_code != 0 and "--period" in monthly.output
