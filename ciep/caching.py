"""Whole-page caching for anonymous visitors, invalidated after commit by what a page shows.

Most of an edition's visitors are not signed in and see the same pages. Those pages are cached
whole, keyed on the language, the time zone, the address and the *versions* of what the page
shows. A version is a number in the shared cache, one per tag:

``gen:<app>``
    every page that reads the app (and ``gen:ciep`` is in every key). A change in the conference
    core (an edition, an organisation, a field, a delegation, a person's name) bumps
    ``gen:ciep`` and so refreshes everything, as editions and organisations appear everywhere;
    a change in an area whose edition cannot be told (a speaker, who has none) bumps its
    ``gen:<app>``.
``ed:<app>:<edition>``
    the pages of one edition that list the app's content (the catalogue, the programme, an
    edition's page and report, the home page for the current edition). A change to the 17th
    edition's booths leaves the 20th's catalogue cached.
``app:<app>``
    pages that list the app's content across editions (the job list, the project list).
``obj:<model>:<pk>``
    the page of one object (an exhibitor's booth page, a job, a project, a session) and its card
    in lists. Editing one exhibitor, its products, gallery or brochures bumps only its own
    version, plus the edition's and app's lists; the other booth pages stay cached.
``wide:<app>``
    what every object page of the app may show besides its object (halls and booths, sections,
    venues, competitions): a change to one of them refreshes the app's object pages.

A model says how its rows reach pages with class attributes: ``pages_edition`` (the lookup
path from a row to its edition, ``"edition"`` when the model has that field; ``None`` when
it has none), ``pages_object`` (``(model label, path to its pk)`` for rows that belong to one
object page, such as a product to its exhibitor; rows of other models reach ``wide:<app>``).
``shown_on_pages = False`` marks a model no public page shows: sessions, bookmarks, saved
jobs and searches, applications, check-ins, mail, audit entries (allauth's authenticators and
e-mail addresses and Django's sessions are outside the portal's apps and never counted).
``pages_counted`` (``(model label, path to its pk)``) marks personal rows that no page shows
but that one object's page counts: a session's registrations (its seats left and waiting
list), a booth's meetings (which of its slots are taken). A change to one refreshes that one
page and nothing else; with ``fields_on_pages`` it names what the count reads, so a check-in
refreshes nothing. ``fields_not_on_pages`` names fields no page shows (a
sign-in saves only ``User.last_login``; view counters are updated without signals);
``new_rows_on_pages = False`` says a new row shows nowhere until a public row links to it (a
new account), and ``fields_on_pages`` names the only fields pages show (an account's name: a
new password or preference refreshes nothing).

**When.** A save, delete or many-to-many change only notes the tags it reaches; they are bumped
once per transaction, in ``transaction.on_commit``. A page drawn while a writer's transaction
is open is drawn from the old rows and stored under the old versions, which the commit then
leaves behind, so the next visitor after the commit gets a fresh page. (Under a test case's
transaction, which never commits, the tags are bumped at once.) Writes that send no signals
call :func:`rows_changed` before they write: ``ciep.audit.audited_update`` does it for every
``QuerySet.update`` of the services, and the services call it after their ``bulk_create``;
``generate_edition`` and ``seed_demo`` call :func:`bump_all`.

**Staleness.** Versions are read from the shared cache at most once a second in each process,
so another process sees a change within a second. Pages, values and fragments are kept for
``TIMEOUT`` (ten minutes, less a random tenth so that pages drawn together do not all expire
together), which bounds what no write announces: what time changes (a posting past its
deadline, a slot that has begun, the current edition), a session's live and replay view
totals, and the edition report's figures, which count attendances, registrations and
applications. Every public page says ``Cache-Control: public, max-age=60,
s-maxage=60`` with an ``ETag`` (a hash of the page) and answers a matching ``If-None-Match``
with 304, so a browser or a front cache may show a public change up to a minute late.

Visitors with a session (signed in, or holding a preference such as a time zone) and every
request other than GET and HEAD always get a freshly rendered page, marked ``private,
no-store`` (``PrivatePagesMiddleware``). For them, what every reader shares is kept under the
same versions: counted values (``shared``: the home page's counts, the catalogue's facets, the
current edition, the edition report; the ``shared_form`` template tag keeps filter forms this
way) and fragments (``rendered_fragments``: the cards of sessions, exhibitors, jobs and
projects, a booth's profile, each keyed on its own object's version), around which a page adds
what is personal.
"""

import hashlib
import random
import time
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import prefetch_related_objects
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.http import HttpResponse, HttpResponseNotModified
from django.template.loader import get_template
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags, quote_etag
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .areas import area_labels

TIMEOUT = 10 * 60
# What browsers and front caches may keep a public page for without asking again.
BROWSER_MAX_AGE = 60
SHARED_MAX_AGE = 60
# A write touching more objects than this refreshes the app's object pages as a whole.
MAX_OBJECTS_PER_WRITE = 50


def page_apps() -> tuple[str, ...]:
    """The apps whose rows reach pages: the core and the registered areas (``ciep.areas``)."""
    return ("ciep", *area_labels())


# --- Versions -------------------------------------------------------------------------------

# Versions are read from the shared cache at most once a second in each process: a change made
# in this process is seen at once (``bump`` forgets them), one made in another within a second.
VERSIONS_MAX_AGE = 1.0
_known: tuple[float, dict[str, int]] = (float("-inf"), {})


def _version_key(tag: str) -> str:
    return f"pagecache:version:{tag}"


def _fresh_version() -> int:
    """A first version that no page cached before can carry, even after the cache was emptied."""
    return time.time_ns() // 1000


def _current_versions(tags) -> list[int]:
    global _known
    read_at, known = _known
    now = time.monotonic()
    if now - read_at >= VERSIONS_MAX_AGE:
        known = {}
        _known = (now, known)
    missing = [tag for tag in dict.fromkeys(tags) if tag not in known]
    if missing:
        found = cache.get_many([_version_key(tag) for tag in missing])
        for tag in missing:
            key = _version_key(tag)
            if key not in found:
                cache.add(key, _fresh_version(), None)  # another process may start it first
                found[key] = cache.get(key)
            known[tag] = found[key]
    return [known[tag] for tag in tags]


def forget_versions() -> None:
    """Read the versions from the shared cache next time (after a change, or a cleared cache)."""
    global _known
    _known = (float("-inf"), {})


def _reader_tags(app_labels, *, edition=None, shows=None) -> list[str]:
    """The tags of what a page or value reads: see the module doc."""
    labels = tuple(dict.fromkeys(("ciep", *app_labels)))
    areas = [label for label in labels if label != "ciep"]
    tags = [f"gen:{label}" for label in labels]
    if shows is not None:
        model_label, pk = shows
        if areas:
            tags.append(f"wide:{areas[0]}")
            tags += [f"app:{label}" for label in areas[1:]]
        tags.append(f"obj:{model_label}:{pk}")
    elif edition is not None:
        tags += [f"ed:{label}:{edition}" for label in areas]
    else:
        tags += [f"app:{label}" for label in areas]
    return tags


def versions(labels, *, edition=None, shows=None) -> str:
    """The versions of what reads ``labels`` (per edition, or of one object), as a key part."""
    tags = _reader_tags(labels, edition=edition, shows=shows)
    return ".".join(str(version) for version in _current_versions(tags))


def _bump_tags(tags) -> None:
    for tag in sorted(tags):
        try:
            cache.incr(_version_key(tag))
        except ValueError:
            cache.add(_version_key(tag), _fresh_version(), None)
    forget_versions()


def bump(app_label: str) -> None:
    """Refresh every page and value that reads ``app_label`` (the core: everything), now."""
    _bump_tags({f"gen:{app_label}"})


def bump_all() -> None:
    bump("ciep")


# --- What a change reaches ------------------------------------------------------------------


def _is_public(model) -> bool:
    return model._meta.app_label in page_apps() and getattr(model, "shown_on_pages", True)


def _is_counted(model) -> bool:
    return model._meta.app_label in page_apps() and hasattr(model, "pages_counted")


def _watched(model) -> bool:
    """Whether a change to the model's rows may refresh a page."""
    return _is_public(model) or _is_counted(model)


def _lifetime(timeout: int) -> int:
    return timeout - random.randrange(timeout // 10 + 1)


def _edition_path(model) -> str | None:
    if hasattr(model, "pages_edition"):
        return model.pages_edition
    names = {field.name for field in model._meta.concrete_fields}
    return "edition" if "edition" in names else None


def _object_label(model) -> str | None:
    target = getattr(model, "pages_object", None)
    return target[0] if target else None


def _tags_for(model, rows) -> set[str]:
    """The tags a change of ``rows`` (pairs of edition pk and object pk) of ``model`` reaches."""
    label = model._meta.app_label
    if label == "ciep":
        return {"gen:ciep"}
    rows = set(rows)
    if not rows:
        return set()
    if any(edition is None for edition, _obj in rows):
        return {f"gen:{label}"}
    tags = {f"app:{label}"} | {f"ed:{label}:{edition}" for edition, _obj in rows}
    target = _object_label(model)
    objects = {obj for _edition, obj in rows}
    if target is None or None in objects or len(objects) > MAX_OBJECTS_PER_WRITE:
        tags.add(f"wide:{label}")
    else:
        tags |= {f"obj:{target}:{obj}" for obj in objects}
    return tags


def _value(instance, path: str | None):
    if path is None:
        return None
    if path == "pk":
        return instance.pk
    if "__" not in path:
        return getattr(instance, instance._meta.get_field(path).attname)
    # Through a relation: ask the database (the row exists: after a save, before a delete).
    return type(instance)._base_manager.filter(pk=instance.pk).values_list(path, flat=True).first()


def _counted_tags(model, objects) -> set[str]:
    """A change to personal rows counted on the pages of ``objects`` (pks) reaches those."""
    target = model.pages_counted[0]
    objects = set(objects)
    if None in objects or len(objects) > MAX_OBJECTS_PER_WRITE:
        return {f"wide:{apps.get_model(target)._meta.app_label}"}
    return {f"obj:{target}:{obj}" for obj in objects}


def _instance_tags(instance) -> set[str]:
    model = type(instance)
    if _is_counted(model):
        return _counted_tags(model, [_value(instance, model.pages_counted[1])])
    if model._meta.app_label == "ciep":
        return {"gen:ciep"}
    target = getattr(model, "pages_object", None)
    edition_path = _edition_path(model)
    if edition_path is None:
        return {f"gen:{model._meta.app_label}"}
    row = (_value(instance, edition_path), _value(instance, target[1]) if target else None)
    return _tags_for(model, [row])


def _queryset_tags(queryset: models.QuerySet) -> set[str]:
    model = queryset.model
    if _is_counted(model):
        path = model.pages_counted[1]
        return _counted_tags(model, queryset.order_by().values_list(path, flat=True).distinct())
    if model._meta.app_label == "ciep":
        return {"gen:ciep"}
    edition_path = _edition_path(model)
    if edition_path is None:
        return {f"gen:{model._meta.app_label}"}
    target = getattr(model, "pages_object", None)
    paths = [edition_path, target[1] if target else edition_path]
    rows = queryset.order_by().values_list(*paths).distinct()
    return _tags_for(model, [(edition, obj if target else None) for edition, obj in rows])


class _Pending:
    """A transaction's tags to bump after it commits, and how many rows of each model it
    changed one by one (a cascade of thousands refreshes the model's app as a whole instead
    of asking the database for each row's edition)."""

    def __init__(self):
        self.tags: set[str] = set()
        self.rows: dict[type, int] = {}

    def flush(self):
        _bump_tags(self.tags)


def _pending_for(connection) -> _Pending | None:
    """This transaction's pending tags, registered once per transaction; ``None`` when a
    change is bumped at once (no transaction, or a test case's, which never commits)."""
    blocks = getattr(connection, "atomic_blocks", [])
    if not connection.in_atomic_block or (blocks and getattr(blocks[0], "_from_testcase", False)):
        return None
    pending = getattr(connection, "_pagecache_pending", None)
    if pending is not None and any(entry[1] == pending.flush for entry in connection.run_on_commit):
        return pending
    pending = _Pending()
    connection._pagecache_pending = pending
    connection.on_commit(pending.flush, robust=True)
    return pending


def _changed_tags(tags: set[str]) -> None:
    if not tags:
        return
    pending = _pending_for(transaction.get_connection())
    if pending is None:
        _bump_tags(tags)
    else:
        pending.tags.update(tags)


def _broad_tag(model) -> str:
    if _is_counted(model):
        return f"wide:{apps.get_model(model.pages_counted[0])._meta.app_label}"
    return f"gen:{model._meta.app_label}"


def _row_changed(instance) -> None:
    model = type(instance)
    pending = _pending_for(transaction.get_connection())
    if pending is not None:
        pending.rows[model] = pending.rows.get(model, 0) + 1
        if pending.rows[model] > MAX_OBJECTS_PER_WRITE:
            pending.tags.add(_broad_tag(model))
            return
    _changed_tags(_instance_tags(instance))


def rows_changed(queryset: models.QuerySet) -> None:
    """Refresh the pages showing the rows of ``queryset``, after the transaction commits.

    For writes that send no signals: call it *before* a ``QuerySet.update`` (whose filter
    may no longer match afterwards) or after a ``bulk_create`` with a queryset of the new rows.
    """
    if _watched(queryset.model):
        _changed_tags(_queryset_tags(queryset))


def instance_changed(instance) -> None:
    """Refresh the pages showing ``instance``, after the transaction commits."""
    if _watched(type(instance)):
        _row_changed(instance)


def _saving(sender, instance, raw=False, update_fields=None, **kwargs):
    # A model whose rows are saved for much that no page shows (an account: its password, its
    # preferences) names what pages show in ``fields_on_pages``; a save changing none of them
    # leaves every cached page as it is.
    shown = sender.fields_on_pages
    instance._pagecache_unchanged = False
    if update_fields is not None and not shown & set(update_fields):
        instance._pagecache_unchanged = True  # a sign-in: no need to read the row
        return
    if instance.pk is None or raw:
        return
    old = sender._base_manager.filter(pk=instance.pk).values(*shown).first()
    if old is not None:
        instance._pagecache_unchanged = all(
            old[name] == getattr(instance, sender._meta.get_field(name).attname) for name in shown
        )


def _saved(sender, instance, created=False, update_fields=None, **kwargs):
    # A model names what no page shows in ``fields_not_on_pages`` (the time of a sign-in): a
    # save of only those leaves every cached page as it is; a model whose new rows show
    # nowhere until another row links to them (a new account) says ``new_rows_on_pages``.
    if update_fields and update_fields <= getattr(sender, "fields_not_on_pages", frozenset()):
        return
    if created and not getattr(sender, "new_rows_on_pages", True):
        return
    if getattr(instance, "_pagecache_unchanged", False):
        return
    _row_changed(instance)


def _deleting(sender, instance, **kwargs):
    _row_changed(instance)


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    # A relation shows on the pages of the side that declares it (an exhibitor's fields).
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        _row_changed(instance)
        return
    if pk_set:
        rows = model._base_manager.filter(pk__in=pk_set)
    else:
        [field] = [f for f in model._meta.local_many_to_many if f.remote_field.through is sender]
        rows = model._base_manager.filter(**{field.name: instance})
    rows_changed(rows)


def connect_signals(label: str) -> None:
    """Watch the models of the app ``label`` (the core, then each area as it registers)."""
    for model in apps.get_app_config(label).get_models():
        if not _watched(model):
            continue
        post_save.connect(_saved, sender=model, dispatch_uid=f"pagecache-save-{model._meta.label}")
        if hasattr(model, "fields_on_pages"):
            pre_save.connect(
                _saving, sender=model, dispatch_uid=f"pagecache-saving-{model._meta.label}"
            )
        pre_delete.connect(
            _deleting, sender=model, dispatch_uid=f"pagecache-delete-{model._meta.label}"
        )
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _m2m_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"pagecache-m2m-{model._meta.label}-{field.name}",
            )


# --- Shared values and fragments ------------------------------------------------------------


def _reader_key(name: str, app_labels, *, edition=None, shows=None) -> str:
    """A key for what readers share: the language and time zone it is shown in, and the
    versions of what it reads."""
    where = f"{get_language()}:{timezone.get_current_timezone_name()}"
    return f"{name}:{where}:{versions(app_labels, edition=edition, shows=shows)}"


def shared(name: str, compute, *app_labels: str, edition=None, shows=None, timeout: int = TIMEOUT):
    """A value every reader shares (counts, figures, facets, parts of pages), kept until what
    it reads changes.

    Keyed on the language (labels may be translated), the time zone and the versions of the
    core and of ``app_labels`` (of their content in ``edition``, a pk, when given; of one
    object, ``shows`` as ``(model label, pk)``, as for its page); ``compute`` runs on the
    first read after a change.
    """
    key = _reader_key(f"shared:{name}", app_labels, edition=edition, shows=shows)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, _lifetime(timeout))
    return value


def rendered_fragments(
    template_name: str,
    objects,
    *app_labels: str,
    name: str = "object",
    prefetch=(),
    drawn_from=None,
):
    """Each object with its HTML from ``template_name``, rendered once for every reader.

    For long lists (the programme's sessions) whose items are the same for everyone: the
    template gets only the object as ``name``, no request and no user, so nothing personal
    can end up in a fragment. Fragments are keyed like shared values and, for models with
    pages of their own (``pages_object``), on the object's own version, so a change to one
    object draws its fragment again and no other; they are fetched in one round trip; what
    only the template reads (``prefetch``, as for ``prefetch_related``) is fetched for the
    objects whose fragment must be rendered, and for no other. With ``drawn_from`` (a
    queryset), ``objects`` need hold only what the page around the fragments reads
    (``only()``): the objects whose fragment must be rendered are read whole from it.
    """
    objects = list(objects)
    if not objects:
        return []
    model = type(objects[0])
    own_pages = getattr(model, "pages_object", (None, None))[1] == "pk"
    where = f"{get_language()}:{timezone.get_current_timezone_name()}"
    if own_pages:
        label = model._meta.label_lower
        every = [_reader_tags(app_labels, shows=(label, obj.pk)) for obj in objects]
        found_versions = _current_versions([tag for tags in every for tag in tags])
        size = len(every[0])
        keys = [
            f"fragment:{template_name}:{where}:{obj.pk}:"
            + ".".join(map(str, found_versions[index * size : (index + 1) * size]))
            for index, obj in enumerate(objects)
        ]
    else:
        prefix = _reader_key(f"fragment:{template_name}", app_labels)
        keys = [f"{prefix}:{obj.pk}" for obj in objects]
    found = cache.get_many(keys)
    to_render = [(obj, key) for obj, key in zip(objects, keys, strict=True) if key not in found]
    if to_render and drawn_from is not None:
        whole = drawn_from.in_bulk([obj.pk for obj, _key in to_render])
        to_render = [(whole[obj.pk], key) for obj, key in to_render]
    if to_render:
        prefetch_related_objects([obj for obj, _key in to_render], *prefetch)
        template = get_template(template_name)
        rendered = {key: str(template.render({name: obj})) for obj, key in to_render}
        cache.set_many(rendered, _lifetime(TIMEOUT))
        found.update(rendered)
    # Rendered by the project's own templates, which escape what they print.
    return [(obj, mark_safe(found[key])) for obj, key in zip(objects, keys, strict=True)]


# --- Pages ----------------------------------------------------------------------------------


def edition_in_url(request, kwargs) -> int | None:
    """The pk of the edition a page shows: the one numbered in its address, else the current."""
    from .selectors import current_edition, edition_pks

    if "number" in kwargs:
        return edition_pks().get(kwargs["number"])
    edition = current_edition()
    return edition.pk if edition else None


def _shareable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _public(response, etag: str):
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE, s_maxage=SHARED_MAX_AGE)
    patch_vary_headers(response, ("Cookie",))
    return response


def _not_modified(request, etag: str) -> bool:
    wanted = request.META.get("HTTP_IF_NONE_MATCH")
    if not wanted:
        return False
    tags = parse_etags(wanted)
    return "*" in tags or etag in tags or etag.removeprefix("W/") in tags


def cache_for_visitors(*app_labels: str, edition=None, shows: str | None = None, timeout=TIMEOUT):
    """Cache a view's page for anonymous visitors without a session; see the module doc.

    ``edition`` (a function of the request and the view's arguments returning an edition's pk,
    such as :func:`edition_in_url`) keys the page on that edition's content of the apps;
    ``shows`` (a model label, the page of the object whose pk is the ``pk`` argument) keys it
    on that object's version, the first app's ``wide`` version and the other apps' versions.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _shareable(request):
                return view(request, *args, **kwargs)
            reads = {}
            if shows is not None:
                pk = kwargs["pk"] if "pk" in kwargs else args[0]
                reads["shows"] = (shows.lower(), pk)
            elif edition is not None:
                reads["edition"] = edition(request, kwargs)
            digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
            key = _reader_key(f"page:{digest}", app_labels, **reads)
            cached = cache.get(key)
            if cached is not None:
                content, content_type, etag = cached
                if _not_modified(request, etag):
                    response = HttpResponseNotModified()
                else:
                    response = HttpResponse(content, content_type=content_type)
                response["X-Page-Cache"] = "hit"
                return _public(response, etag)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if (
                response.status_code == 200
                and not response.cookies
                and not response.streaming
                and not response.has_header("Cache-Control")
                # A page holding a CSRF token is personal: never share it.
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            ):
                etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
                cache.set(
                    key, (response.content, response["Content-Type"], etag), _lifetime(timeout)
                )
                if _not_modified(request, etag):
                    response = HttpResponseNotModified()
                response["X-Page-Cache"] = "miss"
                _public(response, etag)
            return response

        return wrapped

    return decorator


class PrivatePagesMiddleware:
    """A page drawn for one person is theirs alone: no shared cache (a proxy, a CDN) may keep
    it, and neither may the browser's disk (a computer shared at the fair). That is every page
    for someone signed in or holding a session, every answer to a POST, and every page that
    sets a cookie. A view that says how it may be cached (the public pages of
    ``cache_for_visitors``) is left as it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        if (
            (user is not None and user.is_authenticated)
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or request.method not in ("GET", "HEAD")
            or response.cookies
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response
