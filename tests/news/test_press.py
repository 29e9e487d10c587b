import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from ciep.report import edition_report
from news import services
from news.models import Accreditation
from tests.conftest import PDF_BYTES, image_file, pdf_file, sign_in
from tests.factories import UserFactory
from tests.news.factories import AccreditationFactory, MediaFigureFactory, PressKitItemFactory

pytestmark = pytest.mark.django_db

APPLY = "/press/apply/"


def _form(**overrides):
    return {
        "outlet": "Shenzhen Daily",
        "country": "CN",
        "role": "reporter",
        "press_card": pdf_file(),
        **overrides,
    }


def test_journalist_applies_with_a_press_card_kept_private(client, user, edition):
    sign_in(client, user)
    response = client.post(APPLY, _form())
    assert response.status_code == 302
    accreditation = Accreditation.objects.get()
    assert (accreditation.journalist, accreditation.outlet, accreditation.state) == (
        user,
        "Shenzhen Daily",
        "pending",
    )
    assert accreditation.press_card.name.endswith(".pdf")
    assert accreditation.press_card.storage.__class__.__name__ == "PrivateFileSystemStorage"
    page = client.get("/press/").content.decode()
    assert "Waiting for a decision" in page


def test_accreditation_accepts_a_photo_of_the_press_card(client, user, edition):
    sign_in(client, user)
    client.post(APPLY, _form(press_card=image_file("card.gif", image_format="GIF")))
    assert Accreditation.objects.get().press_card.name.endswith(".png")


def test_accreditation_with_a_file_that_is_neither_pdf_nor_image_saves_nothing(
    client, user, edition
):
    sign_in(client, user)
    fake = pdf_file("card.pdf", content=b"MZ\x90\x00 not a document")
    response = client.post(APPLY, _form(press_card=fake, outlet=""))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"press_card", "outlet"}
    assert Accreditation.objects.count() == 0


def test_accreditation_twice_for_one_edition_is_refused(client, user, edition):
    AccreditationFactory(edition=edition, journalist=user)
    sign_in(client, user)
    response = client.post(APPLY, _form())
    assert response.status_code == 200
    assert "You have already applied for this edition." in response.content.decode()
    assert Accreditation.objects.count() == 1


def test_accreditation_apply_needs_a_signed_in_person(client, edition):
    response = client.post(APPLY, _form())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert Accreditation.objects.count() == 0


def test_approval_mails_the_journalist_in_their_language_and_counts_the_outlet(organiser, edition):
    journalist = UserFactory(preferred_language="zh")
    accreditation = AccreditationFactory(edition=edition, journalist=journalist, outlet="Daily")
    AccreditationFactory(edition=edition, outlet="DAILY", state="approved")
    AccreditationFactory(edition=edition, outlet="Pending Post")
    assert edition_report(edition)["media_outlets"] == 1
    services.accreditation_approve(accreditation=accreditation, by=organiser)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [journalist.email]
    assert "已获批准" in mail.outbox[0].subject
    assert edition_report(edition)["media_outlets"] == 1  # the same outlet, whatever its case
    MediaFigureFactory(edition=edition, key="media_outlets", value=73)
    assert edition_report(edition)["media_outlets"] == 73


def test_refusal_mails_the_reason_and_a_decision_is_final(organiser, edition):
    accreditation = AccreditationFactory(edition=edition)
    services.accreditation_refuse(accreditation=accreditation, by=organiser, reason="No card")
    assert "No card" in mail.outbox[0].body
    with pytest.raises(ValidationError):
        services.accreditation_approve(accreditation=accreditation, by=organiser)
    assert Accreditation.objects.get().state == "refused"


def test_only_organisers_decide_accreditations(user, edition):
    accreditation = AccreditationFactory(edition=edition)
    with pytest.raises(PermissionDenied):
        services.accreditation_approve(accreditation=accreditation, by=user)
    assert Accreditation.objects.get().state == "pending"
    assert len(mail.outbox) == 0


def test_accredited_journalist_gets_a_badge_with_a_qr_code_and_the_press_kit(client, user, edition):
    accreditation = AccreditationFactory(edition=edition, journalist=user, state="approved")
    item = PressKitItemFactory(edition=edition, title_en="Opening release")
    sign_in(client, user)
    page = client.get("/press/").content.decode()
    assert "Opening release" in page
    badge = client.get(f"/press/badge/{accreditation.pk}/").content.decode()
    assert 'class="qr-code"' in badge
    assert accreditation.badge_code in badge
    download = client.get(f"/press/kit/{item.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_pending_journalist_has_no_badge_and_no_press_kit(client, user, edition):
    accreditation = AccreditationFactory(edition=edition, journalist=user)
    item = PressKitItemFactory(edition=edition)
    sign_in(client, user)
    assert client.get(f"/press/badge/{accreditation.pk}/").status_code == 404
    assert client.get(f"/press/kit/{item.pk}/").status_code == 404
    assert client.get(f"/press/cards/{accreditation.pk}/").status_code == 200


def test_press_card_is_404_for_other_people_and_open_to_organisers(client, user, organiser):
    accreditation = AccreditationFactory()
    sign_in(client, user)
    assert client.get(f"/press/cards/{accreditation.pk}/").status_code == 404
    sign_in(client, organiser)
    assert client.get(f"/press/cards/{accreditation.pk}/").status_code == 200


def test_press_centre_in_chinese(client, edition):
    response = client.get("/zh-hans/press/")
    assert response.status_code == 200
    assert "新闻中心" in response.content.decode()


def test_admin_approves_through_the_service(client, organiser, edition):
    from tests.conftest import sign_in_with_second_factor

    accreditation = AccreditationFactory(edition=edition)
    sign_in_with_second_factor(client, organiser)
    assert client.get("/admin/news/accreditation/").status_code == 200
    assert client.get(f"/admin/news/accreditation/{accreditation.pk}/change/").status_code == 200
    assert client.get("/admin/news/presskititem/add/").status_code == 200
    client.post(
        "/admin/news/accreditation/",
        {"action": "approve", "_selected_action": [accreditation.pk]},
    )
    accreditation.refresh_from_db()
    assert (accreditation.state, accreditation.decided_by) == ("approved", organiser)
    assert len(mail.outbox) == 1
