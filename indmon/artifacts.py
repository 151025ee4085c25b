"""What a run publishes to Prefect: a markdown report and the headline indicators.

Keys are lowercase with dashes, the same for every run, so the UI shows their history:
``load-report`` for the run's report, ``headline-indicators-<YYYY-MM>`` per period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from indmon.alerts import AlertRow
from warehouse.load import PeriodLoad

REPORT_KEY = "load-report"


def headline_key(period: str) -> str:
    """The artifact key of a period's headline indicators."""
    return f"headline-indicators-{period}"


def load_report(
    loads: Sequence[PeriodLoad], awaited: Sequence[tuple[str, str]], alerts: Sequence[AlertRow]
) -> str:
    """Markdown: each source-period's outcome (rows loaded and held), awaited sources, alerts."""
    lines = ["# Load report", ""]
    if loads:
        lines += [
            "| period | source | status | files | rows loaded | rows held |",
            "|---|---|---|---:|---:|---:|",
        ]
        for load in loads:
            loaded = sum(f.rows_loaded for f in load.files)
            lines.append(
                f"| {load.period} | {load.source} | {load.status} | {len(load.files)} "
                f"| {loaded} | {load.rows_held} |"
            )
        refused = [f for load in loads for f in load.files if f.status == "refused"]
        lines += ["", *(f"- **refused** {f.file_name}: {f.message}" for f in refused)]
    else:
        lines.append("Nothing was delivered for the run's periods.")
    if awaited:
        lines += ["", "## Awaited", "", *(f"- {s} {p}: no file yet" for s, p in awaited)]
    lines += ["", f"## Alerts raised: {len(alerts)}", ""]
    lines += [f"- {a.severity} · {a.kind} · {a.subject}" for a in alerts]
    return "\n".join(lines).rstrip() + "\n"


def headline_table(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The headline indicators as table-artifact rows (figures rounded for reading)."""
    return [
        {
            "indicator": row["indicator"],
            "名称": row["name_zh"],
            "unit": row["unit"],
            **{
                name: None if row[name] is None else round(float(row[name]), 2)
                for name in ("value", "value_ytd", "yoy_pct", "ytd_yoy_pct")
            },
        }
        for row in rows
    ]
