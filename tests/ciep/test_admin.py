import pytest
from django.contrib import admin
from django.urls import reverse

from ciep.models import Edition, Organisation, OutgoingMail
from tests.conftest import sign_in_with_second_factor
from tests.factories import (
    DelegationFactory,
    DelegationMemberFactory,
    EditionFactory,
    FieldFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def populated(db):
    """One row of each core model, so change pages have something to open."""
    membership = MembershipFactory()
    member = DelegationMemberFactory()
    FieldFactory()
    return membership, member


def registered_models():
    project_apps = {"ciep", "exhibitions", "recruitment", "projects", "forums"}
    return [model for model in admin.site._registry if model._meta.app_label in project_apps]


def test_every_registered_model_list_add_change_load_for_organiser(client, organiser, populated):
    sign_in_with_second_factor(client, organiser)
    for model in registered_models():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        assert client.get(changelist + "?q=a").status_code == 200, changelist
        model_admin = admin.site._registry[model]
        request = client.get(changelist).wsgi_request
        if model_admin.has_add_permission(request):
            add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
            assert client.get(add).status_code == 200, add
        obj = model.objects.first()
        if obj is not None:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert client.get(change).status_code == 200, change


def test_organiser_is_not_superuser_but_has_core_permissions(organiser):
    assert organiser.is_superuser is False
    assert organiser.has_perm("ciep.change_organisation")
    assert organiser.has_perm("ciep.add_edition")


def test_verify_action(client, organiser):
    organisation = OrganisationFactory(unverified=True)
    sign_in_with_second_factor(client, organiser)
    client.post(
        reverse("admin:ciep_organisation_changelist"),
        {"action": "verify", "_selected_action": [organisation.pk]},
    )
    organisation.refresh_from_db()
    assert organisation.verified_by == organiser


def test_make_current_action(client, organiser):
    old = EditionFactory(is_current=True)
    new = EditionFactory()
    sign_in_with_second_factor(client, organiser)
    client.post(
        reverse("admin:ciep_edition_changelist"),
        {"action": "make_current", "_selected_action": [new.pk]},
    )
    assert list(Edition.objects.filter(is_current=True)) == [new]
    assert old.pk != new.pk


def test_edition_status_moves_only_through_the_actions(client, organiser):
    planned = EditionFactory(status="planned")
    concluded = EditionFactory(status="concluded")
    sign_in_with_second_factor(client, organiser)
    change = client.get(reverse("admin:ciep_edition_change", args=[planned.pk]))
    assert "status" not in change.context["adminform"].form.fields
    changelist = reverse("admin:ciep_edition_changelist")
    client.post(changelist, {"action": "open_editions", "_selected_action": [planned.pk]})
    client.post(
        changelist,
        {"action": "conclude_editions", "_selected_action": [planned.pk, concluded.pk]},
    )
    assert dict(Edition.objects.values_list("pk", "status")) == {
        planned.pk: "concluded",
        concluded.pk: "concluded",
    }


def test_edition_transitions_refuse_anyone_but_organisers():
    from django.core.exceptions import PermissionDenied

    from ciep import services

    edition = EditionFactory(status="planned")
    with pytest.raises(PermissionDenied):
        services.edition_open(edition=edition, by=UserFactory())
    edition.refresh_from_db()
    assert edition.status == "planned"


def test_export_csv_has_bom_and_chinese(client, organiser):
    OrganisationFactory(name_en="Shenzhen University", name_zh="深圳大学")
    sign_in_with_second_factor(client, organiser)
    response = client.post(
        reverse("admin:ciep_organisation_changelist"),
        {
            "action": "export_csv",
            "_selected_action": list(Organisation.objects.values_list("pk", flat=True)),
        },
    )
    content = response.getvalue().decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    assert content.startswith("\ufeff")
    assert "深圳大学" in content


def test_reschedule_in_admin_requires_reason_and_records_change(client, organiser):
    edition = EditionFactory()
    sign_in_with_second_factor(client, organiser)
    url = reverse("admin:ciep_edition_change", args=[edition.pk])
    form = client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        {
            "start_date": "2030-05-26",
            "end_date": "2030-05-26",
            "format": "online",
            "guests-TOTAL_FORMS": 0,
            "guests-INITIAL_FORMS": 0,
            "changes-TOTAL_FORMS": 0,
            "changes-INITIAL_FORMS": 0,
        }
    )
    data = {k: v for k, v in data.items() if not isinstance(v, list) or v}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Say why the edition is rescheduled" in response.content.decode()
    data["reschedule_reason_en"] = "Moved online."
    response = client.post(url, data)
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.format == "online"
    assert edition.changes.get().previous_format == "offline"


def test_delegation_admin_filters(client, organiser):
    DelegationFactory()
    sign_in_with_second_factor(client, organiser)
    response = client.get(reverse("admin:ciep_delegation_changelist") + "?kind__exact=province")
    assert response.status_code == 200


def test_outgoing_mail_shows_failures_hides_bodies_and_sends_again(client, organiser, mailoutbox):
    failed = OutgoingMail.objects.create(
        to="ana@example.org",
        from_email="CIEP <noreply@ciep.example>",
        subject="Your ticket",
        body="Your secret reset link",
        state=OutgoingMail.State.FAILED,
        attempts=15,
        last_error="ConnectionRefusedError: [Errno 111]",
    )
    sent = OutgoingMail.objects.create(
        to="li@example.org", from_email="x@y.z", subject="Sent", body="b", state="sent"
    )
    sign_in_with_second_factor(client, organiser)
    page = client.get(reverse("admin:ciep_outgoingmail_change", args=[failed.pk]))
    body = page.content.decode()
    assert "ConnectionRefusedError" in body
    assert "Your secret reset link" not in body
    client.post(
        reverse("admin:ciep_outgoingmail_changelist"),
        {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
    )
    assert [message.subject for message in mailoutbox] == ["Your ticket"]
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("sent", 1)


def _state_fields(model) -> set[str]:
    return {
        field.name
        for field in model._meta.get_fields()
        if field.name in ("state", "status") and getattr(field, "choices", None)
    }


def test_every_state_field_is_read_only_in_the_admin(rf, organiser):
    """States move only through services: a row's change form shows its state, and actions
    move it (a new edition or session may be entered in any state)."""
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = organiser
    editable = []
    for model, model_admin in admin.site._registry.items():
        admins = [(model, model_admin)] + [
            (inline.model, inline(model, admin.site)) for inline in model_admin.inlines
        ]
        for shown_model, shown_admin in admins:
            read_only = set(shown_admin.get_readonly_fields(request, shown_model()))
            editable += [
                f"{shown_model._meta.label}.{name}"
                for name in sorted(_state_fields(shown_model) - read_only)
            ]
    assert editable == []
