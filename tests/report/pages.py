"""Reading the report's headline table back, and checking it against the warehouse."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
import sqlalchemy as sa

#: What the report's unit labels mean in the warehouse's units (an independent table).
DIVISOR = {"万千瓦时": 1e4, "万元": 1e4, "万元/亩": 1e4, "吨标准煤": 1.0, "个": 1.0}
FIELDS = ("value", "value_ytd", "yoy_pct", "ytd_yoy_pct")
SUPPRESSED = "—（少于3家）"
#: The target statuses as a reader sees them (an independent table).
STATUS_TEXT = {
    "ahead": "超序时进度",
    "on_track": "达序时进度",
    "behind": "落后序时进度",
    "no_data": "暂无数据",
}
TARGET_FIELDS = ("floor_value", "stretch_value", "actual_value", "status")
NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")


class HeadlineReader(HTMLParser):
    """Rows ``data-indicator`` of the page: {indicator: {data-field: cell text}}, and each
    target's cells under ``targets``: {target name: {data-field: text}}."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[str, dict[str, Any]] = {}
        self._row: str | None = None
        self._cell: dict[str, str] | None = None
        self._field: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr" and found.get("data-indicator"):
            self._row = found["data-indicator"]
            self.rows[self._row] = {"targets": {}}
        elif self._row and found.get("data-field"):
            row = self.rows[self._row]
            target = found.get("data-target")
            self._cell = row if target is None else row["targets"].setdefault(target, {})
            self._field = found["data-field"]
            self._cell[self._field] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "div"):
            self._field = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None and self._field:
            self._cell[self._field] += data.strip()


def headline_cells(html: str) -> dict[str, dict[str, str]]:
    """The headline table's cells of a rendered page."""
    reader = HeadlineReader()
    reader.feed(html)
    return reader.rows


def shown_number(text: str) -> tuple[float, float]:
    """A cell's number and the rounding it was shown with."""
    digits = text.replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return float(digits), 0.5 * 10**-decimals + 1e-9


def assert_headline_matches(connection: sa.Connection, period: str, cells: dict) -> int:
    """Every computed figure of the county in ``period`` equals its cell, a suppressed one
    reads as such; the count checked."""
    checked = 0
    marts = connection.execute(
        sa.text(
            "SELECT m.indicator, m.value, m.value_ytd, m.yoy_pct, m.ytd_yoy_pct, m.suppressed "
            "FROM mart_indicator_month m JOIN dim_region r ON r.region_code = m.region_code "
            "WHERE r.kind = 'county' AND m.period = :p"
        ),
        {"p": period},
    ).mappings()
    for mart in marts:
        if mart["indicator"] not in cells:
            continue
        row = cells[mart["indicator"]]
        if mart["suppressed"]:
            assert [row[field] for field in FIELDS] == [SUPPRESSED] * 4, mart["indicator"]
            checked += 1
            continue
        for field in FIELDS:
            text, expected = row[field], mart[field]
            if expected is None:
                assert text == "—", (mart["indicator"], field, text)
                continue
            divisor = 1.0 if field.endswith("pct") else DIVISOR[row["unit"]]
            number, rounding = shown_number(text)
            assert number == pytest.approx(expected / divisor, abs=rounding), (
                mart["indicator"],
                field,
            )
            checked += 1
    return checked


def _first_number(text: str) -> tuple[float, float]:
    found = NUMBER.search(text)
    assert found, text
    return shown_number(found.group().lstrip("+"))


def _shown_divisor(text: str) -> float:
    for label in sorted(DIVISOR, key=len, reverse=True):
        if label in text:
            return DIVISOR[label]
    assert "%" in text, text
    return 1.0


def assert_targets_match(connection: sa.Connection, year: int, cells: dict) -> int:
    """Every county target of ``year`` in ``mart_target_progress`` shows its floor, stretch,
    actual (in the unit shown, over the months it covers) and status in its indicator's
    row; the count of targets."""
    targets = connection.execute(
        sa.text(
            "SELECT t.indicator, t.target_name, t.floor_value, t.stretch_value, "
            "t.actual_value, t.actual_period, t.status FROM mart_target_progress t "
            "JOIN dim_region r ON r.region_code = t.region_code "
            "WHERE r.kind = 'county' AND t.year = :y"
        ),
        {"y": year},
    ).mappings()
    checked = 0
    for target in targets:
        shown = cells[target["indicator"]]["targets"][target["target_name"]]
        assert set(shown) == set(TARGET_FIELDS), shown
        assert shown["status"] == STATUS_TEXT[target["status"]], (target, shown)
        for field in ("floor_value", "stretch_value", "actual_value"):
            expected, text = target[field], shown[field]
            if expected is None:
                assert text in ("—", "暂无数据"), (target["target_name"], field, text)
                continue
            if field == "actual_value":  # over the months it covers: 1-6月累计 …
                month = int(target["actual_period"][5:])
                months = "1月" if month == 1 else f"1-{month}月"
                assert text.startswith(months), (target["target_name"], text)
                text = text.removeprefix(months)
            number, rounding = _first_number(text)
            assert number == pytest.approx(expected / _shown_divisor(text), abs=rounding), (
                target["target_name"],
                field,
                text,
            )
        checked += 1
    return checked
