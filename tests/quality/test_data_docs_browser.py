"""The Data Docs site of a real failing run, opened in headless Chromium (SQLite only).

The run is the one of ``test_quality``: a clean February, then a March whose kWh triple,
with an above-scale enterprise missing from the statistics file and one reporting output
without an electricity account. Chromium loads the files from disk with no network, so
the CDN assets GX links (Bootstrap, bootstrap-table, jQuery, Font Awesome) do not load:
the checks below are on what renders without them (the failure icons are in the DOM but
have no glyph without Font Awesome). Screenshots go to ``test-artifacts/data-docs/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from indmon.steps import prepare_warehouse
from tests.browser import dump_dom, read_dom, require_chromium, screenshot
from tests.quality.test_quality import check, failed, load_implausible_march
from warehouse.engine import create_warehouse_engine

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "data-docs"
SUITE = "cross_source_plausibility"
FAILED_CHECK = "statistics_output_without_electricity"
PASSED_CHECK = "tax_mom_pct"


@pytest.fixture
def chromium() -> str:
    """The Chromium binary (a failure under ``CI=true`` without one, else a skip)."""
    return require_chromium()


@pytest.fixture
def failing_docs(landing: Path, tmp_path: Path) -> Iterator[Path]:
    """Data Docs of a clean 2022-02 and a failing 2022-03 run on a SQLite warehouse."""
    engine = create_warehouse_engine(f"sqlite:///{tmp_path / 'warehouse.db'}")
    try:
        prepare_warehouse(engine)
        load_implausible_march(engine, landing)
        docs = tmp_path / "docs"
        assert check(engine, "2022-02", docs).failed == ()
        report = check(engine, "2022-03", docs)
        assert (SUITE, FAILED_CHECK) in failed(report)
        assert report.data_docs_index == docs / "quality.html"
        yield docs
    finally:
        engine.dispose()


def validation_page(docs: Path, suite: str, period: str) -> Path:
    """The one validation page of ``suite`` for the run of ``period``."""
    pages = [
        page
        for page in (docs / "validations").rglob("*.html")
        if f"{suite}_v" in page.parts[-4] and page.parts[-3].startswith(f"{period}_")
    ]
    assert len(pages) == 1, f"validation pages of {suite} {period}: {pages}"
    return pages[0]


def test_data_docs_show_the_failed_expectation_in_a_browser(
    chromium: str, failing_docs: Path
) -> None:
    # The index: Chromium renders the site's page, and the table data it carries name
    # every suite and both runs (the rows themselves are drawn by CDN JavaScript).
    index_dom = dump_dom(chromium, failing_docs / "index.html")
    index = read_dom(index_dom)
    assert index.title == "Data Docs created by Great Expectations"
    assert "Data Docs | indmon" in index.text  # the site name from warehouse.quality
    assert "Validation Results" in index.text and "Expectation Suites" in index.text
    for name in (SUITE, "fact_electricity", "fact_tax", "fact_statistics", "completeness"):
        assert name in index_dom
    assert "2022-02_" in index_dom and "2022-03_" in index_dom
    page = validation_page(failing_docs, SUITE, "2022-03")
    assert page.relative_to(failing_docs).as_posix() in index_dom  # the index links the page
    screenshot(chromium, failing_docs / "index.html", ARTIFACTS / "index.png")

    # The failed suite's validation page is static HTML: all of it renders offline.
    rendered = read_dom(dump_dom(chromium, page))
    assert "Expectation Validation Result" in rendered.text
    assert "Status: Failed" in rendered.text
    assert "Unsuccessful Expectations 3" in rendered.text
    assert f"Expectation Suite: {SUITE}_v1_0" in rendered.text
    failed_row = rendered.row(f"{FAILED_CHECK} —")
    assert any("fa-times" in icon and "text-danger" in icon for icon in failed_row.icons)
    assert failed_row.text.endswith(" 1")  # observed: one enterprise without electricity
    passed_row = rendered.row(f"{PASSED_CHECK} —")
    assert any("fa-check-circle" in icon and "text-success" in icon for icon in passed_row.icons)
    assert not any("text-danger" in icon for icon in passed_row.icons)
    mom_row = rendered.row("electricity_mom_pct —")
    assert "1 unexpected values found" in mom_row.text and "200.0" in mom_row.text

    shot = screenshot(chromium, page, ARTIFACTS / f"{SUITE}_2022-03.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000


def test_the_offline_entry_page_shows_the_failed_checks(chromium: str, failing_docs: Path) -> None:
    """GX's own index draws its run table with scripts from CDNs, which an offline desktop
    cannot load; ``quality.html`` is plain HTML and must show the failures without them."""
    page = failing_docs / "quality.html"
    rendered = read_dom(dump_dom(chromium, page))
    assert "数据质量检查结果" in rendered.title
    march = rendered.text[rendered.text.index("2022-03") : rendered.text.index("2022-02")]
    assert "3 项未通过" in march and "✘ 未通过 failed" in march
    for check_name in (
        FAILED_CHECK,
        "electricity_mom_pct",
        "above_scale_electricity_without_statistics",
    ):
        assert check_name in march
    february = rendered.text[rendered.text.index("2022-02") :]
    assert "全部通过 all checks passed" in february
    shot = screenshot(chromium, page, ARTIFACTS / "quality.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
