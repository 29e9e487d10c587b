"""The demo data loads and every page of the area renders for each kind of demo user."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from ciep.models import Delegation, User
from projects.models import Competition, Intention, Project
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


def test_demo_has_the_agreements_of_the_articles(demo):
    zhongshan = Intention.objects.get(delegation__name_en="Zhongshan City")
    assert (zhongshan.counterpart_organisation.name_en, zhongshan.counterpart_team) == (
        "Shenzhen University",
        "Professor Zhang Han's team",
    )
    zhaoqing = Intention.objects.get(delegation__name_en="Zhaoqing City")
    assert zhaoqing.counterpart_organisation.name_en == "Hong Kong Vocational Training Council"
    jiangsu = Intention.objects.filter(edition__number=17, delegation__name_en="Jiangsu Province")
    assert (jiangsu.count(), jiangsu.agreements().count()) == (12, 8)
    current = set(Intention.objects.filter(edition__number=20).values_list("state", flat=True))
    assert current == set(Intention.State.values)
    assert Intention.objects.published_agreements().count() == 3


@pytest.mark.parametrize(
    "who", ["visitor", "exhibitor", "expert", "delegate", "representative", "organiser"]
)
def test_demo_pages_render_for_every_demo_user(client, demo, who):
    user = User.objects.get(email=f"{who}@ciep.example")
    sign_in(client, user)
    jiangsu = Delegation.objects.get(edition__number=20, name_en="Jiangsu Province")
    urls = [
        reverse("projects:project_list"),
        reverse("projects:project_list") + "?kind=request&field=5g&province=Jiangsu+Province",
        reverse("projects:my_projects"),
        reverse("projects:recommendations"),
        reverse("projects:agreement_list") + "?edition=17",
        reverse("projects:competition_list"),
        Competition.objects.get(slug="pitch-at-palace-china-3").get_absolute_url(),
        jiangsu.get_absolute_url(),
        reverse("ciep:dashboard"),
        Project.objects.filter(organisation__isnull=False).first().organisation.get_absolute_url(),
    ]
    urls += [project.get_absolute_url() for project in Project.objects.all()]
    urls += [intention.get_absolute_url() for intention in Intention.objects.visible_to(user)]
    for url in urls:
        assert client.get(url).status_code == 200, url
    for language_url in urls[:3]:
        assert client.get("/zh-hans" + language_url).status_code == 200, language_url
    expected = 200 if who in ("delegate", "representative", "organiser") else 404
    assert (
        client.get(reverse("projects:delegation_intentions", args=[jiangsu.pk])).status_code
        == expected
    )
