"""QR codes drawn by the server (no script, no external service), shared by every check-in."""

import io

import segno
from django.utils.safestring import mark_safe


def qr_svg(data: str, *, title: str, scale: int = 5) -> str:
    """Inline SVG, ready to place in a page."""
    code = segno.make(data, error="m")
    return mark_safe(code.svg_inline(scale=scale, title=title, svgclass="qr-code", lineclass=None))


def qr_png(data: str, *, scale: int = 6) -> bytes:
    """PNG bytes, for email attachments."""
    output = io.BytesIO()
    segno.make(data, error="m").save(output, kind="png", scale=scale)
    return output.getvalue()
