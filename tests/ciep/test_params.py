"""Ids and numbers typed into addresses: a form error, a 404 or the default, never a 500."""

import pytest
from django.urls import reverse

from ciep.params import as_id
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

HOSTILE = ["abc", "⁰⁴⁵", "٣", "１２", "-1", "0", "1e3", " ", "9" * 40, "1;DROP", "\u202e12"]


@pytest.mark.parametrize(
    "value, expected",
    [("12", 12), (" 7 ", 7), (12, 12), (None, None), ("", None)] + [(v, None) for v in HOSTILE],
)
def test_as_id_reads_ascii_digits_only(value, expected):
    assert as_id(value) == expected


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_ids_in_addresses_never_answer_500(client, organiser, edition, value):
    client.raise_request_exception = False
    client.force_login(organiser)
    for path in (
        f"/projects/agreements/?edition={value}",
        f"/projects/ranking/?edition={value}",
        f"/projects/intentions/new/?project={value}",
    ):
        assert client.get(path).status_code in (200, 302, 404), path
    client.force_login(MembershipFactory(role="admin").user)
    response = client.get(f"{reverse('exhibitions:application_create')}?organisation={value}")
    assert response.status_code in (200, 302, 404)


@pytest.mark.parametrize("target", ["abc", "admin", "//evil.example/", "https://evil.example/"])
def test_time_zone_form_goes_back_only_to_a_path_of_the_portal(client, edition, target):
    client.raise_request_exception = False
    response = client.post(
        reverse("exhibitions:set_timezone"), {"tz": "Asia/Tokyo", "next": target}
    )
    assert (response.status_code, response["Location"]) == (302, reverse("exhibitions:catalogue"))


def test_time_zone_form_goes_back_to_the_page(client, edition):
    response = client.post(
        reverse("exhibitions:set_timezone"), {"tz": "Asia/Tokyo", "next": "/exhibition/?page=2"}
    )
    assert response["Location"] == "/exhibition/?page=2"


@pytest.mark.parametrize("value", [10**23, "99999999999999999999999", -(10**23)])
def test_an_id_beyond_any_column_matches_no_row(field, value):
    from ciep.models import Field

    assert list(Field.objects.filter(pk__in=[value, field.pk])) == [field]
    assert list(Field.objects.filter(pk__in=[value])) == []


def test_a_choice_of_ids_beyond_any_column_is_a_form_error(client, user):
    client.force_login(user)
    response = client.post(
        reverse("ciep:organisation_create"),
        {"name_en": "Acme", "fields": ["99999999999999999999999"]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["fields"] == [
        "Select a valid choice. 99999999999999999999999 is not one of the available choices."
    ]
