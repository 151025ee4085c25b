"""Tax and statistics facts and the indicators computed from them, checked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

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
from tests.warehouse.helpers import load_month, rows

A, B, C = code(1), code(2), code(3)
COUNTY, HANCUN, LIUQIAO = "340621000000", "340621101000", "340621102000"
SUIXI = "340621100000"  # the statistics rows' default 区划代码
# Enterprises with nothing to report (zero rows): wide-audience figures need three
# enterprises behind them, and these make up the numbers without changing the sums.
QUIET = {"韩村镇": (code(11), code(12)), "刘桥镇": (code(21), code(22))}


def quiet_register(*towns: str, land: object = None) -> list[list[object]]:
    return [
        registry_row(c, f"静{c[-4:]}公司", town, land=land) for town in towns for c in QUIET[town]
    ]


def quiet_tax(period: str, *towns: str) -> list[list[object]]:
    return [
        tax_row(c, f"静{c[-4:]}公司", 0.0, period=period, sales=0.0)
        for town in towns
        for c in QUIET[town]
    ]


def quiet_stats(*towns: str) -> list[list[object]]:
    return [
        statistics_row(c, f"静{c[-4:]}公司", 0, 0, revenue=0, revenue_prior=0)
        for town in towns
        for c in QUIET[town]
    ]


def _month_name(period: str) -> str:
    year, month = period.split("-")
    return f"{year}年{int(month)}月"


def tax(landing: Path, period: str, *rows_: list[object]) -> None:
    write_tax_xlsx(
        landing / "tax" / period / "税收.xlsx",
        list(rows_),
        title=f"濉溪县工业企业税收入库明细（{_month_name(period)}）",
    )


def stats(landing: Path, period: str, *rows_: list[object]) -> None:
    year, month = period.split("-")
    write_statistics_xlsx(
        landing / "statistics" / period / "规上.xlsx",
        list(rows_),
        months=f"{year}年1-{int(month)}月",
    )


def register(landing: Path, period: str, *rows_: list[object]) -> None:
    write_registry_csv(landing / "registry" / period / "名录.csv", list(rows_))


def indicator(engine: sa.Engine, code_: str, period: str, region: str = COUNTY) -> sa.Row:
    return rows(
        engine,
        "SELECT * FROM mart_indicator_month WHERE indicator = :i AND "
        "period = :p AND region_code = :r",
        i=code_,
        p=period,
        r=region,
    )[0]


def load(engine: sa.Engine, landing: Path, *periods: str) -> None:
    for period in periods:
        load_month(engine, landing, period)


def test_tax_growth_is_against_last_year_as_loaded(engine: sa.Engine, landing: Path) -> None:
    register(
        landing,
        "2021-01",
        registry_row(A, "甲公司", "韩村镇"),
        registry_row(B, "乙公司", "刘桥镇"),
        *quiet_register("韩村镇"),
    )
    for period, a, b in (
        ("2021-01", 100.0, 50.0),
        ("2021-02", 80.0, 40.0),
        ("2022-01", 130.0, 70.0),
        ("2022-02", 90.0, 30.0),
    ):
        tax(
            landing,
            period,
            tax_row(A, "甲公司", a, period=period),
            tax_row(B, "乙公司", b, period=period),
            *quiet_tax(period, "韩村镇"),
        )
    load(engine, landing, "2021-01", "2021-02", "2022-01", "2022-02")
    february = indicator(engine, "vat_yuan", "2022-02")
    assert february.value == 120.0 and february.value_ytd == 320.0
    assert february.yoy_pct == pytest.approx(100 * (120 / 120 - 1))
    assert february.ytd_yoy_pct == pytest.approx(100 * (320 / 270 - 1))
    town = indicator(engine, "vat_yuan", "2022-01", HANCUN)
    assert (town.value, town.yoy_pct) == (130.0, pytest.approx(30.0))
    assert indicator(engine, "vat_yuan", "2021-02").yoy_pct is None  # 2020 not loaded
    # 刘桥镇 has one taxpayer: its figures are hidden from wide audiences.
    alone = indicator(engine, "vat_yuan", "2022-01", LIUQIAO)
    assert (alone.value, alone.value_ytd, alone.yoy_pct, alone.enterprise_count) == (
        None,
        None,
        None,
        1,
    )
    assert bool(alone.suppressed) and not bool(town.suppressed) and town.enterprise_count == 3


def test_statistics_month_is_the_difference_of_cumulative_figures(
    engine: sa.Engine, landing: Path
) -> None:
    register(
        landing,
        "2022-02",
        registry_row(A, "甲公司", "韩村镇"),
        registry_row(B, "乙公司", "刘桥镇"),
        *quiet_register("刘桥镇"),
    )
    stats(
        landing,
        "2022-02",
        statistics_row(A, "甲公司", 200, 180),
        statistics_row(B, "乙公司", 100, None),
        *quiet_stats("刘桥镇"),
    )
    stats(
        landing,
        "2022-03",
        statistics_row(A, "甲公司", 320, 300),
        statistics_row(B, "乙公司", 150, 100),
        *quiet_stats("刘桥镇"),
    )
    load(engine, landing, "2022-02", "2022-03")
    february, march = (indicator(engine, "gross_output_yuan", p) for p in ("2022-02", "2022-03"))
    assert (february.value, february.value_ytd) == (None, 300_000)
    # B has no 上年同期 in February: left out of both sides of the ratio.
    assert february.ytd_yoy_pct == pytest.approx(100 * (200 / 180 - 1))
    assert march.value_ytd == 470_000 and march.value == 170_000
    assert march.ytd_yoy_pct == pytest.approx(100 * (470 / 400 - 1))
    town = indicator(engine, "gross_output_yuan", "2022-03", LIUQIAO)
    assert (town.value_ytd, town.value) == (150_000, 50_000)
    assert indicator(engine, "above_scale_count", "2022-03").value == 4
    # A count is shown even for one enterprise: it says nothing about the enterprise.
    hancun = indicator(engine, "above_scale_count", "2022-03", HANCUN)
    assert (hancun.value, hancun.enterprise_count, bool(hancun.suppressed)) == (1, 1, False)
    assert indicator(engine, "gross_output_yuan", "2022-03", HANCUN).value_ytd is None


def test_a_corrected_statistics_file_updates_what_depends_on_it(
    engine: sa.Engine, landing: Path
) -> None:
    for period, output in (("2022-02", 200), ("2022-03", 320), ("2022-04", 400)):
        stats(
            landing,
            period,
            statistics_row(A, "甲公司", output, output - 20),
            *quiet_stats("刘桥镇"),
        )
    load(engine, landing, "2022-02", "2022-03", "2022-04")
    assert indicator(engine, "gross_output_yuan", "2022-04").value == 80_000
    stats(landing, "2022-03", statistics_row(A, "甲公司", 350, 330), *quiet_stats("刘桥镇"))
    assert load_month(engine, landing, "2022-03")["statistics"].status == "loaded"
    march, april = (indicator(engine, "gross_output_yuan", p) for p in ("2022-03", "2022-04"))
    assert (march.value_ytd, march.value) == (350_000, 150_000)
    assert april.value == 50_000  # 400 - 350: the later month follows the correction
    assert (
        rows(
            engine,
            "SELECT output_ytd_yuan FROM mart_enterprise_month WHERE period = '2022-03' "
            "AND credit_code = :a",
            a=A,
        )[0].output_ytd_yuan
        == 350_000
    )


def test_unregistered_enterprises_are_loaded_and_placed_by_the_statistics_code(
    engine: sa.Engine, landing: Path
) -> None:
    register(landing, "2022-03", registry_row(A, "甲公司", "韩村镇"), *quiet_register("刘桥镇"))
    stats(landing, "2022-03", statistics_row(B, "乙公司", 100, 90, region=LIUQIAO))
    tax(
        landing,
        "2022-03",
        tax_row(B, "乙公司", 10.0),
        tax_row(C, "丙公司", 5.0),
        *quiet_tax("2022-03", "刘桥镇"),
    )
    load(engine, landing, "2022-03")
    found = {r.credit_code: r for r in rows(engine, "SELECT * FROM mart_enterprise_month")}
    assert set(found) == {A, B, C, *QUIET["刘桥镇"]}
    assert (bool(found[B].is_registered), found[B].region_code, found[B].name) == (
        False,
        LIUQIAO,
        "乙公司",
    )
    assert (bool(found[C].is_registered), found[C].region_code) == (False, None)
    assert indicator(engine, "vat_yuan", "2022-03", LIUQIAO).value == 10.0
    assert indicator(engine, "vat_yuan", "2022-03").value == 15.0


def test_new_above_scale_enterprises(engine: sa.Engine, landing: Path) -> None:
    stats(landing, "2021-12", statistics_row(A, "甲公司", 100, 90))
    stats(
        landing,
        "2022-02",
        statistics_row(A, "甲公司", 100, 90),
        statistics_row(B, "乙公司", 100, 90),
    )
    stats(
        landing,
        "2022-03",
        statistics_row(A, "甲公司", 100, 90),
        statistics_row(C, "丙公司", 100, 90),
    )
    load(engine, landing, "2021-12", "2022-02", "2022-03")
    assert indicator(engine, "new_above_scale_count", "2022-02").value_ytd == 1
    # B left the roster in March but entered this year: still counted; C is new.
    assert indicator(engine, "new_above_scale_count", "2022-03").value_ytd == 2
    # Unregistered, B is still placed in March by its February row (it has no March row).
    town = indicator(engine, "new_above_scale_count", "2022-03", SUIXI)
    assert (town.value_ytd, town.enterprise_count) == (2, 2)
    assert indicator(engine, "new_above_scale_count", "2021-12").value_ytd is None


def test_per_mu_tax_of_above_scale_enterprises(engine: sa.Engine, landing: Path) -> None:
    def month(period: str, a_tax: float, b_tax: float, land_b: object = 10.0) -> None:
        register(
            landing,
            period,
            registry_row(A, "甲公司", "韩村镇", land=20.0),
            registry_row(B, "乙公司", "刘桥镇", land=land_b),
            registry_row(C, "丙公司", "刘桥镇", land=5.0),
            *quiet_register("韩村镇", land=5.0),
        )
        tax(
            landing,
            period,
            tax_row(A, "甲公司", a_tax, period=period),
            tax_row(B, "乙公司", b_tax, period=period),
            tax_row(C, "丙公司", 999.0, period=period),
            *quiet_tax(period, "韩村镇"),
        )

    month("2022-01", 100.0, 40.0)
    month("2022-02", 60.0, 20.0)
    # C is not above scale: its tax and land stay out; B entered the roster only now.
    stats(
        landing,
        "2022-02",
        statistics_row(A, "甲公司", 100, 90),
        statistics_row(B, "乙公司", 100, 90),
        *quiet_stats("韩村镇"),
    )
    load(engine, landing, "2022-01", "2022-02")
    per_mu = indicator(engine, "per_mu_tax_yuan", "2022-02")
    assert per_mu.value_ytd == pytest.approx((100 + 60 + 40 + 20) / (20 + 10 + 5 + 5))
    assert per_mu.enterprise_count == 4
    hancun = indicator(engine, "per_mu_tax_yuan", "2022-02", HANCUN)
    assert hancun.value_ytd == pytest.approx((100 + 60) / (20 + 5 + 5))
    assert indicator(engine, "per_mu_tax_yuan", "2022-02", LIUQIAO).value_ytd is None


def electricity(landing: Path, period: str, *accounts: tuple[str, str, str, int, int]) -> None:
    yyyymm = period.replace("-", "")
    write_electricity_csv(
        landing / "electricity" / period / f"城区_{yyyymm}.csv",
        electricity_rows(list(accounts), yyyymm),
    )


def test_facts_are_placed_where_the_enterprise_was_that_month(
    engine: sa.Engine, landing: Path
) -> None:
    # A moves from 韩村镇 to 刘桥镇 in February. B is never registered: placed by the
    # 区划代码 of its latest statistics row up to the month (none yet in January; March's
    # row has none, so February's still holds; April's moves it).
    register(
        landing, "2022-01", registry_row(A, "甲公司", "韩村镇"), *quiet_register("韩村镇", "刘桥镇")
    )
    register(
        landing, "2022-02", registry_row(A, "甲公司", "刘桥镇"), *quiet_register("韩村镇", "刘桥镇")
    )
    stats(landing, "2022-02", statistics_row(B, "乙公司", 100, 90, region=LIUQIAO))
    stats(landing, "2022-03", statistics_row(B, "乙公司", 150, 90, region=""))
    stats(landing, "2022-04", statistics_row(B, "乙公司", 200, 90, region=HANCUN))
    quiet = [c for town in ("韩村镇", "刘桥镇") for c in QUIET[town]]
    months = ("2022-01", "2022-02", "2022-03", "2022-04")
    for n, period in enumerate(months, start=1):
        tax(
            landing,
            period,
            tax_row(A, "甲公司", 10.0 * n, period=period),
            tax_row(B, "乙公司", 1.0 * n, period=period),
            *quiet_tax(period, "韩村镇", "刘桥镇"),
        )
        # A has two meters (one payer); one meter resolves to nobody (a payer of its own).
        electricity(
            landing,
            period,
            ("1000000001", "甲公司", A, 100 * n, 50),
            ("1000000002", "甲公司二厂", A, 1000 * n, None),
            ("1000000003", "无名户", "", 7, 7),
            *((f"20000000{i:02d}", f"静{c[-4:]}公司", c, 0, 0) for i, c in enumerate(quiet)),
        )
    load(engine, landing, *months)

    placed = {
        (r.credit_code, r.period): r.region_code
        for r in rows(
            engine, "SELECT * FROM mart_enterprise_month WHERE credit_code IN (:a, :b)", a=A, b=B
        )
    }
    assert [placed[A, p] for p in months] == [HANCUN, LIUQIAO, LIUQIAO, LIUQIAO]
    assert [placed[B, p] for p in months] == [None, LIUQIAO, LIUQIAO, HANCUN]

    def counts(code_: str, region: str) -> list[int]:
        return [indicator(engine, code_, p, region).enterprise_count for p in months]

    # Two quiet enterprises in each town; A and B where they were that month.
    assert counts("vat_yuan", HANCUN) == [3, 2, 2, 3]
    assert counts("vat_yuan", LIUQIAO) == [2, 4, 4, 3]
    assert counts("vat_yuan", COUNTY) == [6, 6, 6, 6]
    assert indicator(engine, "vat_yuan", "2022-01", HANCUN).value == 10.0
    assert indicator(engine, "vat_yuan", "2022-03", LIUQIAO).value == 30.0 + 3.0
    assert indicator(engine, "total_tax_yuan", "2022-03", LIUQIAO).value == 33.0
    assert indicator(engine, "vat_yuan", "2022-04", HANCUN).value == 4.0
    assert indicator(engine, "vat_yuan", "2022-04", LIUQIAO).value == 40.0
    assert indicator(engine, "vat_yuan", "2022-04").value_ytd == sum(11.0 * n for n in range(1, 5))

    assert counts("electricity_kwh", HANCUN) == [3, 2, 2, 2]
    assert counts("electricity_kwh", LIUQIAO) == [2, 3, 3, 3]
    assert counts("electricity_kwh", COUNTY) == [6, 6, 6, 6]
    january = indicator(engine, "electricity_kwh", "2022-01", HANCUN)
    assert (january.value, january.value_ytd) == (1100, 1100)
    april = indicator(engine, "electricity_kwh", "2022-04", LIUQIAO)
    # A was in 韩村镇 in January: 刘桥镇's year to date starts in February.
    assert (april.value, april.value_ytd) == (4400, 2200 + 3300 + 4400)
    county = indicator(engine, "electricity_kwh", "2022-04")
    assert county.value == 4400 + 7
    # Same scope: the meters with a prior-year figure, 400 + 7 kWh against 50 + 7.
    assert county.yoy_pct == pytest.approx(100 * (407 / 57 - 1))
