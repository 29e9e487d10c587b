"""The audit log: organisers' actions and services' transitions, recorded without secrets."""

import pytest
from allauth.mfa.models import Authenticator
from auditlog.context import set_actor
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from ciep.audit import audited_update
from ciep.models import AuditEntry, Edition, Invitation, Organisation, OutgoingMail
from ciep.services import edition_make_current
from tests.conftest import give_authenticator, sign_in_with_second_factor
from tests.factories import PASSWORD, EditionFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def entries_of(obj):
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)
        ).order_by("id")
    )


def test_verify_action_is_recorded_with_organiser_and_change(client, organiser):
    organisation = OrganisationFactory(unverified=True)
    sign_in_with_second_factor(client, organiser)
    client.post(
        reverse("admin:ciep_organisation_changelist"),
        {"action": "verify", "_selected_action": [organisation.pk]},
    )
    organisation.refresh_from_db()
    [created, verified] = entries_of(organisation)
    assert created.action == AuditEntry.Action.CREATE
    assert (verified.action, verified.actor, verified.remote_addr) == (
        AuditEntry.Action.UPDATE,
        organiser,
        "127.0.0.1",
    )
    assert sorted(verified.changes_dict) == ["verified_at", "verified_by"]
    assert verified.changes_dict["verified_by"] == ["None", str(organiser.pk)]


def test_update_by_a_service_is_recorded(organiser):
    old = EditionFactory(is_current=True)
    new = EditionFactory()
    with set_actor(organiser):
        edition_make_current(edition=new, by=organiser)
    [old_entry] = entries_of(old)[1:]
    [new_entry] = entries_of(new)[1:]
    assert old_entry.actor == new_entry.actor == organiser
    assert old_entry.changes_dict == {"is_current": ["True", "False"]}
    assert new_entry.changes_dict == {"is_current": ["False", "True"]}


def test_audited_update_records_each_changed_row_and_returns_the_count(organiser):
    first, second, third = OrganisationFactory.create_batch(3, city="Shenzhen")
    third.city = "Espoo"
    third.save()
    with set_actor(organiser):
        count = audited_update(Organisation.objects.filter(city="Shenzhen"), city="Nanjing")
    assert count == 2
    assert [entry.changes_dict for entry in entries_of(first)[1:]] == [
        {"city": ["Shenzhen", "Nanjing"]}
    ]
    assert [entry.changes_dict for entry in entries_of(second)[1:]] == [
        {"city": ["Shenzhen", "Nanjing"]}
    ]
    assert [entry.changes_dict for entry in entries_of(third)[1:]] == [
        {"city": ["Shenzhen", "Espoo"]}
    ]


def test_audited_update_of_nothing_records_nothing():
    before = AuditEntry.objects.count()
    assert audited_update(Edition.objects.filter(number=-1), is_current=True) == 0
    assert AuditEntry.objects.count() == before


def test_password_change_leaves_no_secret_in_the_log(client):
    user = UserFactory()
    client.force_login(user)
    new_password = "another-long-password-77"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    logged = " ".join(
        f"{entry.changes} {entry.serialized_data}" for entry in AuditEntry.objects.all()
    )
    assert new_password not in logged
    assert user.password not in logged
    assert "password" not in logged
    assert [entry.action for entry in entries_of(user)] == [AuditEntry.Action.CREATE]


def test_sign_in_is_not_an_audited_change(user):
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    assert [entry.action for entry in entries_of(user)] == [AuditEntry.Action.CREATE]


def test_tokens_and_authenticators_stay_out_of_the_log(organiser, organisation):
    invitation = Invitation.objects.create(
        organisation=organisation, email="guest@example.org", invited_by=organiser
    )
    [created] = entries_of(invitation)
    assert "token" not in created.changes_dict
    assert invitation.token not in str(created.changes)
    give_authenticator(organiser)
    assert not auditlog.contains(Authenticator)
    assert not auditlog.contains(OutgoingMail)


def test_group_membership_is_recorded(organiser):
    user = UserFactory()
    with set_actor(organiser):
        user.groups.add(*organiser.groups.all())
    [_created, granted] = entries_of(user)
    assert (granted.actor, granted.changes_dict["groups"]["objects"]) == (
        organiser,
        ["Organisers"],
    )


def test_models_organisers_manage_are_recorded():
    audited = {model._meta.label for model in auditlog.get_models()}
    assert {
        "ciep.Organisation",
        "ciep.User",
        "ciep.DelegationDocument",
        "exhibitions.Booth",
        "recruitment.JobPosting",
        "projects.Project",
        "forums.Registration",
    } <= audited
    assert {"ciep.OutgoingMail", "ciep.AuditEntry", "mfa.Authenticator"} & audited == set()


# --- The admin ------------------------------------------------------------------------------


def test_audit_log_admin_loads_for_organiser(client, organiser):
    organisation = OrganisationFactory(name_en="Nordic Photonics")
    with set_actor(organiser):
        organisation.city = "Espoo"
        organisation.save()
    sign_in_with_second_factor(client, organiser)
    changelist = reverse("admin:ciep_auditentry_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    assert "Nordic Photonics" in page.content.decode()
    entry = entries_of(organisation)[-1]
    for query in (
        "?q=Nordic",
        f"?organiser={organiser.pk}",
        f"?action={AuditEntry.Action.UPDATE}",
        f"?record={entry.content_type_id}",
    ):
        response = client.get(changelist + query)
        assert response.status_code == 200, query
        assert f"/{entry.pk}/change/" in response.content.decode(), query
    detail = client.get(reverse("admin:ciep_auditentry_change", args=[entry.pk]))
    assert detail.status_code == 200
    assert "Espoo" in detail.content.decode()
    chinese = client.get("/zh-hans" + changelist)
    assert chinese.status_code == 200
    assert "审计日志" in chinese.content.decode()


def test_audit_log_is_read_only_for_organiser(client, organiser):
    entry = entries_of(OrganisationFactory())[0]
    sign_in_with_second_factor(client, organiser)
    change = reverse("admin:ciep_auditentry_change", args=[entry.pk])
    assert client.post(change, {"object_repr": "forged"}).status_code == 403
    delete = reverse("admin:ciep_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:ciep_auditentry_add")).status_code == 403
    entry.refresh_from_db()
    assert entry.object_repr != "forged"


def test_audit_log_exports_to_csv(client, organiser):
    organisation = OrganisationFactory(name_en="Nordic Photonics")
    [entry] = entries_of(organisation)
    sign_in_with_second_factor(client, organiser)
    response = client.post(
        reverse("admin:ciep_auditentry_changelist"),
        {"action": "export_csv", "_selected_action": [entry.pk]},
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    assert "Nordic Photonics" in lines[1]


@pytest.mark.parametrize("count", [1, 10])
def test_audit_log_page_queries_do_not_grow_with_rows(
    client, organiser, django_assert_num_queries, count
):
    OrganisationFactory.create_batch(count)
    sign_in_with_second_factor(client, organiser)
    client.get(reverse("admin:ciep_auditentry_changelist"))  # warm the content types' cache
    with django_assert_num_queries(AUDIT_CHANGELIST_QUERIES):
        assert client.get(reverse("admin:ciep_auditentry_changelist")).status_code == 200


# The session, the user, the authenticator, the permissions, the filters' choices, the counts,
# the rows with their actors and the date hierarchy: the same for one row as for many.
AUDIT_CHANGELIST_QUERIES = 11
