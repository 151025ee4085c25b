"""The synthetic county (indmon.demo), checked against the files it writes.

Independent of the pipeline: files are parsed here with ``csv`` and ``openpyxl`` only,
and credit codes are checked with ``schemas.credit_code``. Tax, statistics and indicator
layouts are compared with the real samples in ``tests/data/samples``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import re
import statistics as stats
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from indmon.demo import DemoManifest, InjectedFault, generate_demo, load_manifest
from schemas.credit_code import is_valid_credit_code

SEED = 20220
SAMPLES = Path(__file__).resolve().parent / "data" / "samples"
#: sha256 over the lines ``<relative path> <sha256>`` of every registry and electricity
#: file for SEED, as written before the tax, statistics and indicator writers existed
#: (xlsxwriter 3.3): adding a source must never change another source's bytes.
REGISTRY_ELECTRICITY_DIGEST = "9fc0b17f2bc8f7377bdfa79d7b295f254f92c3819370bb05fa4bdb913e7d955d"
REGISTRY_HEADER = [
    "统一社会信用代码",
    "企业名称",
    "行业代码",
    "所在乡镇（园区）",
    "用地面积（亩）",
    "成立日期",
    "规上企业",
    "重点企业",
    "入规培育库",
    "专精特新",
    "绿色工厂",
    "经营状态",
]
ELECTRICITY_HEADER = [
    "户号",
    "户名",
    "统一社会信用代码",
    "用电类别",
    "电费年月",
    "本月用电量（千瓦时）",
    "上年同月用电量（千瓦时）",
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
    ("tax", "2021-06", "invalid_credit_code"),
    ("tax", "2021-10", "total_mismatch"),
    ("tax", "2021-12", "not_a_number"),
    ("tax", "2022-03", "period_mismatch"),
    ("tax", "2022-05", "exact_duplicate"),
    ("tax", "2022-09", "conflicting_duplicate"),
    ("statistics", "2021-07", "not_a_number"),
    ("statistics", "2022-08", "conflicting_duplicate"),
    ("projects", "2021-05", "not_a_number"),
    ("projects", "2022-10", "exact_duplicate"),
}
TAX_HEADER = [
    "纳税人识别号",
    "纳税人名称",
    "所属期",
    "增值税",
    "企业所得税",
    "其他税收",
    "税收合计",
    "留抵退税额",
    "应税销售收入",
]
TAX_ID, TAX_NAME, TAX_PERIOD, VAT, CIT, OTHER_TAX, TAX_TOTAL, REFUND, SALES = range(9)
STAT_CODE, STAT_NAME, STAT_INDUSTRY, STAT_REGION = range(4)
OUTPUT, OUTPUT_PRIOR, REVENUE, REVENUE_PRIOR, PROFIT, PROFIT_PRIOR, STAFF = range(4, 11)
ENERGY, ENERGY_PRIOR = 11, 12

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
    folded = "".join(
        chr(ord(ch) - 0xFEE0) if 0xFF01 <= ord(ch) <= 0xFF5E else ch for ch in text(cell)
    )
    return "".join(folded.split()).upper().lstrip("'")


def industry_code(cell: Any) -> str:
    """A 行业代码 cell as four digits (Excel may have eaten the leading zero)."""
    return text(int(cell) if isinstance(cell, float) else cell).zfill(4)


def files_of(landing: Path, source: str, period: str) -> list[Path]:
    return sorted((landing / source / period).iterdir())


def digests(landing: Path) -> dict[str, str]:
    return {
        path.relative_to(landing).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(landing.rglob("*"))
        if path.is_file()
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
        period: {
            path.name: read_table(path)
            for path in files_of(demo.landing_dir, "electricity", period)
        }
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
            f"用电量_临涣供电所_{compact}",
            f"用电量_城区供电所_{compact}",
        ]
        workbooks += [n for n in names if n.endswith(".xlsx")]
    assert workbooks == ["用电量_临涣供电所_202109.xlsx"]
    assert {f.relative_path for f in demo.files} == {
        p.relative_to(demo.landing_dir).as_posix()
        for p in demo.landing_dir.rglob("*")
        if p.is_file() and p.parent != demo.landing_dir
    }


def test_about_600_enterprises_and_150_above_scale(
    demo: DemoManifest, registry: dict[str, Table]
) -> None:
    assert 570 <= demo.enterprises <= 630
    assert 130 <= demo.above_scale <= 170
    every_code = {text(row[0]) for table in registry.values() for row in table[1:]}
    every_code -= {f.key for f in demo.faults_of("invalid_credit_code") if f.source == "registry"}
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
        (period, n)
        for period, table in registry.items()
        for n, row in enumerate(table[1:], start=2)
        if not is_valid_credit_code(text(row[0]))
    }
    assert invalid == {
        (f.period, f.row_number)
        for f in demo.faults_of("invalid_credit_code")
        if f.source == "registry"
    }


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
    cells = [
        text(row[CODE])
        for files in electricity.values()
        for t in files.values()
        for row in data_rows(t)
    ]
    assert any(c.startswith("'") for c in cells)
    assert any(c and c != c.upper() for c in cells)
    assert any("９" in c or "１" in c for c in cells)
    kwh = [
        row[KWH] for files in electricity.values() for t in files.values() for row in data_rows(t)
    ]
    assert any(isinstance(k, str) and "," in k for k in kwh)
    accounts = {
        text(row[ACCOUNT])
        for files in electricity.values()
        for t in files.values()
        for row in data_rows(t)
    }
    assert all(len(a) == 10 and a.isdigit() for a in accounts)
    assert any(a.startswith("0") for a in accounts)
    holders = {
        text(row[HOLDER])
        for files in electricity.values()
        for t in files.values()
        for row in data_rows(t)
    }
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
            rows = [
                row
                for t in electricity[period].values()
                for row in data_rows(t)
                if text(row[HOLDER]).startswith(event.name)
            ]
            assert rows and all(number(row[KWH]) == 0 for row in rows), (event.name, period)


def test_dropped_enterprises_fall_over_20_percent_for_months(
    demo: DemoManifest, electricity: dict[str, dict[str, Table]]
) -> None:
    dropped = demo.events_of("dropped")
    assert len(dropped) == 5
    for event in dropped:
        falling = 0
        for period in demo.periods[demo.periods.index(event.period) :]:
            rows = [
                row
                for t in electricity[period].values()
                for row in data_rows(t)
                if text(row[HOLDER]).startswith(event.name)
                and text(row[BILLED]) == period.replace("-", "")
            ]
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


@pytest.mark.parametrize(("source", "kind"), sorted({(s, k) for s, _, k in EXPECTED_FAULTS}))
def test_fault_row_holds_what_the_manifest_says(demo: DemoManifest, source: str, kind: str) -> None:
    (fault,) = [f for f in demo.faults_of(kind) if f.source == source]
    table = read_table(demo.landing_dir / fault.relative_path)
    row = table[fault.row_number - 1]
    check = {
        "registry": check_registry_fault,
        "electricity": check_electricity_fault,
        "tax": check_tax_fault,
        "statistics": check_statistics_fault,
        "projects": check_projects_fault,
    }[source]
    check(fault, table, row)


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


# ---------------------------------------------------------------- tax


def fen(cell: Any) -> int | None:
    """An amount cell in fen: a number, or text like ``1,234,567.89``; None otherwise."""
    if isinstance(cell, int | float):
        return round(cell * 100)
    try:
        return int(Decimal(text(cell).replace(",", "")) * 100)
    except InvalidOperation:
        return None


def as_yuan(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


def tax_amounts(row: list[Any]) -> list[int] | None:
    """增值税 … 应税销售收入 of a tax row in fen, or None when one is no amount."""
    amounts = [fen(row[c]) for c in (VAT, CIT, OTHER_TAX, TAX_TOTAL, REFUND, SALES)]
    return None if None in amounts else [a or 0 for a in amounts]


def tax_rows(table: Table) -> list[list[Any]]:
    """Data rows of a tax file: below the title, unit and header rows."""
    return table[3:]


def merged(path: Path) -> set[str]:
    workbook = openpyxl.load_workbook(path)
    try:
        return {str(r) for r in workbook.worksheets[0].merged_cells.ranges}
    finally:
        workbook.close()


@pytest.fixture(scope="module")
def tax(demo: DemoManifest) -> dict[str, Table]:
    """Every tax file by period (one file per period)."""
    tables = {}
    for period in demo.periods:
        (path,) = files_of(demo.landing_dir, "tax", period)
        assert path.name == f"税收入库明细_{period.replace('-', '')}.xlsx"
        tables[period] = read_table(path)
    return tables


def test_tax_layout_is_the_samples(demo: DemoManifest, tax: dict[str, Table]) -> None:
    sample = read_table(SAMPLES / "tax_2022-03.xlsx")
    assert merged(SAMPLES / "tax_2022-03.xlsx") == {"A1:I1"}
    for period, table in tax.items():
        year, month = int(period[:4]), int(period[5:])
        assert table[0][0] == f"濉溪县工业企业税收入库明细（{year}年{month}月）"
        assert table[1][0] == sample[1][0] == "单位：元"
        assert table[2] == sample[2] == TAX_HEADER
        (record,) = [f for f in demo.files if f.source == "tax" and f.period == period]
        assert record.data_rows == len(table) - 3 > 550
    for period in ("2021-01", "2022-03"):
        (path,) = files_of(demo.landing_dir, "tax", period)
        assert merged(path) == {"A1:I1"}


def test_tax_amounts_are_written_as_agencies_do(tax: dict[str, Table]) -> None:
    rows = [row for table in tax.values() for row in tax_rows(table)]
    written = [row[TAX_TOTAL] for row in rows]
    assert sum(isinstance(c, float) for c in written) > 0.85 * len(rows)
    as_text = [c for c in written if isinstance(c, str)]
    assert len(as_text) > 100
    assert all(re.fullmatch(r"-?\d{1,3}(,\d{3})*\.\d{2}", c) for c in as_text)
    assert any("," in c for c in as_text)
    periods = {text(row[TAX_PERIOD]) for row in rows}
    assert any(re.fullmatch(r"\d{4}-\d{2}", p) for p in periods)
    assert any(re.fullmatch(r"\d{6}", p) for p in periods)
    assert 30 < sum((fen(row[VAT]) or 0) < 0 for row in rows) < 0.03 * len(rows)
    for row in rows:
        for cell in row[VAT:]:
            if isinstance(cell, float):
                assert round(cell * 100) == pytest.approx(cell * 100, abs=1e-6)


def test_tax_totals_add_up_except_the_injected_rows(
    demo: DemoManifest, tax: dict[str, Table]
) -> None:
    mismatched, not_numbers = set(), set()
    for period, table in tax.items():
        for n, row in enumerate(tax_rows(table), start=4):
            amounts = tax_amounts(row)
            if amounts is None:
                not_numbers.add((period, n))
            elif sum(amounts[:3]) != amounts[3]:
                mismatched.add((period, n))
    assert mismatched == {(f.period, f.row_number) for f in demo.faults_of("total_mismatch")}
    assert not_numbers == {
        (f.period, f.row_number) for f in demo.faults_of("not_a_number") if f.source == "tax"
    }


def test_tax_taxpayers_are_the_registered_and_a_few_small_ones(
    demo: DemoManifest, tax: dict[str, Table], registry: dict[str, Table]
) -> None:
    names = {text(row[0]): row[1] for table in registry.values() for row in table[1:]}
    small = {e.credit_code: e.name for e in demo.events_of("not_an_enterprise")}
    assert Counter(code[:2] for code in small) == {"92": 5, "93": 1}
    invalid = {f.key for f in demo.faults_of("invalid_credit_code") if f.source == "tax"}
    for period, table in tax.items():
        ids = {text(row[TAX_ID]) for row in tax_rows(table)}
        assert set(small) <= ids, period
        for row in tax_rows(table):
            code = text(row[TAX_ID])
            if code in invalid:
                assert not is_valid_credit_code(code)
                continue
            assert is_valid_credit_code(code), (period, code)
            assert row[TAX_NAME] == (small[code] if code in small else names[code])
        enterprises = {text(row[0]) for row in registry[period][1:]}
        assert len(ids & enterprises) > 0.95 * len(enterprises)
    assert not set(small) & set(names)


def test_tax_follows_production(
    demo: DemoManifest, tax: dict[str, Table], electricity: dict[str, dict[str, Table]]
) -> None:
    def sales(period: str, code: str) -> list[int]:
        return [fen(row[SALES]) or 0 for row in tax_rows(tax[period]) if row[TAX_ID] == code]

    county_sales = [
        sum(fen(r[SALES]) or 0 for r in tax_rows(tax[p]) if text(r[0])[:2] == "91")
        for p in demo.periods
    ]
    county_kwh = [
        sum(number(t[-1][KWH]) or 0 for t in electricity[p].values()) for p in demo.periods
    ]
    assert stats.correlation(county_sales, county_kwh) > 0.8
    for event in demo.events_of("stopped"):
        index = demo.periods.index(event.period)
        for offset, period in enumerate(demo.periods[index:]):
            rows = sales(period, event.credit_code)
            assert rows == ([0] if offset < 3 else []), (event.name, period)
    for event in demo.events_of("dropped"):
        index = max(demo.periods.index(event.period), 12)
        after = sum(sum(sales(p, event.credit_code)) for p in demo.periods[index : index + 6])
        before = sum(sum(sales(p, event.credit_code)) for p in demo.periods[index - 12 : index - 6])
        assert after < 0.8 * before, event.name


def test_tax_credit_refunds_come_in_spring_2022(tax: dict[str, Table]) -> None:
    refunds = {p: [fen(row[REFUND]) or 0 for row in tax_rows(t)] for p, t in tax.items()}
    spring = sum(sum(refunds[p]) for p in ("2022-04", "2022-05", "2022-06"))
    rest = sum(sum(v) for p, v in refunds.items() if p not in ("2022-04", "2022-05", "2022-06"))
    assert spring > 5 * rest > 0
    rows = [v for values in refunds.values() for v in values]
    assert sum(v == 0 for v in rows) > 0.97 * len(rows)
    assert all(sum(v > 0 for v in refunds[p]) >= 15 for p in ("2022-04", "2022-05", "2022-06"))


def kept_tax(period: str, table: Table) -> tuple[int, int]:
    """(rows, Σ 税收合计 in fen) a person keeps, decided from the file alone.

    Left out: invalid codes, 92/93 taxpayers, rows with no amount, rows of another month,
    totals that do not add up, both rows of a conflicting duplicate; an exact duplicate
    counts once.
    """
    by_id: dict[str, list[tuple[int, ...]]] = defaultdict(list)
    for row in tax_rows(table):
        code = text(row[TAX_ID])
        amounts = tax_amounts(row)
        if not is_valid_credit_code(code) or code[:2] != "91" or amounts is None:
            continue
        if text(row[TAX_PERIOD]).replace("-", "") != period.replace("-", ""):
            continue
        if sum(amounts[:3]) != amounts[3]:
            continue
        by_id[code].append(tuple(amounts))
    kept = [copies[0] for copies in by_id.values() if len(set(copies)) == 1]
    return len(kept), sum(amounts[3] for amounts in kept)


def test_tax_kept_rows_and_totals_in_the_manifest(
    demo: DemoManifest, tax: dict[str, Table]
) -> None:
    for period, table in tax.items():
        (record,) = [f for f in demo.files if f.source == "tax" and f.period == period]
        rows, total = kept_tax(period, table)
        assert (record.kept_rows, record.kept_total) == (rows, as_yuan(total)), period


def check_tax_fault(fault: InjectedFault, table: Table, row: list[Any]) -> None:
    assert text(row[TAX_ID]) == fault.key
    same = [r for r in tax_rows(table) if text(r[TAX_ID]) == fault.key]
    period = fault.period.replace("-", "")
    if fault.kind == "invalid_credit_code":
        assert not is_valid_credit_code(fault.key) and fault.value == fault.key
    elif fault.kind == "total_mismatch":
        parts = [fen(row[c]) or 0 for c in (VAT, CIT, OTHER_TAX)]
        assert abs(sum(parts) - (fen(row[TAX_TOTAL]) or 0)) > 1
        assert as_yuan(fen(row[TAX_TOTAL]) or 0) == fault.value
    elif fault.kind == "not_a_number":
        assert row[SALES] == "待补" == fault.value
    elif fault.kind == "period_mismatch":
        assert text(row[TAX_PERIOD]) == fault.value
        assert fault.value.replace("-", "") != period and len(same) == 2
    elif fault.kind == "exact_duplicate":
        assert row == table[fault.row_number - 2] and len(same) == 2
    else:
        assert len(same) == 2 and fen(same[0][TAX_TOTAL]) != fen(same[1][TAX_TOTAL])
        assert row is same[1] and as_yuan(fen(row[TAX_TOTAL]) or 0) == fault.value
    if fault.kind != "period_mismatch":
        assert text(row[TAX_PERIOD]).replace("-", "") == period


# ---------------------------------------------------------------- statistics


@pytest.fixture(scope="module")
def statistics(demo: DemoManifest) -> dict[str, Table]:
    """Every statistics file by period: February to December of each year."""
    tables = {}
    for period in demo.periods:
        if period.endswith("-01"):
            continue
        (path,) = files_of(demo.landing_dir, "statistics", period)
        assert path.name == f"规上工业企业主要经济指标_{period.replace('-', '')}.xlsx"
        tables[period] = read_table(path)
    return tables


def stat_rows(table: Table) -> list[list[Any]]:
    """Data rows of a statistics file: between the two-row header and the blank row."""
    end = table.index([None] * len(table[0]))
    return table[3:end]


def test_statistics_has_no_january_and_titles_name_the_months(
    demo: DemoManifest, statistics: dict[str, Table]
) -> None:
    folders = sorted(p.name for p in (demo.landing_dir / "statistics").iterdir())
    assert folders == [p for p in demo.periods if not p.endswith("-01")]
    assert statistics["2022-02"][0][0] == "濉溪县规模以上工业企业主要经济指标（2022年1-2月）"
    for period, table in statistics.items():
        year, month = int(period[:4]), int(period[5:])
        assert table[0][0] == f"濉溪县规模以上工业企业主要经济指标（{year}年1-{month}月）"


def test_statistics_header_is_merged_like_the_sample(
    demo: DemoManifest, statistics: dict[str, Table]
) -> None:
    sample_path = SAMPLES / "statistics_2022-03.xlsx"
    sample = read_table(sample_path)
    expected = merged(sample_path)
    assert "K2:K3" in expected and "E2:F2" in expected
    for period in ("2021-02", "2022-03", "2022-12"):
        (path,) = files_of(demo.landing_dir, "statistics", period)
        assert merged(path) == expected, period
    for period, table in statistics.items():
        assert table[1:3] == sample[1:3], period
        assert table[-2] == sample[-2] and table[-1] == sample[-1], period
        (record,) = [f for f in demo.files if f.source == "statistics" and f.period == period]
        assert record.data_rows == len(stat_rows(table)) == len(table) - 5


def test_statistics_rows_are_the_months_above_scale_roster(
    demo: DemoManifest, statistics: dict[str, Table], registry: dict[str, Table]
) -> None:
    reference = Path(__file__).resolve().parents[1] / "warehouse" / "reference"
    with (reference / "suixi_regions.csv").open(encoding="utf-8", newline="") as handle:
        codes = {row["code"] for row in csv.DictReader(handle)}
    for period, table in statistics.items():
        register = {text(row[0]): row for row in registry[period][1:]}
        rows = stat_rows(table)
        stated = {text(row[STAT_CODE]) for row in rows}
        for fault in demo.faults_of("invalid_credit_code"):
            if fault.source == "registry" and fault.period == period:
                (true,) = [
                    c
                    for c in stated - set(register)
                    if sum(a != b for a, b in zip(c, fault.key, strict=True)) == 1
                ]
                register[true] = register.pop(fault.key)
        above = {code for code, row in register.items() if row[6] == "是"}
        assert stated == above, period
        assert len(above) == demo.above_scale_by_period[demo.periods.index(period)]
        for row in rows:
            listed = register[text(row[STAT_CODE])]
            assert row[STAT_NAME] == listed[1] and row[STAT_INDUSTRY] == industry_code(listed[2])
            assert row[STAT_REGION] in codes and len(row[STAT_REGION]) == 12
            assert isinstance(row[STAFF], int) and row[STAFF] > 0
            assert isinstance(row[OUTPUT], int) and isinstance(row[ENERGY], int | float)
    assert any((row[PROFIT] or 0) < 0 for t in statistics.values() for row in stat_rows(t))


def clean_stat_rows(demo: DemoManifest, period: str, table: Table) -> dict[str, list[Any]]:
    """Rows by code, leaving out the enterprises of injected faults."""
    faulted = {f.key for f in demo.faults if f.source == "statistics" and f.period == period}
    return {text(r[STAT_CODE]): r for r in stat_rows(table) if text(r[STAT_CODE]) not in faulted}


def test_statistics_year_to_date_grows_month_to_month(
    demo: DemoManifest, statistics: dict[str, Table]
) -> None:
    strictly = steps = 0
    periods = sorted(statistics)
    for before, after in itertools.pairwise(periods):
        if before[:4] != after[:4]:
            continue
        roster = {text(r[STAT_CODE]) for r in stat_rows(statistics[before])}
        assert roster == {text(r[STAT_CODE]) for r in stat_rows(statistics[after])}
        earlier = clean_stat_rows(demo, before, statistics[before])
        later = clean_stat_rows(demo, after, statistics[after])
        for code in earlier.keys() & later.keys():
            for column in (OUTPUT, REVENUE, ENERGY, OUTPUT_PRIOR, ENERGY_PRIOR):
                if earlier[code][column] is not None:
                    assert later[code][column] >= earlier[code][column], (after, code, column)
            steps += 1
            strictly += later[code][OUTPUT] > earlier[code][OUTPUT]
    assert strictly > 0.97 * steps > 2500


def test_statistics_prior_year_is_plausible(
    demo: DemoManifest, statistics: dict[str, Table]
) -> None:
    ratios = []
    blank = set()
    for period, table in statistics.items():
        for code, row in clean_stat_rows(demo, period, table).items():
            if row[OUTPUT_PRIOR] is None:
                assert row[REVENUE_PRIOR] is None and row[ENERGY_PRIOR] is None
                blank.add(code)
            else:
                ratios.append(row[OUTPUT] / row[OUTPUT_PRIOR])
    assert 0.95 < stats.median(ratios) < 1.15
    assert sum(0.6 < r < 1.6 for r in ratios) > 0.95 * len(ratios)
    entered = {e.credit_code for e in demo.events_of("entered")}
    assert blank and blank <= entered | {e.credit_code for e in demo.events_of("promoted")}


def test_statistics_energy_follows_electricity(
    demo: DemoManifest, statistics: dict[str, Table], electricity: dict[str, dict[str, Table]]
) -> None:
    faulted = {(f.period, f.file_name, f.row_number) for f in demo.faults}
    kwh: dict[str, Counter[str]] = {}
    for period, files in electricity.items():
        kwh[period] = Counter()
        for name, table in files.items():
            for n, row in enumerate(data_rows(table), start=2):
                code, value = normalise_code(row[CODE]), number(row[KWH])
                if (period, name, n) not in faulted and is_valid_credit_code(code) and value:
                    kwh[period][code] += value
    ratios = []
    for period, table in statistics.items():
        months = [p for p in demo.periods if p[:4] == period[:4] and p <= period]
        for code, row in clean_stat_rows(demo, period, table).items():
            metered = sum(kwh[p][code] for p in months) / 10_000
            if metered:
                assert row[ENERGY] >= 1.229 * metered - 0.1, (period, code)
                ratios.append(row[ENERGY] / metered)
    assert 1.3 < stats.median(ratios) < 3


def check_statistics_fault(fault: InjectedFault, table: Table, row: list[Any]) -> None:
    assert text(row[STAT_CODE]) == fault.key
    same = [r for r in stat_rows(table) if text(r[STAT_CODE]) == fault.key]
    if fault.kind == "not_a_number":
        assert row[REVENUE] == "待报" == fault.value and len(same) == 1
    else:
        assert len(same) == 2 and row is same[1] and same[0][OUTPUT] != same[1][OUTPUT]
        assert text(row[OUTPUT]) == fault.value


def test_statistics_kept_rows_and_totals_in_the_manifest(
    demo: DemoManifest, statistics: dict[str, Table]
) -> None:
    for period, table in statistics.items():
        counts = Counter(text(r[STAT_CODE]) for r in stat_rows(table))
        kept = [
            r
            for r in stat_rows(table)
            if counts[text(r[STAT_CODE])] == 1
            and all(isinstance(r[c], int | float | None) for c in range(OUTPUT, 13))
        ]
        (record,) = [f for f in demo.files if f.source == "statistics" and f.period == period]
        assert record.kept_rows == len(kept), period
        assert record.kept_total == str(sum(r[OUTPUT] for r in kept)), period


# ---------------------------------------------------------------- indicators


@pytest.fixture(scope="module")
def indicators(demo: DemoManifest) -> dict[str, Table]:
    tables = {}
    for period in demo.periods:
        (path,) = files_of(demo.landing_dir, "indicators", period)
        assert path.name == f"主要经济指标_{period.replace('-', '')}.csv"
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\n") == raw.count(b"\r\n") == 6
        tables[period] = read_table(path)
    return tables


def test_indicators_layout_is_the_samples(indicators: dict[str, Table]) -> None:
    with (SAMPLES / "indicators_2022-03.csv").open(encoding="utf-8-sig", newline="") as handle:
        sample = list(csv.reader(handle))
    for period, table in indicators.items():
        assert table[0] == sample[0], period
        assert [row[:2] for row in table] == [row[:2] for row in sample], period
        january = period.endswith("-01")
        for row, like in zip(table[1:], sample[1:], strict=True):
            filled = [bool(cell) for cell in row[2:]]
            if january and row[0] != "工业用电量":
                assert not any(filled), period
            else:
                assert filled == [bool(cell) for cell in like[2:]], (period, row[0])


def test_indicators_figures(
    demo: DemoManifest, indicators: dict[str, Table], electricity: dict[str, dict[str, Table]]
) -> None:
    faulted = {f.period for f in demo.faults if f.source == "electricity"}
    totals = {
        p: sum(number(t[-1][KWH]) or 0 for t in files.values()) for p, files in electricity.items()
    }
    priors = {
        p: sum(number(t[-1][PRIOR]) or 0 for t in files.values())
        for p, files in electricity.items()
    }
    checked = 0
    for period, table in indicators.items():
        rows = {row[0]: row for row in table[1:]}
        power = rows["工业用电量"]
        if period not in faulted:
            assert int(power[2]) == round(totals[period] / 10_000), period
            assert power[4] == f"{(totals[period] / priors[period] - 1) * 100:.1f}", period
            checked += 1
        if period.endswith("-01"):
            assert power[2] == power[3] and power[4] == power[5]
            continue
        assert 5.0 <= float(rows["规模以上工业增加值"][4]) <= 12.0
        assert 5.0 <= float(rows["规模以上工业增加值"][5]) <= 12.0
        count = int(rows["规模以上工业企业数"][2])
        assert count == demo.above_scale_by_period[demo.periods.index(period)]
        for name in ("工业投资", "技术改造投资"):
            assert int(rows[name][3]) % 100 == 0 and -20 < float(rows[name][5]) < 80
    assert checked == 19
    ytd = sum(totals[f"2021-{m:02d}"] for m in (1, 2, 3))
    assert int(indicators["2021-03"][5][3]) == round(ytd / 10_000)
    investment = [int(indicators[f"2022-{m:02d}"][3][3]) for m in range(2, 13)]
    assert investment == sorted(investment)


# ---------------------------------------------------------------- projects and targets

PROJECT_CODE, PROJECT_INVESTOR, PROJECT_NATURE, PROJECT_TOWN = 0, 2, 3, 4
PROJECT_DONE, PROJECT_STATUS = 7, 10


def check_projects_fault(fault: InjectedFault, table: Table, row: list[Any]) -> None:
    assert text(row[PROJECT_CODE]) == fault.key
    if fault.kind == "not_a_number":
        assert row[PROJECT_DONE] == "待核" == fault.value
    else:
        assert row == table[fault.row_number - 2]


def project_rows(table: Table) -> list[list[Any]]:
    """Data rows of a project-library file: after the header, without a 合计 row."""
    return [row for row in table[1:] if row[PROJECT_CODE] is not None]


def wan(cell: Any) -> Decimal:
    return Decimal(text(cell).replace(",", ""))


@pytest.fixture(scope="module")
def projects(demo: DemoManifest) -> dict[str, Table]:
    tables = {}
    for period in demo.periods:
        (path,) = files_of(demo.landing_dir, "projects", period)
        assert path.name == f"工业项目库_{period.replace('-', '')}.xlsx"
        tables[period] = read_table(path)
    return tables


def test_projects_layout_is_the_sample(projects: dict[str, Table]) -> None:
    sample = read_table(SAMPLES / "projects_2022-03.xlsx")
    for period, table in projects.items():
        assert table[0] == sample[0], period
        totals = [row for row in table if row[1] == "合计"]
        assert len(totals) == (1 if int(period[5:]) % 3 == 0 else 0), period
        for total in totals:
            kept = project_rows(table)
            assert wan(total[PROJECT_DONE]) == sum(wan(r[PROJECT_DONE]) for r in kept)


def test_projects_cumulate_within_a_year_and_restart_in_january(
    demo: DemoManifest, projects: dict[str, Table]
) -> None:
    faulted = fault_rows(demo)
    ytd: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(dict)
    for period, table in projects.items():
        name = files_of(demo.landing_dir, "projects", period)[0].name
        for n, row in enumerate(table[1:], start=2):
            if row[PROJECT_CODE] is not None and (period, name, n) not in faulted:
                ytd[(row[PROJECT_CODE], period[:4])][period] = wan(row[PROJECT_DONE])
    for (code, year), months in ytd.items():
        values = [months[p] for p in sorted(months)]
        assert values == sorted(values), (code, year)
    # Projects under way across the new year: January's cumulative starts again from 0.
    continuing = [
        code
        for code, year in ytd
        if year == "2022"
        and "2022-01" in ytd[(code, year)]
        and ytd.get((code, "2021"), {}).get("2021-12", Decimal(0)) > 0
    ]
    assert len(continuing) >= 3
    january = sum(ytd[(code, "2022")]["2022-01"] for code in continuing)
    december = sum(ytd[(code, "2021")]["2021-12"] for code in continuing)
    assert january < december / 4


def test_projects_add_up_to_the_published_investment(
    demo: DemoManifest, projects: dict[str, Table], indicators: dict[str, Table]
) -> None:
    faulted = {f.period for f in demo.faults if f.source == "projects"}
    for period, table in projects.items():
        if period.endswith("-01") or period in faulted:
            continue
        rows = project_rows(table)
        published = {row[0]: row for row in indicators[period][1:]}
        total = sum(wan(r[PROJECT_DONE]) for r in rows)
        renovation = sum(
            wan(r[PROJECT_DONE]) for r in rows if r[PROJECT_NATURE] in ("技术改造", "技改")
        )
        assert abs(total - int(published["工业投资"][3])) <= 60, period
        assert abs(renovation - int(published["技术改造投资"][3])) <= 60, period


def test_projects_belong_to_registered_enterprises(
    demo: DemoManifest, projects: dict[str, Table], registry: dict[str, Table]
) -> None:
    odd = {
        e.detail.split(":")[0]
        for e in demo.events
        if e.kind in ("project_investor_mistyped", "project_investor_blank")
    }
    assert len(odd) == 2
    natures: Counter[str] = Counter()
    registered = {normalise_code(row[0]) for table in registry.values() for row in table[1:]}
    for period, table in projects.items():
        for row in project_rows(table):
            natures[row[PROJECT_NATURE]] += 1
            assert row[PROJECT_STATUS] in ("谋划", "在建", "竣工", "投产")
            if row[PROJECT_CODE] in odd:
                code = normalise_code(row[PROJECT_INVESTOR])
                assert code == "" or not is_valid_credit_code(code)
            else:
                assert normalise_code(row[PROJECT_INVESTOR]) in registered, period
    assert set(natures) == {"新建", "扩建", "技术改造", "技改"}
    towns_2021 = {
        row[PROJECT_TOWN] for p in projects if p < "2022" for row in project_rows(projects[p])
    }
    assert "濉溪经济开发区" in towns_2021  # the park by its former name


def test_targets_one_file_a_year_as_the_manifest_says(demo: DemoManifest) -> None:
    (csv_file,) = files_of(demo.landing_dir, "targets", "2021")
    (workbook,) = files_of(demo.landing_dir, "targets", "2022")
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")
    written = {
        2021: [row for row in read_table(csv_file)[1:]],
        2022: [row for row in read_table(workbook)[2:]],
    }
    assert read_table(workbook)[0][0] == "濉溪县2022年工业经济主要目标任务"
    for year, table in written.items():
        mine = [t for t in demo.targets if t.year == year]
        assert [(text(r[2]), float(r[3]), float(r[4]), r[5]) for r in table] == [
            (t.target_name, t.floor, t.stretch, t.unit) for t in mine
        ]
        assert all(t.stretch >= t.floor for t in mine)
    statuses = Counter(t.expected_status for t in demo.targets if t.year == 2022)
    assert set(statuses) == {"ahead", "on_track", "behind"}


# ---------------------------------------------------------------- other sources untouched


def test_registry_and_electricity_bytes_are_unchanged(demo: DemoManifest) -> None:
    lines = [
        f"{path} {digest}"
        for path, digest in digests(demo.landing_dir).items()
        if path.split("/")[0] in ("registry", "electricity")
    ]
    assert len(lines) == 72
    tree = hashlib.sha256(("\n".join(lines) + "\n").encode()).hexdigest()
    assert tree == REGISTRY_ELECTRICITY_DIGEST
