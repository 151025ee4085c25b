"""Alerts: findings become rows once, one grouped message reaches real loopback servers."""

from __future__ import annotations

import base64
import email
import email.policy
import json
import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import apprise
import pytest
import sqlalchemy as sa

from indmon.alerts import (
    AlertRow,
    Finding,
    compose_message,
    deliver,
    mask_url,
    parse_alert_urls,
    record_findings,
    undelivered_alerts,
)
from tests.alerts.servers import closed_port, smtp_server, webhook_server
from warehouse.tables import alert

DOCS = "http://127.0.0.1:8765/data_docs/local_site/index.html"
HOOK_SECRET = "hook-s3cret-Pw"
MAIL_SECRET = "mail-s3cret-Pw"

# --- no traffic beyond loopback while these tests run -------------------------------

_GUARD: dict[str, Any] = {"on": False, "seen": []}
_LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _GUARD["on"]:
        return
    host = None
    if event == "socket.connect" and isinstance(args[1], tuple):
        host = args[1][0]
    elif event == "socket.getaddrinfo":
        host = args[0]
    if host is not None and host not in _LOOPBACK and host != b"127.0.0.1":
        _GUARD["seen"].append(host)
        raise OSError(f"test guard: no network beyond loopback ({host})")


sys.addaudithook(_audit)


@pytest.fixture(autouse=True)
def loopback_only() -> Iterator[None]:
    """Fails a test that tried to reach anything but 127.0.0.1."""
    _GUARD["on"], _GUARD["seen"] = True, []
    try:
        yield
    finally:
        _GUARD["on"] = False
    assert _GUARD["seen"] == [], f"network access beyond loopback: {_GUARD['seen']}"


# --- findings -----------------------------------------------------------------------


def findings(period: str = "2022-03") -> list[Finding]:
    return [
        Finding(
            "warning",
            "held_rows",
            "tax",
            period,
            f"tax {period}: 12 rows held",
            "纳税人识别号校验位错误 invalid_credit_code: 9 行\n税收合计不符: 3 行",
        ),
        Finding(
            "critical",
            "file_refused",
            "statistics",
            period,
            f"statistics {period}: 文件被拒收",
            "统计表 单位应为千元，文件写的是元",
        ),
        Finding(
            "info",
            "source_late",
            "indicators",
            period,
            f"indicators {period}: 未报送",
            "主要经济指标月报尚未到达",
        ),
        Finding(
            "warning",
            "held_rows",
            "electricity",
            period,
            f"electricity {period}: 4 rows held",
            "户号为空 missing_value: 4 行",
        ),
        Finding(
            "critical",
            "dq_failed",
            None,
            period,
            "mart_indicator_month: 县合计≠各镇之和",
            "electricity_kwh 县 ≠ Σ 镇",
        ),
    ]


def alert_rows(engine: sa.Engine) -> list[AlertRow]:
    with engine.connect() as connection:
        result = connection.execute(sa.select(alert).order_by(alert.c.subject))
        return [AlertRow.from_mapping(row._mapping) for row in result]


def test_a_loads_findings_become_alert_rows(engine: sa.Engine) -> None:
    now = datetime(2022, 4, 6, 8, 30, tzinfo=UTC)
    raised = record_findings(engine, findings(), now=now)

    assert len(raised) == 5
    stored = {row.fingerprint: row for row in alert_rows(engine)}
    assert set(stored) == {f.fingerprint() for f in findings()}
    refused = next(r for r in stored.values() if r.kind == "file_refused")
    assert (refused.severity, refused.source, refused.period) == (
        "critical",
        "statistics",
        "2022-03",
    )
    assert refused.message == "统计表 单位应为千元，文件写的是元"
    assert refused.raised_at.replace(tzinfo=UTC) == now
    assert refused.delivered_to is None and refused.delivered_at is None
    assert refused.delivery_attempts == 0


def test_recording_the_same_findings_again_raises_nothing(engine: sa.Engine) -> None:
    record_findings(engine, findings())
    assert record_findings(engine, findings()) == []
    assert record_findings(engine, findings() + findings()) == []
    assert len(alert_rows(engine)) == 5
    # a finding repeated within one load is raised once
    fresh = Finding("info", "source_late", "tax", "2022-04", "tax 2022-04: 未报送", "")
    assert len(record_findings(engine, [fresh, fresh])) == 1


def test_a_changed_finding_is_raised_again(engine: sa.Engine) -> None:
    record_findings(engine, findings())
    changed = Finding(
        "warning",
        "held_rows",
        "tax",
        "2022-03",
        "tax 2022-03: 15 rows held",
        "纳税人识别号校验位错误 invalid_credit_code: 12 行",
    )
    next_month = findings("2022-04")[1]

    raised = record_findings(engine, [*findings(), changed, next_month])

    assert [(r.subject, r.period) for r in raised] == [
        ("tax 2022-03: 15 rows held", "2022-03"),
        ("statistics 2022-04: 文件被拒收", "2022-04"),
    ]
    assert len(alert_rows(engine)) == 7


def test_finding_checks_its_severity() -> None:
    with pytest.raises(ValueError, match="severity"):
        Finding("error", "held_rows", "tax", "2022-03", "x", "y")
    a, b = findings()[0], findings()[0]
    assert a.fingerprint() == b.fingerprint() and len(a.fingerprint()) == 64


# --- the message --------------------------------------------------------------------


def as_rows(items: list[Finding]) -> list[AlertRow]:
    return [
        AlertRow(
            str(i),
            datetime.now(UTC),
            f.severity,
            f.kind,
            f.source,
            f.period,
            f.subject,
            f.message,
            f.fingerprint(),
        )
        for i, f in enumerate(items)
    ]


def test_one_message_groups_counts_worst_first_and_links_data_docs() -> None:
    title, body = compose_message(as_rows(findings()), period="2022-03", data_docs_url=DOCS)

    assert title == "【濉溪县工业经济监测】2022-03 数据质量告警：2 严重 / 2 警告 / 1 提示"
    assert "共 5 条" in body
    assert "文件被拒收 file_refused：1" in body
    assert "数据行被暂存 held_rows：2" in body
    examples = [line for line in body.splitlines() if line[:2] in {f"{n}." for n in range(10)}]
    assert [line.split("]")[0].split("[")[1] for line in examples] == [
        "严重",
        "严重",
        "警告",
        "警告",
        "提示",
    ]
    assert "统计表 单位应为千元" in body
    assert body.splitlines()[-1] == f"数据质量报告 (Data Docs)：{DOCS}"


def test_a_long_list_shows_ten_examples_and_says_how_many_more() -> None:
    many = [
        Finding("warning", "held_rows", "tax", "2022-03", f"tax row {n}", "held") for n in range(14)
    ]
    many.append(Finding("critical", "file_refused", "tax", "2022-03", "tax refused", "unit"))
    _title, body = compose_message(as_rows(many), period="2022-03", data_docs_url=None)

    assert "1. [严重] tax refused — unit" in body
    assert "10. [警告]" in body and "11. [" not in body
    assert "另有 5 条" in body
    assert "Data Docs" not in body


# --- delivery -----------------------------------------------------------------------


def hook_url(port: int, path: str = "alerts") -> str:
    return f"json://indmon:{HOOK_SECRET}@127.0.0.1:{port}/{path}"


def mail_url(port: int) -> str:
    return (
        f"mailto://alerts:{MAIL_SECRET}@127.0.0.1:{port}"
        "?from=indmon@example.org&to=bureau@example.org&name=indmon"
    )


def email_text(data: bytes) -> str:
    message = email.message_from_bytes(data, policy=email.policy.default)
    part = message.get_body(preferencelist=("plain", "html"))
    assert part is not None
    return str(part.get_content())


def test_one_message_reaches_the_webhook_and_the_smtp_server(
    engine: sa.Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    raised = record_findings(engine, findings())
    with webhook_server() as (hport, hook), smtp_server() as (sport, mail):
        result = deliver(
            engine,
            raised,
            [hook_url(hport), mail_url(sport)],
            period="2022-03",
            data_docs_url=DOCS,
            attempts=3,
            backoff_seconds=0,
        )

    assert result.ok and result.attempts == 2
    assert len(hook.requests) == 1
    request = hook.requests[0]
    assert request["path"] == "/alerts"
    auth = str(request["headers"]["Authorization"])
    assert base64.b64decode(auth.split()[1]).decode() == f"indmon:{HOOK_SECRET}"
    payload = json.loads(request["body"])
    assert (
        payload["title"] == "【濉溪县工业经济监测】2022-03 数据质量告警：2 严重 / 2 警告 / 1 提示"
    )
    assert "共 5 条" in payload["message"] and DOCS in payload["message"]
    assert "统计表 单位应为千元，文件写的是元" in payload["message"]

    assert len(mail.requests) == 1
    received = mail.requests[0]
    assert received["auth"] == ("alerts", MAIL_SECRET)
    assert received["rcpt"] == ["<bureau@example.org>"]
    message = email.message_from_bytes(received["data"], policy=email.policy.default)
    assert message["Subject"] == payload["title"]
    text = email_text(received["data"])
    assert "共 5 条" in text and "统计表 单位应为千元，文件写的是元" in text
    assert DOCS in text

    rows = alert_rows(engine)
    assert len(rows) == 5
    for row in rows:
        assert row.delivered_to == (
            f"json://indmon:****@127.0.0.1:{hport}/alerts,"
            f"mailto://alerts:****@127.0.0.1:{sport}/bureau%40example.org"
        )
        assert row.delivered_at is not None
        assert row.delivery_attempts == 2
        assert row.delivery_error is None
    assert HOOK_SECRET not in caplog.text and MAIL_SECRET not in caplog.text


def test_a_refusing_channel_is_retried_and_recorded_while_the_other_succeeds(
    engine: sa.Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    raised = record_findings(engine, findings())
    dead = closed_port()
    with webhook_server(status=500) as (hport, hook), smtp_server() as (sport, mail):
        urls = [hook_url(hport), mail_url(sport), hook_url(dead, "closed")]
        result = deliver(
            engine,
            raised,
            urls,
            period="2022-03",
            data_docs_url=DOCS,
            attempts=3,
            backoff_seconds=0,
        )

    assert len(hook.requests) == 3
    assert len(mail.requests) == 1
    assert not result.ok
    assert result.delivered == (f"mailto://alerts:****@127.0.0.1:{sport}/bureau%40example.org",)
    assert set(result.failed) == {
        f"json://indmon:****@127.0.0.1:{hport}/alerts",
        f"json://indmon:****@127.0.0.1:{dead}/closed",
    }
    assert result.attempts == 7
    for row in alert_rows(engine):
        assert row.delivered_to == f"mailto://alerts:****@127.0.0.1:{sport}/bureau%40example.org"
        assert row.delivered_at is not None
        assert row.delivery_attempts == 7
        assert row.delivery_error is not None
        assert f"json://indmon:****@127.0.0.1:{hport}/alerts: 3 次尝试均失败" in row.delivery_error
        assert "500" in row.delivery_error
        assert f"127.0.0.1:{dead}/closed: 3 次尝试均失败" in row.delivery_error
        assert HOOK_SECRET not in row.delivery_error
    assert HOOK_SECRET not in caplog.text and MAIL_SECRET not in caplog.text


def test_every_channel_down_leaves_alerts_undelivered_without_raising(engine: sa.Engine) -> None:
    raised = record_findings(engine, findings())
    result = deliver(
        engine, raised, [hook_url(closed_port())], period="2022-03", attempts=2, backoff_seconds=0
    )

    assert result.delivered == () and result.attempts == 2
    assert len(undelivered_alerts(engine, period="2022-03")) == 5
    assert all(row.delivery_attempts == 2 for row in alert_rows(engine))


def test_no_urls_sends_nothing_and_leaves_rows_alone(engine: sa.Engine) -> None:
    raised = record_findings(engine, findings())
    result = deliver(engine, raised, [], period="2022-03", data_docs_url=DOCS)

    assert result.ok and result.attempts == 0 and result.delivered == ()
    assert all(
        (r.delivered_to, r.delivered_at, r.delivery_attempts) == (None, None, 0)
        for r in alert_rows(engine)
    )
    assert len(undelivered_alerts(engine)) == 5


def test_an_unusable_url_is_a_recorded_failure(engine: sa.Engine) -> None:
    raised = record_findings(engine, findings()[:1])
    result = deliver(engine, raised, ["nosuchscheme://user:pw-secret@example"], period="2022-03")

    assert list(result.failed) == ["nosuchscheme://user:****@example"]
    row = alert_rows(engine)[0]
    assert row.delivery_error is not None and "pw-secret" not in row.delivery_error


# --- URLs ---------------------------------------------------------------------------


def test_parse_alert_urls() -> None:
    assert parse_alert_urls(None) == [] and parse_alert_urls("  ") == []
    assert parse_alert_urls(" json://127.0.0.1:1/a , ,mailto://x@example.org ") == [
        "json://127.0.0.1:1/a",
        "mailto://x@example.org",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "dingtalk://0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef/",
        "dingtalk://SEC0123456789abcdef@0123456789abcdef0123456789abcdef0123456789abcdef012345/",
        "wecombot://0a1b2c3d-4e5f-6789-abcd-ef0123456789",
        "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ",
        "form://127.0.0.1:8080/hook",
        "mailtos://user:pass@mail.example.org?to=bureau@example.org",
    ],
)
def test_chinese_group_robots_and_other_schemes_are_accepted(url: str) -> None:
    assert apprise.Apprise().add(url) is True  # adding sends nothing


def test_masked_urls_keep_no_secret() -> None:
    token = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    assert token not in mask_url(f"dingtalk://{token}/")
    assert "0a1b2c3d" not in mask_url("wecombot://0a1b2c3d-4e5f-6789-abcd-ef0123456789")
    assert mask_url("json://u:p4ss@127.0.0.1:9/x?token=abcdef") == "json://u:****@127.0.0.1:9/x"
    assert "TIiajkdnlazkcOXrIdevi7FQ" not in mask_url(
        "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ"
    )
