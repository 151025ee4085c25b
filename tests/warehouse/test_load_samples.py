"""The agencies' sample files load end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.warehouse.helpers import load_month, rows, scalar, snapshot

SAMPLE_KWH = [3793352, 2297483, 3409918, 3621823, 446579, 2663952, 627397, 1102277]
SAMPLE_PRIOR = [3642193, 2645107, 3233943, 3621884, 430129, 2661043, 523936, 963923]


def test_samples_load_with_the_total_reconciled(engine: sa.Engine, sample_landing: Path) -> None:
    loads = load_month(engine, sample_landing, "2022-03")
    assert {s: load.status for s, load in loads.items()} == {
        "registry": "loaded",
        "electricity": "loaded",
    }
    ledger = rows(
        engine,
        "SELECT source, rows_read, rows_loaded, rows_held, control_total, "
        "encoding FROM ingest_ledger ORDER BY source",
    )
    assert [tuple(r[:4]) for r in ledger] == [("electricity", 8, 8, 0), ("registry", 6, 6, 0)]
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
    assert mart["340621400000"].value == 3793352  # 恒润铝箔 in the economic development zone
    assert mart["340621401000"].value == 3621823 + 446579  # 昊天, two accounts
    assert mart["340621110000"].value == 0 and mart["340621110000"].yoy_pct is None


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
    assert [tuple(r) for r in statuses] == [("loaded", 4), ("unchanged", 2)]
