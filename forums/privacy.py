"""The Shenzhen Forum's part of a person's data export and of their account's deletion
(registered in ``apps.py``)."""

from django.db import transaction

from ciep.caching import bump
from ciep.privacy import PersonalData, rows

from .models import Bookmark, CalendarFeed, Feedback, Registration, Speaker


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
    return part


def erase_personal_data(*, user, placeholder) -> None:
    """Registrations stay under ``placeholder`` (the edition's figures count places and
    check-ins); bookmarks, feedback and the calendar feed go with the account. A speaker's
    entry in the programme is the organisers' and loses only its link to the account."""
    Registration.objects.filter(user=user).update(user=placeholder)
    transaction.on_commit(lambda: bump("forums"))
