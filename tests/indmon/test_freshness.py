"""Freshness of each source against the day it is due."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from indmon.freshness import LateSource, due_date, late_sources
from indmon.landing import list_period
from indmon.settings import Settings
from tests.files import electricity_rows, write_electricity_csv

DAYS = {"electricity": 5, "tax": 12, "statistics": 15}


def test_due_dates_fall_in_the_following_month() -> None:
    assert due_date("2022-03", 5) == date(2022, 4, 5)
    assert due_date("2022-12", 15) == date(2023, 1, 15)


def _at(landing: Path) -> Callable[[str, str], bool]:
    """Whether the landing folder holds a delivery of a source-period."""
    settings = Settings().with_overrides(landing=str(landing))
    return lambda source, period: bool(list_period(settings, source, period))


def test_a_source_is_late_only_after_its_day(landing: Path) -> None:
    delivered = _at(landing)
    write_electricity_csv(landing / "electricity" / "2022-03" / "e.csv", electricity_rows([]))
    assert late_sources(delivered, "2022-03", date(2022, 4, 12), DAYS) == []
    assert late_sources(delivered, "2022-03", date(2022, 4, 13), DAYS) == [
        LateSource("tax", "2022-03", date(2022, 4, 12))
    ]
    assert [s.source for s in late_sources(delivered, "2022-03", date(2022, 5, 1), DAYS)] == [
        "statistics",
        "tax",
    ]


def test_no_statistics_are_due_for_january(landing: Path) -> None:
    delivered = _at(landing)
    assert [s.source for s in late_sources(delivered, "2022-01", date(2022, 3, 1), DAYS)] == [
        "electricity",
        "tax",
    ]


def test_settings_read_alert_urls_and_arrival_days(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("INDMON_ALERT_URLS", "json://127.0.0.1:9/hook, mailto://a@b.c ,")
    monkeypatch.setenv("INDMON_ARRIVAL_DAYS", '{"electricity": 3, "tax": 10}')
    monkeypatch.setenv("INDMON_WAREHOUSE_URL", f"sqlite:///{tmp_path}/wh/x.db")
    settings = Settings()
    assert settings.alert_urls == ["json://127.0.0.1:9/hook", "mailto://a@b.c"]
    assert settings.arrival_days == {"electricity": 3, "tax": 10}
    assert settings.resolved_data_docs_dir == tmp_path / "wh" / "data-docs"
    assert Settings(warehouse_url="postgresql://u:secret@db/x").safe_warehouse_url == (
        "postgresql://u:***@db/x"
    )
