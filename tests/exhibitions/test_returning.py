"""A returning exhibitor carries its whole virtual booth forward; organisers see who returns."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from exhibitions import services
from exhibitions.models import Brochure, Exhibitor, GalleryImage, Product
from tests.conftest import image_file, pdf_file, sign_in_with_second_factor
from tests.factories import EditionFactory, MembershipFactory, OrganisationFactory

from .factories import ApplicationFactory, ExhibitorFactory

pytestmark = pytest.mark.django_db


def _previous_booth(organisation, edition):
    booth = ExhibitorFactory(
        organisation=organisation,
        edition=edition,
        logo=image_file("logo.png"),
        banner=image_file("banner.png", size=(400, 100)),
        video_url="https://video.example.org/booth",
        contact_name="Liu Yang",
        contact_email="liu@example.org",
        contact_phone="+86 755 0000",
    )
    Product.objects.create(
        exhibitor=booth, name_en="Laser", name_zh="激光器", image=image_file("p.png"), order=2
    )
    Product.objects.create(exhibitor=booth, name_en="Sensor", order=1)
    GalleryImage.objects.create(exhibitor=booth, image=image_file("g.png"), caption_en="Hall")
    Brochure.objects.create(exhibitor=booth, title_en="Catalogue", file=pdf_file())
    return booth


def test_approving_a_returning_exhibitor_copies_the_whole_booth(organiser):
    organisation = OrganisationFactory()
    old = _previous_booth(organisation, EditionFactory(number=19))
    edition = EditionFactory(number=20)
    application = ApplicationFactory(edition=edition, organisation=organisation)
    services.application_approve(application=application, by=organiser)
    new = Exhibitor.objects.get(edition=edition, organisation=organisation)
    assert (new.video_url, new.contact_name, new.contact_email, new.contact_phone) == (
        "https://video.example.org/booth",
        "Liu Yang",
        "liu@example.org",
        "+86 755 0000",
    )
    for name in ("logo", "banner"):
        copy, original = getattr(new, name), getattr(old, name)
        assert copy.name != original.name
        assert copy.storage.exists(copy.name)
        assert copy.read() == original.read()
    assert new.logo_thumbnail and new.logo_thumbnail.name != old.logo_thumbnail.name
    products = list(new.products.order_by("order"))
    assert [(p.name_en, p.name_zh) for p in products] == [("Sensor", ""), ("Laser", "激光器")]
    assert not products[0].image
    assert products[1].image.name != old.products.get(name_en="Laser").image.name
    [image] = new.gallery.all()
    assert image.caption_en == "Hall" and image.image.name != old.gallery.get().image.name
    [brochure] = new.brochures.all()
    assert brochure.file.name != old.brochures.get().file.name
    # The copies are the new booth's own: deleting them leaves the earlier booth whole.
    new.gallery.all().delete()
    assert old.gallery.get().image.storage.exists(old.gallery.get().image.name)


def test_first_time_exhibitor_starts_with_an_empty_booth(organiser):
    application = ApplicationFactory(edition=EditionFactory(number=20))
    services.application_approve(application=application, by=organiser)
    exhibitor = Exhibitor.objects.get(application=application)
    assert (exhibitor.logo.name, exhibitor.products.count(), exhibitor.gallery.count()) == (
        "",
        0,
        0,
    )


def test_refused_approval_copies_nothing(organiser):
    organisation = OrganisationFactory()
    _previous_booth(organisation, EditionFactory(number=19))
    application = ApplicationFactory(
        edition=EditionFactory(number=20), organisation=organisation, state="rejected"
    )
    with pytest.raises(ValidationError):
        services.application_approve(application=application, by=organiser)
    assert Product.objects.count() == 2


def test_returning_exhibitor_edits_the_copy(client, organiser):
    organisation = OrganisationFactory()
    _previous_booth(organisation, EditionFactory(number=19))
    edition = EditionFactory(number=20)
    application = ApplicationFactory(edition=edition, organisation=organisation)
    services.application_approve(application=application, by=organiser)
    new = Exhibitor.objects.get(application=application)
    staff = MembershipFactory(organisation=organisation, role="admin").user
    client.force_login(staff)
    page = client.get(reverse("exhibitions:exhibitor_manage", args=[new.pk])).content.decode()
    assert "Laser" in page
    product = new.products.get(name_en="Laser")
    client.post(
        reverse("exhibitions:exhibitor_content_delete", args=[new.pk, "product", product.pk])
    )
    assert list(new.products.values_list("name_en", flat=True)) == ["Sensor"]
    assert Product.objects.filter(name_en="Laser").count() == 1


def test_application_form_tells_returning_exhibitor_the_booth_comes_along(client):
    organisation = OrganisationFactory()
    _previous_booth(organisation, EditionFactory(number=19, is_current=False))
    EditionFactory(number=20, is_current=True, status="open")
    admin_user = MembershipFactory(organisation=organisation, role="admin").user
    client.force_login(admin_user)
    page = client.get(reverse("exhibitions:application_create")).content.decode()
    assert "your virtual booth comes along" in page
    page = client.get("/zh-hans" + reverse("exhibitions:application_create")).content.decode()
    assert "您的虚拟展位会一并带入" in page


def test_admin_flags_sorts_and_filters_returning_applications(client, organiser):
    returning_org = OrganisationFactory(name_en="Back Again")
    ExhibitorFactory(organisation=returning_org, edition=EditionFactory(number=19))
    edition = EditionFactory(number=20)
    back = ApplicationFactory(edition=edition, organisation=returning_org)
    new = ApplicationFactory(edition=edition, organisation=OrganisationFactory(name_en="Newcomer"))
    sign_in_with_second_factor(client, organiser)
    url = reverse("admin:exhibitions_application_changelist")
    response = client.get(url, {"returning": "yes"})
    assert list(response.context["cl"].result_list) == [back]
    response = client.get(url, {"returning": "no"})
    assert list(response.context["cl"].result_list) == [new]
    ordering = response.context["cl"].list_display.index("returning")
    response = client.get(url, {"o": str(ordering)})
    assert [a.pk for a in response.context["cl"].result_list] == [back.pk, new.pk]
    response = client.get(reverse("admin:exhibitions_exhibitor_changelist"), {"returning": "yes"})
    assert list(response.context["cl"].result_list) == []
