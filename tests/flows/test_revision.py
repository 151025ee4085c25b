"""A re-sent past month with other content: it reloads, and exactly what depends on it changes.

Two years of a small county's tax files; March 2021 is re-sent with a higher VAT for one
enterprise. Every mart row is compared before and after: the rows that must change are
derived here from the indicator definitions (the month and year to date of 2021 from
March on, and 2022's growth over the same months), for the enterprise's town and the
county; nothing else may move. The ledger keeps both deliveries' hashes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from sources.extract import file_sha256
from tests.files import code, registry_row, tax_row, write_registry_csv, write_tax_xlsx
from tests.warehouse.helpers import rows
from warehouse.engine import create_warehouse_engine
from warehouse.tables import metadata

pytestmark = pytest.mark.usefixtures("prefect_harness")

PERIODS = [f"{year}-{month:02d}" for year in (2021, 2022) for month in range(1, 13)]
COUNTY, TOWN, OTHER_TOWN = "340621000000", "340621100000", "340621101000"
A, B, C = code(1), code(2), code(3)
TAX_INDICATORS_MOVED = {"vat_yuan", "total_tax_yuan"}


def _tax_file(landing: Path, period: str, vat_of_a: float) -> Path:
    year, month = int(period[:4]), int(period[5:])
    path = landing / "tax" / period / "税收.xlsx"
    return write_tax_xlsx(
        path,
        [
            tax_row(A, "甲公司", vat_of_a, 5.0, period=period),
            tax_row(B, "乙公司", 200.0 + month, 7.0, period=period),
            tax_row(C, "丙公司", 300.0 + year % 10, 9.0, period=period),
        ],
        title=f"濉溪县工业企业税收入库明细（{year}年{month}月）",
    )


def _mart_rows(engine: sa.Engine) -> dict[str, dict[tuple[Any, ...], tuple[Any, ...]]]:
    """Every row of every mart, keyed by its primary key."""
    found = {}
    with engine.connect() as connection:
        for name, table in metadata.tables.items():
            if not name.startswith("mart_"):
                continue
            key = [c.name for c in table.primary_key.columns]
            found[name] = {
                tuple(row._mapping[k] for k in key): tuple(row)
                for row in connection.execute(sa.select(table))
            }
    return found


def _expected_changes() -> set[tuple[str, tuple[Any, ...]]]:
    """The mart rows a higher VAT of A in 2021-03 must change, from the definitions."""
    changed: set[tuple[str, tuple[Any, ...]]] = {("mart_enterprise_month", (A, "2021-03"))}
    # 亩均效益评价 of 2021 scores each enterprise against the others: all three move.
    changed |= {("mart_per_mu_evaluation", (code, 2021)) for code in (A, B, C)}
    # The town's figures are about two enterprises (A and B): suppressed before and after.
    for region in (COUNTY,):
        for indicator in TAX_INDICATORS_MOVED:
            # 2021: the month itself and every later year to date of 2021.
            for month in range(3, 13):
                changed.add(("mart_indicator_month", (region, f"2021-{month:02d}", indicator)))
            # 2022: growth of March on March, and year-to-date growth from March on.
            for month in range(3, 13):
                changed.add(("mart_indicator_month", (region, f"2022-{month:02d}", indicator)))
    return changed


def test_a_revised_month_changes_exactly_what_depends_on_it(
    monkeypatch: pytest.MonkeyPatch, warehouse_url: str, landing: Path
) -> None:
    from flows.backfill import backfill

    monkeypatch.setenv("INDMON_LANDING_DIR", str(landing))
    monkeypatch.setenv("INDMON_WAREHOUSE_URL", warehouse_url)
    write_registry_csv(
        landing / "registry" / "2021-01" / "名录.csv",
        [
            registry_row(A, "甲公司"),
            registry_row(B, "乙公司"),
            registry_row(C, "丙公司", "韩村镇"),
        ],
    )
    for period in PERIODS:
        _tax_file(landing, period, 100.0)
    first_hash = file_sha256(landing / "tax" / "2021-03" / "税收.xlsx")
    backfill("2021-01", "2022-12")
    engine = create_warehouse_engine(warehouse_url)
    before = _mart_rows(engine)

    revised_hash = file_sha256(_tax_file(landing, "2021-03", 160.0))
    loads = backfill("2021-01", "2022-12")
    assert {(o.source, o.period) for o in loads if o.status == "loaded"} == {("tax", "2021-03")}
    after = _mart_rows(engine)

    differing = {
        (table, key)
        for table in after
        for key in set(before[table]) | set(after[table])
        if before[table].get(key) != after[table].get(key)
    }
    assert differing == _expected_changes()
    # The figures themselves: the county's March 2021 VAT rose by 60 yuan.
    march = ("mart_indicator_month", (COUNTY, "2021-03", "vat_yuan"))
    value = [c.name for c in metadata.tables[march[0]].columns].index("value")
    assert after[march[0]][march[1]][value] == before[march[0]][march[1]][value] + 60
    assert all(
        before["mart_indicator_month"][key] == after["mart_indicator_month"][key]
        for key in before["mart_indicator_month"]
        if key[0] == OTHER_TOWN
    )
    ledger = rows(
        engine,
        "SELECT sha256, status FROM ingest_ledger WHERE source = 'tax' AND period = '2021-03' "
        "ORDER BY finished_at",
    )
    assert [(r.sha256, r.status) for r in ledger] == [
        (first_hash, "loaded"),
        (revised_hash, "loaded"),
    ]
    engine.dispose()
