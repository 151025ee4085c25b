"""The utility's monthly industrial kWh per metering account, one file per supply station.

GBK CSV with CRLF line ends and a closing 合计 row whose kWh is the sum of the file's
numeric kWh cells (bad-but-numeric rows included). One station-month is an xlsx instead.
The utility's records are messy the way real ones are: codes blank in later months, a few
always mistyped, some in full width, lower case or with an Excel apostrophe, two
workshops that are in no register, one header with half-width brackets and one
extra 备注 column. A small, fixed set of bad rows is injected and reported.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from indmon.demo.files import Cell, write_csv, write_xlsx
from indmon.demo.manifest import DemoEvent, DemoFile, InjectedFault, SourceOutput
from indmon.demo.model import STATIONS, Account, County, Enterprise
from indmon.demo.naming import mistype
from indmon.demo.periods import Timeline

SOURCE = "electricity"
HEADER = (
    "户号",
    "户名",
    "统一社会信用代码",
    "用电类别",
    "电费年月",
    "本月用电量（千瓦时）",
    "上年同月用电量（千瓦时）",
)
CODE, PERIOD, KWH, PRIOR = 2, 4, 5, 6
CITY, LINHUAN = STATIONS
#: (offset, station) of the one station-month delivered as a workbook.
XLSX_AT = (8, LINHUAN)
HALF_WIDTH_HEADER_AT = (6, CITY)
REMARK_COLUMN_AT = (10, LINHUAN)
#: The injected bad rows: (offset, station) -> kind.
FAULTS = {
    (3, CITY): "non_numeric_kwh",
    (8, LINHUAN): "negative_kwh",
    (12, CITY): "wrong_period",
    (15, LINHUAN): "exact_duplicate",
    (19, CITY): "conflicting_duplicate",
}
MISTYPED_ACCOUNTS = 3
BLANK_CODE_SHARE = 0.05
STYLED_CODE_SHARE = 0.03
REMARKS = ("表计轮换", "新装", "电价调整", "已核对")

#: One file row as written: text cells in a CSV, numbers too in a workbook.
Row = list[Cell]


@dataclass
class AccountPlan:
    """How the utility's records carry each account's credit code, decided once per seed."""

    mistyped: dict[str, str] = field(default_factory=dict)
    blank_from: dict[str, int] = field(default_factory=dict)
    events: list[DemoEvent] = field(default_factory=list)

    def is_clean(self, enterprise: Enterprise, account: Account) -> bool:
        """Whether the account's code is always written correctly (no planned mess)."""
        return (
            enterprise.registered
            and account.number not in self.mistyped
            and account.number not in self.blank_from
        )

    def code_cell(
        self, rng: random.Random, enterprise: Enterprise, account: Account, t: int
    ) -> str:
        """The 统一社会信用代码 cell of one account in month ``t``."""
        if account.number in self.mistyped:
            return self.mistyped[account.number]
        if not enterprise.code or t >= self.blank_from.get(account.number, t + 1):
            return ""
        if rng.random() >= STYLED_CODE_SHARE:
            return enterprise.code
        style = rng.choice(("fullwidth", "lower", "apostrophe"))
        if style == "fullwidth":
            return "".join(chr(ord(ch) + 0xFEE0) for ch in enterprise.code)
        if style == "lower":
            return enterprise.code.lower()
        return "'" + enterprise.code


def plan_accounts(county: County, seed: int) -> AccountPlan:
    """Pick the always-mistyped accounts and the accounts whose code goes blank later."""
    rng = random.Random(f"{seed}:{SOURCE}:accounts")
    timeline = county.timeline
    plan = AccountPlan()
    mains = [
        (e, a)
        for e in county.registered
        for a in e.accounts
        if a.holder == e.name and e.entry < 0 and a.opened < 0
    ]
    for enterprise, account in rng.sample(mains, MISTYPED_ACCOUNTS):
        plan.mistyped[account.number] = mistype(rng, enterprise.code)
        plan.events.append(
            DemoEvent(
                "mistyped_code_account",
                timeline.period(0),
                enterprise.code,
                account.holder,
                f"always written {plan.mistyped[account.number]}; 户名 equals the registered name",
                account.number,
            )
        )
    existing = [
        (e, a)
        for e in county.registered
        for a in e.accounts
        if a.opened <= 0 and e.entry <= 0 and a.number not in plan.mistyped
    ]
    for enterprise, account in rng.sample(existing, round(len(existing) * BLANK_CODE_SHARE)):
        since = rng.randint(3, max(3, timeline.months - 3))
        plan.blank_from[account.number] = since
        plan.events.append(
            DemoEvent(
                "blank_code_account",
                timeline.period(min(since, timeline.months - 1)),
                enterprise.code,
                account.holder,
                "统一社会信用代码 blank from this month on, present before",
                account.number,
            )
        )
    for enterprise in county.enterprises:
        if not enterprise.registered:
            for account in enterprise.accounts:
                plan.events.append(
                    DemoEvent(
                        "unmatched_account",
                        timeline.period(max(account.opened, 0)),
                        "",
                        account.holder,
                        "no code and a 户名 the register does not hold",
                        account.number,
                    )
                )
    return plan


def file_name(timeline: Timeline, t: int, station: str) -> str:
    """``用电量_<station>_YYYYMM.csv`` (or ``.xlsx`` for the one workbook month)."""
    suffix = "xlsx" if (t, station) == XLSX_AT else "csv"
    return f"用电量_{station}_{timeline.compact(t)}.{suffix}"


def write_electricity(landing: Path, county: County, seed: int) -> SourceOutput:
    """Write both stations' files for every month; report files, faults and account events."""
    plan = plan_accounts(county, seed)
    output = SourceOutput([], [], list(plan.events))
    timeline = county.timeline
    for t in timeline.offsets:
        for station in STATIONS:
            rng = random.Random(f"{seed}:{SOURCE}:{t}:{station}")
            name = file_name(timeline, t, station)
            xlsx = name.endswith(".xlsx")
            metered = _metered(county, t, station)
            rows = [_row(rng, timeline, plan, e, a, t, xlsx) for e, a in metered]
            kind = FAULTS.get((t, station))
            if kind is not None:
                output.faults.append(
                    _inject(rng, timeline, plan, kind, name, t, metered, rows, xlsx)
                )
            total = _total_row(rows, xlsx)
            header: Row = [_header_label(h, (t, station)) for h in HEADER]
            table = [header, *rows, total]
            if (t, station) == REMARK_COLUMN_AT:
                _add_remarks(rng, table)
            path = landing / SOURCE / timeline.period(t) / name
            if xlsx:
                write_xlsx(path, table, thousands=(KWH, PRIOR))
            else:
                write_csv(path, table, encoding="gbk")
            output.files.append(
                DemoFile(SOURCE, timeline.period(t), name, len(rows), _numeric(total[KWH]))
            )
    return output


def _metered(county: County, t: int, station: str) -> list[tuple[Enterprise, Account]]:
    """The accounts billed by one station in month ``t``, in account-number order."""
    pairs = [
        (e, a)
        for e in county.enterprises
        if e.exists(t)
        for a in e.accounts
        if a.opened <= t and a.station == station
    ]
    return sorted(pairs, key=lambda pair: pair[1].number)


def _row(
    rng: random.Random,
    timeline: Timeline,
    plan: AccountPlan,
    enterprise: Enterprise,
    account: Account,
    t: int,
    xlsx: bool,
) -> Row:
    """One account's row for billing month ``t``."""
    kwh = enterprise.kwh(account, t)
    assert kwh is not None
    prior = enterprise.kwh(account, t - 12) if account.opened <= t - 12 else None
    return [
        account.number,
        account.holder,
        plan.code_cell(rng, enterprise, account, t),
        account.category,
        timeline.compact(t),
        _kwh_cell(rng, kwh, xlsx),
        prior if xlsx else ("" if prior is None else str(prior)),
    ]


def _kwh_cell(rng: random.Random, kwh: int, xlsx: bool, *, separators: bool | None = None) -> Cell:
    """kWh as the utility writes it: a number in a workbook, often ``1,234,567`` in a CSV."""
    if xlsx:
        return kwh
    if separators is None:
        separators = rng.random() < 0.6
    return f"{kwh:,}" if separators else str(kwh)


def _numeric(cell: Cell) -> int | None:
    """The whole number in a kWh cell, or None when it holds none (blank, ``待核``)."""
    if isinstance(cell, int):
        return cell
    try:
        return int(str(cell).replace(",", ""))
    except ValueError:
        return None


def _total_row(rows: list[Row], xlsx: bool) -> Row:
    """The 合计 row: sums of the numeric kWh and prior-year cells."""
    kwh = sum(v for r in rows if (v := _numeric(r[KWH])) is not None)
    prior = sum(v for r in rows if (v := _numeric(r[PRIOR])) is not None)
    return [
        "",
        "合计",
        "",
        "",
        "",
        _kwh_cell(random.Random(0), kwh, xlsx, separators=True),
        prior if xlsx else str(prior),
    ]


def _header_label(label: str, at: tuple[int, str]) -> str:
    if at == HALF_WIDTH_HEADER_AT:
        return label.replace("（", "(").replace("）", ")")
    return label


def _add_remarks(rng: random.Random, table: list[Row]) -> None:
    """An extra 备注 column nobody asked for, with a note on a few rows."""
    noted = set(rng.sample(range(1, len(table) - 1), 4))
    table[0].append("备注")
    for index in range(1, len(table)):
        table[index].append(rng.choice(REMARKS) if index in noted else "")


def _inject(
    rng: random.Random,
    timeline: Timeline,
    plan: AccountPlan,
    kind: str,
    name: str,
    t: int,
    metered: list[tuple[Enterprise, Account]],
    rows: list[Row],
    xlsx: bool,
) -> InjectedFault:
    """Damage one clean row (or add one) and say exactly where."""
    clean = [
        i
        for i, (e, a) in enumerate(metered)
        if plan.is_clean(e, a)
        and rows[i][CODE] == e.code
        and (e.kwh(a, t) or 0) > 0
        and a.opened <= t - 1
        and e.exists(t - 1)
    ]
    index = rng.choice(clean)
    enterprise, account = metered[index]
    kwh = enterprise.kwh(account, t) or 0
    period = timeline.period(t)

    def fault(row_number: int, description: str, value: Cell) -> InjectedFault:
        return InjectedFault(
            SOURCE,
            period,
            name,
            row_number,
            kind,
            f"户号 {account.number} {account.holder}: {description}",
            key=account.number,
            value=str(value),
        )

    if kind == "non_numeric_kwh":
        rows[index][KWH] = "待核"
        return fault(index + 2, f"本月用电量 is 待核 instead of {kwh}", "待核")
    if kind == "negative_kwh":
        rows[index][KWH] = -kwh if xlsx else str(-kwh)
        return fault(index + 2, f"本月用电量 is negative ({-kwh}, sign flipped)", -kwh)
    if kind == "wrong_period":
        rows.append(_row(rng, timeline, plan, enterprise, account, t - 1, xlsx))
        return fault(
            len(rows) + 1,
            f"a row for 电费年月 {timeline.compact(t - 1)} in the "
            f"{timeline.compact(t)} file (its own row is at line {index + 2})",
            timeline.compact(t - 1),
        )
    if kind == "exact_duplicate":
        rows.insert(index + 1, list(rows[index]))
        return fault(index + 3, f"exact copy of line {index + 2}", rows[index][KWH])
    if kind == "conflicting_duplicate":
        other = round(kwh * 1.12) + 7
        copy = list(rows[index])
        copy[KWH] = _kwh_cell(rng, other, xlsx)
        rows.append(copy)
        return fault(
            len(rows) + 1, f"again with 本月用电量 {other} (line {index + 2} has {kwh})", copy[KWH]
        )
    raise ValueError(f"unknown electricity fault kind {kind!r}")
