"""Whole-page caching for anonymous visitors, per language, invalidated on every change.

Most of an edition's visitors are not signed in and see the same pages. Those pages are cached
whole, keyed on the language, the address and the version of every area the page reads. Saving
or deleting any model of an app bumps that app's version (a change in the conference core
bumps every version, since editions and organisations appear everywhere), so the next visitor
gets a fresh page. Bulk writes that send no signals (``QuerySet.update``, ``bulk_create``) are
covered by ``generate_edition`` and ``seed_demo`` bumping everything, and by a short expiry.
A model that no page shows says so with ``shown_on_pages = False``; one whose some fields no
page shows names them in ``fields_not_on_pages`` (a sign-in saves only ``User.last_login``).

Visitors with a session (signed in, or holding a preference such as a time zone) and every
request other than GET and HEAD always get a freshly rendered page. For them, what every reader
shares is kept under the same versions: counted values (``shared``: the home page's counts, the
catalogue's facets, the current edition, the edition report; the ``shared_form`` template tag
keeps filter forms this way) and fragments (``rendered_fragments``: the cards of sessions,
exhibitors, jobs and projects, a booth's profile), around which a page adds what is personal.
"""

import hashlib
import time
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.template.loader import get_template
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

PROJECT_APPS = ("ciep", "exhibitions", "recruitment", "projects", "forums")
TIMEOUT = 120


# Versions are read from the shared cache at most once a second in each process: a change made
# in this process is seen at once (``bump`` forgets them), one made in another within a second.
VERSIONS_MAX_AGE = 1.0
_known: tuple[float, dict[str, int]] = (float("-inf"), {})


def _version_key(app_label: str) -> str:
    return f"pagecache:version:{app_label}"


def _fresh_version() -> int:
    """A first version that no page cached before can carry, even after the cache was emptied."""
    return time.time_ns() // 1000


def _current_versions() -> dict[str, int]:
    global _known
    read_at, known = _known
    now = time.monotonic()
    if now - read_at < VERSIONS_MAX_AGE:
        return known
    keys = {label: _version_key(label) for label in PROJECT_APPS}
    found = cache.get_many(keys.values())
    for key in keys.values():
        if key not in found:
            cache.add(key, _fresh_version(), None)  # another process may start it first
            found[key] = cache.get(key)
    known = {label: found[key] for label, key in keys.items()}
    _known = (now, known)
    return known


def forget_versions() -> None:
    """Read the versions from the shared cache next time (after a change, or a cleared cache)."""
    global _known
    _known = (float("-inf"), {})


def versions(labels) -> str:
    known = _current_versions()
    return ".".join(str(known[label]) for label in labels)


def bump(app_label: str) -> None:
    labels = PROJECT_APPS if app_label == "ciep" else (app_label,)
    for label in labels:
        try:
            cache.incr(_version_key(label))
        except ValueError:
            cache.add(_version_key(label), _fresh_version(), None)
    forget_versions()


def bump_all() -> None:
    bump("ciep")


def _reader_key(name: str, app_labels) -> str:
    """A key for what readers share: the language and time zone it is shown in, and the
    versions of the core and of the apps it reads."""
    labels = tuple(dict.fromkeys(("ciep", *app_labels)))
    where = f"{get_language()}:{timezone.get_current_timezone_name()}"
    return f"{name}:{where}:{versions(labels)}"


def shared(name: str, compute, *app_labels: str, timeout: int = TIMEOUT):
    """A value every reader shares (counts, figures, facets), kept until the apps it reads change.

    Keyed on the language (labels may be translated), the time zone and the versions of the
    core and of ``app_labels``; ``compute`` runs on the first read after a change.
    """
    key = _reader_key(f"shared:{name}", app_labels)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def rendered_fragments(
    template_name: str, objects, *app_labels: str, name: str = "object", prefetch=()
):
    """Each object with its HTML from ``template_name``, rendered once for every reader.

    For long lists (the programme's sessions) whose items are the same for everyone: the
    template gets only the object as ``name``, no request and no user, so nothing personal
    can end up in a fragment. Fragments are keyed like shared values, fetched in one round
    trip; what only the template reads (``prefetch``, as for ``prefetch_related``) is fetched
    for the objects whose fragment must be rendered, and for no other.
    """
    objects = list(objects)
    prefix = _reader_key(f"fragment:{template_name}", app_labels)
    keys = [f"{prefix}:{obj.pk}" for obj in objects]
    found = cache.get_many(keys)
    to_render = [(obj, key) for obj, key in zip(objects, keys, strict=True) if key not in found]
    if to_render:
        prefetch_related_objects([obj for obj, _key in to_render], *prefetch)
        template = get_template(template_name)
        rendered = {key: str(template.render({name: obj})) for obj, key in to_render}
        cache.set_many(rendered, TIMEOUT)
        found.update(rendered)
    # Rendered by the project's own templates, which escape what they print.
    return [(obj, mark_safe(found[key])) for obj, key in zip(objects, keys, strict=True)]


def cache_for_visitors(*app_labels: str, timeout: int = TIMEOUT):
    """Cache a view's page for anonymous visitors without a session; see the module doc."""

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
            key = _reader_key(f"pagecache:{digest}", app_labels)
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


def _changed(sender, update_fields=None, **kwargs):
    # A model names what no page shows in ``fields_not_on_pages`` (the time of a sign-in): a
    # save of only those leaves every cached page as it is.
    if update_fields and update_fields <= getattr(sender, "fields_not_on_pages", frozenset()):
        return
    label = sender._meta.app_label
    if label in PROJECT_APPS:
        bump(label)


def connect_signals() -> None:
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            if not getattr(model, "shown_on_pages", True):
                continue
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


class PrivatePagesMiddleware:
    """A page drawn for a signed-in person is theirs alone: no shared cache (a proxy, a CDN)
    may keep it, and neither may the browser's disk (a computer shared at the fair). A view
    that says how it may be cached is left as it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
