"""The back office answers only to staff who set up and used a second factor this session."""

import io

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from ciep.synthetic.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.conftest import give_authenticator, sign_in_with_second_factor, totp_code
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = ["/admin/", "/admin/ciep/organisation/", "/admin/password_change/"]


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_staff_with_second_factor_reach_admin(client, organiser, path):
    sign_in_with_second_factor(client, organiser)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_staff_without_authenticator_are_sent_to_set_one_up(client, organiser, path):
    client.force_login(organiser)
    response = client.get(path)
    assert (response.status_code, response["Location"]) == (302, reverse("mfa_activate_totp"))
    assert messages_of(response) == [
        "The organisers' back office needs a second factor. Set up an authenticator app, "
        "then open the back office again."
    ]


def test_staff_without_authenticator_are_told_in_chinese(client, organiser):
    client.force_login(organiser)
    response = client.get("/zh-hans/admin/ciep/organisation/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/zh-hans/accounts/2fa/totp/activate/",
    )
    assert messages_of(response) == [
        "进入组委会管理后台需要第二重身份验证。请先设置身份验证器应用，然后重新打开管理后台。"
    ]


def test_superuser_without_authenticator_is_sent_to_set_one_up(client):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    response = client.get("/admin/")
    assert (response.status_code, response["Location"]) == (302, reverse("mfa_activate_totp"))


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        (
            "",
            "Confirm your sign-in with a code from your authenticator app to open the "
            "organisers' back office.",
        ),
        ("/zh-hans", "请输入身份验证器应用中的验证码确认登录，以打开组委会管理后台。"),
    ],
)
def test_session_without_second_factor_is_asked_for_a_code(client, organiser, prefix, message):
    give_authenticator(organiser)
    client.force_login(organiser)  # a sign-in that did not pass the second factor
    response = client.get(f"{prefix}/admin/ciep/organisation/?q=a")
    query = urlencode({"next": f"{prefix}/admin/ciep/organisation/?q=a"})
    assert (response.status_code, response["Location"]) == (
        302,
        f"{prefix}/accounts/2fa/reauthenticate/?{query}",
    )
    assert messages_of(response) == [message]


def test_password_alone_does_not_open_admin(client, organiser):
    give_authenticator(organiser)
    client.force_login(organiser)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


def test_code_from_authenticator_opens_admin(client, organiser):
    give_authenticator(organiser)
    client.force_login(organiser)
    response = client.post(
        reverse("mfa_reauthenticate") + "?next=/admin/ciep/organisation/", {"code": totp_code()}
    )
    assert (response.status_code, response["Location"]) == (302, "/admin/ciep/organisation/")
    assert client.get("/admin/ciep/organisation/").status_code == 200


def test_removed_authenticator_closes_admin_again(client, organiser):
    sign_in_with_second_factor(client, organiser)
    Authenticator.objects.filter(user=organiser).delete()
    response = client.get("/admin/")
    assert (response.status_code, response["Location"]) == (302, reverse("mfa_activate_totp"))


@pytest.mark.django_db(transaction=True)
def test_setting_up_totp_opens_admin(client, organiser):
    client.force_login(organiser)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    # allauth announces the new authenticator once its transaction commits, within the request:
    # this test commits for real.
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=organiser, type="totp").count() == 1
    assert client.get("/admin/").status_code == 200


def test_staff_may_sign_out_without_second_factor(client, organiser):
    client.force_login(organiser)
    response = client.post(reverse("admin:logout"))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_non_staff_users_are_unaffected(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/admin/")
    assert messages_of(response) == []
    assert client.get(reverse("ciep:dashboard")).status_code == 200
    with translation.override("zh-hans"):
        assert client.get(reverse("ciep:dashboard")).status_code == 200


def test_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/admin/")
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/admin/")


def test_demo_organiser_signs_in_with_the_printed_secret(client):
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    assert f"  {DEMO_TOTP_SECRET}\n" in output.getvalue()
    assert f"otpauth://totp/organiser%40ciep.example?secret={DEMO_TOTP_SECRET}" in (
        output.getvalue()
    )
    response = client.post(
        reverse("account_login"), {"login": "organiser@ciep.example", "password": DEMO_PASSWORD}
    )
    assert (response.status_code, response["Location"]) == (302, reverse("mfa_authenticate"))
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(DEMO_TOTP_SECRET)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
