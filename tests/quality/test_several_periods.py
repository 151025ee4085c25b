"""Several periods checked in one run: each period's outcomes are those of a run of its own.

A clean February and a March whose deliveries fail the cross-source checks (the months
of ``test_quality``), checked together and alone, on both backends.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.quality.test_quality import failed, load_implausible_march
from tests.warehouse.helpers import rows
from warehouse.quality import QualityReport, run_quality_checks, run_quality_checks_for_periods

MARCH_FAILURES = {
    ("cross_source_plausibility", "electricity_mom_pct"),
    ("cross_source_plausibility", "above_scale_electricity_without_statistics"),
    ("cross_source_plausibility", "statistics_output_without_electricity"),
}


def _url(engine: sa.Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _seen(report: QualityReport) -> list[tuple[str, str, bool, str | None, str | None]]:
    """What a report says, without its run id."""
    return [
        (o.suite, o.expectation, o.success, o.observed_value, o.table_name) for o in report.outcomes
    ]


def _stored(engine: sa.Engine, run_id: str) -> list[tuple[str, str, str, bool, str | None]]:
    return [
        (r.period, r.suite, r.expectation, bool(r.success), r.observed_value)
        for r in rows(
            engine,
            "SELECT period, suite, expectation, success, observed_value FROM dq_result "
            "WHERE run_id = :r ORDER BY suite, expectation",
            r=run_id,
        )
    ]


def test_each_period_of_a_run_is_checked_as_if_alone(
    engine: sa.Engine, landing: Path, tmp_path: Path
) -> None:
    load_implausible_march(engine, landing)
    together = run_quality_checks_for_periods(
        _url(engine), ["2022-02", "2022-03", "2022-04"], data_docs_dir=tmp_path / "together"
    )
    alone = [
        run_quality_checks(_url(engine), period, data_docs_dir=tmp_path / "alone")
        for period in ("2022-02", "2022-03", "2022-04")
    ]
    assert [r.period for r in together] == ["2022-02", "2022-03", "2022-04"]
    assert len({r.run_id for r in together}) == 3
    for mine, own in zip(together, alone, strict=True):
        assert _seen(mine) == _seen(own)
        assert mine.skipped == own.skipped
        stored = _stored(engine, mine.run_id)
        assert stored == _stored(engine, own.run_id)
        assert {period for period, *_ in stored} <= {mine.period}
    # The failure of March is March's alone; April has nothing loaded, so nothing to check.
    february, march, april = together
    assert failed(february) == set()
    assert failed(march) == MARCH_FAILURES
    assert april.outcomes == () and "fact_electricity" in april.skipped
    assert april.data_docs_index is None
    assert (
        february.data_docs_index
        == march.data_docs_index
        == tmp_path / "together" / ("quality.html")
    )


def test_a_run_of_several_periods_gives_each_its_data_docs_pages(
    engine: sa.Engine, landing: Path, tmp_path: Path
) -> None:
    load_implausible_march(engine, landing)
    docs = tmp_path / "docs"
    run_quality_checks_for_periods(_url(engine), ["2022-02", "2022-03"], data_docs_dir=docs)
    # One validation page per suite and period, under a run named after its period.
    for period in ("2022-02", "2022-03"):
        pages = [
            page
            for page in (docs / "validations").rglob("*.html")
            if "cross_source_plausibility_v" in page.parts[-4]
            and page.parts[-3].startswith(f"{period}_")
        ]
        assert len(pages) == 1, (period, pages)
        assert pages[0].name == "warehouse-cross_source_plausibility.html"
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert "2022-02_" in index and "2022-03_" in index
    page = (docs / "quality.html").read_text(encoding="utf-8")
    march, february = page.index("<h2>2022-03</h2>"), page.index("<h2>2022-02</h2>")
    assert "statistics_output_without_electricity" in page[march:february]
    assert "全部通过" in page[february:]  # February: all checks passed


def test_periods_are_months_named_once(engine: sa.Engine) -> None:
    url = _url(engine)
    with pytest.raises(ValueError, match="YYYY-MM"):
        run_quality_checks_for_periods(url, ["2022-03", "2022-13"], data_docs_dir=None)
    with pytest.raises(ValueError, match="twice"):
        run_quality_checks_for_periods(url, ["2022-03", "2022-03"], data_docs_dir=None)
    assert run_quality_checks_for_periods(url, [], data_docs_dir=None) == []
