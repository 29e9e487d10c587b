"""Personal access tokens: their services, their page and how the API reads them."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ciep import services
from ciep.models import AccessToken
from tests.conftest import sign_in_with_second_factor
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_token_create_keeps_only_a_hash(user):
    token, raw = services.token_create(user=user, name="CRM", scopes=["recruitment:read"])
    assert raw.startswith("ciep_")
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(token.prefix)
    assert len(token.prefix) == 11
    assert raw not in str(AccessToken.objects.filter(pk=token.pk).values().get())
    assert services.token_authenticate(raw) == token


@pytest.mark.parametrize(
    "name, scopes, days",
    [
        ("", ["recruitment:read"], None),
        ("CRM", [], None),
        ("CRM", ["everything"], None),
        ("CRM", ["projects:read"], -1),
    ],
)
def test_token_create_refuses_bad_input(user, name, scopes, days):
    expires = timezone.now() + datetime.timedelta(days=days) if days else None
    with pytest.raises(ValidationError):
        services.token_create(user=user, name=name, scopes=scopes, expires_at=expires)
    assert AccessToken.objects.count() == 0


def test_token_revoke_by_owner_only(user):
    token, raw = services.token_create(user=user, name="CRM", scopes=["projects:read"])
    with pytest.raises(PermissionDenied):
        services.token_revoke(token=token, by=UserFactory())
    services.token_revoke(token=token, by=user)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert services.token_authenticate(raw) is None


def test_expired_token_does_not_authenticate(user):
    token, raw = services.token_create(
        user=user,
        name="CRM",
        scopes=["projects:read"],
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert services.token_authenticate(raw) is None


def test_token_use_is_recorded(user):
    token, raw = services.token_create(user=user, name="CRM", scopes=["projects:read"])
    services.token_authenticate(raw)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_page_creates_and_shows_the_token_once(client, user):
    client.force_login(user)
    response = client.post(
        reverse("ciep:token_list"),
        {"name": "Province system", "scopes": ["projects:read"], "expires_in": "30"},
    )
    assert response.status_code == 200
    token = AccessToken.objects.get()
    raw = response.context["created_token"]
    assert services.token_authenticate(raw) == token
    assert raw in response.content.decode()
    assert token.scopes == ["projects:read"]
    assert token.expires_at.date() == (timezone.now() + datetime.timedelta(days=30)).date()
    again = client.get(reverse("ciep:token_list"))
    assert raw not in again.content.decode()
    assert token.prefix in again.content.decode()


def test_token_page_in_chinese(client, user):
    client.force_login(user)
    response = client.get("/zh-hans/me/tokens/")
    assert response.status_code == 200
    assert "API 令牌" in response.content.decode()


def test_token_page_form_error(client, user):
    client.force_login(user)
    response = client.post(reverse("ciep:token_list"), {"name": "CRM", "expires_in": "30"})
    assert response.status_code == 200
    assert response.context["form"].errors["scopes"]
    assert AccessToken.objects.count() == 0


def test_token_page_needs_sign_in(client):
    assert client.get(reverse("ciep:token_list")).status_code == 302


def test_token_revoke_page_of_someone_else_is_404(client, user):
    token, _raw = services.token_create(user=UserFactory(), name="CRM", scopes=["projects:read"])
    client.force_login(user)
    response = client.post(reverse("ciep:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_revoke_page(client, user):
    token, _raw = services.token_create(user=user, name="CRM", scopes=["projects:read"])
    client.force_login(user)
    response = client.post(reverse("ciep:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_user_menu_links_the_token_page(client, user):
    client.force_login(user)
    assert reverse("ciep:token_list") in client.get(reverse("ciep:dashboard")).content.decode()


def test_token_reads_are_private_to_caches(client, user):
    _token, raw = services.token_create(user=user, name="CRM", scopes=["projects:read"])
    response = client.get("/api/v1/fields", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response["Cache-Control"] == "private, no-cache"


def test_admin_lists_tokens_read_only(client, organiser):
    from tests.conftest import sign_in_with_second_factor

    token, _raw = services.token_create(user=organiser, name="CRM", scopes=["projects:read"])
    sign_in_with_second_factor(client, organiser)
    assert client.get(reverse("admin:ciep_accesstoken_changelist")).status_code == 200
    assert client.get(reverse("admin:ciep_accesstoken_add")).status_code == 403
    response = client.get(reverse("admin:ciep_accesstoken_change", args=[token.pk]))
    assert response.status_code == 200
    assert token.token_hash not in response.content.decode()


def test_organiser_makes_a_token_only_after_the_second_factor(client, organiser):
    data = {"name": "Press office", "scopes": ["projects:read"], "expires_in": "30"}
    client.force_login(organiser)

    skipped = client.post(reverse("ciep:token_list"), data)
    sign_in_with_second_factor(client, organiser)
    confirmed = client.post(reverse("ciep:token_list"), data)

    assert skipped.status_code == 302
    assert skipped["Location"].startswith(reverse("mfa_reauthenticate"))
    assert confirmed.status_code == 200
    assert list(AccessToken.objects.values_list("user", "name")) == [(organiser.pk, "Press office")]


def test_only_organisers_are_offered_the_exports_scope(client, user):
    client.force_login(user)
    page = client.get(reverse("ciep:token_list"))
    assert "exports:read" not in [
        value for value, _label in page.context["form"].fields["scopes"].choices
    ]
    refused = client.post(
        reverse("ciep:token_list"),
        {"name": "Exports", "scopes": ["exports:read"], "expires_in": "30"},
    )
    assert refused.context["form"].errors["scopes"]
    assert AccessToken.objects.count() == 0


def test_organiser_makes_an_exports_token_on_the_page_and_reads_an_export(client, organiser):
    client.force_login(organiser)
    sign_in_with_second_factor(client, organiser)
    page = client.get(reverse("ciep:token_list"))
    assert "exports:read" in [
        value for value, _label in page.context["form"].fields["scopes"].choices
    ]
    response = client.post(
        reverse("ciep:token_list"),
        {"name": "Statistics office", "scopes": ["exports:read"], "expires_in": "30"},
    )
    raw = response.context["created_token"]
    assert AccessToken.objects.get().scopes == ["exports:read"]
    client.logout()
    export = client.get("/api/v1/forums/exports/registrations", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert export.status_code == 200
    assert export.json() == {"results": [], "next": None}
