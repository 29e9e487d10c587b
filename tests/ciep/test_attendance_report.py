import json

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ciep import report, services
from ciep.caching import forget_versions
from ciep.models import Attendance, Edition
from tests.conftest import sign_in
from tests.factories import (
    DelegationFactory,
    DelegationMemberFactory,
    EditionFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_attendance_register_once_and_check_in_once(edition, user):
    attendance = services.attendance_register(
        edition=edition, user=user, role="visitor", country="GB"
    )
    with pytest.raises(ValidationError):
        services.attendance_register(edition=edition, user=user, role="expert", country="GB")
    assert Attendance.objects.count() == 1
    services.attendance_check_in(edition=edition, code=attendance.code.lower())
    with pytest.raises(ValidationError) as error:
        services.attendance_check_in(edition=edition, code=attendance.code)
    assert "already used" in error.value.messages[0]


def test_attendance_check_in_forged_or_foreign_code_refused(edition, user):
    attendance = services.attendance_register(
        edition=edition, user=user, role="visitor", country="CN"
    )
    other = EditionFactory()
    for edition_, code in ((edition, "FORGED000000"), (other, attendance.code)):
        with pytest.raises(ValidationError):
            services.attendance_check_in(edition=edition_, code=code)
    attendance.refresh_from_db()
    assert attendance.checked_in_at is None


def test_attendance_as_representative_needs_membership(edition, user):
    delegation = DelegationFactory(edition=edition)
    with pytest.raises(ValidationError):
        services.attendance_register(
            edition=edition, user=user, role="representative", country="CN", delegation=delegation
        )
    DelegationMemberFactory(delegation=delegation, user=user)
    attendance = services.attendance_register(
        edition=edition, user=user, role="representative", country="CN", delegation=delegation
    )
    assert attendance.delegation == delegation


def test_attendance_concluded_edition_closed(user):
    edition = EditionFactory(status=Edition.Status.CONCLUDED)
    with pytest.raises(ValidationError):
        services.attendance_register(edition=edition, user=user, role="visitor", country="CN")


def test_attend_page_shows_qr_and_check_in_desk_only_for_organisers(client, edition, organiser):
    visitor = UserFactory()
    sign_in(client, visitor)
    url = reverse("ciep:edition_attend", args=[edition.number])
    response = client.post(url, {"role": "visitor", "country": "FR"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    code = Attendance.objects.get(user=visitor).code
    assert code in page and "<svg" in page
    desk = reverse("ciep:edition_check_in", args=[edition.number])
    assert client.get(desk).status_code == 404
    sign_in(client, organiser)
    response = client.post(desk, {"code": code})
    assert "checked in" in response.content.decode()
    response = client.post(desk, {"code": code})
    assert "already used" in response.content.decode()


def build_edition():
    """A small edition with hand-counted figures."""
    edition = EditionFactory(guest_of_honour="GB", observers=["RU"])
    jiangsu = DelegationFactory(edition=edition, kind="province")
    DelegationFactory(edition=edition, kind="city", parent=jiangsu)
    cn_org = OrganisationFactory(country="CN", type="university")
    gb_org = OrganisationFactory(country="GB", type="enterprise")
    OrganisationFactory(country="US")  # not taking part
    jiangsu.organisations.add(cn_org, gb_org)
    # gb_org also sends an attendee: it still counts once.
    staff = MembershipFactory(organisation=gb_org).user
    Attendance.objects.create(
        edition=edition,
        user=staff,
        name="A",
        role="exhibitor_staff",
        country="GB",
        organisation=gb_org,
    )
    Attendance.objects.create(edition=edition, name="B", role="expert", country="DE")
    Attendance.objects.create(edition=edition, name="C", role="expert", country="CN")
    Attendance.objects.create(edition=edition, name="D", role="representative", country="CN")
    Attendance.objects.create(edition=edition, name="E", role="visitor", country="CN")
    return edition, gb_org


def test_core_figures_exact():
    edition, _gb = build_edition()
    figures = report.edition_report(edition)
    assert figures["organisations"] == 2
    assert figures["countries_and_regions"] == 2
    assert figures["organisations_by_country"] == {"CN": 1, "GB": 1}
    assert figures["organisations_by_type"] == {"enterprise": 1, "university": 1}
    assert figures["visitors"] == 5
    assert figures["foreign_experts"] == 1
    assert figures["representatives"] == 1
    assert figures["delegations"] == 2
    assert figures["provinces"] == 1
    for key in report.REQUIRED_KEYS:
        assert isinstance(figures[key], int), key


def test_figures_follow_the_data():
    edition, gb_org = build_edition()
    OrganisationFactory(country="JP").delegations.add(edition.delegations.first())
    assert report.edition_report(edition)["countries_and_regions"] == 3
    gb_org.delete()
    figures = report.edition_report(edition)
    assert (figures["organisations"], figures["countries_and_regions"]) == (2, 2)


def test_report_json_keys_and_types(client):
    edition, _gb = build_edition()
    response = client.get(reverse("ciep:edition_report_json", args=[edition.number]))
    data = json.loads(response.content)
    assert data["edition"]["number"] == edition.number
    assert data["edition"]["observers"] == ["Russia"]
    for key in report.REQUIRED_KEYS:
        assert type(data[key]) is int, key
    assert data["organisations_by_country"] == {"CN": 1, "GB": 1}


def test_report_csv_has_bom_and_labels(client):
    edition, _gb = build_edition()
    response = client.get(reverse("ciep:edition_report_csv", args=[edition.number]))
    content = response.getvalue().decode("utf-8")
    assert content.startswith("\ufeff")
    assert "Organisations taking part,,2" in content
    assert "Organisations by country or region,United Kingdom,1" in content


def test_report_page_both_languages_with_chart(client):
    edition, _gb = build_edition()
    url = reverse("ciep:edition_report", args=[edition.number])
    page = client.get(url).content.decode()
    assert 'role="img"' in page and "Organisations taking part" in page
    zh = client.get("/zh-hans" + url).content.decode()
    assert "参与机构" in zh and "英国" in zh


def test_report_query_count_does_not_grow(client):
    edition, _gb = build_edition()
    url = reverse("ciep:edition_report", args=[edition.number])
    client.get(url)
    cache.clear()
    forget_versions()  # this process's versions too, however slow the machine
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    delegation = edition.delegations.first()
    for index in range(15):
        delegation.organisations.add(OrganisationFactory(country=["FR", "DE", "JP"][index % 3]))
        Attendance.objects.create(edition=edition, name=f"V{index}", role="visitor", country="CN")
    cache.clear()
    forget_versions()  # this process's versions too, however slow the machine
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_compare_two_editions(client):
    a, _gb = build_edition()
    b = EditionFactory()
    assert a.number < b.number
    response = client.get(reverse("ciep:edition_compare"), {"a": b.number, "b": a.number})
    rows = {row["key"]: row for row in response.context["rows"]}
    assert rows["organisations"]["values"] == [2, 0]  # older first, whatever the order asked
    assert rows["organisations"]["change"] == -2
    assert rows["organisations"]["percent"] == -100.0
    assert client.get(reverse("ciep:edition_compare"), {"a": 999}).status_code == 200


def test_report_unknown_edition_404(client, db):
    assert client.get("/editions/99/report.json").status_code == 404


def test_attendance_qr_opens_the_check_in_desk_with_the_code(client, edition, organiser):
    visitor = UserFactory()
    attendance = services.attendance_register(
        edition=edition, user=visitor, role="visitor", country="FR"
    )
    sign_in(client, organiser)
    desk = reverse("ciep:edition_check_in", args=[edition.number])
    page = client.get(desk, {"code": attendance.code}).content.decode()
    assert f'value="{attendance.code}"' in page
    sign_in(client, visitor)
    page = client.get(reverse("ciep:edition_attend", args=[edition.number])).content.decode()
    assert "<svg" in page and f"<title>Check-in code {attendance.code}</title>" in page
