"""The report as one self-contained HTML page (Jinja2, autoescaped; charts inline SVG).

The page loads nothing: styles are inline, charts are SVG in the page, fonts are the
reader's own (a CJK font stack), and a Content-Security-Policy forbids any request.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined

from indmon.alerts.model import KIND_LABELS, SEVERITY_LABELS
from indmon.report.charts import FONT
from indmon.report.model import MonthlyReport

LEDGER_STATUS_ZH = {
    "loaded": "已载入",
    "unchanged": "未变化",
    "refused": "拒收",
    "not_loaded": "未载入",
}
#: The sources as the bureau names them (the catalogue's names are for the landing tree).
SOURCE_ZH = {
    "registry": "企业名录",
    "electricity": "电力·用电量",
    "tax": "税务·税收",
    "statistics": "统计·规上企业",
    "indicators": "统计·主要指标",
    "projects": "工业项目库",
    "targets": "年度目标",
}


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("indmon.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(report: MonthlyReport) -> str:
    """The report's page."""
    template = _environment().get_template("report.html.j2")
    return template.render(
        report=report,
        font=FONT,
        status_names=LEDGER_STATUS_ZH,
        severity_names=SEVERITY_LABELS,
        kind_names=KIND_LABELS,
        source_names=SOURCE_ZH,
    )
