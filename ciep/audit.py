"""The audit log: who changed what and when, through django-auditlog.

Every model that organisers manage in the admin (what the apps ciep, exhibitions, recruitment,
projects and forums register there) is recorded on create, update and delete, with its
many-to-many fields, the signed-in user as actor and the client's address by the portal's
proxy rule. Writes that bypass ``save()`` (``QuerySet.update``) go through
:func:`audited_update`, which records them the same way. Left out: the outbox of mail, the
fields that are not an organiser's doing (``last_login``, page-view counters, ``updated_at``)
and secrets (password hashes, tokens). Authenticators (TOTP secrets) and email addresses belong
to allauth's apps and are not recorded.
"""

import ipaddress

from auditlog.context import auditlog_disabled
from auditlog.diff import model_instance_diff
from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib import admin
from django.db import models, transaction

from . import caching
from .observability import client_ip

# Consent records are a log of their own, never changed.
NOT_AUDITED = {"ciep.outgoingmail", "ciep.auditentry", "ciep.consent"}
# Fields never recorded: secrets, and what is not an organiser's doing.
NOT_AUDITED_FIELDS = [
    "password",
    "token",
    "last_login",
    "updated_at",
    "page_views",
    "live_views",
    "replay_views",
]


def _admin_models():
    for model, model_admin in admin.site._registry.items():
        yield model
        for inline in model_admin.inlines:
            yield inline.model


def register_audited_models(label: str) -> None:
    """Record every model the app ``label`` manages in the admin (registered or edited
    inline); called for the core once the apps are ready, then for each area as it registers
    (``ciep.areas.on_register``)."""
    for model in list(_admin_models()):
        opts = model._meta
        if opts.app_label != label or opts.label_lower in NOT_AUDITED:
            continue
        if auditlog.contains(model):
            continue
        auditlog.register(
            model,
            exclude_fields=list(NOT_AUDITED_FIELDS),
            m2m_fields={field.name for field in opts.many_to_many},
        )


def audited_update(queryset: models.QuerySet, **values) -> int:
    """``queryset.update(**values)``, with an audit entry for each row it changed.

    ``QuerySet.update`` sends no signal, so django-auditlog would not see it. The rows are read
    (and locked) before and after the update, and the difference is recorded as an update by
    the current actor, exactly as a ``save()`` would be (and not at all within auditlog's
    ``disable_auditlog()``). The cached pages showing the rows are refreshed after the
    transaction commits (``ciep.caching.rows_changed``). Returns the number of rows updated.
    Services call it for their bulk and conditional writes; view counters, which are not
    recorded and shown on no cached page, update directly.
    """
    model = queryset.model
    caching.rows_changed(queryset)  # before the write, while the filter still matches
    if not auditlog.contains(model) or auditlog_disabled.get(False):
        return queryset.update(**values)
    with transaction.atomic():
        before = {obj.pk: obj for obj in queryset.select_for_update()}
        if not before:
            return 0
        count = queryset.update(**values)
        fields = list(values)
        for obj in model._base_manager.filter(pk__in=before):
            changes = model_instance_diff(
                before[obj.pk],
                obj,
                fields_to_check=fields,
                use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES,
            )
            if changes:
                LogEntry.objects.log_create(obj, action=LogEntry.Action.UPDATE, changes=changes)
    return count


class AuditActorMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, taking the client's address by the portal's proxy rule
    (``DJANGO_TRUSTED_PROXIES``) rather than trusting the first X-Forwarded-For address."""

    @staticmethod
    def _get_remote_addr(request):
        address = client_ip(request)
        try:
            return str(ipaddress.ip_address(address))
        except ValueError:
            return None

    @staticmethod
    def _get_remote_port(request):
        return None
