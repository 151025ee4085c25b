"""The tax contract on real workbooks: enterprises load, everything else is held with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from indmon.catalogue import SOURCES
from indmon.steps import PreparedPeriod, prepare_period
from schemas.credit_code import complete_credit_code
from tests.files import code, tax_row, write_tax_xlsx

A, B = code(1), code(2)
INDIVIDUAL = complete_credit_code("92340621MA000001")
COOPERATIVE = complete_credit_code("93340621MA000002")


def prepare(path: Path, period: str = "2022-03") -> PreparedPeriod:
    return prepare_period(SOURCES["tax"], period, [path])


def reasons(prepared: PreparedPeriod) -> list[tuple[int, str]]:
    assert prepared.split is not None, prepared.refused
    return [(r["row_number"], r["reason"]) for r in prepared.split.held.iter_rows(named=True)]


def test_enterprises_load_and_other_taxpayers_are_held(tmp_path: Path) -> None:
    prepared = prepare(
        write_tax_xlsx(
            tmp_path / "t.xlsx",
            [
                tax_row(A, "甲公司", -8334.55, 58368.27, 62586.76),  # negative VAT: a refund, valid
                tax_row(INDIVIDUAL, "张三五金店", 120.0),
                tax_row(COOPERATIVE, "某某种植合作社", 30.0),
                tax_row(A[:-1] + ("0" if A[-1] != "0" else "1"), "坏码公司", 10.0),
            ],
        )
    )
    assert reasons(prepared) == [
        (5, "not_an_enterprise"),
        (6, "not_an_enterprise"),
        (7, "invalid_credit_code"),
    ]
    valid = prepared.split.valid  # type: ignore[union-attr]
    assert valid.select("credit_code", "vat_yuan", "total_tax_yuan").row(0) == (
        A,
        -8334.55,
        112620.48,
    )
    assert prepared.split.rows_read == 4  # type: ignore[union-attr]


def test_a_total_that_does_not_add_up_is_held_within_a_fen_it_loads(tmp_path: Path) -> None:
    prepared = prepare(
        write_tax_xlsx(
            tmp_path / "t.xlsx",
            [
                tax_row(A, "甲公司", 100.0, 50.0, 25.0, total=175.01),  # one fen off: as delivered
                tax_row(B, "乙公司", 100.0, 50.0, 25.0, total=175.50),
            ],
        )
    )
    assert reasons(prepared) == [(5, "total_mismatch")]
    assert prepared.split.valid["total_tax_yuan"].to_list() == [175.01]  # type: ignore[union-attr]
    assert "175.5" in prepared.split.held["detail"][0]  # type: ignore[union-attr]


def test_text_in_a_money_column_and_another_month_are_held(tmp_path: Path) -> None:
    prepared = prepare(
        write_tax_xlsx(
            tmp_path / "t.xlsx",
            [
                [A, "甲公司", "2022-03", "待补", 0, 0, 0, 0, 100],
                tax_row(B, "乙公司", 10.0, period="202202"),
                tax_row(code(3), "丙公司", 1234.5),
                [code(4), "丁公司", "202203", "1,234.50", "0", "0", "1,234.50", "0", "5,000.00"],
            ],
        )
    )
    assert reasons(prepared) == [(4, "not_a_number"), (5, "period_mismatch")]
    assert prepared.split.valid["vat_yuan"].to_list() == [1234.5, 1234.5]  # type: ignore[union-attr]


def test_duplicate_taxpayers(tmp_path: Path) -> None:
    row = tax_row(A, "甲公司", 10.0)
    prepared = prepare(
        write_tax_xlsx(
            tmp_path / "t.xlsx",
            [
                row,
                row,
                tax_row(B, "乙公司", 1.0),
                tax_row(B, "乙公司", 2.0),
            ],
        )
    )
    assert reasons(prepared) == [
        (5, "duplicate_row"),
        (6, "conflicting_duplicate"),
        (7, "conflicting_duplicate"),
    ]


@pytest.mark.parametrize("unit", ["单位：万元", "单位:千元"])
def test_a_unit_row_other_than_yuan_refuses_the_file(tmp_path: Path, unit: str) -> None:
    prepared = prepare(
        write_tax_xlsx(tmp_path / "万元.xlsx", [tax_row(A, "甲公司", 10.0)], unit=unit)
    )
    assert prepared.split is None
    message = prepared.refused["万元.xlsx"]
    assert (
        "万元.xlsx" in message and unit.split("位")[1].strip("：:") in message and "元" in message
    )
