"""The SQL fragments' period arithmetic."""

from __future__ import annotations

import pytest

from warehouse.marts.fragments import months_before, window_start


@pytest.mark.parametrize(
    ("period", "months", "expected"),
    [
        ("2022-03", 11, "2021-04"),
        ("2022-12", 11, "2022-01"),
        ("2022-01", 1, "2021-12"),
        ("2022-01", 0, "2022-01"),
        ("0000-01", 11, "0000-01"),  # a rebuild of every period reads from the first
    ],
)
def test_months_before(period: str, months: int, expected: str) -> None:
    assert months_before(period, months) == expected


def test_a_rebuild_reads_back_to_january_of_the_year_before() -> None:
    assert window_start("2022-03") == "2021-01"
