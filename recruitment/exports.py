"""The back office's exports of the recruitment, each declared once: the admin's CSV action and
the API's ``/exports/<name>`` read the same columns."""

from ciep.exports import Export

from .models import (
    Application,
    DemandAnswer,
    JobPosting,
    TalentDemand,
    TalentProfile,
)

APPLICATIONS = Export(
    model=Application,
    fields=[
        "posting__title_en",
        "posting__organisation__name_en",
        "talent__user__name",
        "talent__user__email",
        "talent__nationality",
        "state",
        "created_at",
    ],
    filename="applications.csv",
    edition="posting__edition__number",
)

JOB_POSTINGS = Export(
    model=JobPosting,
    fields=[
        "title_en",
        "title_zh",
        "organisation__name_en",
        "edition__number",
        "field__name_en",
        "type",
        "city",
        "province",
        "status",
        "deadline",
    ],
    filename="job-postings.csv",
    edition="edition__number",
)

TALENTS = Export(
    model=TalentProfile,
    fields=[
        "user__name",
        "user__email",
        "headline",
        "nationality",
        "residence",
        "degree",
        "experience_years",
        "fields",
        "visibility",
    ],
    filename="talents.csv",
)

TALENT_DEMANDS = Export(
    model=TalentDemand,
    fields=[
        "delegation__name_en",
        "title_en",
        "title_zh",
        "field__name_en",
        "level",
        "number",
        "status",
    ],
    filename="talent-demands.csv",
    edition="delegation__edition__number",
)

DEMAND_ANSWERS = Export(
    model=DemandAnswer,
    fields=[
        "demand__title_en",
        "demand__delegation__name_en",
        "talent__user__name",
        "talent__user__email",
        "talent__nationality",
        "message",
        "created_at",
    ],
    filename="demand-answers.csv",
    edition="demand__delegation__edition__number",
)
