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
    """A chart slot with only a note (nothing to draw yet, or no targets for the year)."""
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


STATUS_COLOURS = {
    "超序时进度": "#1b7f3b",
    "达序时进度": "#4f8fd1",
    "落后序时进度": "#c0392b",
    "暂无数据": "#bbbbbb",
}


def _target_panel(points: list[dict[str, Any]], axis_title: str, rule: float | None) -> Any:
    """Bars of one kind of target with its floor (black) and stretch (grey) marks."""
    height = 28 * len(points)
    base = alt.Chart(alt.Data(values=points)).encode(
        y=alt.Y(
            "name:N",
            title=None,
            sort=[p["name"] for p in points],
            axis=alt.Axis(labelLimit=260),
        )
    )
    bars = base.mark_bar(height=14).encode(
        x=alt.X("figure:Q", title=axis_title),
        color=alt.Color(
            "status:N",
            title="状态",
            scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
            legend=alt.Legend(orient="bottom", direction="horizontal"),
        ),
    )
    floor = base.mark_tick(color="#222", thickness=3, size=22).encode(x="floor_mark:Q")
    stretch = base.mark_tick(color="#888", thickness=2, size=22).encode(x="stretch_mark:Q")
    labels = base.mark_text(align="left", dx=5, fontSize=11, color="#333").encode(
        x=alt.X("label_at:Q"), text="text:N"
    )
    layers = [bars, floor, stretch, labels]
    if rule is not None:
        layers.insert(
            0,
            alt.Chart(alt.Data(values=[{"at": rule}]))
            .mark_rule(color="#555", strokeDash=[4, 3])
            .encode(x="at:Q"),
        )
    return alt.layer(*layers).properties(width=WIDTH - 60, height=height)


def target_progress(chart_id: str, title: str, points: list[dict[str, Any]]) -> Chart:
    """Each target against its floor and stretch: growth targets as the growth so far (%),
    count and value targets as the share of the floor done, their marks scaled to the year
    elapsed (``name``, ``status``, ``growth`` (bool), ``figure``, ``floor_mark``,
    ``stretch_mark``, ``text``)."""
    if not points:
        return not_drawn(chart_id, title, "本年尚无可比较的目标")
    placed = [
        {
            **p,
            "label_at": max(
                0.0, p["figure"] or 0.0, p["floor_mark"] or 0.0, p["stretch_mark"] or 0.0
            ),
        }
        for p in points
    ]
    panels = []
    growth = [p for p in placed if p["growth"]]
    if growth:
        panels.append(
            _target_panel(growth, "增长目标：累计增速（%）", None).properties(title="增速类目标")
        )
    shares = [p for p in placed if not p["growth"]]
    if shares:
        panels.append(
            _target_panel(
                shares, "数量、金额类目标：完成年度保底目标的比例（%）", 100.0
            ).properties(title="数量、金额类目标")
        )
    chart = alt.vconcat(*panels, spacing=24).properties(title=title)
    return _drawn(
        chart_id,
        title,
        chart,
        "黑色竖线：保底目标；灰色竖线：力争目标；数量、金额类目标的竖线按序时进度折算，"
        "虚线为全年保底目标（100%）",
    )


def region_ranking(
    chart_id: str,
    title: str,
    axis_title: str,
    points: list[dict[str, Any]],
    note: str = "",
) -> Chart:
    """Towns and parks as horizontal bars, best first, each with its figure written at the
    bar's end (``name``, ``figure``, ``rank``, ``text``)."""
    if not points:
        return not_drawn(chart_id, title, "暂无可排名的乡镇（园区）")
    base = alt.Chart(alt.Data(values=points)).encode(
        y=alt.Y(
            "name:N",
            title=None,
            sort=[p["name"] for p in sorted(points, key=lambda p: p["rank"])],
            axis=alt.Axis(labelLimit=200),
        ),
        x=alt.X("figure:Q", title=axis_title, scale=alt.Scale(nice=True)),
    )
    bars = base.mark_bar().encode(
        color=alt.condition(alt.datum.figure < 0, alt.value("#c0392b"), alt.value("#1f5fa8")),
    )
    positive = base.transform_filter(alt.datum.figure >= 0).mark_text(
        align="left", dx=3, fontSize=10, color="#333"
    )
    # A fall is written right of the zero line, clear of the names on the axis.
    negative = (
        base.transform_filter(alt.datum.figure < 0)
        .transform_calculate(zero="0")
        .mark_text(align="left", dx=3, fontSize=10, color="#c0392b")
        .encode(x="zero:Q")
    )
    chart = alt.layer(
        bars, positive.encode(text="text:N"), negative.encode(text="text:N")
    ).properties(width=WIDTH, height=22 * len(points), title=title)
    return _drawn(chart_id, title, chart, note)
