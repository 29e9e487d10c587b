"""Public media and private files: where each is stored, and who can reach a private one."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from ciep.storage import private_files
from projects import services as project_services
from recruitment.models import Application, TalentProfile
from tests.conftest import PDF_BYTES, image_file, pdf_file
from tests.factories import DelegationMemberFactory, FieldFactory, MembershipFactory, UserFactory
from tests.projects.factories import ProjectFactory
from tests.recruitment.factories import JobPostingFactory, TalentProfileFactory

pytestmark = pytest.mark.django_db


def talent_with_cv(**extra):
    profile = TalentProfileFactory(**extra)
    profile.cv.save("cv.pdf", ContentFile(PDF_BYTES))
    return profile


def assert_private_download(response, filename):
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_personal_files_are_stored_outside_public_media(settings, tmp_path):
    profile = talent_with_cv()
    profile.photo.save("photo.png", ContentFile(image_file().read()))
    assert profile.cv.storage is private_files
    assert private_files.exists(profile.cv.name)
    assert private_files.path(profile.cv.name).startswith(str(tmp_path / "private"))
    assert not storages["default"].exists(profile.cv.name)
    assert not storages["default"].exists(profile.photo.name)
    assert Application._meta.get_field("cv").storage is private_files


def test_own_cv_download_is_an_attachment_never_sniffed(client):
    profile = talent_with_cv()
    client.force_login(profile.user)
    assert_private_download(client.get(reverse("recruitment:profile_cv")), "cv.pdf")


def test_cv_of_a_hidden_profile_is_404_to_an_employer(client):
    profile = talent_with_cv(visibility=TalentProfile.Visibility.NOBODY)
    employer = MembershipFactory(role="staff").user
    client.force_login(employer)
    assert client.get(reverse("talents:talent_cv", args=[profile.pk])).status_code == 404
    assert client.get(reverse("talents:talent_photo", args=[profile.pk])).status_code == 404


def test_application_keeps_a_private_copy_only_its_parties_download(client, edition):
    membership = MembershipFactory(role="staff")
    posting = JobPostingFactory(organisation=membership.organisation)
    profile = talent_with_cv()
    client.force_login(profile.user)
    client.post(reverse("recruitment:apply", args=[posting.pk]), {"cover_letter": "Hello"})
    application = Application.objects.get()
    assert application.cv.name != profile.cv.name
    assert private_files.exists(application.cv.name)
    url = reverse("recruitment:application_cv", args=[application.pk])

    client.force_login(membership.user)
    assert_private_download(client.get(url), f"cv-{application.pk}.pdf")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("account_login"))


def test_talent_photo_is_shown_inline_to_those_who_may_see_the_profile(client):
    profile = TalentProfileFactory(visibility=TalentProfile.Visibility.EMPLOYERS)
    profile.photo.save("photo.png", ContentFile(image_file().read()))
    client.force_login(MembershipFactory(role="staff").user)
    page = client.get(reverse("talents:talent_detail", args=[profile.pk]))
    photo_url = reverse("talents:talent_photo", args=[profile.pk])
    assert f'src="{photo_url}"' in page.content.decode()
    response = client.get(photo_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_signed_agreement_reaches_the_parties_only(client, delegation):
    representative = DelegationMemberFactory(delegation=delegation).user
    owner = MembershipFactory(role="staff")
    project = ProjectFactory(edition=delegation.edition, organisation=owner.organisation)
    intention = project_services.intention_submit(
        by=representative,
        edition=delegation.edition,
        delegation=delegation,
        project=project,
        cooperation_type="joint_rd",
        description_en="A joint laboratory.",
    )
    project_services.intention_confirm(intention=intention, by=owner.user)
    project_services.intention_sign(
        intention=intention,
        by=owner.user,
        signed_on=timezone.localdate() - datetime.timedelta(days=1),
        place_en="Shenzhen",
        document=pdf_file(),
    )
    intention.refresh_from_db()
    assert private_files.exists(intention.signed_document.name)
    url = reverse("projects:intention_agreement", args=[intention.pk])

    client.force_login(representative)
    page = client.get(reverse("projects:intention_detail", args=[intention.pk]))
    assert f'href="{url}"' in page.content.decode()
    assert_private_download(client.get(url), f"agreement-{intention.pk}.pdf")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_private_storage_url_is_signed_and_expires(client, settings):
    name = private_files.save("cvs/2026/x.pdf", ContentFile(PDF_BYTES))
    url = private_files.url(name)
    assert name not in url
    assert_private_download(client.get(url), "x.pdf")
    assert client.get(url[:-3] + "abc/").status_code == 404
    settings.PRIVATE_URL_MAX_AGE = -1
    assert client.get(url).status_code == 404


def test_missing_private_file_is_404_not_500(client):
    profile = talent_with_cv()
    private_files.delete(profile.cv.name)
    client.force_login(profile.user)
    assert client.get(reverse("recruitment:profile_cv")).status_code == 404


def test_a_replaced_cv_is_deleted_after_commit_and_a_rolled_back_one_kept(
    client, django_capture_on_commit_callbacks
):
    import contextlib

    from django.db import transaction

    from tests.recruitment.test_views import profile_form

    profile = talent_with_cv()
    first = profile.cv.name
    client.force_login(profile.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("recruitment:profile_edit"),
            profile_form(FieldFactory(), cv=pdf_file()),
        )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.cv.name != first
    assert not private_files.exists(first)
    assert private_files.exists(profile.cv.name)

    second = profile.cv.name
    with (
        django_capture_on_commit_callbacks(execute=True),
        contextlib.suppress(RuntimeError),
        transaction.atomic(),
    ):
        profile.cv.save("other.pdf", ContentFile(PDF_BYTES))
        raise RuntimeError
    assert private_files.exists(second)


def test_a_deleted_row_takes_its_files_with_it(django_capture_on_commit_callbacks):
    profile = talent_with_cv()
    profile.photo.save("photo.png", ContentFile(image_file().read()))
    names = [profile.cv.name, profile.photo.name]
    with django_capture_on_commit_callbacks(execute=True):
        TalentProfile.objects.filter(pk=profile.pk).delete()
    assert [private_files.exists(name) for name in names] == [False, False]


def test_a_removed_delegation_document_stops_being_served(
    delegation, django_capture_on_commit_callbacks
):
    from ciep.models import DelegationDocument

    document = DelegationDocument.objects.create(
        delegation=delegation, title_en="Policies", file=ContentFile(PDF_BYTES, name="p.pdf")
    )
    name = document.file.name
    assert storages["default"].exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert not storages["default"].exists(name)
