"""Reading the report's headline table back, and checking it against the warehouse."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

#: What the report's unit labels mean in the warehouse's units (an independent table).
DIVISOR = {"万千瓦时": 1e4, "万元": 1e4, "万元/亩": 1e4, "吨标准煤": 1.0, "个": 1.0}
FIELDS = ("value", "value_ytd", "yoy_pct", "ytd_yoy_pct")


class HeadlineReader(HTMLParser):
    """Rows ``data-indicator`` of the page: {indicator: {data-field: cell text}}."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[str, dict[str, str]] = {}
        self._row: str | None = None
        self._field: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr" and found.get("data-indicator"):
            self._row = found["data-indicator"]
            self.rows[self._row] = {}
        elif tag == "td" and self._row and found.get("data-field"):
            self._field = found["data-field"]
            self.rows[self._row][self._field] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._field = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._row and self._field:
            self.rows[self._row][self._field] += data.strip()


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
    """Every computed figure of the county in ``period`` equals its cell; the count checked."""
    checked = 0
    marts = connection.execute(
        sa.text(
            "SELECT m.indicator, m.value, m.value_ytd, m.yoy_pct, m.ytd_yoy_pct "
            "FROM mart_indicator_month m JOIN dim_region r ON r.region_code = m.region_code "
            "WHERE r.kind = 'county' AND m.period = :p"
        ),
        {"p": period},
    ).mappings()
    for mart in marts:
        if mart["indicator"] not in cells:
            continue
        row = cells[mart["indicator"]]
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
