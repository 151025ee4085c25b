"""The bureau's working lists from small delivered files, checked against figures by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from indmon.steps import prepare_warehouse
from tests.files import (
    code,
    electricity_rows,
    registry_row,
    statistics_row,
    tax_row,
    write_electricity_csv,
    write_registry_csv,
    write_statistics_xlsx,
    write_tax_xlsx,
)
from tests.warehouse.helpers import load_month, rows, scalar
from warehouse.rules import DEFAULT_RULES, RulesError, load_rules

HANCUN, LIUQIAO, WUGOU = "340621101000", "340621102000", "340621103000"


def register(landing: Path, period: str, *rows_: list[object]) -> None:
    write_registry_csv(landing / "registry" / period / "名录.csv", list(rows_))


def tax(landing: Path, period: str, *rows_: list[object]) -> None:
    year, month = period.split("-")
    write_tax_xlsx(
        landing / "tax" / period / "税收.xlsx",
        list(rows_),
        title=f"濉溪县工业企业税收入库明细（{year}年{int(month)}月）",
    )


def electricity(landing: Path, period: str, *accounts: tuple) -> None:
    yyyymm = period.replace("-", "")
    write_electricity_csv(
        landing / "electricity" / period / f"城区_{yyyymm}.csv",
        electricity_rows(list(accounts), yyyymm),
    )


def stats(landing: Path, period: str, *rows_: list[object]) -> None:
    year, month = period.split("-")
    write_statistics_xlsx(
        landing / "statistics" / period / "规上.xlsx",
        list(rows_),
        months=f"{year}年1-{int(month)}月",
    )


def load(engine: sa.Engine, landing: Path, *periods: str) -> None:
    for period in periods:
        load_month(engine, landing, period)


def rules_file(tmp_path: Path, replacements: dict[str, str]) -> Path:
    """A copy of the shipped rules with some lines replaced (a county's own file)."""
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "county_rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- 生产下滑预警 -------------------------------------------------------------------------

A, B = code(1), code(2)
MONTHS = ("2022-01", "2022-02", "2022-03", "2022-04", "2022-05", "2022-06")


def test_decline_watch_counts_months_in_a_row_and_colours_them(
    engine: sa.Engine, landing: Path
) -> None:
    register(
        landing,
        "2022-01",
        registry_row(A, "甲公司", "韩村镇", key="是"),
        registry_row(B, "乙公司", "刘桥镇"),
    )
    a_kwh = (95, 85, 88, 75, 89, 102)  # against 100 a year earlier: -5 -15 -12 -25 -11 +2 %
    for period, kwh in zip(MONTHS, a_kwh, strict=True):
        b_kwh = 45 if period == "2022-03" else 100
        electricity(
            landing,
            period,
            ("1000000001", "甲公司", A, kwh, 100),
            ("1000000002", "乙公司", B, b_kwh, 100),
        )
    stats(landing, "2022-02", statistics_row(A, "甲公司", 75, 100))  # -25 %
    stats(landing, "2022-03", statistics_row(A, "甲公司", 170, 200))  # -15 %
    load(engine, landing, *MONTHS)

    found = {
        (r.credit_code, r.period, r.measure): r
        for r in rows(engine, "SELECT * FROM mart_decline_watch")
    }
    expected = {
        # threshold 10 %: blue from one month or a 10 % fall, yellow from three or 20 %,
        # red from twelve or 50 %.
        (A, "2022-02", "electricity_kwh"): (-15.0, 1, "blue"),
        (A, "2022-03", "electricity_kwh"): (-12.0, 2, "blue"),
        (A, "2022-04", "electricity_kwh"): (-25.0, 3, "yellow"),
        (A, "2022-05", "electricity_kwh"): (-11.0, 4, "yellow"),
        (B, "2022-03", "electricity_kwh"): (-55.0, 1, "red"),
        (A, "2022-02", "gross_output_yuan"): (-25.0, 1, "yellow"),
        (A, "2022-03", "gross_output_yuan"): (-15.0, 2, "blue"),
    }
    assert set(found) == set(expected)
    for key, (yoy, months, level) in expected.items():
        row = found[key]
        assert (row.yoy_pct, row.consecutive_months, row.level) == (
            pytest.approx(yoy),
            months,
            level,
        ), key
    april = found[(A, "2022-04", "electricity_kwh")]
    assert (april.value, april.prior_year_value, april.name, april.region_code) == (
        75,
        100,
        "甲公司",
        HANCUN,
    )
    assert bool(april.key_enterprise) and not bool(
        found[(B, "2022-03", "electricity_kwh")].key_enterprise
    )
    output = found[(A, "2022-03", "gross_output_yuan")]
    assert (output.value, output.prior_year_value) == (170_000, 200_000)

    # The leaders' list: key enterprises first, then the worst level, the longest run.
    listed = rows(
        engine,
        """
        SELECT w.credit_code FROM mart_decline_watch AS w
        JOIN cfg_decline_level AS l ON l.level = w.level
        WHERE w.period = '2022-03'
        ORDER BY w.key_enterprise DESC, l.severity DESC, w.consecutive_months DESC, w.yoy_pct
        """,
    )
    assert [r.credit_code for r in listed] == [A, A, B]


# --- 入规培育 ----------------------------------------------------------------------------

C, D, E, F = code(3), code(4), code(5), code(6)


def test_cultivation_band_trailing_sums_and_months_since_crossing(
    engine: sa.Engine, landing: Path
) -> None:
    people = (
        registry_row(C, "丙公司", "韩村镇", above_scale="否", pool="是"),
        registry_row(D, "丁公司", "韩村镇", above_scale="是"),
        registry_row(E, "戊公司", "刘桥镇", above_scale="否"),
        registry_row(F, "己公司", "刘桥镇", above_scale="否", status="注销"),
    )
    sales = {"2021-03": 30e6, "2022-01": 5e6, "2022-02": 5e6, "2022-03": 5e6, "2022-04": 6e6}
    sales["2022-05"] = 2e6
    for period, amount in sales.items():
        register(landing, period, *people)
        tax(
            landing,
            period,
            *(tax_row(who, "企业", 1000.0, period=period, sales=amount) for who in (C, D, F)),
            tax_row(E, "戊公司", 1000.0, period=period, sales=1e6),
        )
    load(engine, landing, *sales)
    found = {
        (r.credit_code, r.period): r
        for r in rows(engine, "SELECT * FROM mart_cultivation ORDER BY period")
    }
    # D is above scale, E far below the band, F 注销. C's trailing sums: 30 million in
    # March 2021; 35 and 40 million in January and February 2022 (March 2021 still in the
    # window; the unloaded months between break the run, so it crosses again in January);
    # then 15 (March 2021 dropped out), 21 and 23 million.
    assert set(found) == {(C, p) for p in ("2021-03", "2022-01", "2022-02", "2022-03")} | {
        (C, "2022-04"),
        (C, "2022-05"),
    }
    february = found[(C, "2022-02")]
    assert (february.trailing_sales_yuan, february.crossed_period) == (40e6, "2022-01")
    assert february.months_since_crossing == 1
    march, april, may = (found[(C, p)] for p in ("2022-03", "2022-04", "2022-05"))
    assert (march.trailing_sales_yuan, march.share_of_threshold, march.gap_yuan) == (
        15e6,
        pytest.approx(0.75),
        5e6,
    )
    assert (march.crossed_period, march.months_since_crossing, march.months_with_sales) == (
        None,
        None,
        3,
    )
    assert (april.trailing_sales_yuan, april.gap_yuan, april.crossed_period) == (21e6, 0, "2022-04")
    assert april.months_since_crossing == 0 and april.months_with_sales == 4
    assert (may.trailing_sales_yuan, may.crossed_period, may.months_since_crossing) == (
        23e6,
        "2022-04",
        1,
    )
    assert bool(may.in_cultivation_pool) and may.threshold_yuan == 20e6
    assert (may.name, may.region_code, may.industry_code) == ("丙公司", HANCUN, "3252")
    assert found[(C, "2021-03")].crossed_period == "2021-03"

    # Which below-scale enterprises are closest to above scale (latest period, nearest first).
    closest = rows(
        engine,
        "SELECT credit_code, share_of_threshold FROM mart_cultivation "
        "WHERE period = (SELECT MAX(period) FROM mart_cultivation) "
        "ORDER BY share_of_threshold DESC",
    )
    assert [r.credit_code for r in closest] == [C]


# --- 僵尸企业线索, and a county's own rules -------------------------------------------------

Z, Y, X, W, V = code(21), code(22), code(23), code(24), code(25)
WATCHED = ("2022-01", "2022-02", "2022-03", "2022-04", "2022-05")


def _zombie_county(landing: Path) -> None:
    register(
        landing,
        "2022-01",
        registry_row(Z, "僵甲公司", "五沟镇", land=30.0, above_scale="否", status="停产"),
        registry_row(Y, "僵乙公司", "五沟镇", land=8.0, above_scale="否"),
        registry_row(X, "僵丙公司", "五沟镇", land=12.0, above_scale="否", status="注销"),
        registry_row(W, "僵丁公司", "刘桥镇", land=None, above_scale="否"),
        registry_row(V, "规上公司", "刘桥镇", land=50.0),
    )
    for period in WATCHED:
        electricity(
            landing,
            period,
            ("1000000021", "僵甲公司", Z, 50 if period == "2022-01" else 0, 40),
            ("1000000022", "僵乙公司", Y, 0, 0),
            ("1000000023", "僵丙公司", X, 0, 0),
            ("1000000025", "规上公司", V, 0, 0),
        )
        paid = 500.0 if period == "2022-03" else 0.0  # Y paid tax in March
        tax(landing, period, tax_row(Y, "僵乙公司", paid, period=period, sales=0.0))
        if period != "2022-01":
            stats(landing, period, statistics_row(V, "规上公司", 10, 10))


def test_zombie_watch_with_a_countys_own_rules(
    engine: sa.Engine, landing: Path, tmp_path: Path
) -> None:
    _zombie_county(landing)
    load(engine, landing, *WATCHED)
    assert scalar(engine, "SELECT COUNT(*) FROM mart_zombie_watch") == 0  # 6 months by default

    county_rules = rules_file(
        tmp_path,
        {
            'version = "anhui-default-2022.1"': 'version = "suixi-2022.2"',
            "idle_months = 6": "idle_months = 3",
        },
    )
    prepare_warehouse(engine, county_rules)  # a changed file rebuilds the lists
    assert scalar(engine, "SELECT config_version FROM cfg_version WHERE is_current") == (
        "suixi-2022.2"
    )
    found = {(r.credit_code, r.period): r for r in rows(engine, "SELECT * FROM mart_zombie_watch")}
    # Z: active in January only; W: never active; Y paid tax in March (idle 2 since);
    # X is 注销; V reports to the statistics bureau from February.
    assert set(found) == {
        (Z, "2022-04"),
        (Z, "2022-05"),
        (W, "2022-03"),
        (W, "2022-04"),
        (W, "2022-05"),
    }
    z = found[(Z, "2022-05")]
    assert (z.idle_months, z.last_active_period, z.land_mu, z.operating_status) == (
        4,
        "2022-01",
        30.0,
        "停产",
    )
    assert (z.name, z.region_code) == ("僵甲公司", WUGOU)
    w = found[(W, "2022-05")]
    assert (w.idle_months, w.last_active_period, w.land_mu) == (5, None, None)

    # The land zombies hold, by one query: the mu disposal would release.
    land = scalar(
        engine,
        "SELECT SUM(land_mu) FROM mart_zombie_watch "
        "WHERE period = (SELECT MAX(period) FROM mart_zombie_watch)",
    )
    assert land == 30.0

    prepare_warehouse(engine)  # back to the shipped rules: the same content, synced once
    assert scalar(engine, "SELECT COUNT(*) FROM mart_zombie_watch") == 0
    assert scalar(engine, "SELECT COUNT(*) FROM cfg_version") == 2


def test_a_broken_rules_file_names_the_file_and_the_key(tmp_path: Path) -> None:
    broken = rules_file(tmp_path, {'method = "min_max"\nfloor = 40.0': 'method = "min_max"'})
    with pytest.raises(RulesError, match=r"county_rules\.toml: evaluation\.indicator\.2"):
        load_rules(broken)
    assert load_rules().version == "anhui-default-2022.1"


# --- 亩均效益评价 -------------------------------------------------------------------------

P1, P2, P3, U, YOUNG, N = (code(n) for n in (31, 32, 33, 34, 35, 36))
Q1, Q2, Q3 = code(41), code(42), code(43)


def test_per_mu_evaluation_scores_ranks_and_classes(engine: sa.Engine, landing: Path) -> None:
    for period in ("2022-01", "2022-02"):
        register(
            landing,
            period,
            registry_row(P1, "甲一", "韩村镇", land=10.0),
            registry_row(P2, "甲二", "韩村镇", land=20.0),
            registry_row(P3, "甲三", "刘桥镇", land=10.0),
            registry_row(U, "水务", "刘桥镇", industry="4610", land=10.0),
            registry_row(YOUNG, "新厂", "刘桥镇", land=10.0, established="2021/5/1"),
            registry_row(N, "无地", "刘桥镇", land=None),
            registry_row(Q1, "乙一", "五沟镇", land=10.0, above_scale="否"),
            registry_row(Q2, "乙二", "五沟镇", land=20.0, above_scale="否"),
            registry_row(Q3, "乙三", "五沟镇", land=4.0, above_scale="否"),
        )
        tax(
            landing,
            period,
            tax_row(P1, "甲一", 100_000.0, period=period),
            tax_row(P2, "甲二", 60_000.0, 40_000.0, period=period),
            tax_row(Q1, "乙一", 50_000.0, period=period, sales=400_000.0),
            tax_row(Q2, "乙二", 50_000.0, period=period, sales=100_000.0),
            tax_row(Q3, "乙三", 50_000.0, period=period),
        )
    stats(
        landing,
        "2022-02",  # 千元; energy tce; employees
        statistics_row(P1, "甲一", 2000, 1800, energy=100.0, employees=20),
        statistics_row(P2, "甲二", 1000, 900, energy=100.0, employees=10),
        statistics_row(P3, "甲三", 3000, 2900, energy=50.0, employees=60),
    )
    load(engine, landing, "2022-01", "2022-02")
    found = {r.credit_code: r for r in rows(engine, "SELECT * FROM mart_per_mu_evaluation")}
    assert {r.year for r in found.values()} == {2022}
    assert {r.through_period for r in found.values()} == {"2022-02"}
    assert {r.config_version for r in found.values()} == {"anhui-default-2022.1"}

    p1, p2, p3 = found[P1], found[P2], found[P3]
    assert (p1.tax_yuan, p1.per_mu_tax_yuan, p1.revenue_yuan, p1.per_mu_revenue_yuan) == (
        200_000,
        20_000,
        2_000_000,
        200_000,
    )
    assert (p1.revenue_per_tce_yuan, p1.revenue_per_employee_yuan) == (20_000, 100_000)
    assert (p3.tax_yuan, p3.per_mu_tax_yuan) == (0, 0)  # paid nothing: no tax rows
    # Group averages: tax 400 000 / 40 mu = 10 000; revenue 6 000 000 / 40 = 150 000.
    # Ratio scores capped at 150; min-max with floor 40 over 10 000..60 000 per tce and
    # 50 000..100 000 per employee.
    scores = {
        P1: (150, 100 * 200 / 150, 40 + 60 * 10 / 50, 100),
        P2: (100, 100 * 50 / 150, 40, 100),
        P3: (0, 150, 100, 40),
    }
    for who, (tax_s, revenue_s, energy_s, labour_s) in scores.items():
        row = found[who]
        assert (row.score_per_mu_tax, row.score_per_mu_revenue) == (
            pytest.approx(tax_s),
            pytest.approx(revenue_s),
        ), who
        assert (row.score_energy, row.score_labour) == (
            pytest.approx(energy_s),
            pytest.approx(labour_s),
        ), who
        total = (40 * tax_s + 30 * revenue_s + 15 * energy_s + 15 * labour_s) / 100
        assert row.total_score == pytest.approx(total), who
    assert [(r.rank, r.evaluation_class) for r in (p1, p2, p3)] == [(1, "B"), (2, "C"), (3, "D")]
    assert [r.rank_pct for r in (p1, p2, p3)] == [
        pytest.approx(100 / 3),
        pytest.approx(200 / 3),
        pytest.approx(100),
    ]
    assert {p1.group_name, p2.group_name, p3.group_name} == {"above_scale"}

    exempt = {who: found[who].exempt_reason for who in (U, YOUNG, N, Q3)}
    assert exempt == {U: "utility", YOUNG: "young", N: "no_land", Q3: "below_min_land"}
    assert all(found[who].evaluation_class is None and found[who].rank is None for who in exempt)

    # Below scale: 亩均税收 only, revenue = taxable sales. Average 200 000 / 30 mu.
    q1, q2 = found[Q1], found[Q2]
    assert (q1.group_name, q1.revenue_yuan, q1.per_mu_tax_yuan) == ("below_scale", 800_000, 10_000)
    assert q1.score_per_mu_revenue is None and q1.score_energy is None
    assert q1.total_score == pytest.approx(min(150, 100 * 10_000 / (200_000 / 30)))
    assert q2.total_score == pytest.approx(100 * 5_000 / (200_000 / 30))
    assert [(r.rank, r.evaluation_class) for r in (q1, q2)] == [(1, "B"), (2, "D")]

    # Which enterprises are class D, by one query.
    class_d = rows(
        engine,
        "SELECT credit_code FROM mart_per_mu_evaluation WHERE evaluation_class = 'D' "
        "AND year = 2022 ORDER BY group_name, rank",
    )
    assert [r.credit_code for r in class_d] == [P3, Q2]


# --- 乡镇排名, and the wide-audience rule ---------------------------------------------------


def test_town_ranking_ranks_shown_figures_and_suppresses_small_towns(
    engine: sa.Engine, landing: Path
) -> None:
    towns = {"韩村镇": (1, 2, 3), "刘桥镇": (4, 5, 6), "五沟镇": (7,)}
    people = [registry_row(code(n), f"企业{n}", town) for town, ns in towns.items() for n in ns]
    # Per enterprise, 2021 then 2022: 韩村镇 300 -> 330 (+10 %), 刘桥镇 300 -> 270 (-10 %),
    # 五沟镇 100 -> 200 (one enterprise: hidden).
    paid = {1: (100, 110), 2: (100, 110), 3: (100, 110), 4: (100, 90), 5: (100, 90)}
    paid |= {6: (100, 90), 7: (100, 200)}
    for index, period in enumerate(("2021-01", "2022-01")):
        register(landing, period, *people)
        tax(
            landing,
            period,
            *(
                tax_row(code(n), f"企业{n}", float(v[index]), period=period)
                for n, v in paid.items()
            ),
        )
    load(engine, landing, "2021-01", "2022-01")
    ranking = {
        r.region_code: r
        for r in rows(
            engine,
            "SELECT * FROM mart_town_ranking WHERE period = '2022-01' "
            "AND indicator = 'total_tax_yuan'",
        )
    }
    assert "340621000000" not in ranking and len(ranking) == 13  # 11 towns and 2 parks
    hancun, liuqiao, wugou = ranking[HANCUN], ranking[LIUQIAO], ranking[WUGOU]
    assert (hancun.rank, hancun.ytd_yoy_pct, hancun.value_ytd, hancun.rank_by) == (
        1,
        pytest.approx(10.0),
        330,
        "ytd_yoy_pct",
    )
    assert (liuqiao.rank, liuqiao.ytd_yoy_pct, liuqiao.regions_ranked) == (
        2,
        pytest.approx(-10.0),
        2,
    )
    assert (wugou.rank, wugou.value, wugou.ytd_yoy_pct, wugou.enterprise_count) == (
        None,
        None,
        None,
        1,
    )
    assert bool(wugou.suppressed) and not bool(hancun.suppressed)
    county = rows(
        engine,
        "SELECT * FROM mart_indicator_month WHERE period = '2022-01' "
        "AND indicator = 'total_tax_yuan' AND region_code = '340621000000'",
    )[0]
    assert (county.value, county.enterprise_count, bool(county.suppressed)) == (800, 7, False)


def test_indmon_refuses_a_broken_rules_file_with_a_message(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from indmon.cli import app

    broken = rules_file(tmp_path, {"idle_months = 6": "idle_months = 0"})
    url = f"sqlite:///{tmp_path / 'warehouse.db'}"
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        app, ["db", "upgrade", "--warehouse", url, "--evaluation-config", str(broken)]
    )
    assert result.exit_code == 2
    assert "zombie.idle_months" in result.output and "county_rules.toml" in result.output
    good = rules_file(tmp_path, {"idle_months = 6": "idle_months = 4"})
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        app, ["db", "upgrade", "--warehouse", url, "--evaluation-config", str(good)]
    )
    assert result.exit_code == 0 and "rules anhui-default-2022.1" in result.output
