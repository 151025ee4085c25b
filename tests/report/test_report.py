"""The monthly report from a loaded warehouse, on SQLite and PostgreSQL.

The agencies' 2022-03 sample files are loaded through the pipeline; issue 5's marts are
created here exactly as the dashboard contract in README describes them, with a few rows,
to check the report's queries against the contract on both backends.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from indmon.report import NothingToReport, write_report
from indmon.settings import Settings
from tests.report.pages import assert_headline_matches, headline_cells
from tests.warehouse.helpers import load_month

PERIOD = "2022-03"
COUNTY = "340621000000"
TOWN = "340621100000"

CONTRACT_DDL = (
    """CREATE TABLE mart_target_progress (region_code VARCHAR(12), year INTEGER,
    indicator VARCHAR(64), target_name VARCHAR(64), measure VARCHAR(16), unit VARCHAR(16),
    floor_value FLOAT, stretch_value FLOAT, actual_value FLOAT, actual_period VARCHAR(7),
    expected_share FLOAT, status VARCHAR(16))""",
    """CREATE TABLE mart_decline_watch (credit_code VARCHAR(18), period VARCHAR(7),
    name VARCHAR(200), region_code VARCHAR(12), key_enterprise BOOLEAN, measure VARCHAR(32),
    value FLOAT, prior_year_value FLOAT, yoy_pct FLOAT, consecutive_months INTEGER,
    level VARCHAR(8))""",
    """CREATE TABLE mart_cultivation (credit_code VARCHAR(18), period VARCHAR(7),
    name VARCHAR(200), region_code VARCHAR(12), industry_code VARCHAR(4),
    in_cultivation_pool BOOLEAN, trailing_sales_yuan FLOAT, months_with_sales INTEGER,
    threshold_yuan FLOAT, share_of_threshold FLOAT, gap_yuan FLOAT, crossed_period VARCHAR(7),
    months_since_crossing INTEGER)""",
    """CREATE TABLE mart_zombie_watch (credit_code VARCHAR(18), period VARCHAR(7),
    name VARCHAR(200), region_code VARCHAR(12), industry_code VARCHAR(4),
    operating_status VARCHAR(16), land_mu FLOAT, idle_months INTEGER,
    last_active_period VARCHAR(7))""",
    """CREATE TABLE mart_per_mu_evaluation (credit_code VARCHAR(18), year INTEGER,
    through_period VARCHAR(7), name VARCHAR(200), region_code VARCHAR(12),
    industry_code VARCHAR(4), group_name VARCHAR(16), land_mu FLOAT, tax_yuan FLOAT,
    per_mu_tax_yuan FLOAT, revenue_yuan FLOAT, per_mu_revenue_yuan FLOAT, energy_tce FLOAT,
    revenue_per_tce_yuan FLOAT, employees FLOAT, revenue_per_employee_yuan FLOAT,
    score_per_mu_tax FLOAT, score_per_mu_revenue FLOAT, score_energy FLOAT, score_labour FLOAT,
    total_score FLOAT, rank INTEGER, rank_pct FLOAT, evaluation_class VARCHAR(1),
    exempt_reason VARCHAR(32), config_version VARCHAR(32))""",
)


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


def _insert(connection: sa.Connection, table: str, rows: list[dict]) -> None:
    columns = list(rows[0])
    connection.execute(
        sa.text(
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(':' + c for c in columns)})"
        ),
        rows,
    )


def test_the_headline_table_shows_the_warehouse_figures(
    loaded: sa.Engine, settings: Settings
) -> None:
    written = write_report(loaded, settings)  # the latest loaded month by default
    assert written.period == PERIOD
    assert written.path == settings.resolved_report_dir / "monthly-report-2022-03.html"
    html = written.path.read_text(encoding="utf-8")
    cells = headline_cells(html)
    with loaded.connect() as connection:
        assert assert_headline_matches(connection, PERIOD, cells) >= 10
        published = connection.execute(
            sa.text(
                "SELECT ytd_yoy_pct FROM mart_published_indicator "
                "WHERE name = '规模以上工业增加值' AND period = :p"
            ),
            {"p": PERIOD},
        ).scalar_one()
    added = cells["published:规模以上工业增加值"]
    assert float(added["ytd_yoy_pct"]) == pytest.approx(published, abs=0.05)
    assert cells["electricity_kwh"]["unit"] == "万千瓦时"
    # Before issue 5's marts: each section says it is not loaded, nothing breaks.
    for table in (
        "mart_target_progress",
        "mart_decline_watch",
        "mart_cultivation",
        "mart_zombie_watch",
        "mart_per_mu_evaluation",
    ):
        assert f"尚未加载：仓库中还没有 {table} 表" in html
    assert 'data-chart="electricity"' in html and 'data-chart="tax"' in html
    # One month loaded: no growth to rank towns on, and the page says so.
    assert 'data-chart-missing="town-electricity"' in html and "暂无可排名的乡镇" in html
    assert "生产下滑预警：尚未加载" in written.markdown


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
    assert len(ledger) == 5
    footer = html[html.index('<footer id="provenance">') :]
    for file_name, sha256, load_id in ledger:
        assert file_name in footer and sha256[:12] in footer and load_id in footer
    assert held == [("not_a_number", 1)]
    from schemas.reasons import BY_CODE

    quality = html[html.index('<section id="quality">') : html.index("<footer")]
    for reason, _count in held:
        assert BY_CODE[reason].zh in quality
    total = sum(count for _, count in held)
    assert f"{total} 行" in quality


def test_issue_5_marts_fill_the_lists_and_targets(loaded: sa.Engine, settings: Settings) -> None:
    with loaded.begin() as connection:
        for ddl in CONTRACT_DDL:
            connection.execute(sa.text(ddl))
        _insert(
            connection,
            "mart_target_progress",
            [
                dict(region_code=COUNTY, year=2022, indicator="published:规模以上工业增加值",
                     target_name="规模以上工业增加值增长", measure="growth_pct", unit="%",
                     floor_value=10.0, stretch_value=12.0, actual_value=6.5,
                     actual_period=PERIOD, expected_share=None, status="behind"),
                dict(region_code=COUNTY, year=2022, indicator="new_above_scale_count",
                     target_name="新增规上工业企业", measure="count", unit="个",
                     floor_value=40.0, stretch_value=50.0, actual_value=12.0,
                     actual_period=PERIOD, expected_share=0.25, status="ahead"),
                dict(region_code=TOWN, year=2022, indicator="new_above_scale_count",
                     target_name="新增规上工业企业", measure="count", unit="个",
                     floor_value=15.0, stretch_value=20.0, actual_value=1.0,
                     actual_period=PERIOD, expected_share=0.25, status="behind"),
            ],
        )  # fmt: skip
        decline = dict(period=PERIOD, region_code=TOWN, measure="electricity_kwh",
                       value=80_000.0, prior_year_value=100_000.0, yoy_pct=-20.0)  # fmt: skip
        _insert(
            connection,
            "mart_decline_watch",
            [
                {**decline, "credit_code": "A" * 18, "name": "红色普通企业",
                 "key_enterprise": False, "consecutive_months": 6, "level": "red"},
                {**decline, "credit_code": "B" * 18, "name": "蓝色重点企业",
                 "key_enterprise": True, "consecutive_months": 1, "level": "blue"},
                {**decline, "credit_code": "C" * 18, "name": "黄色重点企业",
                 "key_enterprise": True, "consecutive_months": 3, "level": "yellow"},
                {**decline, "credit_code": "C" * 18, "name": "黄色重点企业",
                 "key_enterprise": True, "consecutive_months": 2, "level": "blue",
                 "measure": "gross_output_yuan"},
                {**decline, "credit_code": "D" * 18, "name": "上月企业", "period": "2022-02",
                 "key_enterprise": True, "consecutive_months": 9, "level": "red"},
            ],
        )  # fmt: skip
        _insert(
            connection,
            "mart_cultivation",
            [
                dict(credit_code=code, period=PERIOD, name=name, region_code=TOWN,
                     industry_code="1391", in_cultivation_pool=True,
                     trailing_sales_yuan=share * 2e7, months_with_sales=12,
                     threshold_yuan=2e7, share_of_threshold=share, gap_yuan=(1 - share) * 2e7,
                     crossed_period=None, months_since_crossing=None)
                for code, name, share in (("E" * 18, "接近企业", 0.9), ("F" * 18, "较远企业", 0.6))
            ],
        )  # fmt: skip
        _insert(
            connection,
            "mart_zombie_watch",
            [
                dict(credit_code="G" * 18, period=PERIOD, name="停产企业", region_code=TOWN,
                     industry_code="1391", operating_status="存续", land_mu=35.5,
                     idle_months=14, last_active_period=None)
            ],
        )  # fmt: skip
        _insert(
            connection,
            "mart_per_mu_evaluation",
            [
                dict(credit_code=code, year=2022, through_period=PERIOD, name=name,
                     region_code=TOWN, group_name="above_scale", land_mu=50.0,
                     per_mu_tax_yuan=1000.0, per_mu_revenue_yuan=20000.0,
                     total_score=score, rank=rank, evaluation_class=grade)
                for code, name, score, rank, grade in (
                    ("H" * 18, "D类企业甲", 31.0, 9, "D"),
                    ("J" * 18, "D类企业乙", 12.5, 10, "D"),
                    ("K" * 18, "A类企业", 95.0, 1, "A"),
                )
            ],
        )  # fmt: skip

    written = write_report(loaded, settings, PERIOD)
    html = written.path.read_text(encoding="utf-8")
    assert "尚未加载" not in html
    assert 'data-chart="targets"' in html  # the progress chart is drawn

    decline = html[html.index('id="list-decline"') : html.index('id="list-cultivation"')]
    assert 'data-count="3"' in decline  # enterprises of the period, not rows
    order = [decline.index(n) for n in ("黄色重点企业", "蓝色重点企业", "红色普通企业")]
    assert order == sorted(order)  # key enterprises first, then the more severe level
    assert "上月企业" not in decline and "-20.0" in decline and "黄色" in decline
    cultivation = html[html.index('id="list-cultivation"') : html.index('id="list-zombie"')]
    assert 'data-count="2"' in cultivation
    assert cultivation.index("接近企业") < cultivation.index("较远企业") and "90.0%" in cultivation
    zombie = html[html.index('id="list-zombie"') : html.index('id="list-per-mu-d"')]
    assert 'data-count="1"' in zombie and "停产企业" in zombie and "从未" in zombie
    class_d = html[html.index('id="list-per-mu-d"') : html.index('<section id="quality">')]
    assert 'data-count="2"' in class_d and "A类企业" not in class_d
    assert class_d.index("D类企业乙") < class_d.index("D类企业甲")  # lowest score first

    headline = html[html.index('<section id="headline">') : html.index('<section id="charts">')]
    added = headline[headline.index('data-indicator="published:规模以上工业增加值"') :]
    added = added[: added.index("</tr>")]
    assert "10.0%" in added and "12.0%" in added and "落后序时进度" in added
    new = headline[headline.index('data-indicator="new_above_scale_count"') :]
    new = new[: new.index("</tr>")]
    assert "40个" in new and "完成 12个（30%，序时 25%）" in new and "超序时进度" in new
    assert "生产下滑预警：3 家" in written.markdown
    assert "| 新增规上工业企业 | 个 |" in written.markdown


def test_a_month_not_loaded_has_no_report(loaded: sa.Engine, settings: Settings) -> None:
    with pytest.raises(NothingToReport, match="nothing is loaded for 2021-03"):
        write_report(loaded, settings, "2021-03")


def test_an_empty_warehouse_has_no_report(engine: sa.Engine, settings: Settings) -> None:
    with pytest.raises(NothingToReport, match="no loaded month"):
        write_report(engine, settings)
