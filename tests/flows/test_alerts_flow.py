"""A monthly load raises its findings as alerts and sends one message per load.

Real parts: the Prefect test server, a real webhook and SMTP server on loopback.
"""

from __future__ import annotations

import email
import email.policy
import json
from datetime import date
from pathlib import Path

import pytest

from schemas.credit_code import complete_credit_code
from tests.alerts.servers import smtp_server, webhook_server
from tests.files import (
    code,
    electricity_rows,
    registry_row,
    tax_row,
    write_electricity_csv,
    write_registry_csv,
    write_tax_xlsx,
)
from tests.warehouse.helpers import rows
from warehouse.engine import create_warehouse_engine

pytestmark = pytest.mark.usefixtures("prefect_harness")
A, B = code(1), code(2)


def _month(landing: Path, *, faulty: bool) -> None:
    write_registry_csv(
        landing / "registry" / "2022-03" / "名录.csv",
        [registry_row(A, "甲公司"), registry_row(B, "乙公司")],
    )
    accounts = [("1000000001", "甲公司", A, 100, 90), ("1000000002", "乙公司", B, 50, 40)]
    extra = [["1000000003", "丙", "", "大工业用电", "202203", "待核", ""]] if faulty else []
    write_electricity_csv(
        landing / "electricity" / "2022-03" / "城区.csv", [*electricity_rows(accounts), *extra]
    )
    # An individual business is held by the contract's scope every month: no alert.
    individual = tax_row(complete_credit_code("92340621MA000001"), "张三五金店", 1.0)
    write_tax_xlsx(
        landing / "tax" / "2022-03" / "税收.xlsx",
        [tax_row(A, "甲公司", 10.0), individual],
        unit="单位：万元" if faulty else "单位：元",
    )


def _run(
    monkeypatch: pytest.MonkeyPatch, landing: Path, url: str, alert_urls: list[str], as_of: date
) -> None:
    from flows.monthly import monthly_load

    monkeypatch.setenv("INDMON_LANDING_DIR", str(landing))
    monkeypatch.setenv("INDMON_WAREHOUSE_URL", url)
    monkeypatch.setenv("INDMON_ALERT_URLS", ",".join(alert_urls))
    monthly_load("2022-03", as_of=as_of)


def test_a_faulty_load_sends_one_message_with_its_alerts_once(
    monkeypatch: pytest.MonkeyPatch, warehouse_url: str, landing: Path
) -> None:
    _month(landing, faulty=True)
    with webhook_server() as (hport, hook), smtp_server() as (sport, mail):
        urls = [
            f"json://127.0.0.1:{hport}/alerts",
            f"mailto://127.0.0.1:{sport}?from=indmon@example.org&to=bureau@example.org",
        ]
        _run(monkeypatch, landing, warehouse_url, urls, date(2022, 4, 20))
        _run(monkeypatch, landing, warehouse_url, urls, date(2022, 4, 21))  # nothing new
    engine = create_warehouse_engine(warehouse_url)
    raised = {(r.kind, r.source) for r in rows(engine, "SELECT kind, source FROM alert")}
    # Held electricity row, refused tax file (万元), statistics past its day (the 15th).
    assert raised == {
        ("held_rows", "electricity"),
        ("file_refused", "tax"),
        ("source_late", "statistics"),
    }
    assert all(r.delivered_at is not None for r in rows(engine, "SELECT delivered_at FROM alert"))
    engine.dispose()
    assert len(hook.requests) == 1 and len(mail.requests) == 1
    payload = json.loads(hook.requests[0]["body"])
    assert "1 严重" in payload["title"] and "2 警告" in payload["title"]
    assert "待核" in payload["message"] and "税收.xlsx" in payload["message"]
    message = email.message_from_bytes(mail.requests[0]["data"], policy=email.policy.default)
    assert message["Subject"] == payload["title"]


def test_a_clean_load_raises_no_alert(
    monkeypatch: pytest.MonkeyPatch, warehouse_url: str, landing: Path
) -> None:
    _month(landing, faulty=False)
    with webhook_server() as (hport, hook):
        _run(
            monkeypatch, landing, warehouse_url, [f"json://127.0.0.1:{hport}/a"], date(2022, 4, 6)
        )  # before statistics (15th) and tax (12th) are due
    engine = create_warehouse_engine(warehouse_url)
    assert rows(engine, "SELECT * FROM alert") == []
    assert [
        tuple(r) for r in rows(engine, "SELECT reason, COUNT(*) FROM held_row GROUP BY reason")
    ] == [("not_an_enterprise", 1)]
    checks = rows(
        engine,
        "SELECT COUNT(*) AS n, SUM(CASE WHEN success THEN 1 ELSE 0 END) AS ok "
        "FROM dq_result WHERE period = '2022-03'",
    )[0]
    assert checks.n > 20 and checks.ok == checks.n  # the checkpoint ran and passed
    engine.dispose()
    assert hook.requests == []
