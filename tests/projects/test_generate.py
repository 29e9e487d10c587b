import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from ciep.models import Edition, User
from projects.figures import edition_figures
from projects.models import Competition, Intention, IntentionEvent, Project

pytestmark = pytest.mark.django_db

SMALL = {
    "organisations": 30,
    "countries": 7,
    "experts": 12,
    "representatives": 9,
    "visitors": 80,
    "delegations": 5,
    "booths": 0,
    "exhibition_area": 0,
    "events": 0,
    "registrations": 0,
    "jobs": 0,
    "applications": 0,
    "projects": 12,
    "intentions": 12,
    "agreements": 12,
}


def run(number=45, **overrides):
    out = io.StringIO()
    call_command(
        "generate_edition", str(number), "--seed", "3", stdout=out, **{**SMALL, **overrides}
    )
    return Edition.objects.get(number=number)


def snapshot(edition):
    return {
        "projects": sorted(
            Project.objects.filter(edition=edition).values_list(
                "title_en", "title_zh", "kind", "state", "owner_country", "organisation__name_en"
            )
        ),
        "intentions": sorted(
            Intention.objects.filter(edition=edition).values_list(
                "description_en", "state", "signed_on", "delegation__name_en"
            )
        ),
        "events": IntentionEvent.objects.filter(intention__edition=edition).count(),
        "experts": sorted(
            User.objects.filter(email__startswith="expert-45-").values_list("email", flat=True)
        ),
    }


def test_generated_figures_equal_what_was_asked():
    figures = edition_figures(run(projects=12, intentions=12, agreements=5))

    assert figures["projects"] == 12
    assert figures["cooperation_intentions"] == 12
    assert figures["agreements_signed"] == 5


def test_generated_figures_when_every_intention_is_an_agreement():
    figures = edition_figures(run(projects=12, intentions=12, agreements=12))

    assert (figures["projects"], figures["cooperation_intentions"]) == (12, 12)
    assert figures["agreements_signed"] == 12


def test_generated_rows_respect_the_workflow():
    edition = run(projects=40, intentions=40, agreements=10)

    agreements = Intention.objects.filter(edition=edition).agreements()
    assert agreements.filter(signed_on__isnull=True).count() == 0
    answering = Intention.objects.filter(edition=edition, project__isnull=False)
    assert (
        answering.exclude(
            counterpart_organisation=F("project__organisation"),
        )
        .exclude(counterpart_delegation=F("project__delegation"))
        .count()
        == 0
    )
    assert Project.objects.filter(edition=edition).exclude(state="published").count() == 2
    assert Competition.objects.filter(edition=edition).count() == 1


def test_generation_is_deterministic_and_replaces_the_edition():
    first = snapshot(run())
    # Delegations' demands and intentions go with the delegations when the edition is replaced.
    assert Project.objects.filter(edition__number=45, delegation__isnull=False).exists()
    assert Intention.objects.filter(edition__number=45, delegation__isnull=False).exists()
    second = snapshot(run())

    assert first == second
    assert len(first["projects"]) == 12
    assert Edition.objects.filter(number=45).count() == 1
    assert User.objects.filter(email__startswith="expert-45-").count() == 1


def test_generation_without_projects_or_intentions_creates_none():
    edition = run(projects=0, intentions=0, agreements=0)

    assert Project.objects.filter(edition=edition).count() == 0
    assert Intention.objects.filter(edition=edition).count() == 0


def test_generation_refuses_projects_without_owners():
    with pytest.raises(CommandError):
        run(organisations=0, countries=0, delegations=0, projects=12)

    assert not Edition.objects.filter(number=45).exists()
