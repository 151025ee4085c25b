"""A register load re-derives only the earlier facts its changes touch, and the warehouse it
leaves is exactly the one deriving everything again from staging gives.

A snapshot reaches into earlier months through who is registered at all (``is_registered``
of every fact naming the enterprise) and through which names match an account uniquely.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import sqlalchemy as sa

from indmon.catalogue import SOURCES
from indmon.steps import prepare_period
from sources.landing import period_files
from tests.files import (
    code,
    electricity_rows,
    registry_row,
    tax_row,
    write_electricity_csv,
    write_registry_csv,
    write_tax_xlsx,
)
from tests.warehouse.helpers import (
    as_loaded,
    assert_same_derived,
    load_month,
    rebuilt_from_scratch,
    rows,
)
from warehouse.load import PeriodLoad, load_period
from warehouse.marts import EVERY_PERIOD, rebuild_all_marts

A, B, C, D, E = (code(n) for n in range(1, 6))
PERIODS = ("2022-01", "2022-02", "2022-03", "2022-04")


def register(landing: Path, period: str, *enterprises: tuple[str, str]) -> None:
    """A register snapshot of (credit code, name) pairs."""
    write_registry_csv(
        landing / "registry" / period / f"企业名录_{period}.csv",
        [registry_row(credit, name) for credit, name in enterprises],
    )


def electricity(landing: Path, period: str, *accounts: tuple[str, str, str, int]) -> None:
    """A utility file of (account, name, code as delivered, kWh)."""
    yyyymm = period.replace("-", "")
    write_electricity_csv(
        landing / "electricity" / period / f"城区_{yyyymm}.csv",
        electricity_rows([(*account, None) for account in accounts], yyyymm),
    )


def tax(landing: Path, period: str, *payers: tuple[str, str]) -> None:
    """A tax workbook with 100 yuan of VAT from each (credit code, name)."""
    year, month = period.split("-")
    write_tax_xlsx(
        landing / "tax" / period / "税收.xlsx",
        [tax_row(credit, name, 100.0, period=period) for credit, name in payers],
        title=f"濉溪县工业企业税收入库明细（{year}年{int(month)}月）",
    )


def load_register(engine: sa.Engine, landing: Path, period: str) -> PeriodLoad:
    """Load (again) a period's register snapshot, leaving the marts to the caller."""
    source = SOURCES["registry"]
    prepared = prepare_period(source, period, period_files(landing, "registry", period))
    assert prepared.split is not None
    return load_period(
        engine, "registry", period, prepared.files, prepared.split, force=True, rebuild=False
    )


def resolution(engine: sa.Engine, account: str) -> dict[str, tuple[str | None, str, bool]]:
    """(credit code, resolution, registered) of an account, by month."""
    return {
        r.period: (r.credit_code, r.resolution, bool(r.is_registered))
        for r in rows(
            engine,
            "SELECT period, credit_code, resolution, is_registered FROM fact_electricity "
            "WHERE account_no = :a",
            a=account,
        )
    }


def test_an_enterprise_entering_the_register_reaches_back_to_its_own_facts_only(
    engine: sa.Engine, landing: Path
) -> None:
    for period in PERIODS[:3]:
        register(landing, period, (A, "甲公司"), (B, "乙公司"))
        electricity(
            landing,
            period,
            ("1000000001", "甲公司", A, 100),  # own code
            ("1000000002", "乙公司", "", 50),  # by name
            ("1000000003", "丙公司", C, 70),  # own code, not registered yet
            ("1000000004", "丁公司", "", 30),  # no code, no name registered yet
        )
        tax(landing, period, (A, "甲公司"), (C, "丙公司"))
        load_month(engine, landing, period)
    assert resolution(engine, "1000000003")["2022-01"] == (C, "own_code", False)
    before = as_loaded(engine)

    # April's register: C and D enter, and E takes B's name.
    register(landing, "2022-04", (A, "甲公司"), (B, "乙公司"), (C, "丙公司"), (D, "丁公司"),
             (E, "乙公司"))  # fmt: skip
    load = load_register(engine, landing, "2022-04")
    assert load.marts_from == "2022-01"  # the earliest fact that changed
    for period in PERIODS[:3]:
        assert resolution(engine, "1000000003")[period] == (C, "own_code", True)
        assert resolution(engine, "1000000004")[period] == (D, "name_match", True)
        assert resolution(engine, "1000000002")[period] == (None, "unresolved", False)
    registered = rows(engine, "SELECT period, credit_code, is_registered FROM fact_tax")
    assert {(r.period, r.credit_code): bool(r.is_registered) for r in registered} == {
        (p, c): True for p in PERIODS[:3] for c in (A, C)
    }
    # The other earlier rows are the very same.
    after = as_loaded(engine)
    assert [r for r in after["fact_electricity"] if r[1] == "1000000001"] == [
        r for r in before["fact_electricity"] if r[1] == "1000000001"
    ]
    assert [r for r in after["fact_tax"] if r[1] == A] == [
        r for r in before["fact_tax"] if r[1] == A
    ]
    with engine.begin() as connection:
        rebuild_all_marts(connection, load.marts_from or EVERY_PERIOD)
    assert_same_derived(as_loaded(engine), rebuilt_from_scratch(engine))


def test_a_register_change_that_touches_no_earlier_fact_starts_the_marts_at_its_month(
    engine: sa.Engine, landing: Path
) -> None:
    for period in PERIODS[:2]:
        register(landing, period, (A, "甲公司"), (B, "乙公司"))
        electricity(
            landing, period, ("1000000001", "甲公司", A, 100), ("1000000002", "乙公司", "", 5)
        )
        load_month(engine, landing, period)
    # March: B moves town (a new version) and an enterprise no account names enters.
    write_registry_csv(
        landing / "registry" / "2022-03" / "企业名录_2022-03.csv",
        [registry_row(A, "甲公司"), registry_row(B, "乙公司", "韩村镇"), registry_row(C, "丙公司")],
    )
    before = as_loaded(engine)["fact_electricity"]
    assert load_register(engine, landing, "2022-03").marts_from == "2022-03"
    assert as_loaded(engine)["fact_electricity"] == before


def test_a_resent_snapshot_that_drops_an_enterprise_unregisters_its_facts(
    engine: sa.Engine, landing: Path
) -> None:
    register(landing, "2022-01", (A, "甲公司"))
    register(landing, "2022-02", (A, "甲公司"), (D, "丁公司"))
    register(landing, "2022-03", (A, "甲公司"))
    for period in PERIODS[:3]:
        electricity(landing, period, ("1000000004", "丁公司", "", 30), ("1000000006", "戊", D, 9))
        load_month(engine, landing, period)
    assert resolution(engine, "1000000004")["2022-01"] == (D, "name_match", True)
    # February is re-sent without D: D was never registered, as far as the warehouse knows.
    register(landing, "2022-02", (A, "甲公司"))
    assert load_register(engine, landing, "2022-02").marts_from == "2022-01"
    for period in PERIODS[:3]:
        assert resolution(engine, "1000000004")[period] == (None, "unresolved", False)
        assert resolution(engine, "1000000006")[period] == (D, "own_code", False)
    assert rows(engine, "SELECT DISTINCT credit_code FROM dim_enterprise") == [(A,)]


NAMES = ("甲公司", "乙公司", "丙公司", "丁公司")
CODES = tuple(code(n) for n in range(11, 16))


def random_month(rng: random.Random, landing: Path, period: str) -> None:
    """A register of a few of CODES under a few of NAMES (names may repeat, codes may
    come and go) and accounts with a code, a mistyped code or none, by some name."""
    register(
        landing,
        period,
        *((credit, rng.choice(NAMES)) for credit in CODES if rng.random() < 0.6),
    )
    accounts = []
    for n in range(6):
        credit = rng.choice((*CODES, "", "", CODES[0][:-1] + "0"))
        accounts.append((f"10000000{n:02d}", rng.choice(NAMES), credit, 10 + n))
    electricity(landing, period, *accounts)
    tax(landing, period, *((credit, "某") for credit in CODES if rng.random() < 0.5))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_loads_in_any_order_and_resent_snapshots_equal_deriving_everything_again(
    engine: sa.Engine, landing: Path, seed: int
) -> None:
    """Property: whatever the registers say and in whatever order the months arrive, the
    warehouse after each load equals everything derived again from staging."""
    rng = random.Random(seed)
    for period in PERIODS:
        random_month(rng, landing, period)
    order = [*rng.sample(PERIODS, len(PERIODS)), *rng.sample(PERIODS, 2)]
    for step, period in enumerate(order):
        if step >= len(PERIODS):  # a re-sent month: a different register
            random_month(rng, landing, period)
        load_month(engine, landing, period, force=True)
        assert_same_derived(as_loaded(engine), rebuilt_from_scratch(engine))
