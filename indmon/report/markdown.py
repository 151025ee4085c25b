"""The report shortened to Markdown, for the Prefect artifact of each monthly load."""

from __future__ import annotations

from indmon.report.model import MonthlyReport


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(report: MonthlyReport, html_path: str | None = None) -> str:
    """Headline table, the working lists' counts and the quality summary."""
    lines = [f"# {report.title}", ""]
    lines += [f"- {line}" for line in report.summary]
    lines += [
        "",
        "## 主要指标",
        "",
        "| 指标 | 单位 | 本月 | 本年累计 | 本月同比% | 累计同比% | 年度目标 | 力争目标 | 状态 |",
        "|---|---|--:|--:|--:|--:|--:|--:|---|",
    ]
    for row in report.headline:
        cells = (
            row.name,
            row.unit,
            row.month,
            row.ytd,
            row.yoy,
            row.ytd_yoy,
            "；".join(t.floor for t in row.targets) or "—",
            "；".join(t.stretch for t in row.targets) or "—",
            "；".join(t.status_zh for t in row.targets) or "—",
        )
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines += ["", "## 重点工作清单", ""]
    for item in report.lists:
        lines.append(f"- {item.title}：{item.count} 家")
    quality = report.quality
    loaded = sum(1 for f in quality.files if f["status"] == "loaded")
    lines += [
        "",
        "## 数据质量",
        "",
        f"- 本月文件 {len(quality.files)} 个（已载入 {loaded}），暂缓载入 {quality.rows_held} 行",
    ]
    lines += [f"  - {h['source']}：{h['reason_zh']} {h['rows_held']} 行" for h in quality.held]
    lines.append(f"- 告警 {len(quality.alerts)} 条")
    lines.append(
        f"- 质量检查 {quality.checks_run} 项，未通过 {len(quality.checks_failed)} 项"
        if quality.checks_run
        else "- 本月尚无质量检查结果"
    )
    if html_path:
        lines += ["", f"完整月报（含图表）：`{html_path}`"]
    return "\n".join(lines) + "\n"
