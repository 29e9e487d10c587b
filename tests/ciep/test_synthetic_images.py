import io

import pytest
from django.core.management import call_command
from PIL import Image

from ciep.models import Organisation
from ciep.synthetic import images
from exhibitions.models import Exhibitor, GalleryImage, Product
from forums.models import Speaker


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize(
    ("picture", "format_", "size"),
    [
        (lambda: images.logo("Shenzhen University", "深圳大学"), "PNG", (256, 256)),
        (lambda: images.logo("Shenzhen University", "深圳大学", size=96), "PNG", (96, 96)),
        (lambda: images.banner("Shenzhen University", "深圳大学"), "JPEG", (1200, 300)),
        (lambda: images.portrait("Zhang Han"), "PNG", (320, 320)),
        (lambda: images.product("Ultrafast fibre laser"), "JPEG", (600, 450)),
    ],
)
def test_generated_image_is_valid_with_its_format_and_size(picture, format_, size):
    data = picture()
    Image.open(io.BytesIO(data)).verify()
    image = _open(data)
    assert (image.format, image.size) == (format_, size)


def test_generated_image_is_the_same_for_the_same_name_and_differs_for_another():
    assert images.portrait("Zhang Han") == images.portrait("Zhang Han")
    assert images.portrait("Zhang Han") != images.portrait("Elena Sokolova")
    assert images.colour_of("Shenzhen University") != images.colour_of("Nordic 5G Labs")


def test_initials_skip_small_words_and_numbers_and_take_two_chinese_characters():
    assert images.initials("University of Helsinki 12 (17)", "赫尔辛基大学12号") == ("UH", "赫尔")
    assert images.initials("Pitch@Palace", "") == ("P", "")
    assert images.initials("Global Institute for New Materials", "全球") == ("GIN", "全球")


@pytest.mark.parametrize("name", ["Shenzhen University", "Nordic 5G Labs", "A", "Global 3"])
def test_logo_colour_keeps_white_initials_readable(name):
    assert 1.05 / (images.luminance(images.colour_of(name)) + 0.05) >= 4.5
    assert images.luminance((255, 255, 255)) == 1.0


@pytest.mark.django_db
def test_attach_stores_the_image_and_its_thumbnail_for_a_row_inserted_in_bulk():
    organisation = Organisation.objects.create(name_en="Galilee Biomed", name_zh="加利利生物")
    exhibitor = Exhibitor(edition=_edition(), organisation=organisation)
    images.attach(exhibitor, "logo", images.logo("Galilee Biomed", "加利利生物"))
    (saved,) = Exhibitor.objects.bulk_create([exhibitor])
    saved = Exhibitor.objects.get(pk=saved.pk)
    assert saved.logo.name.startswith("exhibitors/logos/")
    assert saved.logo.name.endswith(".png")
    assert saved.logo_thumbnail.name == saved.logo.name.removesuffix(".png") + ".thumb.webp"
    with saved.logo_thumbnail.open("rb") as handle:
        assert _open(handle.read()).size == (96, 96)


def _edition():
    from tests.factories import EditionFactory

    return EditionFactory()


@pytest.mark.django_db
def test_demo_has_logos_banners_portraits_product_photos_and_galleries_with_thumbnails():
    call_command("seed_demo", stdout=io.StringIO())
    exhibitors = Exhibitor.objects.filter(pavilion__isnull=True, edition__number=20)
    assert exhibitors.exists()
    for exhibitor in exhibitors:
        assert exhibitor.logo and exhibitor.logo_thumbnail and exhibitor.banner
        with exhibitor.banner.open("rb") as handle:
            assert _open(handle.read()).size == (1200, 300)
    assert all(o.logo for o in Organisation.objects.all())
    assert all(s.photo and s.photo_thumbnail for s in Speaker.objects.all())
    assert all(p.image and p.image_thumbnail for p in Product.objects.all())
    assert GalleryImage.objects.count() == 3 * Exhibitor.objects.filter(pavilion=None).count()
    assert all(g.image_thumbnail for g in GalleryImage.objects.all())


@pytest.mark.django_db
def test_generate_edition_with_images_draws_every_logo_and_portrait_once_per_row():
    call_command(
        "generate_edition",
        "23",
        "--images",
        "--organisations=30",
        "--countries=5",
        "--visitors=700",
        "--booths=20",
        "--events=4",
        "--registrations=20",
        stdout=io.StringIO(),
    )
    organisations = Organisation.objects.filter(name_en__endswith="(23)")
    assert organisations.count() == 30
    assert len({o.logo.name for o in organisations}) == 30
    exhibitors = Exhibitor.objects.filter(edition__number=23, pavilion=None)
    assert exhibitors.exists()
    assert all(e.logo and e.logo_thumbnail and e.banner for e in exhibitors)
    speakers = Speaker.objects.filter(sessions__edition__number=23).distinct()
    assert speakers.exists()
    assert all(s.photo and s.photo_thumbnail for s in speakers)
    assert all(p.image_thumbnail for p in Product.objects.filter(exhibitor__edition__number=23))
