"""The report's charts: Altair specifications rendered offline to SVG by ``vl-convert``.

vl-convert embeds the Vega and Vega-Lite JavaScript and a renderer, so drawing needs no
browser and no network (remote data is refused outright). Text in the SVG names a font
stack of common CJK system fonts; the reader's machine supplies the glyphs.
"""

from __future__ import annotations

import re
from typing import Any

import altair as alt
import vl_convert

from indmon.report.model import Chart

FONT = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Microsoft YaHei", '
    '"PingFang SC", "SimHei", sans-serif'
)
WIDTH = 400
YEAR_COLOURS = ("#9aa5b1", "#1f5fa8")  # last year grey, this year blue
_SIZE = re.compile(r'<svg[^>]*?\swidth="(\d+(?:\.\d+)?)"[^>]*?\sheight="(\d+(?:\.\d+)?)"')


def _vega_lite_version() -> str:
    """The Vega-Lite version Altair writes (``v6.4.1`` → ``6.4``), for vl-convert."""
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return f"{major}.{minor}"


def render_svg(chart: alt.TopLevelMixin) -> tuple[str, int, int]:
    """Render ``chart`` to SVG offline; the SVG with its width and height in pixels."""
    spec = chart.to_dict()
    svg = vl_convert.vegalite_to_svg(
        spec, vl_version=_vega_lite_version(), allowed_base_urls=[], format_locale="zh-CN"
    )
    size = _SIZE.search(svg)
    if size is None:
        raise ValueError("vl-convert returned an SVG without width and height")
    return svg, round(float(size.group(1))), round(float(size.group(2)))


def _configured(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(font=FONT, background="white").configure_view(stroke=None)


def _drawn(chart_id: str, title: str, chart: alt.TopLevelMixin, note: str = "") -> Chart:
    svg, width, height = render_svg(_configured(chart))
    return Chart(chart_id, title, svg, width, height, note)


def not_drawn(chart_id: str, title: str, note: str) -> Chart:
    """A chart slot with only a note (no data yet, or its mart is not loaded)."""
    return Chart(chart_id, title, None, note=note)


def monthly_against_last_year(
    chart_id: str, title: str, unit_label: str, points: list[dict[str, Any]]
) -> Chart:
    """This year's and last year's monthly figure, month by month (``month``, ``year``,
    ``value`` in display units)."""
    if not points:
        return not_drawn(chart_id, title, "暂无数据")
    years = sorted({p["year"] for p in points})
    chart = (
        alt.Chart(alt.Data(values=points))
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X(
                "month:O", title="月份", axis=alt.Axis(labelExpr="datum.value + '月'", labelAngle=0)
            ),
            y=alt.Y("value:Q", title=unit_label, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "year:N",
                title="年份",
                scale=alt.Scale(domain=years, range=list(YEAR_COLOURS[-len(years) :])),
            ),
        )
        .properties(width=WIDTH, height=220, title=title)
    )
    return _drawn(chart_id, title, chart)


def ytd_growth(chart_id: str, title: str, points: list[dict[str, Any]]) -> Chart:
    """Year-to-date growth (%) by month, one line per indicator (``month``, ``name``,
    ``growth``)."""
    if not points:
        return not_drawn(chart_id, title, "本年尚无统计数据（1月与2月合并报送）")
    chart = (
        alt.Chart(alt.Data(values=points))
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X(
                "month:O",
                title="月份",
                axis=alt.Axis(labelExpr="'1-' + datum.value + '月'", labelAngle=0),
            ),
            y=alt.Y("growth:Q", title="累计同比增长（%）", scale=alt.Scale(zero=False)),
            color=alt.Color("name:N", title="指标"),
        )
        .properties(width=WIDTH, height=220, title=title)
    )
    return _drawn(chart_id, title, chart)


def target_progress(chart_id: str, title: str, points: list[dict[str, Any]]) -> Chart:
    """Completion of each county target as % of its floor (``name``, ``completion``,
    ``status``, ``expected`` = the time-elapsed mark for count and value targets)."""
    if not points:
        return not_drawn(chart_id, title, "本年尚无可比较的目标")
    base = alt.Chart(alt.Data(values=points))
    bars = base.mark_bar(height=14).encode(
        y=alt.Y("name:N", title=None, sort=None),
        x=alt.X("completion:Q", title="完成保底目标的比例（%）"),
        color=alt.Color(
            "status:N",
            title="状态",
            scale=alt.Scale(
                domain=["超序时进度", "达序时进度", "落后序时进度", "暂无数据"],
                range=["#1b7f3b", "#4f8fd1", "#c0392b", "#bbbbbb"],
            ),
        ),
    )
    expected = base.mark_tick(color="#333", thickness=2, size=20).encode(
        y=alt.Y("name:N", sort=None), x="expected:Q"
    )
    full = (
        alt.Chart(alt.Data(values=[{"full": 100}]))
        .mark_rule(color="#333", strokeDash=[4, 3])
        .encode(x="full:Q")
    )
    chart = alt.layer(bars, expected, full).properties(
        width=WIDTH, height=max(60, 26 * len(points)), title=title
    )
    return _drawn(chart_id, title, chart, "竖虚线：保底目标；短黑线：序时进度（计数、数值类目标）")


def region_ranking(
    chart_id: str, title: str, axis_title: str, points: list[dict[str, Any]], note: str = ""
) -> Chart:
    """Towns and parks as horizontal bars, best first (``name``, ``figure``, ``rank``)."""
    if not points:
        return not_drawn(chart_id, title, "暂无可排名的乡镇（园区）")
    chart = (
        alt.Chart(alt.Data(values=points))
        .mark_bar()
        .encode(
            y=alt.Y("name:N", title=None, sort=alt.EncodingSortField("rank", order="ascending")),
            x=alt.X("figure:Q", title=axis_title),
            color=alt.condition(alt.datum.figure < 0, alt.value("#c0392b"), alt.value("#1f5fa8")),
        )
        .properties(width=WIDTH, height=22 * len(points), title=title)
    )
    return _drawn(chart_id, title, chart, note)
