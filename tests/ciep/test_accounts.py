import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from ciep.models import User
from tests.conftest import sign_in_with_second_factor
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def signup(client, came_as, email="new@example.org", prefix=""):
    return client.post(
        f"{prefix}{reverse('account_signup')}",
        {
            "email": email,
            "name": "Ana María López",
            "came_as": came_as,
            "preferred_language": "en",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


@pytest.mark.parametrize("came_as", [choice for choice, _label in User.CameAs.choices])
def test_signup_each_kind_requires_email_verification(client, came_as):
    response = signup(client, came_as)
    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert (user.name, user.came_as) == ("Ana María López", came_as)
    assert EmailAddress.objects.get(user=user).verified is False
    # Not signed in until the address is confirmed.
    assert client.get(reverse("ciep:dashboard")).status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    confirm = client.post("/" + path)
    assert confirm.status_code == 302
    assert EmailAddress.objects.get(user=user).verified is True
    assert client.get(reverse("ciep:dashboard")).status_code == 200


def test_signup_duplicate_email_case_insensitive_is_refused(client):
    UserFactory(email="taken@example.org")
    response = signup(client, "visitor", email="Taken@Example.org")
    # No account enumeration: the page looks the same, the owner is told by email.
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    assert [message.to for message in mail.outbox] == [["taken@example.org"]]


def test_signup_missing_name_shows_error_and_saves_nothing(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "x@example.org",
            "came_as": "visitor",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert User.objects.count() == 0


def test_signup_in_chinese_shows_chinese_errors(client):
    response = client.post("/zh-hans" + reverse("account_signup"), {"email": "bad"})
    assert response.status_code == 200
    assert "这个字段是必填项。" in response.content.decode()


def test_login_with_email(client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("ciep:dashboard")).status_code == 200


def test_login_is_rate_limited(client):
    user = UserFactory()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "<h1>Too many requests</h1>" in response.content.decode()
    assert client.get(reverse("ciep:dashboard")).status_code == 302


def test_admin_login_goes_through_allauth(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_organiser_reaches_admin_but_plain_user_does_not(client, organiser, user):
    client.force_login(user)
    assert client.get("/admin/").status_code == 302
    sign_in_with_second_factor(client, organiser)
    assert client.get("/admin/").status_code == 200


def test_mfa_page_available(client, organiser):
    client.force_login(organiser)
    assert client.get(reverse("mfa_activate_totp")).status_code in (200, 302)
    assert client.get(reverse("mfa_index")).status_code == 200


def test_profile_edit_changes_language(client, user):
    client.force_login(user)
    response = client.post(
        reverse("ciep:profile_edit"),
        {"name": "Zhang Wei", "preferred_language": "zh", "came_as": "talent"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.name, user.preferred_language, user.came_as) == ("Zhang Wei", "zh", "talent")


def test_account_mails_greet_in_the_readers_language_from_the_conference(client):
    client.post(
        "/zh-hans" + reverse("account_signup"),
        {
            "email": "lin@example.org",
            "name": "林晓",
            "came_as": User.CameAs.VISITOR,
            "preferred_language": "zh",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    signup(client, User.CameAs.VISITOR, email="ana@example.org")

    chinese, english = mail.outbox
    assert chinese.subject.startswith("[中国国际人才交流大会] ")
    assert chinese.body.startswith("您好！这里是中国国际人才交流大会。\n")
    assert chinese.body.rstrip().endswith("感谢您使用中国国际人才交流大会！\n127.0.0.1:8000")
    assert english.subject.startswith("[CIEP] ")
    assert english.body.startswith("Hello from CIEP!\n")
    assert "127.0.0.1:8000" in english.body
