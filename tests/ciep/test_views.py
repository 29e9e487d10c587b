import pytest
from django.test import Client
from django.urls import reverse

from ciep.models import DelegationMember, Membership, Organisation
from tests.conftest import image_file, sign_in
from tests.factories import (
    DelegationMemberFactory,
    EditionFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_home_shows_current_edition_theme_and_notice(client, edition, organiser):
    from ciep.services import edition_reschedule

    edition_reschedule(
        edition=edition,
        start_date=edition.start_date.replace(year=edition.start_date.year + 1),
        end_date=edition.end_date.replace(year=edition.end_date.year + 1),
        format="online",
        reason_en="Moved online because of the epidemic.",
        reason_zh="因疫情改为线上举办。",
        by=organiser,
    )
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert edition.title_en in body
    assert "Innovation, Development, Cooperation and Win-win" in body
    assert "Moved online because of the epidemic." in body
    zh = client.get("/zh-hans/").content.decode()
    assert edition.title_zh in zh and "因疫情改为线上举办。" in zh


def test_home_without_edition_has_empty_state(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "No edition has been announced yet." in response.content.decode()


def test_edition_list_and_detail(client, django_assert_max_num_queries):
    editions = [EditionFactory() for _ in range(3)]
    with django_assert_max_num_queries(6):
        response = client.get(reverse("ciep:edition_list"))
    assert [e.number for e in response.context["editions"]] == sorted(
        (e.number for e in editions), reverse=True
    )
    assert client.get(editions[0].get_absolute_url()).status_code == 200
    assert client.get("/editions/999/").status_code == 404


def test_edition_list_queries_do_not_grow(client, django_assert_num_queries):
    EditionFactory()
    with django_assert_num_queries(2):
        client.get(reverse("ciep:edition_list"))
    for _ in range(10):
        EditionFactory()
    with django_assert_num_queries(2):
        client.get(reverse("ciep:edition_list"))


def test_unknown_path_is_404_in_both_languages(client, db):
    assert client.get("/no-such-page/").status_code == 404
    response = client.get("/zh-hans/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_dashboard_requires_login(client, db):
    response = client.get(reverse("ciep:dashboard"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_organisation_create_makes_creator_admin(client, user, field):
    client.force_login(user)
    response = client.post(
        reverse("ciep:organisation_create"),
        {
            "name_en": "Nordic Labs",
            "name_zh": "北欧实验室",
            "type": "high_tech",
            "country": "FI",
            "city": "Espoo",
            "fields": [field.pk],
            "logo": image_file(size=(2000, 1000)),
        },
    )
    organisation = Organisation.objects.get(name_en="Nordic Labs")
    assert response.status_code == 302
    assert list(organisation.memberships.values_list("user", "role")) == [(user.pk, "admin")]
    assert organisation.is_verified is False
    assert organisation.logo.width == 512 and organisation.logo.name.startswith("logos/")


def test_organisation_create_with_fake_logo_saves_nothing(client, user):
    client.force_login(user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("ciep:organisation_create"),
        {
            "name_en": "Fake",
            "type": "enterprise",
            "country": "CN",
            "logo": SimpleUploadedFile("logo.png", b"not an image at all", "image/png"),
        },
    )
    assert response.status_code == 200
    assert "not a valid image" in response.content.decode()
    assert Organisation.objects.count() == 0


def test_unverified_organisation_is_hidden_from_public(client, user):
    organisation = OrganisationFactory(unverified=True)
    assert client.get(organisation.get_absolute_url()).status_code == 404
    MembershipFactory(organisation=organisation, user=user, role=Membership.Role.STAFF)
    client.force_login(user)
    assert client.get(organisation.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("name", ["ciep:organisation_edit", "ciep:organisation_members"])
def test_organisation_management_denied_to_non_admins(client, name):
    organisation = OrganisationFactory()
    staff = MembershipFactory(organisation=organisation, role=Membership.Role.STAFF).user
    outsider = UserFactory()
    url = reverse(name, args=[organisation.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for person in (staff, outsider):
        client.force_login(person)
        assert client.get(url).status_code == 404
    admin = MembershipFactory(organisation=organisation).user
    client.force_login(admin)
    assert client.get(url).status_code == 200


def test_organisation_edit_post_by_outsider_changes_nothing(client, user):
    organisation = OrganisationFactory(name_en="Original")
    client.force_login(user)
    response = client.post(
        reverse("ciep:organisation_edit", args=[organisation.pk]),
        {"name_en": "Hijacked", "type": "enterprise", "country": "CN"},
    )
    assert response.status_code == 404
    organisation.refresh_from_db()
    assert organisation.name_en == "Original"


def test_member_removal_by_outsider_is_404(client, user):
    membership = MembershipFactory()
    other = MembershipFactory(organisation=membership.organisation, role="staff")
    client.force_login(user)
    response = client.post(
        reverse("ciep:membership_remove", args=[membership.organisation.pk, other.pk])
    )
    assert response.status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


def test_invite_form_shows_clear_error_for_existing_member(client):
    admin = MembershipFactory()
    client.force_login(admin.user)
    response = client.post(
        reverse("ciep:organisation_members", args=[admin.organisation.pk]),
        {"email": admin.user.email, "role": "staff"},
    )
    assert response.status_code == 200
    assert "already a member" in response.content.decode()


def test_invitation_page_of_someone_else_is_404(client):
    admin = MembershipFactory()
    client.force_login(admin.user)
    client.post(
        reverse("ciep:organisation_members", args=[admin.organisation.pk]),
        {"email": "invitee@example.org", "role": "staff"},
    )
    token = admin.organisation.invitations.get().token
    client.force_login(UserFactory())
    assert client.get(reverse("ciep:invitation_accept", args=[token])).status_code == 404
    invitee = UserFactory(email="invitee@example.org")
    client.force_login(invitee)
    response = client.post(reverse("ciep:invitation_accept", args=[token]))
    assert response.status_code == 302
    assert admin.organisation.memberships.filter(user=invitee, role="staff").exists()


def test_delegation_manage_only_for_head_or_organiser(client, delegation, organiser):
    head = DelegationMemberFactory(delegation=delegation, role=DelegationMember.Role.HEAD).user
    representative = DelegationMemberFactory(delegation=delegation).user
    url = reverse("ciep:delegation_manage", args=[delegation.pk])
    for person, status in (
        (representative, 404),
        (UserFactory(), 404),
        (head, 200),
        (organiser, 200),
    ):
        sign_in(client, person)
        assert client.get(url).status_code == status


def test_delegation_document_rejects_fake_pdf(client, delegation):
    from django.core.files.uploadedfile import SimpleUploadedFile

    head = DelegationMemberFactory(delegation=delegation, role=DelegationMember.Role.HEAD).user
    client.force_login(head)
    response = client.post(
        reverse("ciep:delegation_manage", args=[delegation.pk]),
        {
            "action": "document",
            "document-title_en": "Policies",
            "document-file": SimpleUploadedFile("p.pdf", b"<html>not a pdf</html>"),
        },
    )
    assert response.status_code == 200
    assert "not a PDF document" in response.content.decode()
    assert delegation.documents.count() == 0


def test_delegation_detail_public(client, delegation):
    delegation.policies_en = "Housing and research funding."
    delegation.save()
    response = client.get(delegation.get_absolute_url())
    assert response.status_code == 200
    assert "Housing and research funding." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "heading"), [("", "The form could not be accepted"), ("/zh-hans", "表单未能提交")]
)
def test_refused_form_without_csrf_token_explains_in_the_pages_language(prefix, heading):
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"{prefix}/accounts/login/", {"login": "a@example.org"})

    assert response.status_code == 403
    assert f"<h1>{heading}</h1>" in response.content.decode()


def test_management_links_follow_the_permission_rules(client):
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    staff = MembershipFactory(organisation=organisation, role=Membership.Role.STAFF).user
    head = DelegationMemberFactory(role=DelegationMember.Role.HEAD)
    representative = DelegationMemberFactory(
        delegation=head.delegation, role=DelegationMember.Role.REPRESENTATIVE
    )
    edit = reverse("ciep:organisation_edit", args=[organisation.pk])
    manage = reverse("ciep:delegation_manage", args=[head.delegation.pk])

    def remove(member):
        return reverse("ciep:delegation_member_remove", args=[member.delegation.pk, member.pk])

    def shown(user, url):
        client.force_login(user)
        pages = [client.get(reverse("ciep:dashboard")), client.get(url)]
        return [page.content.decode() for page in pages]

    assert [edit in page for page in shown(admin, organisation.get_absolute_url())] == [True, True]
    assert [edit in page for page in shown(staff, organisation.get_absolute_url())] == [
        False,
        False,
    ]
    assert manage in shown(head.user, manage)[0]
    assert manage not in shown(representative.user, manage)[0]
    page = shown(head.user, manage)[1]
    assert [remove(representative) in page, remove(head) in page] == [True, False]
