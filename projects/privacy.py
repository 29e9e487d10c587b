"""Project Cooperation's part of a person's data export and of their account's deletion,
and the consent to publish a signed agreement (registered in ``apps.py``)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ciep.models import Consent
from ciep.privacy import PersonalData, file_entry, rows
from ciep.services import PLACEHOLDER_NAME, consent_record

from .models import CompetitionEntry, Intention, ProgressReport, Project


def publication_text() -> str:
    return _(
        "The signed agreement (its parties, fields, cooperation type, amount, date and place "
        "of signing) may be shown to the public on the portal once both parties agree."
    )


def record_publication_consent(*, intention: Intention, by, publish: bool) -> None:
    consent_record(
        user=by,
        purpose=Consent.Purpose.AGREEMENT_PUBLICATION,
        obj=intention,
        granted=publish,
        text=publication_text() if publish else "",
    )


def withdraw_publication_consent(*, consent: Consent, by) -> None:
    """Stop publishing the agreement for the sides ``by`` acts for."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from .services import intention_set_publication

    intention = Intention.objects.filter(pk=consent.object_id).first()
    if intention is None:
        return
    try:
        intention_set_publication(intention=intention, by=by, publish=False)
    except PermissionDenied:
        raise ValidationError(
            _("You no longer act for a party of this agreement: one of its members decides.")
        ) from None


def personal_data(user) -> PersonalData:
    part = PersonalData()
    projects = Project.objects.filter(Q(expert=user) | Q(created_by=user)).order_by("pk")
    part.data["projects"] = rows(
        projects,
        "id",
        "title_en",
        "title_zh",
        "kind",
        "state",
        "contact_name",
        "contact_email",
        "contact_phone",
        "created_at",
    )
    intentions = Intention.objects.filter(Q(counterpart_expert=user) | Q(submitted_by=user))
    part.data["cooperation_intentions"] = rows(
        intentions.order_by("pk"),
        "id",
        "edition__number",
        "organisation__name_en",
        "delegation__name_en",
        "counterpart_organisation__name_en",
        "counterpart_delegation__name_en",
        "counterpart_team",
        "cooperation_type",
        "description_en",
        "description_zh",
        "state",
        "signed_on",
        "signed_document",
        "submitter_publishes",
        "counterpart_publishes",
        "created_at",
    )
    for intention in Intention.objects.filter(counterpart_expert=user).order_by("pk"):
        entry = file_entry(f"agreements/{intention.pk}", intention.signed_document)
        if entry:
            part.files.append(entry)
    part.data["progress_reports"] = rows(
        ProgressReport.objects.filter(submitted_by=user).order_by("pk"),
        "intention_id",
        "milestone",
        "text",
        "created_at",
    )
    part.data["competition_entries"] = rows(
        CompetitionEntry.objects.filter(entered_by=user).order_by("pk"),
        "competition__name_en",
        "project__title_en",
        "created_at",
    )
    return part


def erase_personal_data(*, user, placeholder) -> None:
    """An expert's own projects and the intentions made with them stay for the edition's
    record (its figures count them), under ``placeholder``, without contact details, and the
    projects leave the public; projects of organisations lose the person's contact details.
    The expert's consent to publish an agreement ends with the account. Intentions their
    organisation or delegation made stay as they are: it is the party."""
    now = timezone.now()
    for project in Project.objects.filter(Q(expert=user) | Q(contact_email__iexact=user.email)):
        if project.expert_id == user.pk:
            project.expert = placeholder
            project.team_name = ""
            if project.hidden_at is None:
                project.hidden_at = now
                project.hidden_reason = "The expert deleted their account."
        project.contact_name = PLACEHOLDER_NAME
        project.contact_email = placeholder.email
        project.contact_phone = ""
        project.save()
    for intention in Intention.objects.filter(counterpart_expert=user):
        intention.counterpart_expert = placeholder
        intention.counterpart_team = ""
        intention.counterpart_publishes = False  # the expert's consent ends with the account
        intention.save()
