import io

import pytest
from django.core.management import CommandError, call_command

from ciep.models import Attendance, Edition, Organisation
from ciep.report import edition_report

pytestmark = pytest.mark.django_db

SMALL = {
    "organisations": 30,
    "countries": 7,
    "experts": 12,
    "representatives": 9,
    "visitors": 80,
    "delegations": 5,
}
# The areas' parts of the edition.
AREAS = {
    "booths": 12,
    "exhibition_area": 240,
    "events": 6,
    "registrations": 40,
    "jobs": 10,
    "applications": 15,
    "projects": 8,
    "intentions": 10,
    "agreements": 3,
}


def run(number=45, **overrides):
    options = {**SMALL, **AREAS, **overrides}
    out = io.StringIO()
    call_command("generate_edition", str(number), "--seed", "3", stdout=out, **options)
    return out.getvalue()


def test_generated_edition_report_equals_what_was_asked():
    output = run()
    figures = edition_report(Edition.objects.get(number=45))
    assert figures["organisations"] == 30
    assert figures["countries_and_regions"] == 7
    assert figures["foreign_experts"] == 12
    assert figures["representatives"] == 9
    assert figures["visitors"] == 80
    assert figures["delegations"] == 5
    assert (figures["booths"], figures["exhibition_area_m2"]) == (12, 240)
    assert (figures["events"], figures["registrations"]) == (6, 40)
    assert (figures["job_postings"], figures["applications"]) == (10, 15)
    assert (figures["projects"], figures["cooperation_intentions"]) == (8, 10)
    assert figures["agreements_signed"] == 3
    assert "100% attendees" in output


def test_generation_is_deterministic_and_replaces_the_edition():
    run()
    first = sorted(
        Organisation.objects.filter(name_en__endswith="(45)").values_list("name_en", "country")
    )
    run()
    second = sorted(
        Organisation.objects.filter(name_en__endswith="(45)").values_list("name_en", "country")
    )
    assert first == second
    assert Edition.objects.filter(number=45).count() == 1
    assert Attendance.objects.filter(edition__number=45).count() == 80


def test_generation_refuses_impossible_sizes():
    with pytest.raises(CommandError):
        run(organisations=3, countries=7)
    with pytest.raises(CommandError):
        run(intentions=2, agreements=3)
    assert not Edition.objects.filter(number=45).exists()


def test_generated_editions_are_dated_like_the_conference():
    from ciep.synthetic.edition import edition_year

    assert [edition_year(n) for n in (1, 17, 18, 20, 21)] == [2001, 2019, 2020, 2022, 2023]
    years = [edition_year(n) for n in range(1, 30)]
    assert years == sorted(set(years))
