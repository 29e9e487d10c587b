"""The Virtual Exhibition Hall's part of a person's data export and of their account's
deletion (registered in ``apps.py``)."""

from django.db import transaction

from ciep.caching import bump
from ciep.privacy import PersonalData, rows

from .models import Application, Meeting
from .services import interpreter_release, meetings_lapse


def personal_data(user) -> PersonalData:
    part = PersonalData()
    part.data["meetings_requested"] = rows(
        Meeting.objects.filter(requester=user).order_by("pk"),
        "slot__exhibitor__organisation__name_en",
        "starts_at",
        "ends_at",
        "message",
        "languages",
        "state",
        "note",
        "created_at",
    )
    # Requests that reached the exhibitors of the person's organisations: only their side
    # (which exhibitor, when, in what state), not the requesters' data.
    part.data["meetings_received"] = rows(
        Meeting.objects.filter(slot__exhibitor__organisation__memberships__user=user)
        .distinct()
        .order_by("pk"),
        "slot__exhibitor__organisation__name_en",
        "starts_at",
        "ends_at",
        "state",
    )
    part.data["booth_applications"] = rows(
        Application.objects.filter(applied_by=user).order_by("pk"),
        "edition__number",
        "organisation__name_en",
        "state",
        "created_at",
    )
    return part


def erase_personal_data(*, user, placeholder) -> None:
    """Delete the person's meeting requests, except accepted meetings, which the edition's
    figures count: they stay under ``placeholder`` without the person's message. The
    interpreter of a request or proposal that goes is told it no longer takes place."""
    meetings_lapse(requester=user)
    for meeting in (
        Meeting.objects.filter(
            requester=user, state__in=Meeting.HOLDING_STATES, interpreter__isnull=False
        )
        .select_related("slot__exhibitor__organisation", "requester", "interpreter")
        .order_by("pk")
    ):
        meeting.state = Meeting.State.CANCELLED
        interpreter_release(meeting=meeting)
    Meeting.objects.filter(requester=user).exclude(state=Meeting.State.ACCEPTED).delete()
    Meeting.objects.filter(requester=user).update(requester=placeholder, message="", languages="")
    transaction.on_commit(lambda: bump("exhibitions"))
