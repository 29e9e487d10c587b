"""Which language a visitor reads: the address says it, else their choice, else their browser.

Chinese pages live under ``/zh-hans/``; the same address without the prefix is English. An
address with the prefix is an explicit choice and is always honoured. An address without it is
answered in the visitor's language when that is Chinese, by a redirect to the Chinese address:
a signed-in person's preferred language decides, then the language they last picked on this
browser (a cookie), then the browser's ``Accept-Language``. The language link of every page
goes through ``language_switch``, which records the pick (and a signed-in person's
preference), so someone who chose English is never sent back to Chinese.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from .models import Language
from .services import user_set_language

CHINESE = Language.CHINESE.django_code
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
# A year: the pick is a standing preference, like the language menu of any large site.
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600


def wanted_language(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.preferred_language:
        return user.interface_language
    return translation.get_language_from_request(request, check_path=False)


class LanguageNegotiationMiddleware:
    """Sends a Chinese reader whose browser asked for a page at an address without a language
    to its Chinese page (health checks, feeds and scripts, which do not ask for HTML, are
    answered where they asked)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and "text/html" in request.headers.get("Accept", "")
            and not request.path.startswith(f"/{CHINESE}/")
            and wanted_language(request) == CHINESE
        ):
            chinese = translate_url(request.get_full_path(), CHINESE)
            if chinese != request.get_full_path():
                response = HttpResponseRedirect(chinese)
                patch_vary_headers(response, ["Accept", "Accept-Language", "Cookie"])
                patch_cache_control(response, private=True, max_age=0)
                return response
        response = self.get_response(request)
        if not request.path.startswith(f"/{CHINESE}/"):
            # The same address may be answered by a redirect for a browser that reads Chinese:
            # a front cache must keep the English page apart from it.
            patch_vary_headers(response, ["Accept", "Accept-Language"])
        return response


@require_GET
def language_switch(request, language: str):
    """The page ``next`` in ``language``, remembered for this browser and the signed-in person."""
    if language not in LANGUAGE_CODES:
        language = settings.LANGUAGE_CODE
    target = request.GET.get("next", "/")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts=None
    ):
        target = "/"
    if request.user.is_authenticated:
        user_set_language(user=request.user, language=Language.from_django_code(language))
    with translation.override(translation.get_language_from_path(target) or "en"):
        translated = translate_url(target, language)
    response = HttpResponseRedirect(translated)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=LANGUAGE_COOKIE_MAX_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
