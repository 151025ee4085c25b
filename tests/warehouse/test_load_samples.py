"""The agencies' sample files load end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from indmon.catalogue import SOURCES, in_load_order
from indmon.steps import prepare_period
from sources.landing import period_files
from tests.warehouse.helpers import load_month, rows, scalar, snapshot
from warehouse.load import load_period
from warehouse.mart_pending import pending_marts, rebuild_pending_marts

SAMPLE_KWH = [3793352, 2297483, 3409918, 3621823, 446579, 2663952, 627397, 1102277]
SAMPLE_PRIOR = [3642193, 2645107, 3233943, 3621884, 430129, 2661043, 523936, 963923]


def test_samples_load_with_the_total_reconciled(engine: sa.Engine, sample_landing: Path) -> None:
    loads = load_month(engine, sample_landing, "2022-03")
    assert {s: load.status for s, load in loads.items()} == dict.fromkeys(
        ("registry", "electricity", "tax", "statistics", "indicators", "projects", "targets"),
        "loaded",
    )
    ledger = rows(
        engine,
        "SELECT source, rows_read, rows_loaded, rows_held, control_total, "
        "encoding FROM ingest_ledger ORDER BY source",
    )
    assert [tuple(r[:4]) for r in ledger] == [
        ("electricity", 8, 8, 0),
        ("indicators", 5, 5, 0),
        ("projects", 3, 3, 0),
        ("registry", 6, 6, 0),
        ("statistics", 5, 5, 0),
        ("targets", 6, 6, 0),
        ("tax", 6, 6, 0),
    ]
    assert ledger[0].control_total == sum(SAMPLE_KWH) == 17962781
    assert ledger[0].encoding in {"gbk", "gb18030"}
    assert scalar(engine, "SELECT COUNT(*) FROM held_row") == 0


def test_accounts_resolve_by_own_code_or_registered_name(
    engine: sa.Engine, sample_landing: Path
) -> None:
    load_month(engine, sample_landing, "2022-03")
    resolved = {
        r.account_no: (r.credit_code, r.resolution, bool(r.is_registered))
        for r in rows(
            engine,
            "SELECT account_no, credit_code, resolution, is_registered FROM fact_electricity",
        )
    }
    # No code on the row, but the account name is exactly a registered name.
    assert resolved["9193298571"] == ("913406216506478859", "name_match", True)
    # A branch account carries the enterprise's own code.
    assert resolved["5976670466"] == ("91340621546164728B", "own_code", True)
    assert sum(1 for v in resolved.values() if v[1] == "unresolved") == 0


def test_former_town_name_resolves_to_current_code(engine: sa.Engine, sample_landing: Path) -> None:
    load_month(engine, sample_landing, "2022-03")
    # The sample register names 孙疃镇 by its former name 孙町镇.
    assert (
        scalar(
            engine,
            "SELECT region_code FROM dim_enterprise WHERE credit_code = '91340621MATP81WQ5G'",
        )
        == "340621109000"
    )


def test_county_and_town_electricity_in_the_mart(engine: sa.Engine, sample_landing: Path) -> None:
    load_month(engine, sample_landing, "2022-03")
    mart = {
        r.region_code: r
        for r in rows(
            engine,
            "SELECT * FROM mart_indicator_month WHERE indicator = "
            "'electricity_kwh' AND period = '2022-03'",
        )
    }
    assert len(mart) == 14  # the county, its 11 towns and 2 parks: every one present
    county = mart["340621000000"]
    assert county.value == sum(SAMPLE_KWH)
    assert county.yoy_pct == pytest.approx(100 * (sum(SAMPLE_KWH) / sum(SAMPLE_PRIOR) - 1))
    assert county.value_ytd is None  # January and February are not loaded
    assert county.ytd_yoy_pct is None
    assert county.enterprise_count >= 3 and not county.suppressed
    # A town or park with fewer than three enterprises shows no figures (wide audiences).
    zone = mart["340621400000"]  # 恒润铝箔 alone in the economic development zone
    assert (zone.value, zone.yoy_pct, zone.enterprise_count, bool(zone.suppressed)) == (
        None,
        None,
        1,
        True,
    )
    assert mart["340621401000"].enterprise_count == 1  # 昊天: two accounts, one enterprise
    empty = mart["340621110000"]
    assert (empty.value, empty.enterprise_count, bool(empty.suppressed)) == (None, 0, True)


def test_enterprise_month_mart(engine: sa.Engine, sample_landing: Path) -> None:
    load_month(engine, sample_landing, "2022-03")
    row = rows(
        engine,
        "SELECT * FROM mart_enterprise_month WHERE credit_code = "
        "'91340621546164728B' AND period = '2022-03'",
    )[0]
    assert (row.electricity_accounts, row.electricity_kwh, row.electricity_kwh_prior_year) == (
        2,
        3621823 + 446579,
        3621884 + 430129,
    )
    assert row.region_code == "340621401000" and row.industry_code == "2770"
    assert bool(row.above_scale) and bool(row.key_enterprise)
    # 宏达机械 is registered but has no account this month: present, kWh unknown.
    hongda = rows(
        engine,
        "SELECT electricity_kwh, electricity_accounts FROM "
        "mart_enterprise_month WHERE credit_code = '91340621MA7MFD2MX6'",
    )
    assert [tuple(r) for r in hongda] == [(2663952, 1)]
    assert scalar(engine, "SELECT COUNT(*) FROM mart_enterprise_month") == 6
    linhuan = rows(
        engine, "SELECT * FROM mart_enterprise_month WHERE credit_code = '91340621MA3HCLE85T'"
    )[0]
    assert (linhuan.vat_yuan, linhuan.total_tax_yuan) == (-8334.55, 112620.48)
    assert (linhuan.output_ytd_yuan, linhuan.output_prior_ytd_yuan) == (12_578_000, 10_190_000)
    assert (linhuan.profit_ytd_yuan, linhuan.employees) == (-356_000, 993)


def test_running_the_same_files_again_changes_nothing(
    engine: sa.Engine, sample_landing: Path
) -> None:
    load_month(engine, sample_landing, "2022-03")
    before = snapshot(engine)
    again = load_month(engine, sample_landing, "2022-03")
    assert {load.status for load in again.values()} == {"unchanged"}
    assert snapshot(engine) == before
    forced = load_month(engine, sample_landing, "2022-03", force=True)
    assert {load.status for load in forced.values()} == {"loaded"}
    assert snapshot(engine) == before
    statuses = rows(
        engine, "SELECT status, COUNT(*) FROM ingest_ledger GROUP BY status ORDER BY status"
    )
    assert [tuple(r) for r in statuses] == [("loaded", 14), ("unchanged", 7)]


def test_tax_statistics_and_published_indicators(engine: sa.Engine, sample_landing: Path) -> None:
    load_month(engine, sample_landing, "2022-03")
    county = {
        r.indicator: r
        for r in rows(
            engine,
            "SELECT * FROM mart_indicator_month WHERE period = '2022-03' "
            "AND region_code = '340621000000'",
        )
    }
    vat = [863414.7, 383509.68, 602756.32, 846303.9, 814611.15, -8334.55]
    total = [1202567.06, 669801.78, 777640.07, 1058930.09, 1128392.61, 112620.48]
    assert county["vat_yuan"].value == pytest.approx(sum(vat))
    assert county["total_tax_yuan"].value == pytest.approx(sum(total))
    assert county["vat_refund_yuan"].value == pytest.approx(1340632.83)
    assert county["total_tax_yuan"].yoy_pct is None  # 2021-03 is not loaded
    output = [368435, 161505, 164491, 14951, 12578]
    output_prior = [359496, 174451, 134194, 15459, 10190]
    gross = county["gross_output_yuan"]
    assert gross.value_ytd == pytest.approx(1000 * sum(output))
    assert gross.ytd_yoy_pct == pytest.approx(100 * (sum(output) / sum(output_prior) - 1))
    assert gross.value is None  # the single month needs 2022-02
    assert county["above_scale_count"].value == 5
    assert county["new_above_scale_count"].value_ytd is None  # 2021 is not loaded
    assert county["per_mu_tax_yuan"].value_ytd is None  # January and February tax missing
    published = {r.name: r for r in rows(engine, "SELECT * FROM mart_published_indicator")}
    assert len(published) == 5
    assert (
        published["规模以上工业增加值"].yoy_pct,
        published["规模以上工业增加值"].ytd_yoy_pct,
    ) == (9.8, 10.6)
    assert published["工业投资"].value_ytd == 352100 and published["工业投资"].unit == "万元"
    catalogue = {r.indicator for r in rows(engine, "SELECT indicator FROM dim_indicator")}
    assert set(county) <= catalogue


def test_sample_projects_and_targets(engine: sa.Engine, sample_landing: Path) -> None:
    load_month(engine, sample_landing, "2022-03")
    investment = {
        (r.region_code, r.indicator): r
        for r in rows(
            engine,
            "SELECT * FROM mart_indicator_month WHERE period = '2022-03' "
            "AND indicator LIKE '%investment_yuan'",
        )
    }
    assert len(investment) == 2 * 14
    county = investment[("340621000000", "industrial_investment_yuan")]
    assert county.value_ytd == pytest.approx((14820 + 6100.5 + 0) * 10_000)
    assert county.value is None and county.ytd_yoy_pct is None  # 2022-02, 2021-03 not loaded
    assert (county.enterprise_count, county.suppressed) == (3, False)
    # Figures about fewer than three investors are hidden from wide audiences: the one
    # 技术改造 project (61 005 000 yuan), the park's one project, a town with one planned.
    for key, investors in {
        ("340621000000", "renovation_investment_yuan"): 1,
        ("340621400000", "industrial_investment_yuan"): 1,
        ("340621400000", "renovation_investment_yuan"): 0,
        ("340621104000", "industrial_investment_yuan"): 1,  # a project planned, nothing spent
    }.items():
        hidden = investment[key]
        assert (hidden.enterprise_count, hidden.suppressed) == (investors, True), key
        assert hidden.value_ytd is None and hidden.value is None, key
    progress = {
        (r.region_code, r.indicator): (r.actual_value, r.actual_period, r.status)
        for r in rows(engine, "SELECT * FROM mart_target_progress WHERE year = 2022")
    }
    assert progress == {
        # The published release of 2022-03 gives 10.6 % against 10 (floor) and 12 (stretch).
        ("340621000000", "published:规模以上工业增加值"): (10.6, "2022-03", "on_track"),
        ("340621000000", "industrial_investment_yuan"): (None, None, "no_data"),
        ("340621000000", "renovation_investment_yuan"): (None, None, "no_data"),
        ("340621000000", "new_above_scale_count"): (None, None, "no_data"),
        ("340621000000", "per_mu_tax_yuan"): (None, None, "no_data"),
        ("340621400000", "new_above_scale_count"): (None, None, "no_data"),
    }


def test_marts_rebuilt_once_after_several_loads_equal_marts_rebuilt_per_load(
    engine: sa.Engine, sample_landing: Path
) -> None:
    load_month(engine, sample_landing, "2022-03")
    marts = (
        "mart_enterprise_month",
        "mart_indicator_month",
        "mart_published_indicator",
        "mart_target_progress",
    )
    expected = {name: rows for name, rows in snapshot(engine).items() if name in marts}
    assert all(expected.values())
    with engine.begin() as connection:
        for name in marts:
            connection.exec_driver_sql(f"DELETE FROM {name}")
    loads = []
    for source in in_load_order(list(SOURCES)):
        paths = period_files(sample_landing, source.name, "2022-03")
        if not paths:
            continue
        prepared = prepare_period(source, "2022-03", paths)
        assert prepared.split is not None
        loads.append(
            load_period(
                engine, source.name, prepared.period, prepared.files, prepared.split,
                force=True, rebuild=False,
            )
        )  # fmt: skip
    # The targets' year is a period of its own; every monthly source starts at March.
    assert {load.marts_from for load in loads if load.source != "targets"} == {"2022-03"}
    assert not any(rows for name, rows in snapshot(engine).items() if name in marts)
    assert pending_marts(engine) == sorted((load.source, load.marts_from) for load in loads)
    rebuild_pending_marts(engine)
    assert {name: rows for name, rows in snapshot(engine).items() if name in marts} == expected
    assert pending_marts(engine) == []
