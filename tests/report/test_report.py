"""The monthly report from warehouses the pipeline built from real files, on SQLite and
PostgreSQL: the agencies' 2022-03 samples (with the project library and the 2022 targets),
and a small county written here whose lists and ranking are known by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from indmon.report import NothingToReport, write_report
from indmon.settings import Settings
from schemas.reasons import BY_CODE
from tests.files import (
    code,
    electricity_rows,
    registry_row,
    write_electricity_csv,
    write_registry_csv,
    write_targets_csv,
)
from tests.report.pages import (
    SUPPRESSED,
    assert_headline_matches,
    assert_targets_match,
    headline_cells,
)
from tests.warehouse.helpers import load_month, rows

PERIOD = "2022-03"
LISTS = {
    "decline": "SELECT COUNT(DISTINCT credit_code) FROM mart_decline_watch WHERE period = :p",
    "cultivation": "SELECT COUNT(*) FROM mart_cultivation WHERE period = :p",
    "zombie": "SELECT COUNT(*) FROM mart_zombie_watch WHERE period = :p",
    "per-mu-d": "SELECT COUNT(*) FROM mart_per_mu_evaluation "
    "WHERE year = 2022 AND evaluation_class = 'D'",
}
NAMES = {
    "decline": "SELECT DISTINCT name FROM mart_decline_watch WHERE period = :p",
    "cultivation": "SELECT name FROM mart_cultivation WHERE period = :p",
    "zombie": "SELECT name FROM mart_zombie_watch WHERE period = :p",
    "per-mu-d": "SELECT name FROM mart_per_mu_evaluation "
    "WHERE year = 2022 AND evaluation_class = 'D'",
}


def section(html: str, start: str, end: str) -> str:
    """The page from marker ``start`` up to the next marker ``end``."""
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def list_section(html: str, list_id: str) -> str:
    """One working list's section of the page."""
    part = html[html.index(f'id="list-{list_id}"') :]
    return part[: part.index("</section>")]


def _with_unreadable_row(landing: Path) -> None:
    """The utility's sample with one more row whose kWh is not a number (held)."""
    (path,) = (landing / "electricity" / PERIOD).iterdir()
    lines = path.read_bytes().decode("gbk").splitlines(keepends=True)
    lines.insert(-1, "1234567890,濉溪县测试厂,,大工业用电,202203,抄表失败,\r\n")
    path.write_bytes("".join(lines).encode("gbk"))


@pytest.fixture
def loaded(engine: sa.Engine, sample_landing: Path) -> sa.Engine:
    """The sample month loaded through the pipeline, one electricity row held."""
    _with_unreadable_row(sample_landing)
    loads = load_month(engine, sample_landing, PERIOD)
    assert {load.status for load in loads.values()} == {"loaded"}
    return engine


@pytest.fixture
def settings(engine: sa.Engine, tmp_path: Path) -> Settings:
    return Settings(
        warehouse_url=engine.url.render_as_string(hide_password=False),
        report_dir=tmp_path / "reports",
        data_docs_dir=tmp_path / "docs",
    )


def test_the_report_shows_the_warehouse_figures_targets_and_lists(
    loaded: sa.Engine, settings: Settings
) -> None:
    written = write_report(loaded, settings)  # the latest loaded month by default
    assert written.period == PERIOD
    assert written.path == settings.resolved_report_dir / "monthly-report-2022-03.html"
    html = written.path.read_text(encoding="utf-8")
    cells = headline_cells(html)
    with loaded.connect() as connection:
        assert assert_headline_matches(connection, PERIOD, cells) >= 10
        # The 2022 targets file: five county targets, each in its indicator's row.
        assert assert_targets_match(connection, 2022, cells) == 5
        published = connection.execute(
            sa.text(
                "SELECT ytd_yoy_pct FROM mart_published_indicator "
                "WHERE name = '规模以上工业增加值' AND period = :p"
            ),
            {"p": PERIOD},
        ).scalar_one()
        counts = {
            k: connection.execute(sa.text(q), {"p": PERIOD}).scalar() for k, q in LISTS.items()
        }
        names = {
            k: [r[0] for r in connection.execute(sa.text(q), {"p": PERIOD})]
            for k, q in NAMES.items()
        }
    added = cells["published:规模以上工业增加值"]
    assert float(added["ytd_yoy_pct"]) == pytest.approx(published, abs=0.05)
    assert added["targets"]["规模以上工业增加值增长"]["floor_value"] == "增长 10.0%"
    assert cells["electricity_kwh"]["unit"] == "万千瓦时"
    # The count target reads in enterprises, the growth targets in %.
    new = cells["new_above_scale_count"]["targets"]["新增规上工业企业"]
    assert (new["floor_value"], new["stretch_value"]) == ("40 个", "50 个")
    # Investment from the project library: the renovation part is about fewer than three
    # enterprises' projects in the sample, so it is suppressed (checked above) and says so.
    assert cells["industrial_investment_yuan"]["value_ytd"] not in ("—", SUPPRESSED)
    assert cells["renovation_investment_yuan"]["value_ytd"] == SUPPRESSED

    # Every list: the warehouse's count and its enterprises; an empty list says so.
    assert counts == {"decline": 1, "cultivation": 1, "zombie": 0, "per-mu-d": 2}
    for list_id, count in counts.items():
        part = list_section(html, list_id)
        assert f'data-count="{count}"' in part, list_id
        assert all(name in part for name in names[list_id]), list_id
    assert "本月无" in list_section(html, "zombie")
    assert "尚未加载" not in html

    # Charts: the targets are drawn; one month loaded leaves no growth to rank towns on.
    for chart in ("electricity", "tax", "growth", "targets"):
        assert f'data-chart="{chart}"' in html, chart
    assert 'data-chart-missing="town-electricity"' in html and "暂无可排名的乡镇" in html
    assert "生产下滑预警：1 家" in written.markdown
    assert "| 新增规上工业企业 | 个 |" in written.markdown and "40 个" in written.markdown
    assert "2022年目标 6 项" in written.markdown  # the park's target counts too


def test_the_quality_section_and_footer_name_files_loads_and_held_rows(
    loaded: sa.Engine, settings: Settings
) -> None:
    html = write_report(loaded, settings, PERIOD).path.read_text(encoding="utf-8")
    with loaded.connect() as connection:
        ledger = connection.execute(
            sa.text("SELECT file_name, sha256, load_id FROM ingest_ledger WHERE period = :p"),
            {"p": PERIOD},
        ).all()
        held = connection.execute(
            sa.text("SELECT reason, COUNT(*) FROM held_row WHERE period = :p GROUP BY reason"),
            {"p": PERIOD},
        ).all()
    assert len(ledger) == 6  # five agencies' files and the project library
    footer = html[html.index('<footer id="provenance">') :]
    for file_name, sha256, load_id in ledger:
        assert file_name in footer and sha256[:12] in footer and load_id in footer
    assert held == [("not_a_number", 1)]
    quality = html[html.index('<section id="quality">') : html.index("<footer")]
    for reason, _count in held:
        assert BY_CODE[reason].zh in quality
    total = sum(count for _, count in held)
    assert f"{total} 行" in quality


HANCUN, LIUQIAO, WUGOU = "340621101000", "340621102000", "340621103000"
A, B = code(1), code(2)
#: 韩村镇 and 刘桥镇 have three enterprises each, 五沟镇 one (its figures are suppressed).
PEOPLE = (
    registry_row(A, "甲公司", "韩村镇", key="是"),
    registry_row(code(3), "丙公司", "韩村镇"),
    registry_row(code(4), "丁公司", "韩村镇"),
    registry_row(B, "乙公司", "刘桥镇"),
    registry_row(code(5), "戊公司", "刘桥镇"),
    registry_row(code(6), "己公司", "刘桥镇"),
    registry_row(code(7), "庚公司", "五沟镇"),
)
#: kWh per month against 100 a year earlier: 甲 (a key enterprise) falls 5, 15, 12 %;
#: 乙 falls 55 % in March; the others hold steady, 庚 grows.
KWH = {A: (95, 85, 88), B: (100, 100, 45), code(7): (120, 120, 120)}


@pytest.fixture
def small_county(engine: sa.Engine, landing: Path) -> sa.Engine:
    """Seven registered enterprises in three towns, January to March 2022; no project
    library and no targets."""
    write_registry_csv(landing / "registry" / "2022-01" / "名录.csv", PEOPLE)
    for month, period in enumerate(("2022-01", "2022-02", "2022-03")):
        yyyymm = period.replace("-", "")
        accounts = [
            (
                f"10000000{n:02d}",
                str(row[1]),
                str(row[0]),
                KWH.get(str(row[0]), (100,) * 3)[month],
                100,
            )
            for n, row in enumerate(PEOPLE, start=1)
        ]
        write_electricity_csv(
            landing / "electricity" / period / f"城区_{yyyymm}.csv",
            electricity_rows(accounts, yyyymm),
        )
        load_month(engine, landing, period)
    return engine


def test_key_enterprises_lead_the_decline_list_and_towns_are_ranked(
    small_county: sa.Engine, settings: Settings
) -> None:
    html = write_report(small_county, settings, PERIOD).path.read_text(encoding="utf-8")
    decline = list_section(html, "decline")
    # 甲 (key, two months, blue) before 乙 (not key, red): the leaders' enterprises first.
    assert 'data-count="2"' in decline
    assert decline.index("甲公司") < decline.index("乙公司")
    assert "-12.0" in decline and "-55.0" in decline and "红色" in decline
    for list_id in ("cultivation", "zombie", "per-mu-d"):
        assert 'data-count="0"' in list_section(html, list_id) and "本月无" in html

    # The electricity ranking: one bar per town the mart ranks, 五沟镇 named as hidden.
    ranked = rows(
        small_county,
        "SELECT r.name, t.rank FROM mart_town_ranking t JOIN dim_region r "
        "ON r.region_code = t.region_code WHERE t.period = :p "
        "AND t.indicator = 'electricity_kwh' AND t.rank IS NOT NULL ORDER BY t.rank",
        p=PERIOD,
    )
    assert [r.name for r in ranked] == ["韩村镇", "刘桥镇"]
    chart = section(html, 'data-chart="town-electricity"', "</figure>")
    assert chart.count('role="graphics-symbol"') >= 2  # two bars drawn
    assert chart.index("韩村镇") < chart.index("刘桥镇")
    assert "企业少于3家不予显示：五沟镇" in chart

    # No targets file for 2022: the headline and the chart say the targets are not set.
    assert "2022年目标尚未下达" in html
    assert 'data-chart-missing="targets"' in html and "2022年未下达目标" in html
    cells = headline_cells(html)
    assert all(not row["targets"] for row in cells.values())
    # No project library: investment has no figures, and the page shows none.
    assert cells["industrial_investment_yuan"]["value_ytd"] == "—"
    with small_county.connect() as connection:
        assert assert_headline_matches(connection, PERIOD, cells) >= 4


def test_targets_delivered_later_fill_the_headline_in_their_units(
    small_county: sa.Engine, landing: Path, settings: Settings
) -> None:
    write_targets_csv(
        landing / "targets" / "2022" / "年度目标_2022.csv",
        [
            (2022, "濉溪县", "工业用电量增长", -10, 5, "%"),
            (2022, "濉溪县", "工业投资", 30000, 35000, "万元"),
            (2022, "韩村镇", "工业投资", 5000, 6000, "万元"),
        ],
    )
    load_month(small_county, landing, PERIOD)
    html = write_report(small_county, settings, PERIOD).path.read_text(encoding="utf-8")
    cells = headline_cells(html)
    with small_county.connect() as connection:
        assert assert_targets_match(connection, 2022, cells) == 2
    # A value target reads in 万元 as delivered (the warehouse holds yuan); without a
    # project library it has no actual yet.
    investment = cells["industrial_investment_yuan"]["targets"]["工业投资"]
    assert (investment["floor_value"], investment["stretch_value"]) == (
        "30,000.0 万元",
        "35,000.0 万元",
    )
    assert (investment["actual_value"], investment["status"]) == ("暂无数据", "暂无数据")
    kwh = cells["electricity_kwh"]["targets"]["工业用电量增长"]
    assert kwh["floor_value"] == "增长 -10.0%" and kwh["status"] in ("达序时进度", "超序时进度")
    assert 'data-chart="targets"' in html and "2022年目标尚未下达" not in html
    chart = section(html, 'data-chart="targets"', "</figure>")
    assert "韩村镇：工业投资" in chart  # a town's target is in the chart with its town


def test_a_month_not_loaded_has_no_report(loaded: sa.Engine, settings: Settings) -> None:
    with pytest.raises(NothingToReport, match="nothing is loaded for 2021-03"):
        write_report(loaded, settings, "2021-03")


def test_an_empty_warehouse_has_no_report(engine: sa.Engine, settings: Settings) -> None:
    with pytest.raises(NothingToReport, match="no loaded month"):
        write_report(engine, settings)
