import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from ciep.models import Edition, Organisation
from ciep.report import edition_report
from ciep.synthetic import scale
from exhibitions.models import Exhibitor

pytestmark = pytest.mark.django_db

SCALE = 0.01


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in ("ciep", "exhibitions", "forums", "projects", "recruitment")
    }


def _seed(**options) -> str:
    output = io.StringIO()
    call_command("seed_demo", stdout=output, **options)
    return output.getvalue()


def test_figures_at_a_tenth_keep_countries_and_delegations():
    assert scale.figures(1) == {**scale.FIGURES, "countries": 52, "delegations": 29}
    tenth = scale.figures(0.1)
    assert (tenth["organisations"], tenth["visitors"], tenth["booths"]) == (400, 11_000, 210)
    assert (tenth["exhibition_area"], tenth["events"], tenth["intentions"]) == (7000, 7, 300)
    assert (tenth["countries"], tenth["delegations"]) == (52, 29)


def test_demo_generates_the_17th_edition_beside_the_hand_written_20th_and_again_changes_nothing():
    output = _seed(scale=SCALE)
    assert "The 17th edition was generated at scale 0.01: 52 organisations" in output
    generated = Organisation.objects.filter(name_en__endswith="(17)")
    assert generated.count() == 52
    assert all(organisation.logo for organisation in generated)
    seventeenth = Edition.objects.get(number=17)
    assert (seventeenth.start_date.isoformat(), seventeenth.title_en) == (
        "2019-04-14",
        "The 17th Conference on International Exchange of Professionals",
    )
    report = edition_report(seventeenth)
    # The generated figures and the hand-written rows of the articles on top of them.
    assert report["countries_and_regions"] == 52
    assert report["booths"] == scale.figures(SCALE)["booths"] + 2 * 24 + 1
    assert Exhibitor.objects.filter(
        edition=seventeenth, organisation__name_en="Shenzhen University"
    ).exists()
    assert Edition.objects.get(number=20).is_current
    before = _counts()

    again = _seed(scale=SCALE)

    assert "The generated 17th edition is loaded already." in again
    assert _counts() == before
    assert edition_report(Edition.objects.get(number=17)) == report


def test_demo_at_scale_zero_generates_nothing():
    assert "not generated (scale 0)" in _seed()
    assert not Organisation.objects.filter(name_en__endswith="(17)").exists()


def test_demo_keeps_a_17th_edition_of_an_older_demo_and_says_how_to_have_it_generated():
    _seed(scale=0)
    before = _counts()
    assert "Start from an empty database" in _seed(scale=SCALE)
    assert _counts() == before


def test_demo_refuses_a_negative_scale():
    with pytest.raises(CommandError, match="cannot be negative"):
        _seed(scale=-1)
