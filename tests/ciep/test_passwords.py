"""Passwords built on the conference's name or its common words are refused."""

import io

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from ciep.models import User
from ciep.passwords import FairWordsPasswordValidator
from ciep.synthetic.demo import DEMO_PASSWORD

ENGLISH_ERROR = (
    "This password is built on the name of the conference or a word everyone associates "
    "with it (“ciep”). Choose one that is mostly other words."
)
CHINESE_ERROR = (
    "此密码以大会名称或人人都会联想到的词（“ciep”）为基础。请选择主要由其他词组成的密码。"
)


def refusal(password):
    try:
        FairWordsPasswordValidator().validate(password)
    except ValidationError as error:
        return error.messages
    return None


@pytest.mark.parametrize(
    "password",
    [
        "ciep",
        "ciep2022",
        "CIEP-2022!",
        "shenzhen2022",
        "Shenzhen 2022",
        "talent123",
        "Talents4ever",
        "rencai",
        "深圳",
        "人才",
        "中国",
        "深圳人才2022",
        "password",
        "mima",
        "ciep-talent",
        "i.love.shenzhen",
        DEMO_PASSWORD,
    ],
)
def test_password_built_on_fair_words_is_refused(password):
    assert refusal(password) is not None


@pytest.mark.parametrize(
    "password",
    [
        "correct horse ciep battery staple",
        "我爱深圳湾的春天和海风",
        "a-long-test-password-42",  # "password" is 8 of 17 letters
        "xk8#Lq2!pZ",
        "2022-2022",
    ],
)
def test_password_with_few_or_no_fair_words_passes(password):
    assert refusal(password) is None


def test_refusal_names_the_word_in_the_visitors_language():
    assert refusal("CIEP-2022!") == [ENGLISH_ERROR]
    with translation.override("zh-hans"):
        assert refusal("CIEP-2022!") == [CHINESE_ERROR]


def test_validator_is_among_the_portals_validators():
    with pytest.raises(ValidationError) as error:
        validate_password("shenzhen2022!")
    assert [e.code for e in error.value.error_list] == ["password_fair_words"]


def signup(client, password, prefix=""):
    return client.post(
        f"{prefix}{reverse('account_signup')}",
        {
            "email": "new@example.org",
            "name": "Ana María López",
            "came_as": "visitor",
            "preferred_language": "en",
            "password1": password,
            "password2": password,
        },
    )


@pytest.mark.django_db
def test_signup_with_a_fair_word_password_shows_the_error_in_english(client):
    response = signup(client, "ciep2022")
    assert response.status_code == 200
    assert response.context["form"].errors["password1"] == [ENGLISH_ERROR]
    assert ENGLISH_ERROR in response.content.decode()
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_signup_with_a_fair_word_password_shows_the_error_in_chinese(client):
    response = signup(client, "ciep2022", prefix="/zh-hans")
    assert response.status_code == 200
    assert response.context["form"].errors["password1"] == [CHINESE_ERROR]
    assert CHINESE_ERROR in response.content.decode()
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_signup_with_a_good_password_creates_the_account(client):
    response = signup(client, "correct horse ciep battery staple")
    assert response.status_code == 302
    assert list(User.objects.values_list("email", flat=True)) == ["new@example.org"]


@pytest.mark.django_db
def test_signup_page_explains_the_rule_in_both_languages(client):
    english = client.get(reverse("account_signup")).content.decode()
    chinese = client.get("/zh-hans" + reverse("account_signup")).content.decode()
    assert "can’t be built on the conference’s name or its common words" in english
    assert "密码不能以大会名称或其常用词为基础" in chinese


@pytest.mark.django_db
def test_demo_accounts_still_sign_in_with_the_demo_password(client):
    """The demo's accounts are made directly, not through the validators, and keep their
    documented password."""
    call_command("seed_demo", stdout=io.StringIO())
    response = client.post(
        reverse("account_login"), {"login": "visitor@ciep.example", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("ciep:dashboard")).status_code == 200
