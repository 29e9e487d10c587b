"""Organisers import a hall's booths and an edition's exhibitors from the admin."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from ciep.models import ImportBatch
from exhibitions.models import Booth, Exhibitor
from tests.conftest import sign_in_with_second_factor
from tests.factories import FieldFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.spreadsheets import csv_upload, url

from .factories import BoothFactory, ExhibitorFactory, HallFactory

pytestmark = pytest.mark.django_db

BOOTH_HEADER = [
    "Booth code",
    "Size (m²)",
    "Kind",
    "Price band",
    "Position from the left (m)",
    "Position from the top (m)",
    "Width on the plan (m)",
    "Depth on the plan (m)",
]


@pytest.fixture
def hall(edition):
    return HallFactory(edition=edition, code="A", plan_width=30, plan_height=20)


def upload(client, name, pk, rows, language="en"):
    return client.post(url(name, pk, language=language), {"file": csv_upload(rows)})


def confirm(client, name, pk):
    return client.post(url(f"{name}_preview", pk, ImportBatch.objects.get().token))


BOOTHS = "admin:exhibitions_hall_import"
EXHIBITORS = "admin:exhibitions_exhibitor_import"


def test_booths_import_creates_exactly_the_rows(client, organiser, hall):
    sign_in_with_second_factor(client, organiser)
    rows = [
        BOOTH_HEADER,
        ["A-1", "", "", "", "0", "0", "", ""],
        ["A-2", "18", "Raw space", "Band A (premium)", "3", "0", "6", "3"],
        ["A-3", "", "pavilion", "C", "0", "10", "10", "10"],
    ]
    assert upload(client, BOOTHS, hall.pk, rows).status_code == 302
    assert Booth.objects.count() == 0
    assert confirm(client, BOOTHS, hall.pk).status_code == 302
    assert confirm(client, BOOTHS, hall.pk).status_code == 302  # once only
    assert list(
        Booth.objects.order_by("code").values_list(
            "hall", "code", "size_m2", "kind", "price_band", "x", "y", "width", "depth", "state"
        )
    ) == [
        (hall.pk, "A-1", 9, "standard", "B", 0, 0, 3, 3, "available"),
        (hall.pk, "A-2", 18, "raw", "A", 3, 0, 6, 3, "available"),
        (hall.pk, "A-3", 100, "pavilion", "C", 0, 10, 10, 10, "available"),
    ]


def test_booth_errors_name_row_and_column_and_save_nothing(client, organiser, hall):
    BoothFactory(hall=hall, code="A-9")
    sign_in_with_second_factor(client, organiser)
    rows = [
        BOOTH_HEADER,
        ["A-9", "", "", "", "0", "0", "", ""],
        ["A-5", "", "", "", "28", "0", "", ""],
        ["A-6", "", "kiosk", "", "0", "0", "", ""],
        ["A-7", "", "", "", "0", "0", "", ""],
        ["A-7", "", "", "", "3", "0", "", ""],
    ]
    response = upload(client, BOOTHS, hall.pk, rows)
    assert response.status_code == 200
    errors = [(e.row, e.column, e.message) for e in response.context["preview"].errors]
    assert errors == [
        (2, "Booth code", "The hall already has a booth A-9."),
        (
            3,
            "Position from the left (m)",
            "The booth does not fit across the hall's plan (30 m wide).",
        ),
        (4, "Kind", "“kiosk” is not one of the choices."),
        (5, "Booth code", "Another row of the file has the same value."),
        (6, "Booth code", "Another row of the file has the same value."),
    ]
    assert Booth.objects.count() == 1
    assert ImportBatch.objects.count() == 0


def test_booth_template_in_chinese(client, organiser, hall):
    sign_in_with_second_factor(client, organiser)
    response = client.get(url(f"{BOOTHS}_template", hall.pk, "xlsx", language="zh-hans"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]][:2] == ["展位编号 *", "面积（平方米）"]
    page = client.get(url(BOOTHS, hall.pk, language="zh-hans"))
    assert page.status_code == 200
    assert "导入展位" in page.content.decode()


def test_exhibitors_import_assigns_booths_and_tells_the_staff(client, organiser, hall, edition):
    field = FieldFactory(slug="5g", name_en="5G", name_zh="5G通信")
    booth = BoothFactory(hall=hall, code="A-1")
    first = OrganisationFactory(name_en="Huawei", name_zh="华为")
    second = OrganisationFactory(name_en="Siemens")
    staff = MembershipFactory(organisation=first).user
    sign_in_with_second_factor(client, organiser)
    rows = [
        ["Organisation", "Hall", "Booth code", "Fields", "Contact email"],
        ["华为", "A", "a-1", "5G通信", "expo@huawei.example"],
        ["siemens", "", "", "", ""],
    ]
    assert upload(client, EXHIBITORS, edition.pk, rows).status_code == 302
    mail.outbox.clear()
    assert confirm(client, EXHIBITORS, edition.pk).status_code == 302
    exhibitors = Exhibitor.objects.order_by("organisation__name_en")
    assert [
        (
            e.organisation_id,
            e.edition_id,
            getattr(e.location, "pk", None),
            list(e.fields.all()),
            e.contact_email,
        )
        for e in exhibitors
    ] == [
        (first.pk, edition.pk, booth.pk, [field], "expo@huawei.example"),
        (second.pk, edition.pk, None, [], ""),
    ]
    assert [message.to for message in mail.outbox] == [[staff.email]]
    assert confirm(client, EXHIBITORS, edition.pk).status_code == 302
    assert Exhibitor.objects.count() == 2


def test_exhibitor_errors(client, organiser, hall, edition):
    taken = BoothFactory(
        hall=hall,
        code="A-2",
        state=Booth.State.ASSIGNED,
        exhibitor=ExhibitorFactory(edition=edition),
    )
    OrganisationFactory(name_en="Twin")
    OrganisationFactory(name_en="Twin")
    sign_in_with_second_factor(client, organiser)
    rows = [
        ["Organisation", "Hall", "Booth code"],
        ["Nobody", "", ""],
        ["Twin", "", ""],
        [taken.exhibitor.organisation.name_en, "Z", "A-1"],
        [OrganisationFactory().name_en, "A", "A-2"],
    ]
    response = upload(client, EXHIBITORS, edition.pk, rows)
    errors = [(e.row, e.column, e.message) for e in response.context["preview"].errors]
    assert errors == [
        (2, "Organisation", "No organisation is called “Nobody”."),
        (3, "Organisation", "Several organisations are called “Twin”."),
        (4, "Hall", "No hall is called “Z”."),
        (5, "Booth code", "Booth A-2 is not available."),
    ]
    assert Exhibitor.objects.count() == 1


def test_only_organisers_import(client, hall, edition):
    staff = UserFactory(is_staff=True)
    staff.groups.clear()  # staff, but not an organiser
    sign_in_with_second_factor(client, staff)
    assert client.get(url(BOOTHS, hall.pk)).status_code == 403
    assert client.get(url(EXHIBITORS, edition.pk)).status_code == 403
    client.force_login(UserFactory())
    response = client.get(url(BOOTHS, hall.pk))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_admin_pages_link_to_the_imports(client, organiser, hall, edition):
    sign_in_with_second_factor(client, organiser)
    change = client.get(reverse("admin:exhibitions_hall_change", args=[hall.pk])).content.decode()
    assert url(BOOTHS, hall.pk) in change
    changelist = client.get(reverse("admin:exhibitions_exhibitor_changelist")).content.decode()
    assert url(EXHIBITORS, edition.pk) in changelist
