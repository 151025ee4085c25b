"""The statistics contract on real 联网直报 workbooks (two-row merged header, 千元)."""

from __future__ import annotations

from pathlib import Path

import pytest

from indmon.catalogue import SOURCES
from indmon.steps import PreparedPeriod, prepare_period
from tests.files import code, statistics_row, write_statistics_xlsx

A, B = code(1), code(2)


def prepare(path: Path, period: str = "2022-03") -> PreparedPeriod:
    return prepare_period(SOURCES["statistics"], period, [path])


def test_cumulative_figures_load_in_yuan(tmp_path: Path) -> None:
    prepared = prepare(
        write_statistics_xlsx(
            tmp_path / "s.xlsx",
            [
                statistics_row(A, "甲公司", 368435, 359496, profit=-2749, profit_prior=-2691),
                statistics_row(B, "乙公司", 12578.5, None),
            ],
        )
    )
    assert prepared.split is not None and prepared.split.held.is_empty()
    valid = prepared.split.valid.sort("credit_code")
    first = valid.filter(credit_code=A).row(0, named=True)
    assert first["output_ytd_yuan"] == 368_435_000
    assert first["output_prior_ytd_yuan"] == 359_496_000
    assert first["profit_ytd_yuan"] == -2_749_000  # a loss is valid
    assert first["employees"] == 100 and first["energy_ytd_tce"] == 50.0
    assert first["row_number"] == 4
    second = valid.filter(credit_code=B).row(0, named=True)
    assert second["output_ytd_yuan"] == 12_578_500 and second["output_prior_ytd_yuan"] is None


def test_text_in_a_money_column_is_held(tmp_path: Path) -> None:
    row = statistics_row(A, "甲公司", 100, 90)
    row[6] = "待核"
    prepared = prepare(
        write_statistics_xlsx(tmp_path / "s.xlsx", [row, statistics_row(B, "乙公司", 100, 90)])
    )
    assert prepared.split is not None
    held = prepared.split.held.row(0, named=True)
    assert (held["row_number"], held["reason"]) == (4, "not_a_number")
    assert "营业收入" in held["column_name"] and "待核" in held["detail"]


def test_a_one_row_header_is_refused(tmp_path: Path) -> None:
    path = write_statistics_xlsx(
        tmp_path / "单行表头.xlsx", [statistics_row(A, "甲公司", 100, 90)], two_row_header=False
    )
    message = prepare(path).refused["单行表头.xlsx"]
    assert "单行表头.xlsx" in message and "本年累计" in message


def test_a_unit_row_in_yuan_is_refused(tmp_path: Path) -> None:
    path = write_statistics_xlsx(
        tmp_path / "元.xlsx", [statistics_row(A, "甲公司", 100, 90)], unit="单位：元"
    )
    message = prepare(path).refused["元.xlsx"]
    assert "元.xlsx" in message and "千元" in message


def test_a_file_in_the_january_folder_is_refused(tmp_path: Path) -> None:
    path = write_statistics_xlsx(
        tmp_path / "一月.xlsx", [statistics_row(A, "甲公司", 100, 90)], months="2022年1月"
    )
    message = prepare(path, "2022-01").refused["一月.xlsx"]
    assert "一月.xlsx" in message and "January is reported with February" in message
    assert "2022-02" in message


@pytest.mark.parametrize(("months", "ok"), [("2022年1-2月", True), ("2022年1-4月", False)])
def test_the_title_must_name_the_folder_period(tmp_path: Path, months: str, ok: bool) -> None:
    path = write_statistics_xlsx(
        tmp_path / "s.xlsx", [statistics_row(A, "甲公司", 100, 90)], months=months
    )
    prepared = prepare(path, "2022-02")
    assert (prepared.split is not None) is ok
    if not ok:
        assert "2022-04" in prepared.refused["s.xlsx"]


def test_invalid_codes_and_unknown_regions_are_held(tmp_path: Path) -> None:
    prepared = prepare(
        write_statistics_xlsx(
            tmp_path / "s.xlsx",
            [
                statistics_row(A[:-1] + ("0" if A[-1] != "0" else "1"), "坏码", 100, 90),
                statistics_row(B, "乙公司", 100, 90, region="340621999000"),
                statistics_row(code(3), "丙公司", 100, 90, region=""),
            ],
        )
    )
    assert prepared.split is not None
    assert [(r["row_number"], r["reason"]) for r in prepared.split.held.iter_rows(named=True)] == [
        (4, "invalid_credit_code"),
        (5, "unknown_region"),
    ]
    assert prepared.split.valid["region_code"].to_list() == [None]
