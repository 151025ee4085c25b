"""The rules that decide the numbers: history, resolution, year to date, replacement, atomicity."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

import warehouse.load
from tests.files import (
    code,
    electricity_rows,
    registry_row,
    write_electricity_csv,
    write_registry_csv,
)
from tests.warehouse.helpers import load_month, rows, scalar, snapshot
from warehouse.accounts import map_account, unresolved_accounts

A, B, C = code(1), code(2), code(3)


def _registry(landing: Path, period: str, *rows_: list[object]) -> None:
    write_registry_csv(landing / "registry" / period / f"企业名录_{period}.csv", list(rows_))


def _electricity(landing: Path, period: str, accounts: list[tuple], name: str = "城区") -> None:
    yyyymm = period.replace("-", "")
    write_electricity_csv(
        landing / "electricity" / period / f"{name}_{yyyymm}.csv",
        electricity_rows(accounts, yyyymm),
    )


# Two accounts that used nothing: a wide-audience figure needs three payers behind it.
QUIET_ACCOUNTS = [("1000000008", "静一", "", 0, 0), ("1000000009", "静二", "", 0, 0)]


def _town_enterprises(engine: sa.Engine, period: str) -> dict[str, int]:
    """Enterprises behind each region's kWh (the figures themselves are suppressed)."""
    return {
        r.region_code: r.enterprise_count
        for r in rows(
            engine,
            "SELECT region_code, enterprise_count, value, suppressed FROM mart_indicator_month "
            "WHERE indicator = 'electricity_kwh' AND period = :p AND enterprise_count > 0",
            p=period,
        )
        if r.suppressed and r.value is None
    }


def test_a_change_of_town_opens_a_version_and_march_sees_march(
    engine: sa.Engine, landing: Path
) -> None:
    for period, town in (("2022-02", "韩村镇"), ("2022-03", "刘桥镇"), ("2022-04", "刘桥镇")):
        _registry(landing, period, registry_row(A, "甲公司", town))
        _electricity(landing, period, [("1000000001", "甲公司", A, 100, 90)])
    for period in ("2022-02", "2022-03", "2022-04"):
        load_month(engine, landing, period)
    versions = rows(
        engine,
        "SELECT valid_from, valid_to, region_code, is_current FROM "
        "dim_enterprise ORDER BY valid_from",
    )
    assert [tuple(v[:3]) for v in versions] == [
        ("2022-02", "2022-03", "340621101000"),
        ("2022-03", None, "340621102000"),
    ]
    assert [bool(v.is_current) for v in versions] == [False, True]
    county = "340621000000"
    assert _town_enterprises(engine, "2022-02") == {county: 1, "340621101000": 1}
    assert _town_enterprises(engine, "2022-03") == {county: 1, "340621102000": 1}


def test_a_snapshot_loaded_late_still_splits_the_history(engine: sa.Engine, landing: Path) -> None:
    _registry(landing, "2022-02", registry_row(A, "甲公司", "韩村镇"))
    _registry(landing, "2022-04", registry_row(A, "甲公司", "刘桥镇"))
    load_month(engine, landing, "2022-04")
    load_month(engine, landing, "2022-02")
    versions = rows(engine, "SELECT valid_from, valid_to FROM dim_enterprise ORDER BY valid_from")
    assert [tuple(v) for v in versions] == [("2022-02", "2022-04"), ("2022-04", None)]


def test_a_version_open_for_months_keeps_its_start_when_a_later_snapshot_changes_it(
    engine: sa.Engine, landing: Path
) -> None:
    """A load rebuilds versions from the snapshot before it; older starts are kept."""
    towns = (("2022-01", "韩村镇"), ("2022-02", "韩村镇"), ("2022-03", "韩村镇"))
    for period, town in (*towns, ("2022-04", "刘桥镇"), ("2022-05", "刘桥镇")):
        _registry(landing, period, registry_row(A, "甲公司", town))
        load_month(engine, landing, period)
    versions = rows(
        engine,
        "SELECT valid_from, valid_to, region_code, is_current FROM "
        "dim_enterprise ORDER BY valid_from",
    )
    assert [tuple(v[:3]) for v in versions] == [
        ("2022-01", "2022-04", "340621101000"),
        ("2022-04", None, "340621102000"),
    ]
    # A re-sent March that moves the enterprise splits the first version there.
    _registry(landing, "2022-03", registry_row(A, "甲公司", "刘桥镇"))
    load_month(engine, landing, "2022-03", force=True)
    versions = rows(engine, "SELECT valid_from, valid_to FROM dim_enterprise ORDER BY valid_from")
    assert [tuple(v) for v in versions] == [("2022-01", "2022-03"), ("2022-03", None)]


def test_account_history_then_unresolved_then_manual_map(engine: sa.Engine, landing: Path) -> None:
    _registry(landing, "2022-01", registry_row(A, "甲公司"), registry_row(B, "乙公司", "五沟镇"))
    _electricity(
        landing,
        "2022-01",
        [("1000000001", "甲公司一厂", A, 100, None), ("1000000002", "丙某某", "", 50, 40)],
    )
    # February: the code is missing for account 1 (history applies) and mistyped on account 2.
    _electricity(
        landing,
        "2022-02",
        [
            ("1000000001", "甲公司一厂", "", 110, None),
            ("1000000002", "丙某某", A[:-1] + "0", 60, 45),
        ],
    )
    load_month(engine, landing, "2022-01")
    load_month(engine, landing, "2022-02")
    facts = {
        (r.period, r.account_no): (r.credit_code, r.resolution)
        for r in rows(
            engine, "SELECT period, account_no, credit_code, resolution FROM fact_electricity"
        )
    }
    assert facts[("2022-02", "1000000001")] == (A, "history")
    assert facts[("2022-02", "1000000002")] == (None, "unresolved")
    assert [r.account_no for r in unresolved_accounts(engine)] == ["1000000002"]
    delivered = scalar(
        engine,
        "SELECT credit_code_delivered FROM stg_electricity WHERE "
        "period = '2022-02' AND account_no = '1000000002'",
    )
    assert delivered == A[:-1] + "0"  # kept as delivered for staff to see

    map_account(engine, "1000000002", B)
    facts = {
        (r.period, r.account_no): (r.credit_code, r.resolution)
        for r in rows(
            engine, "SELECT period, account_no, credit_code, resolution FROM fact_electricity"
        )
    }
    assert facts[("2022-01", "1000000002")] == (B, "manual")
    assert facts[("2022-02", "1000000002")] == (B, "manual")
    assert unresolved_accounts(engine) == []
    assert _town_enterprises(engine, "2022-02")["340621103000"] == 1  # 五沟镇 now counts it
    assert (
        scalar(
            engine,
            "SELECT electricity_kwh FROM mart_enterprise_month "
            "WHERE credit_code = :b AND period = '2022-02'",
            b=B,
        )
        == 60
    )
    with pytest.raises(ValueError, match="not a valid"):
        map_account(engine, "1000000002", "91340621MA0000000X")


def test_a_valid_code_not_in_the_register_is_used_and_reported(
    engine: sa.Engine, landing: Path
) -> None:
    _registry(landing, "2022-01", registry_row(A, "甲公司"))
    _electricity(landing, "2022-01", [("1000000003", "丁公司", C, 70, 60)])
    load_month(engine, landing, "2022-01")
    fact = rows(engine, "SELECT credit_code, resolution, is_registered FROM fact_electricity")[0]
    assert (fact.credit_code, fact.resolution, bool(fact.is_registered)) == (C, "own_code", False)
    mart = rows(
        engine,
        "SELECT is_registered, region_code, name FROM mart_enterprise_month WHERE credit_code = :c",
        c=C,
    )[0]
    assert (bool(mart.is_registered), mart.region_code, mart.name) == (False, None, "丁公司")
    assert _town_enterprises(engine, "2022-01") == {"340621000000": 1}  # only the county


def test_year_to_date_needs_every_month_and_growth_is_same_scope(
    engine: sa.Engine, landing: Path
) -> None:
    _registry(landing, "2022-01", registry_row(A, "甲公司"))
    _electricity(
        landing,
        "2022-01",
        [
            ("1000000001", "甲公司", A, 100, 80),
            ("1000000002", "新户", "", 30, None),
            *QUIET_ACCOUNTS,
        ],
    )
    _electricity(landing, "2022-03", [("1000000001", "甲公司", A, 120, 100), *QUIET_ACCOUNTS])
    load_month(engine, landing, "2022-01")
    load_month(engine, landing, "2022-03")

    def county(period: str) -> sa.Row:
        return rows(
            engine,
            "SELECT * FROM mart_indicator_month WHERE region_code = '340621000000' AND period = :p",
            p=period,
        )[0]

    january = county("2022-01")
    assert (january.value, january.value_ytd) == (130, 130)
    assert january.yoy_pct == pytest.approx(25.0)  # the new account has no prior-year figure
    assert county("2022-03").value_ytd is None  # February missing
    _electricity(landing, "2022-02", [("1000000001", "甲公司", A, 90, 0), *QUIET_ACCOUNTS])
    load_month(engine, landing, "2022-02")
    march = county("2022-03")
    assert march.value_ytd == 130 + 90 + 120
    assert march.ytd_yoy_pct == pytest.approx(100 * ((100 + 90 + 120) / (80 + 0 + 100) - 1))
    assert county("2022-02").yoy_pct is None  # a prior-year figure of 0: no growth to divide


def test_a_resent_file_replaces_its_period(engine: sa.Engine, landing: Path) -> None:
    _electricity(
        landing,
        "2022-01",
        [("1000000001", "甲公司", A, 100, 80), ("1000000002", "乙", "", 30, None), *QUIET_ACCOUNTS],
    )
    load_month(engine, landing, "2022-01")
    _electricity(landing, "2022-01", [("1000000001", "甲公司", A, 150, 80), *QUIET_ACCOUNTS])
    loads = load_month(engine, landing, "2022-01")
    assert loads["electricity"].status == "loaded"
    assert [
        tuple(r) for r in rows(engine, "SELECT account_no, kwh FROM fact_electricity WHERE kwh > 0")
    ] == [("1000000001", 150)]
    assert (
        scalar(
            engine,
            "SELECT value FROM mart_indicator_month WHERE region_code = "
            "'340621000000' AND period = '2022-01'",
        )
        == 150
    )


def test_a_failure_leaves_the_warehouse_as_it_was(
    engine: sa.Engine, landing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _electricity(landing, "2022-01", [("1000000001", "甲公司", A, 100, 80)])
    load_month(engine, landing, "2022-01")
    before = snapshot(engine)
    ledger_before = scalar(engine, "SELECT COUNT(*) FROM ingest_ledger")

    def broken(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(warehouse.load, "rebuild_marts", broken)
    _electricity(landing, "2022-01", [("1000000001", "甲公司", A, 999, 80)])
    with pytest.raises(RuntimeError, match="disk full"):
        load_month(engine, landing, "2022-01")
    assert snapshot(engine) == before
    assert scalar(engine, "SELECT COUNT(*) FROM ingest_ledger") == ledger_before
