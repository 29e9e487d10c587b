import pytest
from django.urls import reverse

from projects import selectors
from projects.models import Intention
from tests.factories import (
    DelegationFactory,
    DelegationMemberFactory,
    FieldFactory,
    MembershipFactory,
    OrganisationFactory,
)
from tests.projects.factories import DemandFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_recommendations_for_organisation_ranked_by_database(edition):
    photonics, biomedicine, fintech = FieldFactory(), FieldFactory(), FieldFactory()
    organisation = OrganisationFactory(country="HK")
    organisation.fields.set([photonics, biomedicine])
    ProjectFactory(edition=edition, organisation=organisation, cooperation_types=["training"])
    both_fields = ProjectFactory(edition=edition, title_en="Both", fields=[photonics, biomedicine])
    one_field_country = ProjectFactory(
        edition=edition, title_en="One+country", fields=[photonics], country_sought="HK"
    )
    type_only = ProjectFactory(
        edition=edition, title_en="Type", fields=[fintech], cooperation_types=["training"]
    )
    ProjectFactory(edition=edition, title_en="Nothing", fields=[fintech])
    ProjectFactory(edition=edition, title_en="Draft", fields=[photonics], state="draft")
    rows = list(selectors.recommendations_for_organisation(organisation, edition))
    assert [(p.title_en, p.score) for p in rows] == [
        ("Both", 6),
        ("One+country", 5),
        ("Type", 1),
    ]
    assert [f.pk for f in rows[0].shared_fields] == sorted([photonics.pk, biomedicine.pk])
    assert (rows[1].country_match, rows[1].type_match) == (1, 0)
    assert (rows[2].shared_field_count, rows[2].type_match) == (0, 1)
    assert both_fields and one_field_country and type_only


def test_recommendations_for_delegation_use_demands_and_member_organisations(edition):
    field = FieldFactory()
    delegation = DelegationFactory(edition=edition)
    DemandFactory(delegation=delegation, fields=[field])
    match = ProjectFactory(edition=edition, fields=[field])
    DemandFactory(
        delegation=DelegationFactory(edition=edition),
        fields=[FieldFactory()],
        cooperation_types=["training"],
    )
    assert list(selectors.recommendations_for_delegation(delegation)) == [match]


def test_recommendations_query_count_does_not_grow(client, edition, django_assert_num_queries):
    field = FieldFactory()
    membership = MembershipFactory()
    membership.organisation.fields.add(field)
    ProjectFactory(edition=edition, fields=[field])
    client.force_login(membership.user)
    url = reverse("projects:recommendations")
    with django_assert_num_queries(11) as one:
        response = client.get(url)
    assert len(response.context["rows"]) == 1
    for _ in range(20):
        ProjectFactory(edition=edition, fields=[field])
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 20


def test_recommendation_submits_intention_in_one_step(client, edition):
    field = FieldFactory()
    delegation = DelegationFactory(edition=edition)
    representative = DelegationMemberFactory(delegation=delegation).user
    DemandFactory(delegation=delegation, fields=[field])
    project = ProjectFactory(edition=edition, fields=[field], cooperation_types=["licensing"])
    client.force_login(representative)
    response = client.get(reverse("projects:recommendations"))
    assert "Why this match:" in response.content.decode()
    response = client.post(
        reverse("projects:recommendation_submit"),
        {
            "project": project.pk,
            "party": f"delegation:{delegation.pk}",
            "cooperation_type": "licensing",
        },
    )
    intention = Intention.objects.get()
    assert response["Location"] == intention.get_absolute_url()
    assert (intention.delegation, intention.project, intention.cooperation_type) == (
        delegation,
        project,
        "licensing",
    )
    assert (
        intention.description_en
        == f"Interested in cooperating on “{project.title_en}” (Licensing)."
    )


def test_recommendation_submit_for_foreign_party_is_refused(client, user, edition):
    project = ProjectFactory(edition=edition)
    other = DelegationFactory(edition=edition)
    client.force_login(user)
    client.post(
        reverse("projects:recommendation_submit"),
        {"project": project.pk, "party": f"delegation:{other.pk}", "cooperation_type": "licensing"},
    )
    assert Intention.objects.count() == 0
