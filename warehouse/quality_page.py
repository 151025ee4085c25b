"""``quality.html``: the Data Docs entry page that needs no network and no JavaScript.

Great Expectations draws its own index with scripts from CDNs, which a bureau's
offline desktop (or a test machine) cannot load. This page is rendered from
``dq_result``: one section per period (latest run), failed checks first with their
observed values, then the passed ones folded away, and a link to GX's own pages.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import sqlalchemy as sa

PAGE_NAME = "quality.html"

LATEST_RUNS = """
SELECT r.period, r.suite, r.expectation, r.success, r.observed_value, r.checked_at
FROM dq_result AS r
JOIN (SELECT period, MAX(checked_at) AS checked_at FROM dq_result GROUP BY period) AS latest
  ON latest.period = r.period AND latest.checked_at = r.checked_at
ORDER BY r.period DESC, r.success, r.suite, r.expectation
"""

STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: .5em 0; }
td, th { border: 1px solid #ccc; padding: .3em .6em; }
th { background: #f3f3f3; text-align: left; } .failed { color: #b00020; font-weight: bold; }
.passed { color: #1b7f3b; } .summary { margin: .3em 0; }
"""


def _rows(items: list[sa.Row]) -> str:
    cells = []
    for item in items:
        status = (
            '<span class="passed">✔ 通过 passed</span>'
            if item.success
            else '<span class="failed">✘ 未通过 failed</span>'
        )
        cells.append(
            f"<tr><td>{status}</td><td>{escape(item.suite)}</td>"
            f"<td>{escape(item.expectation)}</td><td>{escape(item.observed_value or '')}</td></tr>"
        )
    head = "<tr><th>结果 result</th><th>suite</th><th>检查 check</th><th>观测值 observed</th></tr>"
    return f"<table>{head}{''.join(cells)}</table>"


def render_quality_page(results: list[sa.Row]) -> str:
    """The page's HTML for the latest run of every period (rows of ``LATEST_RUNS``)."""
    sections = []
    for period in sorted({r.period for r in results}, reverse=True):
        mine = [r for r in results if r.period == period]
        failed = [r for r in mine if not r.success]
        passed = [r for r in mine if r.success]
        summary = (
            f'<p class="summary">{len(mine)} 项检查，<span class="failed">'
            f"{len(failed)} 项未通过</span>，{len(passed)} 项通过 "
            f"(checked {escape(str(mine[0].checked_at)[:19])})</p>"
        )
        body = _rows(failed) if failed else '<p class="passed">全部通过 all checks passed</p>'
        fold = (
            (
                f"<details><summary>通过的检查 passed checks ({len(passed)})</summary>"
                f"{_rows(passed)}</details>"
            )
            if passed
            else ""
        )
        sections.append(f"<h2>{escape(period)}</h2>{summary}{body}{fold}")
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>数据质量检查结果 Data quality</title><style>{STYLE}</style></head><body>"
        "<h1>濉溪县工业经济监测 · 数据质量检查结果</h1>"
        "<p>Great Expectations 原始报告 (full GX Data Docs): "
        '<a href="index.html">index.html</a></p>'
        f"{''.join(sections) or '<p>尚无检查结果 no checks yet</p>'}</body></html>"
    )


def write_quality_page(engine: sa.Engine, data_docs_dir: Path) -> Path:
    """Write ``quality.html`` into the Data Docs folder and return its path."""
    with engine.connect() as connection:
        results = list(connection.execute(sa.text(LATEST_RUNS)))
    page = data_docs_dir / PAGE_NAME
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(render_quality_page(results), encoding="utf-8")
    return page
