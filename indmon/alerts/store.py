"""Recording findings as alert rows (deduplicated by fingerprint) and delivery outcomes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa

from indmon.alerts.model import MAX_SUBJECT, AlertRow, Finding
from warehouse.bulk import insert_absent
from warehouse.tables import alert

_CHUNK = 500


def record_findings(
    engine: sa.Engine, findings: Sequence[Finding], *, now: datetime | None = None
) -> list[AlertRow]:
    """Store each finding not yet recorded (same fingerprint) and return the new alert rows.

    The fingerprint covers kind, source, period, subject and message, so the same finding
    for the same period is raised once across runs, and a changed one is raised again.
    Duplicates within ``findings`` are raised once. The returned rows are the ones to send.
    """
    raised_at = now or datetime.now(UTC)
    unique: dict[str, Finding] = {}
    for finding in findings:
        unique.setdefault(finding.fingerprint(), finding)
    if not unique:
        return []
    with engine.begin() as connection:
        known = _known_fingerprints(connection, list(unique))
        new = [
            AlertRow(
                alert_id=str(uuid.uuid4()),
                raised_at=raised_at,
                severity=finding.severity,
                kind=finding.kind,
                source=finding.source,
                period=finding.period,
                subject=_clip(finding.subject, MAX_SUBJECT),
                message=finding.message,
                fingerprint=fingerprint,
            )
            for fingerprint, finding in unique.items()
            if fingerprint not in known
        ]
        # Insert-if-absent: a concurrent run may have stored the same finding meanwhile.
        rows = [_values(row) for row in new]
        inserted = {key for (key,) in insert_absent(connection, alert, rows, ["fingerprint"])}
    return [row for row in new if row.fingerprint in inserted]


def undelivered_alerts(engine: sa.Engine, *, period: str | None = None) -> list[AlertRow]:
    """Alert rows never delivered to any channel (of ``period`` when given), oldest first."""
    query = sa.select(alert).where(alert.c.delivered_at.is_(None))
    if period is not None:
        query = query.where(alert.c.period == period)
    with engine.connect() as connection:
        result = connection.execute(query.order_by(alert.c.raised_at, alert.c.alert_id))
        return [AlertRow.from_mapping(row._mapping) for row in result]


def record_delivery(
    engine: sa.Engine,
    alert_ids: Sequence[str],
    *,
    delivered_to: Sequence[str],
    attempts: int,
    error: str | None,
    now: datetime | None = None,
) -> None:
    """Note one delivery on the alert rows: masked channels reached, attempts, masked error.

    ``delivered_to`` and ``delivered_at`` are only set when a channel accepted the
    message (an earlier success is kept otherwise); attempts add up over deliveries.
    """
    if not alert_ids:
        return
    values: dict[str, object] = {
        "delivery_attempts": alert.c.delivery_attempts + attempts,
        "delivery_error": error,
    }
    if delivered_to:
        values["delivered_to"] = ",".join(delivered_to)
        values["delivered_at"] = now or datetime.now(UTC)
    with engine.begin() as connection:
        for start in range(0, len(alert_ids), _CHUNK):
            chunk = list(alert_ids[start : start + _CHUNK])
            connection.execute(alert.update().where(alert.c.alert_id.in_(chunk)).values(values))


def _known_fingerprints(connection: sa.Connection, fingerprints: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(fingerprints), _CHUNK):
        chunk = fingerprints[start : start + _CHUNK]
        query = sa.select(alert.c.fingerprint).where(alert.c.fingerprint.in_(chunk))
        known.update(connection.execute(query).scalars())
    return known


def _values(row: AlertRow) -> dict[str, object]:
    return {name: getattr(row, name) for name in AlertRow.__dataclass_fields__}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
