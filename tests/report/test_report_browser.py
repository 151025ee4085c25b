"""The demo county's report for 2022-06, opened in headless Chromium (SQLite).

The demo's 2021-01..2022-06 files load through the pipeline steps, the quality suites and
alerts run for June, and the report is written as ``indmon demo`` writes it. Chromium is
driven over the DevTools protocol: it records every request the page makes, measures each
chart's SVG as laid out, and reads the headline table back to compare with the warehouse.
The screenshot goes to ``test-artifacts/report/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from indmon.demo import generate_demo
from indmon.report import WrittenReport, write_report
from indmon.settings import Settings
from indmon.steps import prepare_warehouse, raise_alerts
from tests.browser import DevTools, require_chromium
from tests.report.pages import assert_headline_matches
from tests.warehouse.helpers import load_month
from warehouse.engine import create_warehouse_engine
from warehouse.quality import run_quality_checks
from warehouse.report_data import has_table

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report"
PERIOD = "2022-06"
CHARTS = ("electricity", "tax", "growth", "town-electricity", "town-per-mu-tax")


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[sa.Engine, Path]]:
    """The demo's first 18 months loaded, June checked and alerted, and its report."""
    root = tmp_path_factory.mktemp("demo-report")
    manifest = generate_demo(root / "landing", months=18)
    assert manifest.periods[-1] == PERIOD
    url = f"sqlite:///{root / 'var' / 'indmon.db'}"
    settings = Settings(landing_dir=manifest.landing_dir, warehouse_url=url)
    engine = create_warehouse_engine(url)
    prepare_warehouse(engine)
    for period in manifest.periods:
        loads = load_month(engine, manifest.landing_dir, period)
    quality = run_quality_checks(url, PERIOD, data_docs_dir=settings.resolved_data_docs_dir)
    raise_alerts(
        engine,
        settings,
        PERIOD,
        list(loads.values()),
        today=date(2022, 7, 20),
        failed_checks=[(o.suite, o.expectation, o.observed_value) for o in quality.failed],
    )
    written: WrittenReport = write_report(engine, settings)
    assert written.period == PERIOD
    yield engine, written.path
    engine.dispose()


def test_the_demo_report_renders_offline_with_the_warehouse_numbers(
    demo_report: tuple[sa.Engine, Path],
) -> None:
    chromium = require_chromium()
    engine, page = demo_report
    html = page.read_text(encoding="utf-8")
    # Nothing to fetch: no URL in the page but the SVG namespaces and the local Data Docs.
    for scheme in ("http://", "https://", "//"):
        found = {
            part.split('"')[0]
            for part in html.split(f'"{scheme}')[1:]
            if not part.startswith("www.w3.org/")
        }
        assert not found, found
    with DevTools(chromium, width=1280, height=1000) as browser:
        browser.open(page)
        # The page's own file is the one request: the monitor sees requests, and no other left.
        assert browser.requested_urls == [page.resolve().as_uri()]

        charts = browser.evaluate(
            """Array.from(document.querySelectorAll('figure[data-chart]')).map(f => {
                const svg = f.querySelector(':scope > svg');
                const box = svg.getBoundingClientRect();
                return {id: f.dataset.chart, width: +f.dataset.width, height: +f.dataset.height,
                        shownWidth: box.width, shownHeight: box.height,
                        marks: svg.querySelectorAll('path, rect, line, text').length,
                        attrs: [+svg.getAttribute('width'), +svg.getAttribute('height')]};
            })"""
        )
        missing = browser.evaluate(
            "Array.from(document.querySelectorAll('[data-chart-missing]'))"
            ".map(f => f.dataset.chartMissing)"
        )
        with engine.connect() as connection:
            targets = has_table(connection, "mart_target_progress")
        expected = set(CHARTS) | ({"targets"} if targets else set())
        assert {c["id"] for c in charts} == expected
        assert missing == ([] if targets else ["targets"])
        for chart in charts:
            assert chart["width"] > 300 and chart["height"] > 150, chart
            assert chart["attrs"] == [chart["width"], chart["height"]], chart
            assert chart["shownWidth"] == pytest.approx(chart["width"], abs=1), chart
            assert chart["shownHeight"] == pytest.approx(chart["height"], abs=1), chart
            assert chart["marks"] > 20, chart
        # One bar per town or park with a growth figure, as the warehouse has them.
        bars = browser.evaluate(
            "document.querySelectorAll("
            "'figure[data-chart=town-electricity] g.mark-rect path').length"
        )
        with engine.connect() as connection:
            ranked = connection.execute(
                sa.text(
                    "SELECT COUNT(*) FROM mart_indicator_month m JOIN dim_region r "
                    "ON r.region_code = m.region_code WHERE r.kind <> 'county' AND "
                    "m.indicator = 'electricity_kwh' AND m.period = :p "
                    "AND m.ytd_yoy_pct IS NOT NULL"
                ),
                {"p": PERIOD},
            ).scalar_one()
        assert bars == ranked > 10

        cells = browser.evaluate(
            """Object.fromEntries(Array.from(document.querySelectorAll('tr[data-indicator]'))
                .map(tr => [tr.dataset.indicator, Object.fromEntries(
                    Array.from(tr.querySelectorAll('td[data-field]'))
                        .map(td => [td.dataset.field, td.textContent.trim()]))]))"""
        )
        with engine.connect() as connection:
            assert assert_headline_matches(connection, PERIOD, cells) >= 25
            published = connection.execute(
                sa.text(
                    "SELECT ytd_yoy_pct FROM mart_published_indicator "
                    "WHERE name = '规模以上工业增加值' AND period = :p"
                ),
                {"p": PERIOD},
            ).scalar_one()
        assert float(cells["published:规模以上工业增加值"]["ytd_yoy_pct"]) == pytest.approx(
            published, abs=0.05
        )
        text = browser.evaluate("document.body.innerText")
        assert "濉溪县工业经济运行月报（2022年6月）" in text
        assert "同一主键多行且取值不同" in text  # the register's held rows of June, in Chinese
        link = browser.evaluate("document.getElementById('data-docs').href")
        assert link.endswith("/data-docs/quality.html")
        assert Path(link.removeprefix("file://")).is_file()

        shot = browser.screenshot(ARTIFACTS / "monthly-report-2022-06.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 100_000
