import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from projects import services
from projects.models import CompetitionEntry
from tests.conftest import sign_in_with_second_factor
from tests.factories import MembershipFactory
from tests.projects.factories import CompetitionFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_competition_entry_by_owner_and_results_by_organiser(client, edition, organiser, user):
    membership = MembershipFactory()
    competition = CompetitionFactory(edition=edition, name_en="Pitch@Palace China 3.0")
    project = ProjectFactory(edition=edition, organisation=membership.organisation)
    with pytest.raises(PermissionDenied):
        services.competition_enter(competition=competition, project=project, by=user)
    entry = services.competition_enter(competition=competition, project=project, by=membership.user)
    with pytest.raises(ValidationError):
        services.competition_enter(competition=competition, project=project, by=membership.user)
    with pytest.raises(PermissionDenied):
        services.entry_set_result(entry=entry, by=membership.user, result="winner")
    services.entry_set_result(entry=entry, by=organiser, result="winner", award="First prize")
    entry.refresh_from_db()
    assert (entry.result, entry.award) == ("winner", "First prize")
    response = client.get(competition.get_absolute_url())
    assert [e.project for e in response.context["entries"]] == [project]
    assert "First prize" in response.content.decode()


def test_competition_refuses_other_edition_and_closed(edition):
    membership = MembershipFactory()
    competition = CompetitionFactory(edition=edition)
    other_project = ProjectFactory(organisation=membership.organisation)
    with pytest.raises(ValidationError):
        services.competition_enter(
            competition=competition, project=other_project, by=membership.user
        )
    closed = CompetitionFactory(edition=edition, entries_open=False)
    project = ProjectFactory(edition=edition, organisation=membership.organisation)
    with pytest.raises(ValidationError):
        services.competition_enter(competition=closed, project=project, by=membership.user)
    assert CompetitionEntry.objects.count() == 0


def test_competition_entry_from_project_page(client, edition):
    membership = MembershipFactory()
    competition = CompetitionFactory(edition=edition)
    project = ProjectFactory(edition=edition, organisation=membership.organisation)
    client.force_login(membership.user)
    client.post(
        reverse("projects:project_action", args=[project.pk, "enter"]),
        {"competition": competition.pk},
    )
    assert list(competition.entries.values_list("project", flat=True)) == [project.pk]


def test_admin_marks_finalists(client, organiser, edition):
    entry = CompetitionEntry.objects.create(
        competition=CompetitionFactory(edition=edition), project=ProjectFactory(edition=edition)
    )
    sign_in_with_second_factor(client, organiser)
    client.post(
        reverse("admin:projects_competitionentry_changelist"),
        {"action": "mark_finalist", "_selected_action": [entry.pk]},
    )
    entry.refresh_from_db()
    assert entry.result == "finalist"


def test_competition_list_page(client, edition):
    CompetitionFactory(edition=edition, name_en="China (Shenzhen) Innovation Competition")
    response = client.get(reverse("projects:competition_list"))
    assert "China (Shenzhen) Innovation Competition" in response.content.decode()
