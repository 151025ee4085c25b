"""What a monthly load found, as findings to raise as alerts: one per subject, not per row.

- a refused file: critical;
- rows held back: a warning per source, counted by reason, with the first examples;
- a source not arrived by its day: a warning;
- a failed quality expectation: a warning per expectation.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from indmon.alerts import Finding
from indmon.freshness import LateSource
from schemas.reasons import BY_CODE
from warehouse.load import PeriodLoad

EXAMPLES = 5

#: Rows held by the contract's scope, not for a defect: kept in ``held_row`` and the
#: ledger, but no alert (individual businesses in the tax extract every month).
OUT_OF_SCOPE = ("not_an_enterprise",)
_IN_SCOPE = "reason NOT IN (" + ", ".join(f"'{reason}'" for reason in OUT_OF_SCOPE) + ")"

_HELD = f"""
SELECT reason, COUNT(*) AS held FROM held_row
WHERE source = :source AND period = :period AND {_IN_SCOPE}
GROUP BY reason ORDER BY COUNT(*) DESC, reason
"""
_EXAMPLES = f"""
SELECT file_name, row_number, reason, detail FROM held_row
WHERE source = :source AND period = :period AND {_IN_SCOPE}
ORDER BY file_name, row_number
"""


def refused_findings(loads: Sequence[PeriodLoad]) -> list[Finding]:
    """One critical finding per refused file."""
    return [
        Finding(
            "critical",
            "file_refused",
            load.source,
            load.period,
            f"{load.source} {load.period}: 文件被拒收 {f.file_name}",
            f.message or "",
        )
        for load in loads
        for f in load.files
        if f.status == "refused"
    ]


def held_findings(engine: sa.Engine, loads: Sequence[PeriodLoad]) -> list[Finding]:
    """One warning per loaded source-period that held rows back, counted by reason."""
    findings = []
    with engine.connect() as connection:
        for load in loads:
            if load.status != "loaded" or load.rows_held == 0:
                continue
            key = {"source": load.source, "period": load.period}
            counts = connection.execute(sa.text(_HELD), key).all()
            if not counts:
                continue
            held = sum(r.held for r in counts)
            examples = connection.execute(sa.text(_EXAMPLES), key).fetchmany(EXAMPLES)
            lines = [f"{BY_CODE[r.reason].zh}（{r.reason}）：{r.held} 行" for r in counts]
            lines += [f"  {e.file_name} 第{e.row_number}行：{e.detail}" for e in examples]
            findings.append(
                Finding(
                    "warning",
                    "held_rows",
                    load.source,
                    load.period,
                    f"{load.source} {load.period}: {held} 行未载入",
                    "\n".join(lines),
                )
            )
    return findings


def late_findings(late: Sequence[LateSource]) -> list[Finding]:
    """One warning per source not arrived by its day."""
    return [
        Finding(
            "warning",
            "source_late",
            s.source,
            s.period,
            f"{s.source} {s.period}: 未按期报送（应于 {s.due.isoformat()} 前）",
            f"No {s.source} file for {s.period} had landed by {s.due.isoformat()}.",
        )
        for s in late
    ]


def quality_findings(failed: Sequence[tuple[str, str, str | None]], period: str) -> list[Finding]:
    """One warning per failed expectation: (suite, expectation, observed value)."""
    return [
        Finding(
            "warning",
            "dq_failed",
            None,
            period,
            f"{period} 质量检查未通过：{suite} / {expectation}",
            f"observed: {observed}" if observed is not None else "",
        )
        for suite, expectation, observed in failed
    ]
