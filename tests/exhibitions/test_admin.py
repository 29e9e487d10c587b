import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse

from exhibitions.models import Application, Booth, Exhibitor
from tests.conftest import sign_in_with_second_factor
from tests.factories import DelegationFactory, MembershipFactory

from .factories import (
    ApplicationFactory,
    BoothFactory,
    ExhibitorFactory,
    HallFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def populated(edition):
    hall = HallFactory(edition=edition)
    exhibitor = ExhibitorFactory(edition=edition)
    BoothFactory(hall=hall, state=Booth.State.ASSIGNED, exhibitor=exhibitor)
    ApplicationFactory(edition=edition)
    MeetingFactory(slot__exhibitor=exhibitor)
    return hall


MODELS = ["hall", "booth", "application", "exhibitor", "slot", "meeting"]


@pytest.mark.parametrize("model", MODELS)
def test_admin_pages_load_for_organiser(client, organiser, populated, model):
    sign_in_with_second_factor(client, organiser)
    changelist = reverse(f"admin:exhibitions_{model}_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist + "?q=a").status_code == 200
    from django.apps import apps

    obj = apps.get_model("exhibitions", model).objects.first()
    assert (
        client.get(reverse(f"admin:exhibitions_{model}_change", args=[obj.pk])).status_code == 200
    )


def test_admin_is_closed_to_visitors(client, user, populated):
    client.force_login(user)
    response = client.get(reverse("admin:exhibitions_booth_changelist"))
    assert response.status_code == 302


def test_hall_page_links_floor_plan_and_row_creation(client, organiser, hall):
    sign_in_with_second_factor(client, organiser)
    page = client.get(reverse("admin:exhibitions_hall_change", args=[hall.pk])).content.decode()
    assert hall.get_absolute_url() in page
    assert reverse("admin:exhibitions_hall_add_row", args=[hall.pk]) in page


def test_add_row_view_creates_booths(client, organiser, hall):
    sign_in_with_second_factor(client, organiser)
    response = client.post(
        reverse("admin:exhibitions_hall_add_row", args=[hall.pk]),
        {
            "prefix": "A-",
            "first_number": 1,
            "count": 4,
            "x": 0,
            "y": 0,
            "width": 3,
            "depth": 3,
            "kind": "standard",
            "price_band": "B",
        },
    )
    assert response.status_code == 302
    assert list(hall.booths.values_list("code", flat=True)) == ["A-1", "A-2", "A-3", "A-4"]


def test_add_row_view_shows_error_when_row_does_not_fit(client, organiser, hall):
    sign_in_with_second_factor(client, organiser)
    response = client.post(
        reverse("admin:exhibitions_hall_add_row", args=[hall.pk]),
        {
            "prefix": "A-",
            "first_number": 1,
            "count": 50,
            "x": 0,
            "y": 0,
            "width": 3,
            "depth": 3,
            "kind": "standard",
            "price_band": "B",
        },
    )
    assert response.status_code == 200
    assert "does not fit" in response.content.decode()
    assert hall.booths.count() == 0


def test_approve_action_creates_exhibitor(client, organiser, edition):
    application = ApplicationFactory(edition=edition)
    MembershipFactory(organisation=application.organisation, role="admin")
    sign_in_with_second_factor(client, organiser)
    client.post(
        reverse("admin:exhibitions_application_changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [application.pk]},
    )
    application.refresh_from_db()
    assert application.state == Application.State.APPROVED
    assert Exhibitor.objects.get().organisation == application.organisation
    assert len(mail.outbox) == 1


def test_reject_action_asks_for_reason_then_rejects(client, organiser, edition):
    application = ApplicationFactory(edition=edition)
    sign_in_with_second_factor(client, organiser)
    url = reverse("admin:exhibitions_application_changelist")
    page = client.post(url, {"action": "reject", ACTION_CHECKBOX_NAME: [application.pk]})
    assert page.status_code == 200
    assert 'name="note"' in page.content.decode()
    client.post(
        url,
        {"action": "reject", ACTION_CHECKBOX_NAME: [application.pk], "apply": "1", "note": "Full."},
    )
    application.refresh_from_db()
    assert (application.state, application.decision_note) == ("rejected", "Full.")


def test_assign_booth_action_and_release(client, organiser, edition):
    hall = HallFactory(edition=edition)
    booth = BoothFactory(hall=hall)
    exhibitor = ExhibitorFactory(edition=edition)
    sign_in_with_second_factor(client, organiser)
    url = reverse("admin:exhibitions_exhibitor_changelist")
    page = client.post(url, {"action": "assign_booth", ACTION_CHECKBOX_NAME: [exhibitor.pk]})
    assert booth.code in page.content.decode()
    client.post(
        url,
        {
            "action": "assign_booth",
            ACTION_CHECKBOX_NAME: [exhibitor.pk],
            "apply": "1",
            "booth": booth.pk,
        },
    )
    booth.refresh_from_db()
    assert booth.exhibitor == exhibitor
    client.post(
        reverse("admin:exhibitions_booth_changelist"),
        {"action": "release", ACTION_CHECKBOX_NAME: [booth.pk]},
    )
    booth.refresh_from_db()
    assert (booth.state, booth.exhibitor) == ("available", None)


def test_assign_pavilion_action(client, organiser, edition):
    booth = BoothFactory(hall=HallFactory(edition=edition), kind=Booth.Kind.PAVILION)
    delegation = DelegationFactory(edition=edition)
    sign_in_with_second_factor(client, organiser)
    client.post(
        reverse("admin:exhibitions_booth_changelist"),
        {
            "action": "assign_pavilion",
            ACTION_CHECKBOX_NAME: [booth.pk],
            "apply": "1",
            "delegation": delegation.pk,
        },
    )
    booth.refresh_from_db()
    assert booth.delegation == delegation


def test_export_exhibitors_csv_has_bom_and_chinese(client, organiser, edition):
    exhibitor = ExhibitorFactory(edition=edition)
    sign_in_with_second_factor(client, organiser)
    response = client.post(
        reverse("admin:exhibitions_exhibitor_changelist"),
        {"action": "export_csv", ACTION_CHECKBOX_NAME: [exhibitor.pk]},
    )
    content = response.getvalue().decode("utf-8")
    assert content.startswith("\ufeff")
    assert exhibitor.organisation.name_zh in content
