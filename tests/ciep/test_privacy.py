"""A person's data export, the deletion of their account, consents and the privacy notice."""

import datetime
import io
import json
import zipfile

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ciep import report, services
from ciep.caching import versions
from ciep.models import Attendance, Consent, Membership, OutgoingMail, User
from ciep.privacy import export_zip
from ciep.services import PLACEHOLDER_NAME
from exhibitions.models import Meeting
from forums.models import Bookmark, Registration, Speaker
from forums.services import speaker_profile_save
from projects.models import Intention, Project
from projects.services import intention_set_publication
from recruitment.forms import TalentProfileForm
from recruitment.models import Application, SavedJob, TalentProfile
from recruitment.services import talent_profile_save
from tests.conftest import give_authenticator, image_file, pdf_file, totp_code
from tests.exhibitions.factories import ExhibitorFactory, MeetingFactory, SlotFactory
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from tests.forums.factories import (
    BookmarkFactory,
    RegistrationFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
)
from tests.projects.factories import IntentionFactory, ProjectFactory
from tests.recruitment.factories import (
    ApplicationFactory,
    JobPostingFactory,
    SavedSearchFactory,
    TalentProfileFactory,
)


def person_with_everything(edition, tag: str):
    """A talent with rows in every area, each naming ``tag``, and their files."""
    user = UserFactory(name=f"Person {tag}", email=f"{tag}@example.org", came_as="talent")
    organisation = OrganisationFactory(name_en=f"Org {tag}")
    MembershipFactory(organisation=organisation, user=user, role=Membership.Role.STAFF)
    MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    profile = TalentProfileFactory(
        user=user,
        headline=f"Headline {tag}",
        cv=pdf_file(f"cv-{tag}.pdf"),
        photo=image_file(f"photo-{tag}.png"),
    )
    posting = JobPostingFactory(edition=edition, title_en=f"Job {tag}")
    application = ApplicationFactory(
        posting=posting,
        talent=profile,
        cover_letter=f"Letter {tag}",
        cv=pdf_file(f"app-cv-{tag}.pdf"),
        state=Application.State.HIRED,
    )
    SavedJob.objects.create(user=user, posting=posting)
    SavedSearchFactory(user=user, name=f"Search {tag}", query=f"q={tag}")
    exhibitor = ExhibitorFactory(edition=edition)
    MeetingFactory(
        slot=SlotFactory(exhibitor=exhibitor),
        requester=user,
        message=f"Meet {tag}",
        state=Meeting.State.ACCEPTED,
    )
    MeetingFactory(slot=SlotFactory(exhibitor=exhibitor), requester=user, message=f"Ask {tag}")
    session = SessionFactory(edition=edition)
    RegistrationFactory(session=session, user=user)
    BookmarkFactory(session=session, user=user)
    intention = IntentionFactory(
        edition=edition,
        counterpart_organisation=None,
        counterpart_expert=user,
        counterpart_team=f"Team {tag}",
        state=Intention.State.SIGNED,
        signed_on=datetime.date(2026, 11, 1),
        signed_document=pdf_file(f"agreement-{tag}.pdf"),
    )
    expert_project = ProjectFactory(
        edition=edition,
        organisation=None,
        expert=user,
        owner_country="RU",
        contact_name=f"Person {tag}",
        contact_email=user.email,
    )
    Attendance.objects.create(
        edition=edition, user=user, name=user.name, role=Attendance.Role.EXPERT, country="RU"
    )
    speaker = SpeakerFactory(
        user=user, biography_en=f"Bio {tag}", photo=image_file(f"speaker-{tag}.png")
    )
    SessionSpeakerFactory(session=session, speaker=speaker)
    services.consent_record(
        user=user,
        purpose=Consent.Purpose.TALENT_PROFILE,
        obj=profile,
        granted=True,
        text="shown",
    )
    services.send_mail_to(user, "ciep/email/account_deleted", {})
    return {
        "user": user,
        "profile": profile,
        "application": application,
        "intention": intention,
        "project": expert_project,
        "speaker": speaker,
    }


def read_zip(response_or_file) -> zipfile.ZipFile:
    if hasattr(response_or_file, "streaming_content"):
        content = b"".join(response_or_file.streaming_content)
    else:
        content = response_or_file.read()
    return zipfile.ZipFile(io.BytesIO(content))


# --- Export -----------------------------------------------------------------------------


def test_export_holds_exactly_that_persons_rows_and_files(edition):
    a = person_with_everything(edition, "alpha")
    b = person_with_everything(edition, "bravo")
    archive = read_zip(export_zip(a["user"]))
    text = archive.read("data.json").decode()
    data = json.loads(text)

    assert "bravo" not in text
    assert data["account"]["email"] == "alpha@example.org"
    assert [row["email"] for row in data["email_addresses"]] == ["alpha@example.org"]
    assert [row["organisation__name_en"] for row in data["organisation_memberships"]] == [
        "Org alpha"
    ]
    assert [row["role"] for row in data["attendances"]] == ["expert"]
    assert [row["purpose"] for row in data["consents"]] == ["talent_profile"]
    assert [row["to"] for row in data["mail_sent_to_you"]] == ["alpha@example.org"]
    recruitment = data["recruitment"]
    assert recruitment["talent_profile"]["headline"] == "Headline alpha"
    assert [row["cover_letter"] for row in recruitment["applications"]] == ["Letter alpha"]
    assert [row["posting__title_en"] for row in recruitment["saved_jobs"]] == ["Job alpha"]
    assert [row["name"] for row in recruitment["saved_searches"]] == ["Search alpha"]
    assert sorted(row["message"] for row in data["exhibitions"]["meetings_requested"]) == [
        "Ask alpha",
        "Meet alpha",
    ]
    assert len(data["forums"]["registrations"]) == 1
    assert len(data["forums"]["bookmarks"]) == 1
    assert [row["counterpart_team"] for row in data["projects"]["cooperation_intentions"]] == [
        "Team alpha"
    ]
    assert [row["contact_email"] for row in data["projects"]["projects"]] == ["alpha@example.org"]
    assert [row["biography_en"] for row in data["forums"]["speaker_profile"]] == ["Bio alpha"]

    names = sorted(name for name in archive.namelist() if name != "data.json")
    assert [name.rsplit("/", 1)[0] for name in names] == sorted(
        [
            f"files/agreements/{a['intention'].pk}",
            f"files/applications/{a['application'].pk}",
            "files/cv",
            "files/photo",
            "files/speaker",
        ]
    )
    cv_name = next(name for name in names if name.startswith("files/cv/"))
    assert archive.read(cv_name) == a["profile"].cv.open("rb").read()
    assert b["profile"].cv.name.rsplit("/", 1)[1] not in "".join(names)


def test_export_view_downloads_a_private_attachment(client, edition):
    a = person_with_everything(edition, "alpha")
    client.force_login(a["user"])
    response = client.get(reverse("ciep:my_data_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="my-ciep-data-')
    assert response["Cache-Control"] == "private, no-store"
    assert "data.json" in read_zip(response).namelist()


def test_export_view_asks_a_visitor_to_sign_in(client, db):
    response = client.get(reverse("ciep:my_data_export"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Deletion ---------------------------------------------------------------------------


def test_account_delete_removes_and_anonymises_and_keeps_the_figures(
    edition, django_capture_on_commit_callbacks
):
    a = person_with_everything(edition, "alpha")
    b = person_with_everything(edition, "bravo")
    user = a["user"]
    before = json.dumps(report.edition_report(edition), sort_keys=True, default=str)
    files = [a["profile"].cv, a["profile"].photo, a["application"].cv, a["speaker"].photo]
    assert all(file.storage.exists(file.name) for file in files)
    b_export_before = json.loads(read_zip(export_zip(b["user"])).read("data.json"))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.account_delete(user=user, by=user)

    after = json.dumps(report.edition_report(edition), sort_keys=True, default=str)
    assert after == before
    assert not User.objects.filter(pk=user.pk).exists()
    placeholder = User.objects.get(name=PLACEHOLDER_NAME)
    assert placeholder.is_active is False
    assert placeholder.has_usable_password() is False
    assert not User.objects.filter(email__iexact="alpha@example.org").exists()

    profile = TalentProfile.objects.get(pk=a["profile"].pk)
    assert (profile.user, profile.headline, profile.cv.name, profile.photo.name) == (
        placeholder,
        "",
        "",
        "",
    )
    assert profile.visibility == TalentProfile.Visibility.NOBODY
    application = Application.objects.get(pk=a["application"].pk)
    assert (application.cover_letter, application.cv.name, application.state) == ("", "", "hired")
    assert [file.name for file in files if file.storage.exists(file.name)] == []
    speaker = Speaker.objects.get(pk=a["speaker"].pk)
    assert (speaker.user, speaker.name_en, speaker.biography_en, speaker.photo.name) == (
        None,
        a["speaker"].name_en,
        "",
        "",
    )
    assert SavedJob.objects.filter(user__email="alpha@example.org").count() == 0
    assert list(Meeting.objects.filter(requester=placeholder).values_list("state", "message")) == [
        ("accepted", "")
    ]
    assert Registration.objects.filter(user=placeholder).count() == 1
    assert Bookmark.objects.filter(user=placeholder).count() == 0
    intention = Intention.objects.get(pk=a["intention"].pk)
    assert (intention.counterpart_expert, intention.counterpart_team) == (placeholder, "")
    assert intention.counterpart_publishes is False
    assert intention.signed_document  # the agreement is kept for the organisers' record
    project = Project.objects.get(pk=a["project"].pk)
    assert (project.expert, project.contact_email) == (placeholder, placeholder.email)
    assert project.hidden_at is not None
    attendance = Attendance.objects.get(edition=edition, user=placeholder)
    assert attendance.name == PLACEHOLDER_NAME
    assert Consent.objects.filter(user__email="alpha@example.org").count() == 0
    assert not OutgoingMail.objects.filter(to="alpha@example.org").exclude(
        subject__contains="deleted"
    )
    assert [message.to for message in mail.outbox] == [["alpha@example.org"]]
    assert "deleted" in mail.outbox[0].subject

    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_pk=str(user.pk)
    ).order_by("pk")
    assert [(e.action, e.object_repr, e.changes) for e in entries] == [
        (LogEntry.Action.CREATE, PLACEHOLDER_NAME, None),
        (LogEntry.Action.DELETE, PLACEHOLDER_NAME, None),
    ]
    assert entries.last().actor == placeholder
    b_export_after = json.loads(read_zip(export_zip(b["user"])).read("data.json"))
    b_export_before.pop("exported_at"), b_export_after.pop("exported_at")
    b_export_before.pop("mail_sent_to_you"), b_export_after.pop("mail_sent_to_you")
    assert b_export_after == b_export_before
    assert b["profile"].cv.storage.exists(b["profile"].cv.name)


def test_account_delete_keeps_audit_entries_with_the_placeholder(edition):
    user = UserFactory()
    organisation = OrganisationFactory()
    entry = LogEntry.objects.log_create(organisation, action=LogEntry.Action.UPDATE, changes={})
    LogEntry.objects.filter(pk=entry.pk).update(actor=user, remote_addr="10.1.2.3")

    services.account_delete(user=user, by=user)

    entry.refresh_from_db()
    assert (entry.actor.name, entry.remote_addr) == (PLACEHOLDER_NAME, None)


def test_account_delete_refuses_the_last_admin_of_an_organisation(db):
    user = UserFactory()
    organisation = OrganisationFactory(name_en="Lonely Org")
    MembershipFactory(organisation=organisation, user=user, role=Membership.Role.ADMIN)
    MembershipFactory(organisation=organisation, role=Membership.Role.STAFF)
    with pytest.raises(ValidationError, match="last administrator of Lonely Org"):
        services.account_delete(user=user, by=user)
    assert User.objects.filter(pk=user.pk).exists()

    MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    services.account_delete(user=user, by=user)
    assert not User.objects.filter(pk=user.pk).exists()


def test_account_delete_refuses_staff_and_other_people(db):
    organiser = UserFactory(organiser=True)
    with pytest.raises(ValidationError, match="Organisers' accounts"):
        services.account_delete(user=organiser, by=organiser)
    user, other = UserFactory(), UserFactory()
    with pytest.raises(PermissionDenied):
        services.account_delete(user=user, by=other)
    assert User.objects.filter(pk__in=[organiser.pk, user.pk]).count() == 2


def test_account_delete_view_with_the_password_signs_out(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("ciep:account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("ciep:dashboard")).status_code == 302


def test_account_delete_view_refuses_a_wrong_password(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("ciep:account_delete"), {"password": "not-it"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"password": ["This is not your password."]}
    assert User.objects.filter(pk=user.pk).exists()


def test_account_delete_view_limits_password_guesses(client, db):
    user = UserFactory()
    client.force_login(user)
    statuses = [
        client.post(reverse("ciep:account_delete"), {"password": f"guess-{n}"}).status_code
        for n in range(11)
    ]
    assert statuses == [200] * 10 + [429]
    response = client.post(reverse("ciep:account_delete"), {"password": PASSWORD})
    assert response.status_code == 429
    assert User.objects.filter(pk=user.pk).exists()


def test_account_delete_view_asks_for_the_second_factor(client, db):
    user = UserFactory()
    give_authenticator(user)
    client.force_login(user)
    response = client.post(reverse("ciep:account_delete"), {"password": PASSWORD})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["code"]
    response = client.post(reverse("ciep:account_delete"), {"password": PASSWORD, "code": "000000"})
    assert list(response.context["form"].errors) == ["code"]
    assert User.objects.filter(pk=user.pk).exists()
    response = client.post(
        reverse("ciep:account_delete"), {"password": PASSWORD, "code": totp_code()}
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()


def test_account_delete_view_tells_the_last_admin_to_hand_over(client, db):
    user = UserFactory()
    MembershipFactory(
        organisation=OrganisationFactory(name_en="Solo Org"),
        user=user,
        role=Membership.Role.ADMIN,
    )
    client.force_login(user)
    response = client.post(reverse("ciep:account_delete"), {"password": PASSWORD})
    assert response.status_code == 200
    assert "last administrator of Solo Org" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


# --- Consent ----------------------------------------------------------------------------


def _profile_form(profile, visibility):
    data = {
        "headline": profile.headline,
        "nationality": "RU",
        "degree": 4,
        "experience_years": 8,
        "visibility": visibility,
    }
    return TalentProfileForm(data, instance=profile)


def test_talent_profile_visibility_records_consent_rows(db):
    profile = TalentProfileFactory(visibility=TalentProfile.Visibility.NOBODY)
    user = profile.user
    form = _profile_form(profile, TalentProfile.Visibility.EMPLOYERS)
    assert form.is_valid(), form.errors
    talent_profile_save(by=user, data=form.cleaned_data)
    talent_profile_save(by=user, data=_valid(_profile_form(profile, "employers")).cleaned_data)
    talent_profile_save(by=user, data=_valid(_profile_form(profile, "nobody")).cleaned_data)
    assert list(
        Consent.objects.filter(user=user).order_by("id").values_list("purpose", "granted")
    ) == [("talent_profile", True), ("talent_profile", False)]


def _valid(form):
    assert form.is_valid(), form.errors
    return form


def test_consent_withdraw_from_the_account_page_hides_the_profile_at_once(client, db):
    profile = TalentProfileFactory(visibility=TalentProfile.Visibility.NOBODY)
    user = profile.user
    talent_profile_save(by=user, data=_valid(_profile_form(profile, "employers")).cleaned_data)
    consent = Consent.objects.get(user=user)
    client.force_login(user)
    page = client.get(reverse("ciep:dashboard"))
    assert page.context["consents"] == [consent]
    assert reverse("ciep:consent_withdraw", args=[consent.pk]) in page.content.decode()

    response = client.post(reverse("ciep:consent_withdraw", args=[consent.pk]))

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.visibility == TalentProfile.Visibility.NOBODY
    assert client.get(reverse("ciep:dashboard")).context["consents"] == []


def test_speaker_profile_consent_and_its_withdrawal(db, django_capture_on_commit_callbacks):
    from forums.forms import SpeakerProfileForm

    user = UserFactory()
    speaker = SpeakerFactory(user=user, photo=image_file("speaker.png"))
    photo = speaker.photo.name
    form = SpeakerProfileForm(
        {"name_en": speaker.name_en, "biography_en": "I study photonics.", "country": "CN"},
        instance=speaker,
    )
    assert form.is_valid(), form.errors
    speaker_profile_save(speaker=speaker, data=form.cleaned_data, by=user)
    consent = Consent.objects.get(user=user)
    assert (consent.purpose, consent.granted) == ("speaker_profile", True)
    version = versions(["forums"])

    with django_capture_on_commit_callbacks(execute=True):
        services.consent_withdraw(consent=consent, by=user)

    speaker.refresh_from_db()
    assert (speaker.biography_en, speaker.photo.name) == ("", "")
    assert not speaker.photo.storage.exists(photo)
    assert versions(["forums"]) != version
    assert list(
        Consent.objects.filter(user=user).order_by("id").values_list("granted", flat=True)
    ) == [True, False]
    with pytest.raises(PermissionDenied):
        speaker_profile_save(speaker=speaker, data=form.cleaned_data, by=UserFactory())


def test_dashboard_consents_keep_the_query_count_flat(client, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = UserFactory()
    client.force_login(user)

    def queries_with(count):
        for _ in range(count - Consent.objects.filter(user=user).count()):
            profile = TalentProfileFactory(visibility=TalentProfile.Visibility.EMPLOYERS)
            services.consent_record(
                user=user,
                purpose=Consent.Purpose.TALENT_PROFILE,
                obj=profile,
                granted=True,
                text="shown",
            )
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("ciep:dashboard"))
        assert len(response.context["consents"]) == count
        return len(captured)

    assert queries_with(1) == queries_with(6)


def test_consent_withdraw_of_another_person_is_404(client, db):
    profile = TalentProfileFactory(visibility=TalentProfile.Visibility.NOBODY)
    talent_profile_save(
        by=profile.user, data=_valid(_profile_form(profile, "employers")).cleaned_data
    )
    consent = Consent.objects.get(user=profile.user)
    client.force_login(UserFactory())
    assert client.post(reverse("ciep:consent_withdraw", args=[consent.pk])).status_code == 404
    profile.refresh_from_db()
    assert profile.visibility == TalentProfile.Visibility.EMPLOYERS


def test_agreement_publication_records_consent_and_refreshes_pages(
    db, edition, django_capture_on_commit_callbacks
):
    user = UserFactory()
    intention = IntentionFactory(
        edition=edition,
        counterpart_organisation=None,
        counterpart_expert=user,
        state=Intention.State.SIGNED,
        signed_on=datetime.date(2026, 11, 1),
    )
    version = versions(["projects"])
    with django_capture_on_commit_callbacks(execute=True):
        intention_set_publication(intention=intention, by=user, publish=True)
    assert versions(["projects"]) != version
    consent = Consent.objects.get(user=user)
    assert (consent.purpose, consent.granted, consent.object_id) == (
        "agreement_publication",
        True,
        intention.pk,
    )
    services.consent_withdraw(consent=consent, by=user)
    intention.refresh_from_db()
    assert intention.counterpart_publishes is False
    assert list(
        Consent.objects.filter(user=user).order_by("id").values_list("granted", flat=True)
    ) == [True, False]


def test_consent_admin_is_read_only(client, organiser):
    from tests.conftest import sign_in_with_second_factor

    profile = TalentProfileFactory(visibility=TalentProfile.Visibility.NOBODY)
    talent_profile_save(
        by=profile.user, data=_valid(_profile_form(profile, "employers")).cleaned_data
    )
    organiser.is_superuser = True
    organiser.save()
    sign_in_with_second_factor(client, organiser)
    response = client.get(reverse("admin:ciep_consent_changelist") + "?purpose=talent_profile")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert client.get(reverse("admin:ciep_consent_add")).status_code == 403


# --- Privacy notice ---------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
def test_privacy_notice_in_both_languages(client, db, prefix):
    response = client.get(f"{prefix}/privacy/")
    assert response.status_code == 200
    body = response.content.decode()
    if prefix:
        assert "隐私政策" in body
        assert "中国大陆" in body
    else:
        assert "Privacy notice" in body
        assert "mainland China" in body
    assert f'{prefix}/me/data.zip"' in body
    assert f'{prefix}/me/delete/"' in body


def test_privacy_notice_is_linked_from_the_footer_and_sign_up(client, db):
    assert 'href="/privacy/"' in client.get(reverse("ciep:home")).content.decode()
    assert 'href="/privacy/"' in client.get(reverse("account_signup")).content.decode()
