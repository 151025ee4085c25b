"""Sending a load's alerts as one message to every configured Apprise URL, with retries."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import apprise
import sqlalchemy as sa

from indmon.alerts.compose import compose_message
from indmon.alerts.model import AlertRow, severity_rank
from indmon.alerts.secrets import mask_url, scrub, scrubbed_logs, url_secrets
from indmon.alerts.store import record_delivery

SERVICE_TIMEOUT_SECONDS = 30
_NOTIFY_TYPES = (apprise.NotifyType.FAILURE, apprise.NotifyType.WARNING, apprise.NotifyType.INFO)


@dataclass(frozen=True)
class DeliveryResult:
    """What one delivery did; channels are named by their masked URLs."""

    title: str = ""
    body: str = ""
    delivered: tuple[str, ...] = ()
    failed: dict[str, str] = field(default_factory=dict)
    attempts: int = 0

    @property
    def ok(self) -> bool:
        """Whether no channel failed (also true when there was nothing to send)."""
        return not self.failed


def deliver(
    engine: sa.Engine,
    alerts: Sequence[AlertRow],
    urls: Sequence[str],
    *,
    period: str | None,
    data_docs_url: str | None = None,
    attempts: int = 3,
    backoff_seconds: float = 0.5,
) -> DeliveryResult:
    """Send the alerts as one composed message to each URL and record the outcome.

    Each URL is its own Apprise channel, tried up to ``attempts`` times with a doubling
    backoff. The alert rows get ``delivered_to`` (masked URLs that accepted the message),
    ``delivered_at``, ``delivery_attempts`` and ``delivery_error`` (masked). A failed
    channel never raises. Without alerts or URLs nothing is sent and no row changes.
    """
    urls = [url.strip() for url in urls if url and url.strip()]
    if not alerts or not urls:
        return DeliveryResult()
    title, body = compose_message(alerts, period=period, data_docs_url=data_docs_url)
    worst = min(severity_rank(a.severity) for a in alerts)
    secrets = set().union(*(url_secrets(url) for url in urls))
    delivered: list[str] = []
    failed: dict[str, str] = {}
    total = 0
    with scrubbed_logs(secrets) as messages:
        for url in urls:
            name = mask_url(url)
            error, tries = _send(
                url, title, body, _NOTIFY_TYPES[worst], attempts, backoff_seconds, messages
            )
            total += tries
            if error is None:
                delivered.append(name)
            else:
                failed[name] = scrub(error, secrets)
    error_text = "; ".join(f"{name}: {error}" for name, error in failed.items()) or None
    record_delivery(
        engine,
        [a.alert_id for a in alerts],
        delivered_to=delivered,
        attempts=total,
        error=error_text,
        now=datetime.now(UTC),
    )
    return DeliveryResult(title, body, tuple(delivered), failed, total)


def _send(
    url: str,
    title: str,
    body: str,
    notify_type: apprise.NotifyType,
    attempts: int,
    backoff_seconds: float,
    messages: list[str],
) -> tuple[str | None, int]:
    """(None, tries) when the channel accepted the message, else (the last error, tries)."""
    asset = apprise.AppriseAsset(storage_mode="memory", service_timeout=SERVICE_TIMEOUT_SECONDS)
    channel = apprise.Apprise(asset=asset)
    try:
        added = channel.add(url)
    except Exception as exc:
        added = False
        messages.append(f"{type(exc).__name__}: {exc}")
    if not added:
        return "Apprise 不支持此 URL (not a valid Apprise URL)", 0
    error = "未知错误 (unknown error)"
    tries = max(1, attempts)
    for attempt in range(1, tries + 1):
        messages.clear()
        try:
            if channel.notify(
                body=body,
                title=title,
                notify_type=notify_type,
                body_format=apprise.NotifyFormat.TEXT,
            ):
                return None, attempt
            reason = " / ".join(dict.fromkeys(messages)) or "notify() returned False"
        except Exception as exc:  # a plugin crash is a failed attempt, never the load's
            reason = f"{type(exc).__name__}: {exc}"
        error = f"{attempt} 次尝试均失败 (failed {attempt}x): {reason}"
        if attempt < tries and backoff_seconds > 0:
            time.sleep(backoff_seconds * 2 ** (attempt - 1))
    return error, tries
