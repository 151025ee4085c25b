"""The register contract on real files."""

from __future__ import annotations

from pathlib import Path

from indmon.catalogue import SOURCES
from indmon.steps import prepare_period
from tests.files import REGISTRY_HEADER, code, registry_row, write_registry_csv, write_xlsx

A, B, C, D = code(1), code(2), code(3), code(4)


def test_register_rows_are_normalised_and_towns_resolved(tmp_path: Path) -> None:
    path = write_registry_csv(
        tmp_path / "r.csv",
        [
            registry_row(A, "甲公司", "孙町镇", industry="610"),  # former name, lost leading zero
            registry_row(B, "乙公司", "濉溪经济开发区", land=""),
            registry_row("９１" + C[2:].lower(), "丙公司", "濉溪芜湖现代产业园区"),
        ],
    )
    prepared = prepare_period(SOURCES["registry"], "2022-03", [path])
    assert prepared.split is not None and prepared.split.held.is_empty()
    valid = prepared.split.valid.sort("credit_code")
    assert valid["credit_code"].to_list() == sorted([A, B, C])
    assert dict(zip(valid["credit_code"], valid["region_code"], strict=True)) == {
        A: "340621109000",
        B: "340621400000",
        C: "340621401000",
    }
    assert valid.filter(credit_code=A)["industry_code"].item() == "0610"
    assert valid.filter(credit_code=B)["land_mu"].item() is None


def test_register_rows_that_cannot_be_used_are_held(tmp_path: Path) -> None:
    path = write_registry_csv(
        tmp_path / "r.csv",
        [
            registry_row(A, "甲公司"),
            registry_row(A[:-1] + ("0" if A[-1] != "0" else "1"), "坏码公司"),
            registry_row(B, "乙公司", "火星镇"),
            registry_row(C, "丙公司", industry="9999"),
            registry_row(D, "丁公司", land="很多"),
            registry_row(code(5), "戊公司", above_scale="可能"),
            registry_row(code(6), "己公司", land=-3),
        ],
    )
    prepared = prepare_period(SOURCES["registry"], "2022-03", [path])
    assert prepared.split is not None
    reasons = [(r["row_number"], r["reason"]) for r in prepared.split.held.iter_rows(named=True)]
    assert reasons == [
        (3, "invalid_credit_code"),
        (4, "unknown_region"),
        (5, "unknown_industry"),
        (6, "not_a_number"),
        (7, "invalid_flag"),
        (8, "negative_value"),
    ]
    assert prepared.split.valid.height + prepared.split.held.height == 7


def test_register_in_xlsx_reads_like_csv(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "名录.xlsx", [list(REGISTRY_HEADER), registry_row(A, "甲公司")])
    prepared = prepare_period(SOURCES["registry"], "2022-03", [path])
    assert prepared.split is not None
    assert prepared.split.valid.select("credit_code", "row_number").row(0) == (A, 2)


def test_duplicate_enterprise_with_different_values_is_held(tmp_path: Path) -> None:
    path = write_registry_csv(
        tmp_path / "r.csv",
        [
            registry_row(A, "甲公司", "韩村镇"),
            registry_row(A, "甲公司", "刘桥镇"),
        ],
    )
    prepared = prepare_period(SOURCES["registry"], "2022-03", [path])
    assert prepared.split is not None
    assert prepared.split.held["reason"].to_list() == ["conflicting_duplicate"] * 2
