import pytest
from django.urls import reverse

from ciep.caching import bump_all
from tests.factories import DelegationFactory, EditionFactory

pytestmark = pytest.mark.django_db


def test_anonymous_page_is_cached_per_language_and_refreshed_on_change(client, edition):
    url = reverse("ciep:edition_detail", args=[edition.number])
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert client.get("/zh-hans" + url)["X-Page-Cache"] == "miss"
    DelegationFactory(edition=edition, name_en="Hainan Province")
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Hainan Province" in response.content.decode()


def test_signed_in_and_session_holders_get_fresh_pages(client, user, edition):
    url = reverse("ciep:edition_detail", args=[edition.number])
    client.get(url)
    client.force_login(user)
    assert "X-Page-Cache" not in client.get(url)
    client.logout()
    client.cookies["sessionid"] = "anything"
    assert "X-Page-Cache" not in client.get(url)


def test_pages_holding_a_csrf_token_are_never_shared(client, edition):
    url = reverse("account_login")
    client.get(url)
    assert "X-Page-Cache" not in client.get(url)


def test_bump_all_refreshes_every_page(client, edition):
    url = reverse("ciep:edition_list")
    client.get(url)
    EditionFactory.build()  # nothing saved: still cached
    assert client.get(url)["X-Page-Cache"] == "hit"
    bump_all()
    assert client.get(url)["X-Page-Cache"] == "miss"
