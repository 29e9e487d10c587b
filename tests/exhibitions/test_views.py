import datetime
import io
import os
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from ciep.time_zones import zone_label
from exhibitions.models import Application, Booth, Meeting, Slot
from tests.conftest import PDF_BYTES, image_file, pdf_file
from tests.factories import (
    DelegationMemberFactory,
    EditionFactory,
    OrganisationFactory,
    UserFactory,
)

from .factories import (
    ApplicationFactory,
    BoothFactory,
    ExhibitorFactory,
    HallFactory,
    MeetingFactory,
    SlotFactory,
    exhibitor_with_staff,
)

pytestmark = pytest.mark.django_db

APPLY = reverse("exhibitions:application_create")


# --- Applying -------------------------------------------------------------------------------


def test_apply_picking_a_booth_reserves_it(client, org_admin, hall, field):
    organisation, admin = org_admin
    booth = BoothFactory(hall=hall)
    client.force_login(admin)
    form = client.get(APPLY, {"booth": booth.pk}).content.decode()
    assert f'<option value="{booth.pk}" selected>' in form
    response = client.post(
        APPLY,
        {
            "organisation": organisation.pk,
            "booth_kind": "standard",
            "size_m2": 9,
            "booth": booth.pk,
            "fields": [field.pk],
            "description_en": "We make lasers.",
        },
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    booth.refresh_from_db()
    assert booth.state == Booth.State.RESERVED
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Submitted, awaiting a decision" in page


def test_apply_without_profile_shows_error_and_saves_nothing(client, org_admin, hall):
    organisation, admin = org_admin
    client.force_login(admin)
    response = client.post(
        APPLY, {"organisation": organisation.pk, "booth_kind": "standard", "size_m2": 9}
    )
    assert response.status_code == 200
    assert "Describe the organisation in at least one language." in response.content.decode()
    assert Application.objects.count() == 0


def test_apply_for_taken_booth_shows_clear_error(client, org_admin, hall):
    organisation, admin = org_admin
    booth = BoothFactory(hall=hall)
    client.force_login(admin)
    data = {
        "organisation": organisation.pk,
        "booth_kind": "standard",
        "size_m2": 9,
        "booth": booth.pk,
        "description_en": "Profile",
    }
    Booth.objects.filter(pk=booth.pk).update(state=Booth.State.RESERVED)
    response = client.post(APPLY, data)
    assert response.status_code == 200
    assert Application.objects.count() == 0
    assert f"Booth {booth.code} has just been taken." in response.content.decode()


def test_apply_for_another_organisation_is_refused(client, org_admin, edition):
    _organisation, admin = org_admin
    other = OrganisationFactory()
    client.force_login(admin)
    response = client.post(
        APPLY,
        {"organisation": other.pk, "booth_kind": "standard", "size_m2": 9, "description_en": "x"},
    )
    assert response.status_code == 200
    assert Application.objects.count() == 0


def test_apply_without_organisation_redirects_to_registration(client, user, edition):
    client.force_login(user)
    response = client.get(APPLY)
    assert response["Location"] == reverse("ciep:organisation_create")


def test_apply_requires_sign_in(client, edition):
    assert client.get(APPLY).status_code == 302


def test_returning_exhibitor_starts_from_previous_profile(client, org_admin, edition):
    organisation, admin = org_admin
    previous = EditionFactory(number=edition.number - 1, status="concluded")
    ExhibitorFactory(
        edition=previous, organisation=organisation, description_en="Our booth of last year."
    )
    client.force_login(admin)
    page = client.get(APPLY).content.decode()
    assert "Our booth of last year." in page
    assert "We have filled in your profile from" in page


def test_application_of_someone_else_is_404(client, user, edition):
    application = ApplicationFactory(edition=edition)
    client.force_login(user)
    assert client.get(application.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("exhibitions:application_withdraw", args=[application.pk])).status_code
        == 404
    )


def test_applicant_sees_rejection_reason(client, org_admin, edition, organiser):
    organisation, admin = org_admin
    application = ApplicationFactory(
        edition=edition, organisation=organisation, state="rejected", decision_note="Hall is full."
    )
    client.force_login(admin)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Rejected" in page
    assert "Hall is full." in page


def test_withdraw_application(client, org_admin, edition):
    organisation, admin = org_admin
    application = ApplicationFactory(edition=edition, organisation=organisation)
    client.force_login(admin)
    client.post(reverse("exhibitions:application_withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.state == Application.State.WITHDRAWN


def test_delegation_head_applies_for_pavilion_and_places_members(client, edition, organiser):
    head = DelegationMemberFactory(delegation__edition=edition, role="head")
    client.force_login(head.user)
    url = reverse("exhibitions:pavilion_application_create", args=[head.delegation.pk])
    client.post(url, {"size_m2": 300, "description_en": "Jiangsu's pavilion"})
    application = Application.objects.get()
    assert (application.delegation, application.booth_kind) == (head.delegation, "pavilion")

    from exhibitions import services

    pavilion = BoothFactory(hall=HallFactory(edition=edition), kind="pavilion")
    services.booth_assign(booth=pavilion, delegation=head.delegation, by=organiser)
    member = OrganisationFactory()
    head.delegation.organisations.add(member)
    response = client.post(
        reverse("exhibitions:pavilion_manage", args=[pavilion.pk]), {"organisation": member.pk}
    )
    assert response.status_code == 302
    assert member.exhibitors.get().pavilion == pavilion


def test_pavilion_page_of_another_delegation_is_404(client, user, edition, organiser):
    head = DelegationMemberFactory(delegation__edition=edition, role="head")
    pavilion = BoothFactory(
        hall=HallFactory(edition=edition),
        kind="pavilion",
        state="assigned",
        delegation=head.delegation,
    )
    client.force_login(user)
    assert client.get(reverse("exhibitions:pavilion_manage", args=[pavilion.pk])).status_code == 404


# --- The exhibitor's booth ------------------------------------------------------------------


def test_staff_edits_booth_page_with_resized_logo(client, edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    client.force_login(staff)
    response = client.post(
        reverse("exhibitions:exhibitor_edit", args=[exhibitor.pk]),
        {
            "description_en": "New text",
            "description_zh": "新介绍",
            "logo": image_file(size=(2000, 1000)),
            "contact_email": "booth@example.org",
        },
    )
    assert response.status_code == 302
    exhibitor.refresh_from_db()
    assert exhibitor.description_en == "New text"
    assert (exhibitor.logo.width, exhibitor.logo.height) == (512, 256)


def test_booth_edit_with_fake_image_shows_error_and_saves_nothing(client, edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    client.force_login(staff)
    response = client.post(
        reverse("exhibitions:exhibitor_edit", args=[exhibitor.pk]),
        {
            "description_en": "Changed",
            "banner": SimpleUploadedFile("x.png", b"not an image", content_type="image/png"),
        },
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or "field-errors" in response.content.decode()
    exhibitor.refresh_from_db()
    assert (exhibitor.description_en, bool(exhibitor.banner)) == ("We show our products.", False)


def test_booth_edit_by_outsider_is_404(client, user, edition):
    exhibitor = ExhibitorFactory(edition=edition)
    client.force_login(user)
    for name in ("exhibitor_edit", "exhibitor_manage", "slot_manage", "exhibitor_figures"):
        assert client.get(reverse(f"exhibitions:{name}", args=[exhibitor.pk])).status_code == 404


def test_staff_adds_gallery_product_and_brochure(client, edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    client.force_login(staff)
    add = "exhibitions:exhibitor_content_add"
    client.post(
        reverse(add, args=[exhibitor.pk, "gallery"]),
        {"gallery-image": image_file(), "gallery-caption_en": "Our stand"},
    )
    client.post(
        reverse(add, args=[exhibitor.pk, "product"]),
        {"product-name_en": "Laser", "product-summary_en": "Bright", "product-image": image_file()},
    )
    client.post(
        reverse(add, args=[exhibitor.pk, "brochure"]),
        {"brochure-title_en": "Catalogue", "brochure-file": pdf_file()},
    )
    assert [g.caption_en for g in exhibitor.gallery.all()] == ["Our stand"]
    assert [p.name_en for p in exhibitor.products.all()] == ["Laser"]
    assert [b.title_en for b in exhibitor.brochures.all()] == ["Catalogue"]
    page = client.get(exhibitor.get_absolute_url()).content.decode()
    assert "Our stand" in page and "Laser" in page and "Catalogue" in page


def test_brochure_that_is_not_a_pdf_is_refused(client, edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    client.force_login(staff)
    response = client.post(
        reverse("exhibitions:exhibitor_content_add", args=[exhibitor.pk, "brochure"]),
        {"brochure-title_en": "Fake", "brochure-file": pdf_file(content=b"MZ executable")},
    )
    assert response.status_code == 200
    assert "This file is not a PDF document." in response.content.decode()
    assert exhibitor.brochures.count() == 0


def test_brochure_html_polyglot_named_html_is_refused_and_a_pdf_gets_a_new_name(client, edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    client.force_login(staff)
    url = reverse("exhibitions:exhibitor_content_add", args=[exhibitor.pk, "brochure"])
    polyglot = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n"
    refused = client.post(
        url, {"brochure-title_en": "Evil", "brochure-file": pdf_file("evil.html", polyglot)}
    )
    assert refused.status_code == 200
    assert "This file is not a PDF document." in refused.content.decode()
    assert exhibitor.brochures.count() == 0
    client.post(url, {"brochure-title_en": "Real", "brochure-file": pdf_file("evil.html")})
    [brochure] = exhibitor.brochures.all()
    assert re.fullmatch(r"exhibitors/brochures/\d{4}/[0-9a-f]{32}\.pdf", brochure.file.name)
    with brochure.file.open("rb") as stored:
        assert stored.read() == PDF_BYTES


def test_oversized_gallery_image_is_refused(client, edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    client.force_login(staff)
    noise = Image.frombytes("RGB", (1900, 1600), os.urandom(1900 * 1600 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG", compress_level=0)
    assert buffer.tell() > 8 * 1024 * 1024
    upload = SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")
    response = client.post(
        reverse("exhibitions:exhibitor_content_add", args=[exhibitor.pk, "gallery"]),
        {"gallery-image": upload},
    )
    assert "The image is too large: at most 8 MB." in response.content.decode()
    assert exhibitor.gallery.count() == 0


def test_content_delete_of_other_exhibitor_is_404(client, edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    other = ExhibitorFactory(edition=edition)
    product = other.products.create(name_en="Theirs")
    client.force_login(staff)
    url = reverse(
        "exhibitions:exhibitor_content_delete", args=[exhibitor.pk, "product", product.pk]
    )
    assert client.post(url).status_code == 404
    assert other.products.count() == 1


# --- Negotiations ---------------------------------------------------------------------------


def test_staff_publishes_slot_in_china_time(client, edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    client.force_login(staff)
    day = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("exhibitions:slot_manage", args=[exhibitor.pk]),
        {"starts_at": f"{day}T10:00", "duration_minutes": 30, "mode": "on_site"},
    )
    assert response.status_code == 302
    slot = Slot.objects.get()
    assert slot.starts_at.astimezone(datetime.UTC).hour == 2


def test_slot_in_the_past_shows_error_and_saves_nothing(client, edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    client.force_login(staff)
    response = client.post(
        reverse("exhibitions:slot_manage", args=[exhibitor.pk]),
        {"starts_at": "2020-01-01T10:00", "duration_minutes": 30, "mode": "on_site"},
    )
    assert response.status_code == 200
    assert "Choose a time in the future." in response.content.decode()
    assert Slot.objects.count() == 0


def test_visitor_requests_slot_and_sees_meeting(client, user, edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    slot = SlotFactory(exhibitor=exhibitor)
    client.force_login(user)
    response = client.post(
        reverse("exhibitions:meeting_request", args=[exhibitor.pk, slot.pk]),
        {"languages": ["en"], "message": "About lasers"},
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    assert [m.to for m in mail.outbox] == [[staff.email]]
    listing = client.get(reverse("exhibitions:meeting_list")).content.decode()
    assert exhibitor.organisation.name_en in listing
    booth = client.get(exhibitor.get_absolute_url()).content.decode()
    assert "Taken" in booth


def test_request_for_taken_slot_shows_clear_error(client, user, edition):
    meeting = MeetingFactory(slot__exhibitor__edition=edition)
    client.force_login(user)
    response = client.post(
        reverse("exhibitions:meeting_request", args=[meeting.slot.exhibitor.pk, meeting.slot.pk]),
        {"languages": ["en"]},
    )
    assert response.status_code == 200
    assert "This slot has just been taken" in response.content.decode()
    assert Meeting.objects.count() == 1


def test_meeting_request_requires_sign_in(client, edition):
    slot = SlotFactory()
    url = reverse("exhibitions:meeting_request", args=[slot.exhibitor.pk, slot.pk])
    assert client.get(url).status_code == 302


def test_exhibitor_accepts_and_both_download_ics(client, edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    meeting = MeetingFactory(slot__exhibitor=exhibitor)
    client.force_login(staff)
    client.post(reverse("exhibitions:meeting_action", args=[meeting.pk, "accept"]))
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.ACCEPTED
    for person in (staff, meeting.requester):
        client.force_login(person)
        response = client.get(reverse("exhibitions:meeting_ics", args=[meeting.pk]))
        body = response.content.decode()
        assert response["Content-Type"] == "text/calendar"
        assert "BEGIN:VEVENT" in body
        assert "STATUS:CONFIRMED" in body


def test_exhibitor_proposes_another_time(client, edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    meeting = MeetingFactory(slot__exhibitor=exhibitor)
    other = SlotFactory(exhibitor=exhibitor)
    client.force_login(staff)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'<option value="{other.pk}">' in page
    client.post(
        reverse("exhibitions:meeting_action", args=[meeting.pk, "propose"]),
        {"propose-slot": other.pk, "propose-note": "Later?"},
    )
    proposal = Meeting.objects.get(slot=other)
    assert proposal.state == Meeting.State.PROPOSED
    client.force_login(meeting.requester)
    client.post(reverse("exhibitions:meeting_action", args=[proposal.pk, "accept"]))
    proposal.refresh_from_db()
    assert proposal.state == Meeting.State.ACCEPTED


def test_requester_cannot_accept_own_request(client, edition):
    meeting = MeetingFactory()
    client.force_login(meeting.requester)
    response = client.post(reverse("exhibitions:meeting_action", args=[meeting.pk, "accept"]))
    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.REQUESTED


def test_requester_cancels(client, edition):
    meeting = MeetingFactory()
    client.force_login(meeting.requester)
    client.post(reverse("exhibitions:meeting_action", args=[meeting.pk, "cancel"]))
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.CANCELLED


def test_meeting_of_others_is_404(client, user, edition):
    meeting = MeetingFactory()
    client.force_login(user)
    for url in (
        meeting.get_absolute_url(),
        reverse("exhibitions:meeting_ics", args=[meeting.pk]),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(reverse("exhibitions:meeting_action", args=[meeting.pk, "cancel"])).status_code
        == 404
    )


def test_exhibitor_figures_and_csv(client, edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    exhibitor.page_views = 7
    exhibitor.save()
    MeetingFactory(slot__exhibitor=exhibitor, state="accepted", requester__name="王芳")
    MeetingFactory(slot__exhibitor=exhibitor, state="declined")
    client.force_login(staff)
    figures = client.get(reverse("exhibitions:exhibitor_figures", args=[exhibitor.pk]))
    assert figures.context["figures"]["page_views"] == 7
    assert figures.context["figures"]["requests"] == 2
    assert dict(figures.context["figures"]["by_state"])["Accepted"] == 1
    csv = client.get(reverse("exhibitions:exhibitor_meetings_csv", args=[exhibitor.pk]))
    content = csv.getvalue().decode("utf-8")
    assert content.startswith("\ufeff")
    assert "王芳" in content
    assert len(content.strip().splitlines()) == 3


def test_meeting_list_query_count_does_not_grow(client, db):
    person = UserFactory()
    client.force_login(person)
    counts = []
    for batch in (1, 10):
        for _ in range(batch):
            MeetingFactory(requester=person)
        client.get(reverse("exhibitions:meeting_list"))
        with CaptureQueriesContext(connection) as context:
            client.get(reverse("exhibitions:meeting_list"))
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]


def test_time_zone_choice_shows_visitor_time(client, edition):
    slot = SlotFactory(exhibitor__edition=edition)
    client.post(
        reverse("exhibitions:set_timezone"),
        {"tz": "Europe/Berlin", "next": slot.exhibitor.get_absolute_url()},
    )
    page = client.get(slot.exhibitor.get_absolute_url()).content.decode()
    assert f"{zone_label('Europe/Berlin', slot.starts_at)})" in page
    assert "China time" in page


def test_dashboard_and_organisation_panels(client, edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    client.force_login(staff)
    dashboard = client.get(reverse("ciep:dashboard")).content.decode()
    assert exhibitor.get_absolute_url() in dashboard
    organisation = client.get(exhibitor.organisation.get_absolute_url()).content.decode()
    assert exhibitor.get_absolute_url() in organisation


def test_delegation_page_offers_pavilion_application_to_its_head(client, edition):
    head = DelegationMemberFactory(delegation__edition=edition, role="head")
    url = head.delegation.get_absolute_url()
    apply_url = reverse("exhibitions:pavilion_application_create", args=[head.delegation.pk])
    client.force_login(head.user)
    assert apply_url in client.get(url).content.decode()
    client.force_login(UserFactory())
    assert apply_url not in client.get(url).content.decode()


def test_a_new_logo_gets_a_thumbnail_once_shown_in_the_catalogue_card(
    client, edition, django_capture_on_commit_callbacks
):
    from django.core.files.storage import storages

    exhibitor, staff = exhibitor_with_staff(edition)
    client.force_login(staff)
    edit = reverse("exhibitions:exhibitor_edit", args=[exhibitor.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, {"description_en": "Text", "logo": image_file(size=(2000, 1000))})
    exhibitor.refresh_from_db()
    logo, thumbnail = exhibitor.logo.name, exhibitor.logo_thumbnail.name
    assert thumbnail == logo.removesuffix(".png") + ".thumb.webp"
    with Image.open(exhibitor.logo_thumbnail) as image:
        assert (image.format, image.size) == ("WEBP", (96, 96))
    card = client.get(reverse("exhibitions:catalogue")).content.decode()
    assert (
        f'<img src="{exhibitor.logo_thumbnail.url}" alt="" width="48" height="48" '
        'class="exhibitor-logo" decoding="async" loading="lazy">'
    ) in card
    assert exhibitor.logo.url not in card

    # A new logo replaces both files; taking the logo away removes its thumbnail as well.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, {"description_en": "Text", "logo": image_file(size=(300, 300))})
    exhibitor.refresh_from_db()
    assert exhibitor.logo_thumbnail.name.startswith(exhibitor.logo.name.removesuffix(".png"))
    assert [storages["default"].exists(name) for name in (logo, thumbnail)] == [False, False]
    logo, thumbnail = exhibitor.logo.name, exhibitor.logo_thumbnail.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, {"description_en": "Text", "logo-clear": "on"})
    exhibitor.refresh_from_db()
    assert (exhibitor.logo.name, exhibitor.logo_thumbnail.name) == ("", "")
    assert [storages["default"].exists(name) for name in (logo, thumbnail)] == [False, False]


def test_a_logo_saved_before_thumbnails_existed_is_shown_in_full(client, edition):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from exhibitions.models import Exhibitor

    exhibitor = ExhibitorFactory(edition=edition)
    name = storages["default"].save(
        "exhibitors/logos/2019/old.png", ContentFile(image_file().read())
    )
    Exhibitor.objects.filter(pk=exhibitor.pk).update(logo=name)
    exhibitor.refresh_from_db()
    exhibitor.save()  # saved again, without a new image: still no thumbnail
    exhibitor.refresh_from_db()
    assert (exhibitor.logo.name, exhibitor.logo_thumbnail.name) == (name, "")
    card = client.get(reverse("exhibitions:catalogue")).content.decode()
    assert (
        f'<img src="{exhibitor.logo.url}" alt="" width="48" height="48" class="exhibitor-logo" '
        'decoding="async" loading="lazy">'
    ) in card


def test_gallery_and_product_images_get_thumbnails_that_go_with_their_rows(
    client, edition, django_capture_on_commit_callbacks
):
    from django.core.files.storage import storages

    exhibitor, staff = exhibitor_with_staff(edition)
    client.force_login(staff)
    add = "exhibitions:exhibitor_content_add"
    client.post(
        reverse(add, args=[exhibitor.pk, "gallery"]),
        {"gallery-image": image_file(size=(1600, 900)), "gallery-caption_en": "Stand"},
    )
    client.post(
        reverse(add, args=[exhibitor.pk, "product"]),
        {"product-name_en": "Laser", "product-image": image_file(size=(900, 900))},
    )
    [item], [product] = exhibitor.gallery.all(), exhibitor.products.all()
    sizes = []
    for thumbnail in (item.image_thumbnail, product.image_thumbnail):
        with Image.open(thumbnail) as image:
            sizes.append(image.size)
    assert sizes == [(480, 360), (600, 450)]
    page = client.get(exhibitor.get_absolute_url()).content.decode()
    assert (
        f'<a href="{item.image.url}"><img src="{item.image_thumbnail.url}" '
        f'srcset="{item.image_thumbnail.url} 480w, {item.image.url} 1600w" '
        'sizes="(min-width: 768px) 33vw, 50vw" alt="Stand" '
        'width="480" height="360" class="img-fluid rounded" decoding="async" loading="lazy"></a>'
    ) in page
    assert (
        f'<img src="{product.image_thumbnail.url}" '
        f'srcset="{product.image_thumbnail.url} 600w, {product.image.url} 1200w" '
        'sizes="(min-width: 1200px) 25vw, (min-width: 576px) 50vw, 100vw" '
        'alt="" width="600" height="450"'
    ) in page
    names = [item.image.name, item.image_thumbnail.name]
    with django_capture_on_commit_callbacks(execute=True):
        item.delete()
    assert [storages["default"].exists(name) for name in names] == [False, False]
