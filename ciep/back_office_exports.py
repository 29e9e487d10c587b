"""The back office's exports of the core, each declared once: the admin's CSV action and
the API's ``/exports/<name>`` read the same columns."""

from .exports import Export
from .models import (
    Attendance,
    AuditEntry,
    Consent,
    Delegation,
    DelegationMember,
    Edition,
    Field,
    Membership,
    Organisation,
    User,
)

USERS = Export(
    model=User,
    fields=["email", "name", "came_as", "preferred_language", "date_joined"],
    filename="users.csv",
)

FIELDS = Export(
    model=Field,
    fields=["slug", "name_en", "name_zh"],
    filename="fields.csv",
)

EDITIONS = Export(
    model=Edition,
    fields=[
        "number",
        "year",
        "title_en",
        "title_zh",
        "start_date",
        "end_date",
        "format",
        "status",
    ],
    filename="editions.csv",
    edition="number",
)

ORGANISATIONS = Export(
    model=Organisation,
    fields=["name_en", "name_zh", "type", "country", "city", "website", "fields", "verified_at"],
    filename="organisations.csv",
)

MEMBERSHIPS = Export(
    model=Membership,
    fields=["organisation__name_en", "user__name", "user__email", "role"],
    filename="memberships.csv",
)

DELEGATIONS = Export(
    model=Delegation,
    fields=["edition__number", "name_en", "name_zh", "kind", "country", "parent__name_en"],
    filename="delegations.csv",
    edition="edition__number",
)

DELEGATION_MEMBERS = Export(
    model=DelegationMember,
    fields=["delegation__name_en", "user__name", "user__email", "role"],
    filename="delegation-members.csv",
    edition="delegation__edition__number",
)

ATTENDANCE = Export(
    model=Attendance,
    fields=[
        "edition__number",
        "name",
        "role",
        "country",
        "organisation__name_en",
        "code",
        "checked_in_at",
    ],
    filename="attendance.csv",
    edition="edition__number",
)

AUDIT_LOG = Export(
    model=AuditEntry,
    fields=[
        "timestamp",
        "actor",
        "actor_email",
        "remote_addr",
        "action",
        "content_type",
        "object_pk",
        "object_repr",
        "changes",
    ],
    filename="audit-log.csv",
)

CONSENTS = Export(
    model=Consent,
    fields=[
        "created_at",
        "user",
        "purpose",
        "object_type",
        "object_id",
        "granted",
        "text_version",
    ],
    filename="consents.csv",
)
