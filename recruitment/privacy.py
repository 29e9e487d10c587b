"""Online Recruitment's part of a person's data export and of their account's deletion, and
the consent to show a talent profile to employers (registered in ``apps.py``)."""

from django.db import transaction
from django.utils.translation import gettext as _

from ciep.models import Consent
from ciep.privacy import PersonalData, file_entry, rows, scrub_audit
from ciep.services import PLACEHOLDER_NAME, consent_record

from .models import (
    Application,
    ApplicationEvent,
    ApplicationNote,
    DemandAnswer,
    JobReport,
    SavedJob,
    SavedSearch,
    TalentProfile,
)


def consent_text(visibility: str) -> str:
    """What a talent agrees to with each choice of who may see their profile."""
    if visibility == TalentProfile.Visibility.EMPLOYERS:
        return _(
            "Every verified employer of the portal may read my talent profile, my photo and "
            "my CV, and contact me about jobs."
        )
    return _("The employers whose jobs I apply to may read my talent profile, my photo and my CV.")


def record_profile_consent(profile: TalentProfile) -> None:
    """Record the consent that the profile's ``visibility`` gives (or its withdrawal)."""
    shown = profile.visibility != TalentProfile.Visibility.NOBODY
    consent_record(
        user=profile.user,
        purpose=Consent.Purpose.TALENT_PROFILE,
        obj=profile,
        granted=shown,
        text=consent_text(profile.visibility) if shown else "",
    )


def withdraw_profile_consent(*, consent: Consent, by) -> None:
    """Hide the talent profile from every employer at once (visibility "nobody")."""
    with transaction.atomic():
        profile = (
            TalentProfile.objects.select_for_update().filter(pk=consent.object_id, user=by).first()
        )
        if profile is None:
            return
        profile.visibility = TalentProfile.Visibility.NOBODY
        profile.save(update_fields=["visibility", "updated_at"])
        record_profile_consent(profile)


def personal_data(user) -> PersonalData:
    profile = TalentProfile.objects.filter(user=user).prefetch_related("fields").first()
    part = PersonalData()
    applications = Application.objects.filter(talent__user=user).order_by("pk")
    if profile is not None:
        part.data["talent_profile"] = {
            **rows(
                TalentProfile.objects.filter(pk=profile.pk),
                "headline",
                "summary_en",
                "summary_zh",
                "nationality",
                "residence",
                "province",
                "degree",
                "institution",
                "experience_years",
                "publications",
                "cv",
                "photo",
                "visibility",
                "created_at",
                "updated_at",
            )[0],
            "fields": [field.name_en for field in profile.fields.all()],
            "languages": rows(profile.languages.order_by("language"), "language", "level"),
        }
        part.files += [
            entry
            for entry in (file_entry("cv", profile.cv), file_entry("photo", profile.photo))
            if entry
        ]
    part.data["applications"] = [
        {
            **row,
            "history": rows(
                ApplicationEvent.objects.filter(application_id=row["id"]).order_by("pk"),
                "from_state",
                "to_state",
                "created_at",
            ),
        }
        for row in rows(
            applications,
            "id",
            "posting__title_en",
            "posting__organisation__name_en",
            "cover_letter",
            "cv",
            "state",
            "state_changed_at",
            "created_at",
        )
    ]
    for application in applications:
        entry = file_entry(f"applications/{application.pk}", application.cv)
        if entry:
            part.files.append(entry)
    part.data["answers_to_demands"] = rows(
        DemandAnswer.objects.filter(talent__user=user).order_by("pk"),
        "demand__title_en",
        "demand__delegation__name_en",
        "message",
        "created_at",
    )
    part.data["saved_jobs"] = rows(
        SavedJob.objects.filter(user=user).order_by("pk"), "posting__title_en", "created_at"
    )
    part.data["saved_searches"] = rows(
        SavedSearch.objects.filter(user=user).order_by("pk"),
        "name",
        "query",
        "alerts",
        "created_at",
    )
    part.data["job_reports"] = rows(
        JobReport.objects.filter(reporter=user).order_by("pk"),
        "posting__title_en",
        "reason",
        "created_at",
    )
    return part


def erase_personal_data(*, user, placeholder) -> None:
    """Delete the talent's data; keep their applications and answers to demands, anonymised
    under ``placeholder``, since the edition's figures count them (and the talent's
    nationality, for its count of foreign talents)."""
    profile = TalentProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        return
    applications = list(profile.applications.all())
    ApplicationNote.objects.filter(application__in=applications).delete()
    for application in applications:
        application.cover_letter = ""
        application.cv = ""  # the stored CV is deleted after commit (ciep/uploads.py)
        application.save(update_fields=["cover_letter", "cv", "updated_at"])
    DemandAnswer.objects.filter(talent=profile).update(message="")
    scrub_audit(Application, [a.pk for a in applications], PLACEHOLDER_NAME)
    scrub_audit(TalentProfile, [profile.pk], PLACEHOLDER_NAME)
    if not applications and not profile.demand_answers.exists():
        profile.delete()
        return
    profile.languages.all().delete()
    profile.fields.clear()
    blank = TalentProfile(user=placeholder, nationality=profile.nationality)
    for name in (
        "headline",
        "summary_en",
        "summary_zh",
        "residence",
        "province",
        "degree",
        "institution",
        "experience_years",
        "publications",
        "cv",
        "photo",
    ):
        setattr(profile, name, getattr(blank, name))
    profile.user = placeholder
    profile.visibility = TalentProfile.Visibility.NOBODY
    profile.save()
