"""One message per load: counts by severity and kind, the worst examples, the Data Docs link."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from indmon.alerts.model import KIND_LABELS, SEVERITIES, SEVERITY_LABELS, AlertRow, severity_rank

HEADING = "濉溪县工业经济监测"
MAX_EXAMPLES = 10
MAX_DETAIL_LINES = 4  # of each shown alert's message: the worst rows behind it
MAX_LINE = 160


def compose_message(
    alerts: Sequence[AlertRow],
    *,
    period: str | None,
    data_docs_url: str | None,
    heading: str = HEADING,
) -> tuple[str, str]:
    """The (title, body) of the one message for a load's alerts, Chinese first.

    The title counts alerts by severity; the body gives the counts by severity and by
    kind, then at most ten examples, critical before warning before info, then a line
    pointing to the Data Docs page when ``data_docs_url`` is given.
    """
    by_severity = Counter(a.severity for a in alerts)
    worst = min((severity_rank(a.severity) for a in alerts), default=len(SEVERITIES) - 1)
    what = "数据质量告警" if worst < severity_rank("info") else "数据质量提示"
    counts = " / ".join(
        f"{by_severity[s]} {SEVERITY_LABELS[s]}" for s in SEVERITIES if by_severity[s]
    )
    when = f"{period} " if period else ""
    title = f"【{heading}】{when}{what}：{counts or '无'}"

    lines = [
        f"{when}共 {len(alerts)} 条 (alerts)："
        + "，".join(f"{SEVERITY_LABELS[s]} {s} {by_severity[s]}" for s in SEVERITIES),
        "",
        "按类型 (by kind)：",
    ]
    by_kind = Counter(a.kind for a in alerts)
    for kind, count in sorted(by_kind.items(), key=lambda item: (-item[1], item[0])):
        label = KIND_LABELS.get(kind)
        lines.append(f"- {label} {kind}：{count}" if label else f"- {kind}：{count}")

    ordered = sorted(alerts, key=lambda a: severity_rank(a.severity))
    lines += ["", "最严重的 (worst first)："]
    for number, item in enumerate(ordered[:MAX_EXAMPLES], start=1):
        lines.append(_clip(f"{number}. [{SEVERITY_LABELS[item.severity]}] {_example(item)}"))
        lines += [_clip(f"   {line.strip()}") for line in _details(item)]
    if len(ordered) > MAX_EXAMPLES:
        lines.append(f"……另有 {len(ordered) - MAX_EXAMPLES} 条，见 alert 表 (more in table alert)")
    if data_docs_url:
        lines += ["", f"数据质量报告 (Data Docs)：{data_docs_url}"]
    return title, "\n".join(lines)


def _example(item: AlertRow) -> str:
    detail = next((line.strip() for line in item.message.splitlines() if line.strip()), "")
    if not detail or detail == item.subject:
        return item.subject
    return f"{item.subject} — {detail}"


def _details(item: AlertRow) -> list[str]:
    """The message's lines after the first (shown with the subject), at most a few."""
    rest = [line for line in item.message.splitlines() if line.strip()][1:]
    return rest[:MAX_DETAIL_LINES]


def _clip(line: str) -> str:
    return line if len(line) <= MAX_LINE else line[: MAX_LINE - 1] + "…"
