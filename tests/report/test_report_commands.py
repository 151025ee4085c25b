"""``indmon demo`` and ``indmon report`` under the Prefect test server: the report page
after the load, its Markdown artifact, the progress lines and the summary table (SQLite)."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from indmon.cli import app
from indmon.load_display import LoadProgress
from indmon.progress import finished, planned
from warehouse.load import FileOutcome, PeriodLoad


def _artifact_markdown(key: str) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    async def read() -> list[str]:
        async with get_client() as client:
            found = await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key]))
            )
            return [str(a.data) for a in found]

    return asyncio.run(read())


@pytest.mark.usefixtures("prefect_harness")
def test_demo_ends_with_the_report_and_the_flow_publishes_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INDMON_WAREHOUSE_URL", f"sqlite:///{tmp_path / 'var' / 'indmon.db'}")
    result = CliRunner(env={"COLUMNS": "160"}).invoke(app, ["demo", "--months", "2"])
    assert result.exit_code == 0, result.output
    page = tmp_path / "var" / "reports" / "monthly-report-2021-02.html"
    assert f"monthly report 2021-02: {page}" in result.output
    assert "濉溪县工业经济运行月报（2021年2月）" in page.read_text(encoding="utf-8")
    # Not a terminal: one plain line per period, then the summary per source.
    lines = result.output.splitlines()
    for period in ("2021-01", "2021-02"):
        (line,) = [line for line in lines if line.startswith(f"{period}: ")]
        assert "registry loaded" in line and "electricity loaded" in line
    assert "Demo load" in result.output and "2021-01..2021-02 (2)" in result.output
    assert "\x1b[" not in result.output  # no cursor control in logs
    # The run wrote the report of its latest month (not one per month of a backfill)
    # and published it as the artifact.
    assert not (tmp_path / "var" / "reports" / "monthly-report-2021-01.html").exists()
    markdowns = _artifact_markdown("monthly-report")
    assert any("# 濉溪县工业经济运行月报（2021年2月）" in m for m in markdowns)
    assert any("## 主要指标" in m and "## 数据质量" in m for m in markdowns)

    again = CliRunner(env={"COLUMNS": "160"}).invoke(app, ["report", "--period", "2021-01"])
    assert again.exit_code == 0, again.output
    assert "monthly-report-2021-01.html" in again.output
    missing = CliRunner().invoke(app, ["report", "--period", "2020-12"])
    assert missing.exit_code == 2 and "nothing is loaded for 2020-12" in missing.output


def test_progress_on_a_terminal_draws_bars_and_names_files() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=160)
    files = (FileOutcome("电量_一站.csv", "0" * 64, 10, 9, 1, "loaded"),)
    with LoadProgress(console) as shown:
        planned([("electricity", "2022-01"), ("electricity", "2022-02")])
        for period in ("2022-01", "2022-02"):
            finished([PeriodLoad("electricity", period, "loaded", "id", files)])
    assert [load.period for load in shown.loads] == ["2022-01", "2022-02"]
    text = out.getvalue()
    assert "months" in text and "2/2" in text and "电量_一站.csv" in text
    # After the display is closed, the flows' reports go nowhere.
    finished([PeriodLoad("electricity", "2022-03", "loaded", "id", files)])
    assert len(shown.loads) == 2
