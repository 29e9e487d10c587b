"""The Shenzhen Forum's part of a person's data export and of their account's deletion
(registered in ``apps.py``)."""

from django.db import transaction
from django.utils.translation import gettext as _

from ciep.caching import bump
from ciep.models import Consent
from ciep.privacy import PersonalData, file_entry, rows
from ciep.services import consent_record

from .models import Bookmark, CalendarFeed, Feedback, Registration, Speaker


def speaker_consent_text() -> str:
    return _(
        "My biography and photo are shown with my name, title and affiliation in the public "
        "programme of the forum and on my speaker page."
    )


def record_speaker_consent(speaker: Speaker) -> None:
    """Record the consent a speaker gives by showing a biography or photo (or its end)."""
    shown = bool(speaker.biography_en or speaker.biography_zh or speaker.photo)
    consent_record(
        user=speaker.user,
        purpose=Consent.Purpose.SPEAKER_PROFILE,
        obj=speaker,
        granted=shown,
        text=speaker_consent_text() if shown else "",
    )


def withdraw_speaker_consent(*, consent: Consent, by) -> None:
    """Take the speaker's biography and photo off the programme at once; their name, title
    and affiliation stay, since the programme says who speaks."""
    with transaction.atomic():
        speaker = Speaker.objects.select_for_update().filter(pk=consent.object_id, user=by).first()
        if speaker is None:
            return
        speaker.biography_en = speaker.biography_zh = ""
        speaker.photo = ""  # the stored photo is deleted after commit (ciep/uploads.py)
        speaker.save()
        record_speaker_consent(speaker)


def personal_data(user) -> PersonalData:
    part = PersonalData()
    part.data["registrations"] = rows(
        Registration.objects.filter(user=user).order_by("pk"),
        "session__title_en",
        "session__start",
        "attendance",
        "status",
        "code",
        "delegation__name_en",
        "promoted_at",
        "cancelled_at",
        "checked_in_at",
        "created_at",
    )
    part.data["bookmarks"] = rows(
        Bookmark.objects.filter(user=user).order_by("pk"), "session__title_en", "created_at"
    )
    part.data["feedback"] = rows(
        Feedback.objects.filter(user=user).order_by("pk"),
        "session__title_en",
        "rating",
        "comment",
        "created_at",
    )
    part.data["calendar_feed"] = rows(CalendarFeed.objects.filter(user=user), "created_at")
    part.data["speaker_profile"] = rows(
        Speaker.objects.filter(user=user),
        "name_en",
        "name_zh",
        "title_en",
        "title_zh",
        "affiliation_en",
        "affiliation_zh",
        "country",
        "biography_en",
        "biography_zh",
        "photo",
    )
    for speaker in Speaker.objects.filter(user=user):
        entry = file_entry("speaker", speaker.photo)
        if entry:
            part.files.append(entry)
    return part


def erase_personal_data(*, user, placeholder) -> None:
    """Registrations stay under ``placeholder`` (the edition's figures count places and
    check-ins); bookmarks, feedback and the calendar feed go with the account. A speaker's
    entry in the programme is the organisers': it keeps the name, title and affiliation, and
    loses the biography and photo the speaker consented to show, and its link to the account."""
    Registration.objects.filter(user=user).update(user=placeholder)
    for speaker in Speaker.objects.filter(user=user):
        speaker.biography_en = speaker.biography_zh = ""
        speaker.photo = ""  # the stored photo is deleted after commit (ciep/uploads.py)
        speaker.user = None
        speaker.save()
    transaction.on_commit(lambda: bump("forums"))
