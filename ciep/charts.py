"""Accessible bar charts drawn by the server as SVG: they print and need no JavaScript."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 210
CHART_WIDTH = 640


def bar_chart(rows: list[tuple[str, int]], *, title: str, chart_id: str) -> str:
    """A horizontal bar chart of ``rows`` (label, value); the numbers are written beside."""
    if not rows:
        return ""
    top = max(value for _label, value in rows) or 1
    bar_space = CHART_WIDTH - LABEL_WIDTH - 70
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg class="bar-chart" viewBox="0 0 {CHART_WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = max(1, round(bar_space * value / top)) if value else 0
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(
            f'<g><text class="bar-label" x="{LABEL_WIDTH - 8}" y="{y + 15}" '
            f'text-anchor="end">{escape(short)}</text>'
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}">'
            f"<title>{escape(label)}: {value}</title></rect>"
            f'<text class="bar-value" x="{LABEL_WIDTH + width + 6}" y="{y + 15}">{value}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


TREND_WIDTH = 320
TREND_HEIGHT = 120
TREND_PAD = 24


def trend_chart(points: list[tuple[str, int]], *, title: str, chart_id: str) -> str:
    """A line through ``points`` (label, value), oldest first, with each value written above
    its point and its label below: one figure over editions."""
    if not points:
        return ""
    top = max(value for _label, value in points) or 1
    inner_width = TREND_WIDTH - 2 * TREND_PAD
    inner_height = TREND_HEIGHT - 2 * TREND_PAD
    step = inner_width / (len(points) - 1) if len(points) > 1 else 0
    coordinates = [
        (
            round(TREND_PAD + (index * step if len(points) > 1 else inner_width / 2), 1),
            round(TREND_PAD + inner_height - inner_height * value / top, 1),
        )
        for index, (_label, value) in enumerate(points)
    ]
    parts = [
        f'<svg class="trend-chart" viewBox="0 0 {TREND_WIDTH} {TREND_HEIGHT}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    if len(coordinates) > 1:
        line = " ".join(f"{x},{y}" for x, y in coordinates)
        parts.append(f'<polyline class="trend-line" points="{line}"/>')
    for (label, value), (x, y) in zip(points, coordinates, strict=True):
        parts.append(
            f'<g><circle class="trend-point" cx="{x}" cy="{y}" r="3">'
            f"<title>{escape(label)}: {value}</title></circle>"
            f'<text class="trend-value" x="{x}" y="{y - 7}" text-anchor="middle">{value}</text>'
            f'<text class="trend-label" x="{x}" y="{TREND_HEIGHT - 6}" '
            f'text-anchor="middle">{escape(label)}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
