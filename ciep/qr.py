"""QR codes drawn by the server as inline SVG (no script, no external service)."""

import segno
from django.utils.safestring import mark_safe


def qr_svg(data: str, *, title: str, scale: int = 5) -> str:
    code = segno.make(data, error="m")
    return mark_safe(code.svg_inline(scale=scale, title=title, svgclass="qr-code", lineclass=None))
