import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from ciep.models import Edition, User
from exhibitions.figures import edition_figures
from exhibitions.models import Application, Booth, Exhibitor, Hall, Meeting, Slot
from exhibitions.synthetic.edition import booth_sizes

pytestmark = pytest.mark.django_db

SMALL = {
    "organisations": 30,
    "countries": 7,
    "experts": 12,
    "representatives": 9,
    "visitors": 80,
    "delegations": 5,
}
OTHER_AREAS = {
    "events": 0,
    "registrations": 0,
    "jobs": 0,
    "applications": 0,
    "projects": 0,
    "intentions": 0,
    "agreements": 0,
}


def run(number=45, **overrides):
    options = {**SMALL, **OTHER_AREAS, "booths": 12, "exhibition_area": 300, **overrides}
    call_command("generate_edition", str(number), "--seed", "3", stdout=io.StringIO(), **options)
    return Edition.objects.get(number=number)


def snapshot(edition):
    booths = Booth.objects.filter(hall__edition=edition)
    return {
        "halls": list(
            Hall.objects.filter(edition=edition).values_list(
                "code", "name_en", "plan_width", "plan_height"
            )
        ),
        "booths": sorted(
            booths.values_list("code", "size_m2", "kind", "state", "x", "y", "width", "depth")
        ),
        "exhibitors": Exhibitor.objects.filter(edition=edition).count(),
        "applications": Application.objects.filter(edition=edition).count(),
        "slots": Slot.objects.filter(exhibitor__edition=edition).count(),
        "meetings": Meeting.objects.filter(slot__exhibitor__edition=edition).count(),
        "negotiators": User.objects.filter(email__startswith="negotiator-45-").count(),
    }


def test_generate_gives_exactly_the_booths_and_area_asked():
    edition = run()
    figures = edition_figures(edition)
    assert figures["booths"] == 12
    assert figures["exhibition_area_m2"] == 300
    assert figures["exhibitors"] > 0
    assert figures["booths_by_state"]["assigned"] >= 8


def test_generate_lays_booths_out_inside_their_hall_without_overlaps():
    edition = run(booths=60, exhibition_area=2000)
    for hall in Hall.objects.filter(edition=edition):
        booths = list(hall.booths.all())
        assert booths
        for booth in booths:
            assert booth.x + booth.width <= hall.plan_width
            assert booth.y + booth.depth <= hall.plan_height
        for index, one in enumerate(booths):
            for other in booths[index + 1 :]:
                apart = (
                    one.x + one.width <= other.x
                    or other.x + other.width <= one.x
                    or one.y + one.depth <= other.y
                    or other.y + other.depth <= one.y
                )
                assert apart, (one.code, other.code)


def test_generate_places_pavilions_and_their_exhibitors_with_delegations():
    edition = run(booths=40, exhibition_area=1500)
    pavilions = Booth.objects.filter(hall__edition=edition, kind=Booth.Kind.PAVILION)
    assert pavilions.count() == 3
    assert pavilions.filter(state="assigned", delegation__edition=edition).count() == 3
    placed = Exhibitor.objects.filter(edition=edition, pavilion__isnull=False)
    assert placed.count() == placed.filter(delegation__isnull=False).count() > 0


def test_generate_is_deterministic_and_replaces_the_edition():
    first = snapshot(run())
    second = snapshot(run())
    assert first == second
    assert Edition.objects.filter(number=45).count() == 1


def test_generate_with_one_square_metre_per_booth():
    edition = run(booths=12, exhibition_area=12)
    sizes = Booth.objects.filter(hall__edition=edition).values_list("size_m2", flat=True)
    assert list(sizes) == [1] * 12


def test_generate_without_booths_creates_no_hall():
    edition = run(booths=0, exhibition_area=0)
    assert edition_figures(edition)["booths"] == 0
    assert not Hall.objects.filter(edition=edition).exists()


@pytest.mark.parametrize(
    ("booths", "area"), [(12, 11), (0, 50), (2, 2 * 32767 + 1)], ids=["small", "none", "large"]
)
def test_generate_refuses_impossible_booth_sizes(booths, area):
    with pytest.raises(CommandError):
        run(booths=booths, exhibition_area=area)
    assert not Edition.objects.filter(number=45).exists()


@pytest.mark.parametrize(
    ("bases", "adjustable", "total"),
    [
        ([9, 12, 36, 300], [False, False, True, True], 5000),
        ([9, 9, 9], [False, False, False], 3),
        ([9, 36], [False, True], 20),
        ([9, 36], [False, True], 65534),
    ],
)
def test_booth_sizes_add_up_exactly(bases, adjustable, total):
    sizes = booth_sizes(bases, adjustable, total)
    assert sum(sizes) == total
    assert all(1 <= size <= 32767 for size in sizes)


def test_booth_sizes_keep_shell_scheme_sizes_when_the_area_allows():
    assert booth_sizes([9, 12, 36], [False, False, True], 100)[:2] == [9, 12]


def test_generate_area_sums_in_the_database():
    edition = run(booths=25, exhibition_area=777)
    total = Booth.objects.filter(hall__edition=edition).aggregate(total=Sum("size_m2"))["total"]
    assert total == 777
