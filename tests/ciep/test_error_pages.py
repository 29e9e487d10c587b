"""Error pages drawn for requests whose body cannot be read: a 400 or a 404, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

UNREADABLE = [
    "application/x-www-form-urlencoded; charset=latin-1",
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=utf-32",
]


@pytest.fixture
def browser():
    """A client that checks CSRF tokens and holds a CSRF cookie, as a browser would."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get(reverse("account_login"))
    return client


def _post(client, path, content_type):
    token = client.cookies["csrftoken"].value
    body = f"csrfmiddlewaretoken={token}&login=caf%C3%A9&password=x".encode()
    return client.generic("POST", path, body, content_type=content_type)


@pytest.mark.parametrize("content_type", UNREADABLE)
def test_a_form_in_another_character_set_is_a_bad_request(browser, content_type):
    response = _post(browser, reverse("account_login"), content_type)
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


@pytest.mark.parametrize("content_type", UNREADABLE)
def test_an_unknown_address_with_an_unreadable_form_is_not_found(browser, content_type):
    response = _post(browser, "/no-such-page/", content_type)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("content_type", UNREADABLE)
def test_a_signed_in_visitor_gets_the_bad_request_page(browser, user, content_type):
    browser.force_login(user)
    browser.get(reverse("ciep:profile_edit"))
    response = _post(browser, reverse("ciep:profile_edit"), content_type)
    assert response.status_code == 400
    # The page offers its own forms (signing out) a token, from the CSRF cookie.
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_a_body_too_large_is_a_bad_request(browser, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = _post(browser, "/no-such-page/", "application/x-www-form-urlencoded")
    assert response.status_code == 404
    token = browser.cookies["csrftoken"].value
    body = f"csrfmiddlewaretoken={token}&login={'x' * 200}".encode()
    response = browser.generic(
        "POST", reverse("account_login"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


def test_the_error_page_of_a_server_error_reads_no_unreadable_body(rf):
    from ciep.views import server_error

    request = rf.generic(
        "POST", "/", b"a=%C3%A9", content_type="application/x-www-form-urlencoded; charset=utf-16"
    )
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = server_error(request)
    assert response.status_code == 500
