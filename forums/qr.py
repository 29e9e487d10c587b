"""QR codes of registrations: they carry the check-in page's address with the code filled in,
so that an organiser's phone camera opens the check-in page ready to confirm."""

from django.urls import reverse
from django.utils.http import urlencode

from ciep import qr
from ciep.mail import site_url


def check_in_url(code: str) -> str:
    return f"{site_url()}{reverse('forums:check_in')}?{urlencode({'code': code})}"


def qr_svg(registration) -> str:
    """An inline SVG of the registration's QR code."""
    return qr.qr_svg(check_in_url(registration.code), title=registration.code)


def qr_png(registration) -> bytes:
    return qr.qr_png(check_in_url(registration.code))
