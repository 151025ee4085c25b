"""The demo county's report for 2022-12, opened in headless Chromium (SQLite).

The demo's 24 months (with the project library and the 2021 and 2022 targets) load
through the pipeline steps, the quality suites and alerts run for December, and the
report is written as ``indmon demo`` writes it. Chromium is
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
from schemas.reasons import BY_CODE
from tests.browser import DevTools, require_chromium
from tests.report.pages import assert_headline_matches, assert_targets_match
from tests.warehouse.helpers import load_month
from warehouse.engine import create_warehouse_engine
from warehouse.quality import run_quality_checks

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report"
PERIOD = "2022-12"
CHARTS = ("electricity", "tax", "growth", "targets", "town-electricity", "town-per-mu-tax")
LISTS = {
    "decline": "SELECT COUNT(DISTINCT credit_code) FROM mart_decline_watch WHERE period = :p",
    "cultivation": "SELECT COUNT(*) FROM mart_cultivation WHERE period = :p",
    "zombie": "SELECT COUNT(*) FROM mart_zombie_watch WHERE period = :p",
    "per-mu-d": "SELECT COUNT(*) FROM mart_per_mu_evaluation "
    "WHERE year = 2022 AND evaluation_class = 'D'",
}
RANKED = (
    "SELECT COUNT(*) FROM mart_town_ranking WHERE period = :p AND indicator = :i "
    "AND rank IS NOT NULL"
)


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[sa.Engine, Path]]:
    """The demo's 24 months loaded, December checked and alerted, and its report."""
    root = tmp_path_factory.mktemp("demo-report")
    manifest = generate_demo(root / "landing")
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
        today=date(2023, 1, 20),
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
        assert [c["id"] for c in charts] == list(CHARTS)
        assert missing == []
        for chart in charts:
            assert chart["width"] > 300 and chart["height"] > 150, chart
            assert chart["attrs"] == [chart["width"], chart["height"]], chart
            assert chart["shownWidth"] == pytest.approx(chart["width"], abs=1), chart
            assert chart["shownHeight"] == pytest.approx(chart["height"], abs=1), chart
            assert chart["marks"] > 20, chart
        # One bar per town or park the ranking mart ranks, on each ranking.
        for chart, indicator in (
            ("town-electricity", "electricity_kwh"),
            ("town-per-mu-tax", "per_mu_tax_yuan"),
        ):
            bars = browser.evaluate(
                f"document.querySelectorAll('figure[data-chart={chart}] g.mark-rect path').length"
            )
            with engine.connect() as connection:
                ranked = connection.execute(
                    sa.text(RANKED), {"p": PERIOD, "i": indicator}
                ).scalar_one()
            assert bars == ranked > 10, chart

        cells = browser.evaluate(
            """Object.fromEntries(Array.from(document.querySelectorAll('tr[data-indicator]'))
                .map(tr => {
                    const row = {targets: {}};
                    tr.querySelectorAll('[data-field]').forEach(el => {
                        const name = el.dataset.target;
                        const cell = name === undefined ? row : (row.targets[name] ??= {});
                        cell[el.dataset.field] = el.textContent.trim();
                    });
                    return [tr.dataset.indicator, row];
                }))"""
        )
        with engine.connect() as connection:
            assert assert_headline_matches(connection, PERIOD, cells) >= 25
            # Every county target of 2022 with its floor, stretch, actual and status.
            assert assert_targets_match(connection, 2022, cells) >= 5
            statuses = {
                row[0]
                for row in connection.execute(
                    sa.text("SELECT status FROM mart_target_progress WHERE year = 2022")
                )
            }
            behind = [
                row[0]
                for row in connection.execute(
                    sa.text(
                        "SELECT t.target_name FROM mart_target_progress t JOIN dim_region r "
                        "ON r.region_code = t.region_code WHERE r.kind = 'county' "
                        "AND t.year = 2022 AND t.status = 'behind'"
                    )
                )
            ]
            counts = {
                key: connection.execute(sa.text(sql), {"p": PERIOD}).scalar_one()
                for key, sql in LISTS.items()
            }
            held = [
                row[0]
                for row in connection.execute(
                    sa.text("SELECT DISTINCT reason FROM held_row WHERE period = :p"),
                    {"p": PERIOD},
                )
            ]
            published = connection.execute(
                sa.text(
                    "SELECT ytd_yoy_pct FROM mart_published_indicator "
                    "WHERE name = '规模以上工业增加值' AND period = :p"
                ),
                {"p": PERIOD},
            ).scalar_one()
        assert {"ahead", "on_track", "behind"} <= statuses  # the demo scripts all three
        assert float(cells["published:规模以上工业增加值"]["ytd_yoy_pct"]) == pytest.approx(
            published, abs=0.05
        )
        text = browser.evaluate("document.body.innerText")
        assert "濉溪县工业经济运行月报（2022年12月）" in text
        summary = browser.evaluate("document.getElementById('summary').innerText")
        assert behind and all(name in summary for name in behind)  # what is behind target
        shown = browser.evaluate(
            "Object.fromEntries(Array.from(document.querySelectorAll('[data-list]'))"
            ".map(s => [s.dataset.list, +s.querySelector('[data-count]').dataset.count]))"
        )
        assert shown == counts and counts["decline"] > 0 and counts["per-mu-d"] > 0
        assert held and all(BY_CODE[reason].zh in text for reason in held)
        link = browser.evaluate("document.getElementById('data-docs').href")
        assert link.endswith("/data-docs/quality.html")
        assert Path(link.removeprefix("file://")).is_file()

        shot = browser.screenshot(ARTIFACTS / "monthly-report-2022-12.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 100_000
