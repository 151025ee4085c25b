"""What an alert is: a check's finding before it is stored, and the stored row."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

SEVERITIES = ("critical", "warning", "info")
"""Severities, worst first."""

SEVERITY_LABELS = {"critical": "严重", "warning": "警告", "info": "提示"}

KIND_LABELS = {
    "file_refused": "文件被拒收",
    "held_rows": "数据行被暂存",
    "source_late": "数据未按时报送",
    "dq_failed": "数据质量检查未通过",
}
"""Chinese names of the kinds the flows raise; other kinds are shown as they are."""

MAX_KIND = 48
MAX_SOURCE = 16
MAX_SUBJECT = 200


def severity_rank(severity: str) -> int:
    """0 for critical, 1 for warning, 2 for info: sorts the worst first."""
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Finding:
    """What a check found, before it is an alert."""

    severity: str
    kind: str
    source: str | None
    period: str | None
    subject: str
    message: str

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")
        if not self.kind or len(self.kind) > MAX_KIND:
            raise ValueError(f"kind must be 1..{MAX_KIND} characters: {self.kind!r}")
        if self.source is not None and len(self.source) > MAX_SOURCE:
            raise ValueError(f"source must be at most {MAX_SOURCE} characters: {self.source!r}")

    def fingerprint(self) -> str:
        """sha256 over (kind, source, period, subject, message): a changed finding differs."""
        payload = [self.kind, self.source, self.period, self.subject, self.message]
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AlertRow:
    """One row of the ``alert`` table."""

    alert_id: str
    raised_at: datetime
    severity: str
    kind: str
    source: str | None
    period: str | None
    subject: str
    message: str
    fingerprint: str
    delivered_to: str | None = None
    delivered_at: datetime | None = None
    delivery_attempts: int = 0
    delivery_error: str | None = None

    @classmethod
    def from_mapping(cls, row: Any) -> AlertRow:
        """An ``AlertRow`` from a result row's mapping (``row._mapping``)."""
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})
