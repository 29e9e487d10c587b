"""Whole-page caching for anonymous visitors, per language, invalidated on every change.

Most of an edition's visitors are not signed in and see the same pages. Those pages are cached
whole, keyed on the language, the address and the version of every area the page reads. Saving
or deleting any model of an app bumps that app's version (a change in the conference core
bumps every version, since editions and organisations appear everywhere), so the next visitor
gets a fresh page. Bulk writes that send no signals (``QuerySet.update``, ``bulk_create``) are
covered by ``generate_edition`` and ``seed_demo`` bumping everything, and by a short expiry.

Visitors with a session (signed in, or holding a preference such as a time zone) and every
request other than GET and HEAD always get a freshly rendered page.
"""

import hashlib
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

PROJECT_APPS = ("ciep", "exhibitions", "recruitment", "projects", "forums")
TIMEOUT = 120


def _version_key(app_label: str) -> str:
    return f"pagecache:version:{app_label}"


def versions(labels) -> str:
    keys = [_version_key(label) for label in labels]
    found = cache.get_many(keys)
    missing = {key: 1 for key in keys if key not in found}
    if missing:
        cache.set_many(missing, None)
        found.update(missing)
    return ".".join(str(found[key]) for key in keys)


def bump(app_label: str) -> None:
    labels = PROJECT_APPS if app_label == "ciep" else (app_label,)
    for label in labels:
        try:
            cache.incr(_version_key(label))
        except ValueError:
            cache.set(_version_key(label), 2, None)


def bump_all() -> None:
    bump("ciep")


def cache_for_visitors(*app_labels: str, timeout: int = TIMEOUT):
    """Cache a view's page for anonymous visitors without a session; see the module doc."""
    labels = ("ciep", *app_labels)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if (
                request.method not in ("GET", "HEAD")
                or request.user.is_authenticated
                or settings.SESSION_COOKIE_NAME in request.COOKIES
            ):
                return view(request, *args, **kwargs)
            digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
            key = f"pagecache:{request.LANGUAGE_CODE}:{versions(labels)}:{digest}"
            cached = cache.get(key)
            if cached is not None:
                content, content_type = cached
                response = HttpResponse(content, content_type=content_type)
                response["X-Page-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if (
                response.status_code == 200
                and not response.cookies
                and not response.streaming
                # A page holding a CSRF token is personal: never share it.
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            ):
                cache.set(key, (response.content, response["Content-Type"]), timeout)
                response["X-Page-Cache"] = "miss"
            return response

        return wrapped

    return decorator


def _changed(sender, **kwargs):
    label = sender._meta.app_label
    if label in PROJECT_APPS:
        bump(label)


def connect_signals() -> None:
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            post_save.connect(
                _changed, sender=model, dispatch_uid=f"pagecache-save-{model._meta.label}"
            )
            post_delete.connect(
                _changed, sender=model, dispatch_uid=f"pagecache-delete-{model._meta.label}"
            )
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"pagecache-m2m-{model._meta.label}-{field.name}",
                )
