"""The back office's exports of the project cooperation, each declared once: the admin's CSV
action and the API's ``/exports/<name>`` read the same columns."""

from ciep.exports import Export

from .models import (
    Competition,
    CompetitionEntry,
    FollowUpReminder,
    Intention,
    ProgressReport,
    Project,
)

#: What an intention's text reads beyond its own row.
INTENTION_TEXT = (
    "intention__delegation",
    "intention__organisation",
    "intention__counterpart_organisation",
    "intention__counterpart_delegation",
    "intention__counterpart_expert",
)

PROJECTS = Export(
    model=Project,
    fields=[
        "edition__number",
        "kind",
        "title_en",
        "title_zh",
        "organisation",
        "delegation",
        "expert",
        "owner_country",
        "fields",
        "stage",
        "state",
        "contact_name",
        "contact_email",
    ],
    filename="projects.csv",
    edition="edition__number",
)

INTENTIONS = Export(
    model=Intention,
    fields=[
        "edition__number",
        "delegation",
        "organisation",
        "counterpart_organisation",
        "counterpart_delegation",
        "counterpart_expert",
        "counterpart_team",
        "project",
        "fields",
        "cooperation_type",
        "state",
        "amount_band",
        "signed_on",
        "signed_place_en",
        "created_at",
    ],
    filename="intentions.csv",
    edition="edition__number",
)

PROGRESS_REPORTS = Export(
    model=ProgressReport,
    fields=["intention", "milestone", "text", "submitted_by", "created_at"],
    filename="progress-reports.csv",
    select_related=INTENTION_TEXT,
    edition="intention__edition__number",
)

FOLLOW_UP_REMINDERS = Export(
    model=FollowUpReminder,
    fields=["intention", "milestone", "sent_at"],
    filename="follow-up-reminders.csv",
    select_related=INTENTION_TEXT,
    edition="intention__edition__number",
)

COMPETITIONS = Export(
    model=Competition,
    fields=["edition__number", "name_en", "name_zh"],
    filename="competitions.csv",
    edition="edition__number",
)

COMPETITION_ENTRIES = Export(
    model=CompetitionEntry,
    fields=["competition", "project", "result", "award"],
    filename="competition-entries.csv",
    edition="competition__edition__number",
)
