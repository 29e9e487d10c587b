"""QR codes of registrations: they carry the check-in page's address with the code filled in,
so that an organiser's phone camera opens the check-in page ready to confirm."""

import io

import segno
from django.urls import reverse
from django.utils.http import urlencode

from ciep.mail import site_url


def check_in_url(code: str) -> str:
    return f"{site_url()}{reverse('forums:check_in')}?{urlencode({'code': code})}"


def qr_svg(registration) -> str:
    """An inline SVG (no XML declaration) of the registration's QR code."""
    output = io.BytesIO()
    segno.make(check_in_url(registration.code), error="m").save(
        output, kind="svg", scale=5, xmldecl=False, svgns=True, title=registration.code
    )
    return output.getvalue().decode()


def qr_png(registration) -> bytes:
    output = io.BytesIO()
    segno.make(check_in_url(registration.code), error="m").save(output, kind="png", scale=6)
    return output.getvalue()
