"""A person's data: its export (PIPL arts. 44–45, GDPR arts. 15 and 20) and what the deletion
of their account leaves behind.

The core holds the account, its addresses, memberships, attendances, consents, the mail sent
to it and the audit entries about it; each area adds its own part through the registry
(``Area.personal_data``), so the core never imports an area. The export is one ZIP file:
``data.json`` and the person's own files under ``files/``, read from the private storage
(which may be object storage) and built in a temporary file, never in memory.
"""

import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone

from .areas import all_areas
from .models import (
    Attendance,
    Consent,
    DelegationMember,
    Invitation,
    Membership,
    OutgoingMail,
    User,
)

# The version of the privacy notice and of the consent texts; a new text gets a new version.
NOTICE_VERSION = "2026-12"


@dataclass
class PersonalData:
    """One part of an export: JSON-ready sections, and files as (name in the ZIP, FieldFile)."""

    data: dict = field(default_factory=dict)
    files: list = field(default_factory=list)


def rows(queryset, *fields: str) -> list[dict]:
    """The rows of ``queryset`` as dicts of ``fields`` (lookups allowed), in its order."""
    return list(queryset.values(*fields))


def file_entry(folder: str, file) -> tuple[str, object] | None:
    """The (name in the ZIP, file) of a stored file, or None when the field is empty."""
    if not file:
        return None
    return (f"files/{folder}/{PurePath(file.name).name}", file)


def core_personal_data(user) -> PersonalData:
    user_type = ContentType.objects.get_for_model(User)
    audit = LogEntry.objects.filter(
        Q(actor=user) | Q(content_type=user_type, object_pk=str(user.pk))
    ).select_related("content_type")
    data = {
        "account": {
            "email": user.email,
            "name": user.name,
            "preferred_language": user.preferred_language,
            "came_as": user.came_as,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "email_addresses": rows(
            EmailAddress.objects.filter(user=user).order_by("pk"), "email", "verified", "primary"
        ),
        "second_factors": rows(
            Authenticator.objects.filter(user=user).order_by("pk"),
            "type",
            "created_at",
            "last_used_at",
        ),
        "organisation_memberships": rows(
            Membership.objects.filter(user=user).order_by("pk"),
            "organisation__name_en",
            "role",
            "created_at",
        ),
        "delegation_memberships": rows(
            DelegationMember.objects.filter(user=user).order_by("pk"),
            "delegation__name_en",
            "delegation__edition__number",
            "role",
            "created_at",
        ),
        "invitations_received": rows(
            Invitation.objects.filter(email__iexact=user.email).order_by("pk"),
            "organisation__name_en",
            "delegation__name_en",
            "role",
            "created_at",
            "accepted_at",
        ),
        "invitations_sent": rows(
            Invitation.objects.filter(invited_by=user).order_by("pk"),
            "email",
            "organisation__name_en",
            "delegation__name_en",
            "role",
            "created_at",
            "accepted_at",
        ),
        "attendances": rows(
            Attendance.objects.filter(user=user).order_by("pk"),
            "edition__number",
            "name",
            "role",
            "country",
            "organisation__name_en",
            "delegation__name_en",
            "code",
            "checked_in_at",
            "created_at",
        ),
        "consents": rows(
            Consent.objects.filter(user=user).order_by("pk"),
            "purpose",
            "object_type",
            "object_id",
            "object_label",
            "granted",
            "text_version",
            "text",
            "created_at",
        ),
        "mail_sent_to_you": rows(
            OutgoingMail.objects.filter(to__iexact=user.email).order_by("pk"),
            "to",
            "subject",
            "state",
            "created_at",
            "sent_at",
        ),
        "audit_entries": [
            {
                "timestamp": entry.timestamp,
                "action": entry.get_action_display(),
                "kind": entry.content_type.model,
                "record": entry.object_repr,
                "changes": entry.changes,
                "by_you": entry.actor_id == user.pk,
                "address": entry.remote_addr if entry.actor_id == user.pk else None,
            }
            for entry in audit.order_by("pk")
        ],
        # The portal keeps no history of sign-ins beyond the account's "last_login".
    }
    return PersonalData(data=data)


def personal_data(user) -> PersonalData:
    """Everything the portal holds about ``user``: the core's part and every area's."""
    result = core_personal_data(user)
    for area in all_areas():
        hook = area.hook("personal_data")
        if hook is None:
            continue
        part = hook(user)
        result.data[area.key] = part.data
        result.files += part.files
    return result


def export_zip(user):
    """A temporary file holding the ZIP of ``user``'s data, rewound; the caller closes it."""
    collected = personal_data(user)
    document = {
        "exported_at": timezone.now(),
        "notice_version": NOTICE_VERSION,
        **collected.data,
    }
    archive_file = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    with zipfile.ZipFile(archive_file, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        seen = set()
        for name, file in collected.files:
            if name in seen:
                continue
            seen.add(name)
            try:
                source = file.storage.open(file.name, "rb")
            except (OSError, FileNotFoundError):
                continue  # a file its storage lost: the row in data.json still names it
            with source, archive.open(name, "w", force_zip64=True) as target:
                shutil.copyfileobj(source, target, 64 * 1024)
    archive_file.seek(0)
    return archive_file


def scrub_audit(model, pks, label: str) -> int:
    """Remove what the audit entries about the rows ``pks`` of ``model`` say of a person,
    keeping that the entry happened; for rows kept anonymised or deleted with an account."""
    pks = [str(pk) for pk in pks]
    if not pks:
        return 0
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_pk__in=pks
    ).update(
        object_repr=label,
        changes=None,
        changes_text="",
        serialized_data=None,
        additional_data=None,
    )
