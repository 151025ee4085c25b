"""The demo county, loaded by ``indmon demo``, raises the alerts its injected faults imply.

Real parts: the Prefect test server, a webhook and an SMTP server on loopback. SQLite only:
the other backend's alert path is covered in test_alerts_flow.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from indmon.cli import app
from indmon.demo import load_manifest
from tests.alerts.servers import smtp_server, webhook_server
from tests.warehouse.helpers import rows
from warehouse.engine import create_warehouse_engine

pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_the_demo_raises_exactly_the_expected_alerts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'var' / 'indmon.db'}"
    monkeypatch.setenv("INDMON_WAREHOUSE_URL", url)
    monkeypatch.setenv("INDMON_LANDING_DIR", str(tmp_path / "var" / "demo-landing"))
    with webhook_server() as (hport, hook), smtp_server() as (sport, mail):
        monkeypatch.setenv(
            "INDMON_ALERT_URLS",
            f"json://127.0.0.1:{hport}/alerts,"
            f"mailto://127.0.0.1:{sport}?from=indmon@example.org&to=bureau@example.org",
        )
        result = CliRunner(env={"COLUMNS": "160"}).invoke(app, ["demo"])
        assert result.exit_code == 0, result.output
    manifest = load_manifest(tmp_path / "var" / "demo-landing")

    # Each injected fault holds rows in its source-period; a held statistics row also
    # leaves an above-scale enterprise with electricity but no statistics row.
    expected = {("held_rows", f.source, f.period) for f in manifest.faults}
    expected |= {("dq_failed", None, f.period) for f in manifest.faults if f.source == "statistics"}
    engine = create_warehouse_engine(url)
    raised = {
        (r.kind, r.source, r.period) for r in rows(engine, "SELECT kind, source, period FROM alert")
    }
    undelivered = rows(engine, "SELECT alert_id FROM alert WHERE delivered_at IS NULL")
    engine.dispose()
    assert raised == expected
    assert undelivered == []

    # One message per load that raised something, on each channel.
    periods = sorted({period for _, _, period in expected})
    assert len(hook.requests) == len(periods) == len(mail.requests)
    titles = [json.loads(r["body"])["title"] for r in hook.requests]
    assert [t.split("】")[1][:7] for t in titles] == periods
    assert all("数据质量告警" in t for t in titles)
