"""The back office's exports of the forum, each declared once: the admin's CSV action and
the API's ``/exports/<name>`` read the same columns."""

from ciep.exports import Export

from .models import Feedback, Registration, SubVenueEvent

REGISTRATIONS = Export(
    model=Registration,
    fields=[
        "session__title_en",
        "user__name",
        "user__email",
        "attendance",
        "status",
        "delegation__name_en",
        "code",
        "created_at",
        "promoted_at",
        "checked_in_at",
    ],
    filename="registrations.csv",
    edition="session__edition__number",
)

FEEDBACK = Export(
    model=Feedback,
    fields=["session__title_en", "user__name", "rating", "comment", "created_at"],
    filename="feedback.csv",
    edition="session__edition__number",
)

SUB_VENUE_EVENTS = Export(
    model=SubVenueEvent,
    fields=[
        "edition__number",
        "delegation__name_en",
        "title_en",
        "title_zh",
        "venue__name_en",
        "venue_name_en",
        "country",
        "start",
        "end",
        "capacity",
        "state",
    ],
    filename="sub-venue-events.csv",
    edition="edition__number",
)
