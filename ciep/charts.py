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
