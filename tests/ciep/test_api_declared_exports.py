"""Every back-office CSV export through the API: one declaration (``ciep.exports.Export``)
gives the admin's action and the API's ``…/exports/<name>``, so both have the same columns;
only an organiser's token of the exports:read scope reads them, and a page's queries do not
grow with its rows."""

import csv
import datetime
import io

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.utils import translation

from ciep import back_office_exports
from ciep import urls as _urls  # noqa: F401 (builds the API, which declares its exports)
from ciep.api_support import DECLARED_EXPORTS
from ciep.exports import Export
from ciep.models import Attendance, AuditEntry, Consent, Edition
from exhibitions import exports as exhibition_exports
from forums import exports as forum_exports
from forums.models import Feedback
from news import exports as news_exports
from projects import exports as project_exports
from projects.models import CompetitionEntry, FollowUpReminder, Milestone, ProgressReport
from recruitment import exports as recruitment_exports
from tests.api_checks import EXPORTS, assert_denials, assert_queries_flat
from tests.exhibitions.factories import BoothFactory, HallFactory, SlotFactory
from tests.factories import (
    DelegationFactory,
    DelegationMemberFactory,
    EditionFactory,
    FieldFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    bearer,
)
from tests.forums.factories import SessionFactory, SubVenueEventFactory
from tests.news.factories import AccreditationFactory, ArticleFactory
from tests.projects.factories import CompetitionFactory, IntentionFactory, ProjectFactory
from tests.recruitment.factories import (
    JobPostingFactory,
    TalentDemandFactory,
    TalentProfileFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _audit_entry():
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Edition),
        object_pk="1",
        object_repr="Edition 1",
        action=AuditEntry.Action.UPDATE,
        changes={"title_en": ["A", "B"]},
    )


def _consent():
    Consent.objects.create(
        user=UserFactory(),
        purpose=Consent.Purpose.TALENT_PROFILE,
        object_type="recruitment.talentprofile",
        object_id=1,
        object_label="Profile",
        granted=True,
        text_version="1",
        text="Show my profile.",
    )


def _attendance():
    Attendance.objects.create(
        edition=EditionFactory(),
        name="Li Wei",
        role=Attendance.Role.EXPERT,
        country="CN",
        organisation=OrganisationFactory(),
    )


def _progress_report():
    intention = IntentionFactory()
    ProgressReport.objects.create(
        intention=intention, milestone=Milestone.THREE_MONTHS, text="On track."
    )


def _reminder():
    FollowUpReminder.objects.create(intention=IntentionFactory(), milestone=Milestone.SIX_MONTHS)


def _entry():
    CompetitionEntry.objects.create(competition=CompetitionFactory(), project=ProjectFactory())


def _feedback():
    Feedback.objects.create(session=SessionFactory(), user=UserFactory(), rating=4, comment="Good")


#: Each declared export's path, and how to add one more of its rows.
ROWS = {
    "/exports/users": UserFactory,
    "/exports/fields": FieldFactory,
    "/exports/editions": EditionFactory,
    "/exports/organisations": OrganisationFactory,
    "/exports/memberships": MembershipFactory,
    "/exports/delegations": DelegationFactory,
    "/exports/delegation-members": DelegationMemberFactory,
    "/exports/attendance": _attendance,
    "/exports/audit-log": _audit_entry,
    "/exports/consents": _consent,
    "/exhibitions/exports/halls": HallFactory,
    "/exhibitions/exports/booths": BoothFactory,
    "/exhibitions/exports/negotiation-slots": SlotFactory,
    "/projects/exports/projects": ProjectFactory,
    "/projects/exports/progress-reports": _progress_report,
    "/projects/exports/follow-up-reminders": _reminder,
    "/projects/exports/competitions": CompetitionFactory,
    "/projects/exports/competition-entries": _entry,
    "/forums/exports/feedback": _feedback,
    "/forums/exports/sub-venue-events": SubVenueEventFactory,
    "/news/exports/articles": ArticleFactory,
    "/news/exports/accreditations": AccreditationFactory,
    "/recruitment/exports/job-postings": JobPostingFactory,
    "/recruitment/exports/talents": TalentProfileFactory,
    "/recruitment/exports/talent-demands": TalentDemandFactory,
}

#: The exports that the API had before, each with its own shape (kept as they were).
OLDER = [
    "/exhibitions/exports/exhibitors",
    "/exhibitions/exports/meetings",
    "/exhibitions/exports/booth-applications",
    "/recruitment/exports/applications",
    "/recruitment/exports/demand-answers",
    "/projects/exports/intentions",
    "/forums/exports/registrations",
]

#: The admin's exports that one of the older endpoints answers.
ANSWERED_BY_OLDER = {
    exhibition_exports.MEETINGS,
    exhibition_exports.EXHIBITOR_APPLICATIONS,
    project_exports.INTENTIONS,
    forum_exports.REGISTRATIONS,
    recruitment_exports.APPLICATIONS,
    recruitment_exports.DEMAND_ANSWERS,
}

MODULES = [
    back_office_exports,
    exhibition_exports,
    project_exports,
    forum_exports,
    news_exports,
    recruitment_exports,
]


def admin_csv(export, queryset) -> list[list[str]]:
    """The CSV of the model admin's own action for ``export``, of ``queryset``."""
    modeladmin = admin.site._registry[export.model]
    actions = [action for action in modeladmin.actions if getattr(action, "export", None) is export]
    assert len(actions) == 1, "the admin's action is the export's declaration"
    request = RequestFactory().get("/")
    response = actions[0](modeladmin, request, queryset)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_every_admin_export_is_declared_once_and_reached_through_the_api():
    declared = [
        value for module in MODULES for value in vars(module).values() if isinstance(value, Export)
    ]
    reached = set(DECLARED_EXPORTS.values()) | ANSWERED_BY_OLDER
    assert [export.filename for export in declared if export not in reached] == []
    assert sorted(DECLARED_EXPORTS) == sorted(ROWS)


@pytest.mark.parametrize("path", sorted(ROWS))
def test_declared_export_has_the_admin_csv_columns(client, organiser, path):
    export = DECLARED_EXPORTS[path]
    ROWS[path]()
    response = client.get(API + path, **bearer(organiser, EXPORTS))
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert results, "the export has the row just added"
    assert [list(row) for row in results] == [["id", *export.fields]] * len(results)
    with translation.override("en"):
        rows = admin_csv(export, export.model._default_manager.all())
    assert rows[0] == [str(title) for title in export.header()]
    assert len(rows) - 1 == len(results)
    assert all(len(row) == len(export.fields) for row in rows)


@pytest.mark.parametrize("path", sorted(ROWS) + OLDER)
def test_export_refuses_everyone_else(client, organiser, path):
    assert_denials(client, API + path, organiser, other_scope="forums:read")


@pytest.mark.parametrize("path", sorted(ROWS))
def test_export_queries_do_not_grow_with_rows(client, organiser, path):
    ROWS[path]()
    assert_queries_flat(client, API + path, organiser, ROWS[path])


# --- Exact rows of a sample --------------------------------------------------------------


def read(client, organiser, path, **query):
    response = client.get(API + path, query, **bearer(organiser, EXPORTS))
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_halls_export_rows_in_both_languages_and_filtered_by_edition(client, organiser):
    edition = EditionFactory(number=31)
    hall = HallFactory(edition=edition, code="H1", name_en="Hall One", name_zh="一号馆")
    HallFactory()
    assert read(client, organiser, "/exhibitions/exports/halls", edition=31) == [
        {
            "id": hall.pk,
            "edition__number": 31,
            "code": "H1",
            "name_en": "Hall One",
            "name_zh": "一号馆",
            "area_m2": hall.area_m2,
        }
    ]


def test_attendance_export_gives_codes_and_relations(client, organiser):
    organisation = OrganisationFactory(name_en="Acme", name_zh="极点")
    edition = EditionFactory(number=32)
    attendance = Attendance.objects.create(
        edition=edition,
        name="Li Wei",
        role=Attendance.Role.EXPERT,
        country="CN",
        organisation=organisation,
        checked_in_at=datetime.datetime(2026, 5, 1, 9, 30, tzinfo=datetime.UTC),
    )
    Attendance.objects.create(edition=edition, name="Ana", role="media", country="BR")
    rows = read(client, organiser, "/exports/attendance", edition=32)
    assert rows == [
        {
            "id": attendance.pk,
            "edition__number": 32,
            "name": "Li Wei",
            "role": "expert",
            "country": "CN",
            "organisation__name_en": "Acme",
            "code": attendance.code,
            "checked_in_at": "2026-05-01T09:30:00+00:00",
        },
        {
            "id": attendance.pk + 1,
            "edition__number": 32,
            "name": "Ana",
            "role": "media",
            "country": "BR",
            "organisation__name_en": None,
            "code": Attendance.objects.get(name="Ana").code,
            "checked_in_at": None,
        },
    ]


def test_talents_export_joins_fields_as_the_csv_does(client, organiser):
    first, second = FieldFactory(name_en="AI"), FieldFactory(name_en="Biology")
    talent = TalentProfileFactory(headline="Researcher")
    talent.fields.set([first, second])
    rows = read(client, organiser, "/recruitment/exports/talents")
    assert [(row["id"], row["headline"], row["fields"]) for row in rows] == [
        (talent.pk, "Researcher", f"{first}, {second}")
    ]
    with translation.override("en"):
        csv_rows = admin_csv(recruitment_exports.TALENTS, talent.__class__.objects.all())
    assert csv_rows[1][recruitment_exports.TALENTS.fields.index("fields")] == f"{first}, {second}"


def test_articles_export_pages_follow_the_next_link(client, organiser):
    articles = [ArticleFactory() for _ in range(3)]
    first = client.get(
        f"{API}/news/exports/articles", {"page_size": 2}, **bearer(organiser, EXPORTS)
    ).json()
    assert [row["id"] for row in first["results"]] == [articles[0].pk, articles[1].pk]
    second = client.get(first["next"], **bearer(organiser, EXPORTS)).json()
    assert [row["id"] for row in second["results"]] == [articles[2].pk]
    assert second["next"] is None
    assert second["results"][0]["title_zh"] == articles[2].title_zh
    assert second["results"][0]["state"] == articles[2].state
