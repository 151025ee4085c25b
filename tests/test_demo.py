"""The synthetic county (indmon.demo), checked against the files it writes.

Independent of the pipeline: files are parsed here with ``csv`` and ``openpyxl`` only,
and credit codes are checked with ``schemas.credit_code``.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from indmon.demo import DemoManifest, InjectedFault, generate_demo, load_manifest
from schemas.credit_code import is_valid_credit_code

SEED = 20220
REGISTRY_HEADER = [
    "统一社会信用代码", "企业名称", "行业代码", "所在乡镇（园区）", "用地面积（亩）", "成立日期",
    "规上企业", "重点企业", "入规培育库", "专精特新", "绿色工厂", "经营状态",
]
ELECTRICITY_HEADER = [
    "户号", "户名", "统一社会信用代码", "用电类别", "电费年月",
    "本月用电量（千瓦时）", "上年同月用电量（千瓦时）",
]
ACCOUNT, HOLDER, CODE, CATEGORY, BILLED, KWH, PRIOR = range(7)
EXPECTED_FAULTS = {
    ("registry", "2021-11", "invalid_credit_code"),
    ("registry", "2022-06", "duplicate_credit_code"),
    ("electricity", "2021-04", "non_numeric_kwh"),
    ("electricity", "2021-09", "negative_kwh"),
    ("electricity", "2022-01", "wrong_period"),
    ("electricity", "2022-04", "exact_duplicate"),
    ("electricity", "2022-08", "conflicting_duplicate"),
}

Table = list[list[Any]]


# ---------------------------------------------------------------- reading the files


def read_table(path: Path) -> Table:
    """All rows of a file as a person sees them: ``table[n - 1]`` is line / row ``n``."""
    if path.suffix == ".xlsx":
        workbook = openpyxl.load_workbook(path, read_only=True)
        try:
            return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
        finally:
            workbook.close()
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("gbk")
    return [row for row in csv.reader(io.StringIO(text, newline=""))]


def text(cell: Any) -> str:
    """A cell as text (None is blank)."""
    return "" if cell is None else str(cell)


def number(cell: Any) -> int | None:
    """The whole number in a kWh cell, or None (blank, ``待核`` …)."""
    if isinstance(cell, int | float):
        return int(cell)
    try:
        return int(text(cell).replace(",", ""))
    except ValueError:
        return None


def normalise_code(cell: Any) -> str:
    """Full width to half width, upper case, no spaces, no leading apostrophe."""
    folded = "".join(chr(ord(ch) - 0xFEE0) if 0xFF01 <= ord(ch) <= 0xFF5E else ch
                     for ch in text(cell))
    return "".join(folded.split()).upper().lstrip("'")


def industry_code(cell: Any) -> str:
    """A 行业代码 cell as four digits (Excel may have eaten the leading zero)."""
    return text(int(cell) if isinstance(cell, float) else cell).zfill(4)


def files_of(landing: Path, source: str, period: str) -> list[Path]:
    return sorted((landing / source / period).iterdir())


def digests(landing: Path) -> dict[str, str]:
    return {
        path.relative_to(landing).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(landing.rglob("*")) if path.is_file()
    }


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoManifest:
    return generate_demo(tmp_path_factory.mktemp("demo") / "landing", seed=SEED)


@pytest.fixture(scope="module")
def registry(demo: DemoManifest) -> dict[str, Table]:
    """Every registry snapshot by period (one file per period)."""
    snapshots = {}
    for period in demo.periods:
        (path,) = files_of(demo.landing_dir, "registry", period)
        snapshots[period] = read_table(path)
    return snapshots


@pytest.fixture(scope="module")
def electricity(demo: DemoManifest) -> dict[str, dict[str, Table]]:
    """Every electricity file by period and file name."""
    return {
        period: {path.name: read_table(path)
                 for path in files_of(demo.landing_dir, "electricity", period)}
        for period in demo.periods
    }


def data_rows(table: Table) -> Iterator[list[Any]]:
    """Data rows of an electricity file: after the header, before the 合计 row."""
    yield from table[1:-1]


def fault_rows(demo: DemoManifest) -> set[tuple[str, str, int]]:
    return {(f.period, f.file_name, f.row_number) for f in demo.faults}


# ---------------------------------------------------------------- determinism


def test_same_seed_writes_identical_bytes(demo: DemoManifest, tmp_path: Path) -> None:
    again = generate_demo(tmp_path / "again", seed=SEED)
    assert digests(again.landing_dir) == digests(demo.landing_dir)
    assert replace(again, landing_dir=demo.landing_dir) == demo


def test_another_seed_writes_another_county(demo: DemoManifest, tmp_path: Path) -> None:
    other = generate_demo(tmp_path / "other", seed=SEED + 1)
    mine, theirs = digests(demo.landing_dir), digests(other.landing_dir)
    assert mine.keys() == theirs.keys()
    assert all(mine[name] != theirs[name] for name in mine)


def test_manifest_json_round_trips(demo: DemoManifest) -> None:
    assert load_manifest(demo.landing_dir) == demo


# ---------------------------------------------------------------- layout and size


def test_24_periods_in_the_landing_layout(demo: DemoManifest) -> None:
    expected = tuple(f"{2021 + i // 12}-{i % 12 + 1:02d}" for i in range(24))
    assert demo.periods == expected
    workbooks = []
    for period in demo.periods:
        compact = period.replace("-", "")
        (registry_file,) = files_of(demo.landing_dir, "registry", period)
        assert registry_file.stem == f"企业名录_{compact}"
        assert registry_file.suffix == (".xlsx" if period[5:] in ("06", "12") else ".csv")
        names = [p.name for p in files_of(demo.landing_dir, "electricity", period)]
        assert [n.rsplit(".", 1)[0] for n in names] == [
            f"用电量_临涣供电所_{compact}", f"用电量_城区供电所_{compact}"]
        workbooks += [n for n in names if n.endswith(".xlsx")]
    assert workbooks == ["用电量_临涣供电所_202109.xlsx"]
    assert {f.relative_path for f in demo.files} == {
        p.relative_to(demo.landing_dir).as_posix()
        for p in demo.landing_dir.rglob("*") if p.is_file() and p.parent != demo.landing_dir
    }


def test_about_600_enterprises_and_150_above_scale(
    demo: DemoManifest, registry: dict[str, Table]
) -> None:
    assert 570 <= demo.enterprises <= 630
    assert 130 <= demo.above_scale <= 170
    every_code = {text(row[0]) for table in registry.values() for row in table[1:]}
    every_code -= {f.key for f in demo.faults_of("invalid_credit_code")}
    assert len(every_code) == demo.enterprises
    for period, table in registry.items():
        assert table[0] == REGISTRY_HEADER, period
        above = {text(row[0]) for row in table[1:] if row[6] == "是"}
        assert len(above) == demo.above_scale_by_period[demo.periods.index(period)], period
    assert demo.above_scale == demo.above_scale_by_period[-1]
    assert len(registry[demo.periods[-1]]) > len(registry[demo.periods[0]])


def test_registry_values_follow_the_readme(registry: dict[str, Table]) -> None:
    for period, table in registry.items():
        for row in table[1:]:
            assert industry_code(row[2])[:2] in {f"{d:02d}" for d in range(6, 47)}, period
            assert row[6] in ("是", "否") and row[7] in ("是", "否") and row[8] in ("是", "否")
            assert row[9] in ("无", "省级专精特新", "国家级专精特新“小巨人”")
            assert row[10] in ("无", "市级", "省级", "国家级")
            assert row[11] in ("在营", "停产", "半停产", "注销")
    last = registry["2022-12"][1:]
    assert 30 <= sum(row[7] == "是" for row in last) <= 45
    assert 25 <= sum(row[8] == "是" for row in last) <= 30
    assert any(row[11] == "停产" for row in last) and any(row[11] == "半停产" for row in last)
    dates = {text(row[5]) for table in registry.values() for row in table[1:]}
    assert any("-" in d for d in dates) and any("/" in d for d in dates)
    assert any(d.isdigit() and len(d) == 8 for d in dates)
    assert any(text(row[2]) == "610" for table in registry.values() for row in table[1:])


def test_registry_csv_is_utf8_with_bom_and_crlf(demo: DemoManifest) -> None:
    path = files_of(demo.landing_dir, "registry", "2021-01")[0]
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\n") == raw.count(b"\r\n") > 500


def test_registry_codes_valid_except_injected(
    demo: DemoManifest, registry: dict[str, Table]
) -> None:
    invalid = {
        (period, n) for period, table in registry.items()
        for n, row in enumerate(table[1:], start=2) if not is_valid_credit_code(text(row[0]))
    }
    assert invalid == {(f.period, f.row_number) for f in demo.faults_of("invalid_credit_code")}


def test_former_town_names_in_some_snapshots(registry: dict[str, Table]) -> None:
    def holding(name: str) -> set[str]:
        return {p for p, table in registry.items() if any(row[3] == name for row in table[1:])}

    assert holding("孙町镇") == {"2021-05", "2021-06", "2022-02"}
    assert holding("濉溪经济开发区") == {"2021-08", "2022-06", "2022-09"}


# ---------------------------------------------------------------- electricity


def test_electricity_csv_is_gbk_with_crlf_and_reconciles(demo: DemoManifest) -> None:
    for period in demo.periods:
        for path in files_of(demo.landing_dir, "electricity", period):
            table = read_table(path)
            if path.suffix == ".csv":
                raw = path.read_bytes()
                raw.decode("gbk")
                assert raw.count(b"\n") == raw.count(b"\r\n")
            header = [text(h).replace("(", "（").replace(")", "）") for h in table[0]]
            assert header[:7] == ELECTRICITY_HEADER, path.name
            total = table[-1]
            assert text(total[ACCOUNT]) == "" and total[HOLDER] == "合计", path.name
            kwh = [number(row[KWH]) for row in data_rows(table)]
            prior = [number(row[PRIOR]) for row in data_rows(table)]
            assert number(total[KWH]) == sum(v for v in kwh if v is not None), path.name
            assert number(total[PRIOR]) == sum(v for v in prior if v is not None), path.name
            (record,) = [f for f in demo.files if f.file_name == path.name]
            assert record.data_rows == len(table) - 2
            assert record.control_total_kwh == number(total[KWH])


def test_electricity_mess_is_present(electricity: dict[str, dict[str, Table]]) -> None:
    headers = [tuple(t[0]) for files in electricity.values() for t in files.values()]
    assert sum("本月用电量(千瓦时)" in h for h in headers) == 1
    assert sum("备注" in h for h in headers) == 1
    cells = [text(row[CODE]) for files in electricity.values() for t in files.values()
             for row in data_rows(t)]
    assert any(c.startswith("'") for c in cells)
    assert any(c and c != c.upper() for c in cells)
    assert any("９" in c or "１" in c for c in cells)
    kwh = [row[KWH] for files in electricity.values() for t in files.values()
           for row in data_rows(t)]
    assert any(isinstance(k, str) and "," in k for k in kwh)
    accounts = {text(row[ACCOUNT]) for files in electricity.values() for t in files.values()
                for row in data_rows(t)}
    assert all(len(a) == 10 and a.isdigit() for a in accounts)
    assert any(a.startswith("0") for a in accounts)
    holders = {text(row[HOLDER]) for files in electricity.values() for t in files.values()
               for row in data_rows(t)}
    assert any(h.endswith("（二分厂）") for h in holders)


def test_electricity_codes_resolve_except_planned(
    demo: DemoManifest, registry: dict[str, Table], electricity: dict[str, dict[str, Table]]
) -> None:
    names = {text(row[1]) for table in registry.values() for row in table[1:]}
    mistyped = {e.account for e in demo.events_of("mistyped_code_account")}
    unmatched = {e.account for e in demo.events_of("unmatched_account")}
    blank_from = {e.account: e.period for e in demo.events_of("blank_code_account")}
    assert len(mistyped) == 3 and len(unmatched) == 2 and 20 <= len(blank_from) <= 50
    seen_code: dict[str, str] = {}
    for period in demo.periods:
        for table in electricity[period].values():
            for row in data_rows(table):
                account, code = text(row[ACCOUNT]), normalise_code(row[CODE])
                if account in mistyped:
                    assert code and not is_valid_credit_code(code)
                    assert text(row[HOLDER]) in names
                elif account in unmatched:
                    assert code == "" and text(row[HOLDER]) not in names
                elif code == "":
                    assert account in blank_from and period >= blank_from[account]
                    assert account in seen_code, "a blank code was present in earlier months"
                else:
                    assert is_valid_credit_code(code), (period, account, row[CODE])
                    seen_code.setdefault(account, code)


def test_prior_year_is_the_same_account_twelve_months_earlier(
    demo: DemoManifest, electricity: dict[str, dict[str, Table]]
) -> None:
    faulted = {(f.period, f.key) for f in demo.faults if f.source == "electricity"}
    kwh: dict[str, dict[str, int | None]] = defaultdict(dict)
    prior: dict[str, dict[str, int | None]] = defaultdict(dict)
    for period in demo.periods:
        for table in electricity[period].values():
            for row in data_rows(table):
                account = text(row[ACCOUNT])
                if (period, account) in faulted:
                    continue
                kwh[period][account] = number(row[KWH])
                prior[period][account] = number(row[PRIOR])
    checked = blank = 0
    for index, period in enumerate(demo.periods[12:], start=12):
        year_before = demo.periods[index - 12]
        for account, value in prior[period].items():
            if account in kwh[year_before]:
                assert value == kwh[year_before][account], (period, account)
                checked += 1
            elif value is None:
                blank += 1
            else:
                assert (year_before, account) in faulted
    assert checked > 5000 and blank > 0


def test_stopped_enterprises_use_nothing_for_six_months(
    demo: DemoManifest, electricity: dict[str, dict[str, Table]]
) -> None:
    stopped = demo.events_of("stopped")
    assert len(stopped) == 4
    for event in stopped:
        months = [p for p in demo.periods if p >= event.period]
        assert len(months) >= 6
        for period in months:
            rows = [row for t in electricity[period].values() for row in data_rows(t)
                    if text(row[HOLDER]).startswith(event.name)]
            assert rows and all(number(row[KWH]) == 0 for row in rows), (event.name, period)


def test_dropped_enterprises_fall_over_20_percent_for_months(
    demo: DemoManifest, electricity: dict[str, dict[str, Table]]
) -> None:
    dropped = demo.events_of("dropped")
    assert len(dropped) == 5
    for event in dropped:
        falling = 0
        for period in demo.periods[demo.periods.index(event.period):]:
            rows = [row for t in electricity[period].values() for row in data_rows(t)
                    if text(row[HOLDER]).startswith(event.name) and text(row[BILLED])
                    == period.replace("-", "")]
            now = sum(number(row[KWH]) or 0 for row in rows)
            before = sum(number(row[PRIOR]) or 0 for row in rows)
            falling += now < 0.8 * before
        assert falling >= 6, event.name


def test_entrants_promotions_and_moves_show_in_the_register(
    demo: DemoManifest, registry: dict[str, Table]
) -> None:
    def row_of(period: str, code: str) -> list[Any] | None:
        rows = [row for row in registry[period][1:] if row[0] == code]
        return rows[0] if rows else None

    entered = demo.events_of("entered")
    assert len(entered) == 8
    for event in entered:
        index = demo.periods.index(event.period)
        assert row_of(demo.periods[index - 1], event.credit_code) is None
        assert row_of(event.period, event.credit_code) is not None
    promoted = demo.events_of("promoted")
    assert 3 <= len(promoted) <= 20
    for event in promoted:
        assert event.period == "2022-01"
        assert (row_of("2021-12", event.credit_code) or [None] * 7)[6] in (None, "否")
        assert (row_of("2022-01", event.credit_code) or [None] * 7)[6] == "是"
    moved = demo.events_of("moved")
    assert len(moved) == 3
    for event in moved:
        index = demo.periods.index(event.period)
        before = row_of(demo.periods[index - 1], event.credit_code)
        after = row_of(event.period, event.credit_code)
        assert before is not None and after is not None and before[3] != after[3]


# ---------------------------------------------------------------- injected faults


def test_the_known_set_of_faults(demo: DemoManifest) -> None:
    assert {(f.source, f.period, f.kind) for f in demo.faults} == EXPECTED_FAULTS
    assert len(demo.faults) == len(EXPECTED_FAULTS)


@pytest.mark.parametrize("kind", sorted(kind for _, _, kind in EXPECTED_FAULTS))
def test_fault_row_holds_what_the_manifest_says(demo: DemoManifest, kind: str) -> None:
    (fault,) = demo.faults_of(kind)
    table = read_table(demo.landing_dir / fault.relative_path)
    row = table[fault.row_number - 1]
    if fault.source == "registry":
        check_registry_fault(fault, table, row)
    else:
        check_electricity_fault(fault, table, row)


def check_registry_fault(fault: InjectedFault, table: Table, row: list[Any]) -> None:
    assert row[0] == fault.key
    if fault.kind == "invalid_credit_code":
        assert not is_valid_credit_code(text(row[0]))
    else:
        first = [r for r in table[1:] if r[0] == fault.key]
        assert len(first) == 2 and first[0][4] != first[1][4]
        assert text(row[4]) == fault.value


def check_electricity_fault(fault: InjectedFault, table: Table, row: list[Any]) -> None:
    assert text(row[ACCOUNT]) == fault.key
    assert text(row[HOLDER]) != "合计"
    period = fault.period.replace("-", "")
    if fault.kind == "non_numeric_kwh":
        assert row[KWH] == "待核" == fault.value
    elif fault.kind == "negative_kwh":
        assert (number(row[KWH]) or 0) < 0 and str(number(row[KWH])) == fault.value
    elif fault.kind == "wrong_period":
        assert text(row[BILLED]) != period and text(row[BILLED]) == fault.value
        assert sum(text(r[ACCOUNT]) == fault.key for r in table) == 2
    elif fault.kind == "exact_duplicate":
        assert row == table[fault.row_number - 2]
    else:
        same = [r for r in table[1:-1] if text(r[ACCOUNT]) == fault.key]
        assert len(same) == 2 and number(same[0][KWH]) != number(same[1][KWH])
        assert text(row[KWH]) == fault.value and row is same[1]
    if fault.kind != "wrong_period":
        assert text(row[BILLED]) == period
