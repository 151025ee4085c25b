"""The electricity contract on real files: what is held, what is refused, and why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indmon.catalogue import SOURCES
from indmon.steps import PreparedPeriod, prepare_period
from tests.files import (
    ELECTRICITY_HEADER,
    code,
    electricity_rows,
    write_electricity_csv,
    write_xlsx,
)

A, B = code(1), code(2)
GOOD = [("1000000001", "甲公司", A, 100, 90), ("1000000002", "乙公司", B, 200, None)]


def prepare(*paths: Path, period: str = "2022-03") -> PreparedPeriod:
    return prepare_period(SOURCES["electricity"], period, list(paths))


def held(prepared: PreparedPeriod) -> list[tuple[int, str, str | None]]:
    assert prepared.split is not None, prepared.refused
    return [
        (r["row_number"], r["reason"], r["column_name"])
        for r in prepared.split.held.iter_rows(named=True)
    ]


def reconciles(prepared: PreparedPeriod, rows_in_file: int) -> None:
    assert prepared.split is not None
    assert prepared.split.valid.height + prepared.split.held.height == rows_in_file


def test_clean_file_loads_every_row(tmp_path: Path) -> None:
    prepared = prepare(write_electricity_csv(tmp_path / "e.csv", electricity_rows(GOOD)))
    assert held(prepared) == []
    valid = prepared.split.valid  # type: ignore[union-attr]
    assert valid["kwh"].to_list() == [100, 200]
    assert valid["kwh_prior_year"].to_list() == [90, None]
    assert valid["period"].unique().to_list() == ["2022-03"]


def test_non_numeric_and_negative_kwh_are_held_with_the_value(tmp_path: Path) -> None:
    rows = [
        *electricity_rows(GOOD),
        ["1000000003", "丙", "", "大工业用电", "202203", "待核", ""],
        ["1000000004", "丁", "", "大工业用电", "202203", "-5", ""],
    ]
    prepared = prepare(write_electricity_csv(tmp_path / "e.csv", rows, total=295))
    assert held(prepared) == [
        (4, "not_a_number", "本月用电量（千瓦时）"),
        (5, "negative_value", "本月用电量（千瓦时）"),
    ]
    details = prepared.split.held["detail"].to_list()  # type: ignore[union-attr]
    assert "待核" in details[0] and "-5" in details[1]
    raw = prepared.split.held["raw"].str.json_decode().to_list()[0]  # type: ignore[union-attr]
    assert raw["户号"] == "1000000003" and raw["本月用电量（千瓦时）"] == "待核"
    reconciles(prepared, 4)


def test_a_held_rows_raw_is_its_delivered_row_from_its_own_file(tmp_path: Path) -> None:
    """``raw`` is built at the split for the held rows only, from the delivered cells: as
    delivered (spaces, extra columns, blanks as null), from the row's own file when two
    files share row numbers, whether the rule that holds the row reads the text (not a
    number), the period of the folder (another month) or the other files (duplicate)."""
    header = [*ELECTRICITY_HEADER, "备注"]
    first = [
        ["1000000001", "甲公司", A, "大工业用电", "202203", "100", "90", "a2"],
        ["1000000003", " 丙公司 ", "", "大工业用电", "202203", "待核", "", ""],
        ["1000000004", "丁公司", "", "大工业用电", "202202", "5", "", "a4"],
    ]
    second = [
        ["1000000001", "甲公司", A, "大工业用电", "202203", "100", "90", "b2"],
        ["1000000006", "己公司", "", "大工业用电", "2022-03", "１,２00元", "", "b3"],
    ]
    prepared = prepare(
        write_electricity_csv(tmp_path / "a.csv", first, header=header, total=105),
        write_electricity_csv(tmp_path / "b.csv", second, header=header, total=None),
    )
    assert prepared.split is not None, prepared.refused
    delivered = {("a.csv", n): row for n, row in enumerate(first, 2)}
    delivered |= {("b.csv", n): row for n, row in enumerate(second, 2)}
    held_rows = prepared.split.held.iter_rows(named=True)
    assert [(r["file_name"], r["row_number"], r["reason"]) for r in held_rows] == [
        ("a.csv", 3, "not_a_number"),
        ("a.csv", 4, "period_mismatch"),
        ("b.csv", 2, "duplicate_row"),
    ]
    for held_row in prepared.split.held.iter_rows(named=True):
        cells = delivered[(held_row["file_name"], held_row["row_number"])]
        assert json.loads(held_row["raw"]) == {
            name: cell or None for name, cell in zip(header, cells, strict=True)
        }
    assert prepared.split.valid["account_no"].to_list() == ["1000000001", "1000000006"]
    assert prepared.split.valid["kwh"].to_list() == [100, 1200]


def test_a_row_for_another_month_is_held(tmp_path: Path) -> None:
    rows = electricity_rows(GOOD) + electricity_rows([("1000000003", "丙", "", 5, 5)], "202202")
    prepared = prepare(write_electricity_csv(tmp_path / "e.csv", rows))
    assert held(prepared) == [(4, "period_mismatch", "电费年月")]
    reconciles(prepared, 3)


def test_exact_duplicate_loads_once_and_conflicting_duplicates_are_all_held(
    tmp_path: Path,
) -> None:
    rows = electricity_rows([*GOOD, GOOD[0]]) + electricity_rows(
        [("1000000009", "己", "", 7, None), ("1000000009", "己", "", 8, None)]
    )
    prepared = prepare(write_electricity_csv(tmp_path / "e.csv", rows))
    assert held(prepared) == [
        (4, "duplicate_row", "户号"),
        (5, "conflicting_duplicate", "户号"),
        (6, "conflicting_duplicate", "户号"),
    ]
    assert prepared.split.valid["account_no"].to_list() == ["1000000001", "1000000002"]  # type: ignore[union-attr]
    assert "row 2" in prepared.split.held["detail"][0]  # type: ignore[union-attr]
    reconciles(prepared, 5)


def test_duplicates_are_judged_across_the_files_of_a_period(tmp_path: Path) -> None:
    first = write_electricity_csv(tmp_path / "a.csv", electricity_rows(GOOD))
    second = write_electricity_csv(tmp_path / "b.csv", electricity_rows([GOOD[1]]))
    prepared = prepare(first, second)
    assert [(r["file_name"], r["reason"]) for r in prepared.split.held.iter_rows(named=True)] == [  # type: ignore[union-attr]
        ("b.csv", "duplicate_row")
    ]


def test_a_total_that_does_not_match_refuses_the_file(tmp_path: Path) -> None:
    path = write_electricity_csv(tmp_path / "短少.csv", electricity_rows(GOOD), total=999)
    prepared = prepare(path)
    assert prepared.split is None
    message = prepared.refused["短少.csv"]
    assert "短少.csv" in message and "合计" in message and "999" in message and "300" in message


def test_the_total_counts_held_numeric_rows_too(tmp_path: Path) -> None:
    rows = electricity_rows(GOOD) + electricity_rows([("1000000003", "丙", "", 5, 5)], "202202")
    prepared = prepare(write_electricity_csv(tmp_path / "e.csv", rows, total=305))
    assert prepared.split is not None


def test_missing_required_column_is_refused_naming_file_column_and_headers(tmp_path: Path) -> None:
    header = [h for h in ELECTRICITY_HEADER if h != "电费年月"]
    rows = [r[:4] + r[5:] for r in electricity_rows(GOOD)]
    path = write_electricity_csv(tmp_path / "缺列.csv", rows, header=header, total=None)
    message = prepare(path).refused["缺列.csv"]
    assert "缺列.csv" in message and "电费年月" in message and "户名" in message


def test_wrong_encoding_is_refused(tmp_path: Path) -> None:
    path = write_electricity_csv(tmp_path / "utf16.csv", electricity_rows(GOOD), encoding="utf-16")
    message = prepare(path).refused["utf16.csv"]
    assert "utf16.csv" in message and "encoding" in message.lower()


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    message = prepare(path).refused["empty.csv"]
    assert "empty.csv" in message and "empty" in message


def test_an_xlsx_that_is_not_an_extract_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "会议通知.xlsx", [["会议通知"], ["时间", "地点"], ["周一", "三楼"]]
    )
    message = prepare(path).refused["会议通知.xlsx"]
    assert "会议通知.xlsx" in message and "户号" in message


def test_xlsx_delivery_with_numbers_as_numbers(tmp_path: Path) -> None:
    rows = [
        list(ELECTRICITY_HEADER),
        ["0123456789", "甲公司", A, "大工业用电", 202203, 1234567, 1200000],
        [None, "合计", None, None, None, 1234567, 1200000],
    ]
    prepared = prepare(write_xlsx(tmp_path / "e.xlsx", rows))
    assert held(prepared) == []
    valid = prepared.split.valid  # type: ignore[union-attr]
    assert valid.select("account_no", "kwh", "row_number").row(0) == ("0123456789", 1234567, 2)


def test_messy_cells_are_normalised(tmp_path: Path) -> None:
    header = [h.replace("（", "(").replace("）", ")") for h in ELECTRICITY_HEADER] + ["备注"]
    rows = [["1000000001", "甲公司", " '" + A.lower(), "大工业用电", "2022-03", "１２３", "—", "x"]]
    prepared = prepare(write_electricity_csv(tmp_path / "e.csv", rows, header=header, total=123))
    valid = prepared.split.valid  # type: ignore[union-attr]
    assert valid.select("credit_code", "kwh", "kwh_prior_year").row(0) == (A, 123, None)


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_every_delivered_encoding_reads(tmp_path: Path, encoding: str) -> None:
    rows = electricity_rows(
        [("1000000001", "淮北㐀科技有限公司" if encoding != "gbk" else "淮北科技", A, 100, 90)]
    )
    prepared = prepare(write_electricity_csv(tmp_path / "e.csv", rows, encoding=encoding))
    assert prepared.split is not None and prepared.split.valid.height == 1
    assert prepared.files[0].encoding is not None
