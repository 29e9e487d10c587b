import io

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse

from ciep.models import Organisation
from ciep.synthetic.images import as_file, logo
from exhibitions.models import Exhibitor

pytestmark = pytest.mark.django_db


def _render(source: str, **context) -> str:
    return Template("{% load pictures %}" + source).render(Context(context))


def _organisation(**values) -> Organisation:
    organisation = Organisation.objects.create(name_en="Nordic 5G Labs", name_zh="北欧5G实验室")
    organisation.logo.save("logo.png", as_file(logo("Nordic 5G Labs", "北欧5G实验室")))
    return Organisation.objects.get(pk=organisation.pk)


def test_thumbnail_is_made_once_at_upload_and_kept_when_the_row_is_saved_again():
    organisation = _organisation()
    thumbnail = organisation.logo_thumbnail.name
    assert thumbnail == organisation.logo.name.removesuffix(".png") + ".thumb.webp"
    organisation.city = "Helsinki"
    organisation.save()
    organisation.refresh_from_db()
    assert organisation.logo_thumbnail.name == thumbnail


def test_picture_gives_thumbnail_srcset_sizes_width_height_and_lazy_loading():
    organisation = _organisation()
    html = _render(
        '{% picture o.logo alt="Logo" width=128 height=128 css_class="rounded" lazy=True %}',
        o=organisation,
    )
    thumb, original = organisation.logo_thumbnail.url, organisation.logo.url
    assert html == (
        f'<img src="{thumb}" srcset="{thumb} 192w, {original} 512w" sizes="128px" alt="Logo" '
        'width="128" height="128" class="rounded" decoding="async" loading="lazy">'
    )


def test_picture_leaves_the_original_out_when_the_thumbnail_is_twice_as_wide_as_shown():
    organisation = _organisation()
    html = _render("{% picture o.logo width=96 height=96 %}", o=organisation)
    assert html == (
        f'<img src="{organisation.logo_thumbnail.url}" alt="" width="96" height="96" '
        'decoding="async">'
    )


def test_picture_defaults_to_the_thumbnail_size_and_is_eager_above_the_fold():
    organisation = _organisation()
    html = _render("{% picture o.logo %}", o=organisation)
    assert 'width="192" height="192"' in html
    assert 'sizes="192px"' in html
    assert "loading" not in html


def test_picture_without_thumbnail_shows_the_original_alone():
    organisation = _organisation()
    Organisation.objects.filter(pk=organisation.pk).update(logo_thumbnail="")
    organisation.refresh_from_db()
    html = _render("{% picture o.logo width=96 height=96 %}", o=organisation)
    assert html == (
        f'<img src="{organisation.logo.url}" alt="" width="96" height="96" decoding="async">'
    )


def test_picture_escapes_its_alt_text_and_links_to_the_original():
    organisation = _organisation()
    html = _render("{% picture o.logo alt=name link=True %}", o=organisation, name='"><x>')
    assert 'alt="&quot;&gt;&lt;x&gt;"' in html
    assert html.startswith(f'<a href="{organisation.logo.url}"><img ')
    assert html.endswith("></a>")


def test_picture_of_no_image_is_nothing():
    assert _render("{% picture o.logo %}", o=Organisation(name_en="No logo")) == ""


def test_demo_pages_show_responsive_pictures():
    call_command("seed_demo", stdout=io.StringIO())
    exhibitor = Exhibitor.objects.get(edition__number=20, organisation__name_en__contains="5G")
    html = _client_get(exhibitor.get_absolute_url())
    assert f'src="{exhibitor.banner_thumbnail.url}"' in html
    assert f"{exhibitor.banner.url} 1600w" in html
    assert f'src="{exhibitor.logo_thumbnail.url}"' in html
    assert 'loading="lazy"' in html  # products and gallery, below the fold
    catalogue = _client_get(reverse("exhibitions:catalogue"))
    assert f'src="{exhibitor.logo_thumbnail.url}"' in catalogue
    assert 'width="48" height="48"' in catalogue


def _client_get(url: str) -> str:
    from django.test import Client

    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()
