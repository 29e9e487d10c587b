"""The back office's exports of the exhibition hall, each declared once: the admin's CSV action and
the API's ``/exports/<name>`` read the same columns."""

from ciep.exports import Export

from .models import (
    Application,
    Booth,
    Hall,
    Meeting,
    Slot,
)

HALLS = Export(
    model=Hall,
    fields=["edition__number", "code", "name_en", "name_zh", "area_m2"],
    filename="halls.csv",
    edition="edition__number",
)

BOOTHS = Export(
    model=Booth,
    fields=[
        "hall__edition__number",
        "hall__code",
        "code",
        "kind",
        "size_m2",
        "price_band",
        "state",
        "exhibitor__organisation__name_en",
        "delegation__name_en",
    ],
    filename="booths.csv",
    edition="hall__edition__number",
)

EXHIBITOR_APPLICATIONS = Export(
    model=Application,
    fields=[
        "edition__number",
        "organisation__name_en",
        "organisation__name_zh",
        "organisation__country",
        "delegation__name_en",
        "hall__code",
        "booth_kind",
        "size_m2",
        "booth__code",
        "state",
        "decision_note",
        "created_at",
    ],
    filename="exhibitor-applications.csv",
    edition="edition__number",
)

NEGOTIATION_SLOTS = Export(
    model=Slot,
    fields=[
        "exhibitor__organisation__name_en",
        "starts_at",
        "duration_minutes",
        "mode",
        "meeting_link",
    ],
    filename="negotiation-slots.csv",
    edition="exhibitor__edition__number",
)

MEETINGS = Export(
    model=Meeting,
    fields=[
        "slot__exhibitor__organisation__name_en",
        "requester__name",
        "requester__email",
        "starts_at",
        "state",
        "outcome",
        "languages",
        "message",
        "note",
    ],
    filename="meetings.csv",
    edition="slot__exhibitor__edition__number",
)
