"""A create form sent twice with its one-time token creates one row (ciep/idempotency.py)."""

import datetime
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection, connections
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ciep import tasks
from ciep.idempotency import FIELD
from ciep.models import DelegationMember, FormSubmission, Organisation
from exhibitions.models import Brochure, GalleryImage, Product
from projects.models import Intention, ProgressReport, Project, ProjectDocument
from recruitment.models import ApplicationNote, JobPosting, TalentDemand
from tests.conftest import image_file, pdf_file
from tests.exhibitions.factories import exhibitor_with_staff
from tests.factories import (
    DelegationFactory,
    DelegationMemberFactory,
    FieldFactory,
    MembershipFactory,
    UserFactory,
)
from tests.projects.factories import DemandFactory, IntentionFactory, ProjectFactory
from tests.recruitment.factories import ApplicationFactory, JobPostingFactory

pytestmark = pytest.mark.django_db

TOKEN = "a-token-of-one-form-0123456789"
ALREADY = "This was already saved; nothing was added twice."


@dataclass
class Case:
    user: object
    url: str
    data: Callable[[], dict]  # called for every post: an upload is read once
    rows: Callable[[], QuerySet]
    mails: int = 0  # mails one post sends


def organisation_case(edition):
    field = FieldFactory()
    return Case(
        user=UserFactory(),
        url=reverse("ciep:organisation_create"),
        data=lambda: {
            "name_en": "Nordic Labs",
            "type": "high_tech",
            "country": "FI",
            "city": "Espoo",
            "fields": [field.pk],
            "logo": image_file(),
        },
        rows=lambda: Organisation.objects.filter(name_en="Nordic Labs"),
    )


def posting_case(edition):
    field = FieldFactory()
    membership = MembershipFactory(role="staff")
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    return Case(
        user=membership.user,
        url=reverse("recruitment:posting_create", args=[membership.organisation.pk]),
        data=lambda: {
            "title_en": "Laser engineer",
            "field": field.pk,
            "type": "full_time",
            "description_en": "Lasers.",
            "city": "Shenzhen",
            "province": "Guangdong",
            "salary_period": "month",
            "experience_years": "3",
            "degree": "3",
            "openings": "2",
            "deadline": deadline.isoformat(),
            "work_permit": "B",
            "languages": ["en"],
        },
        rows=lambda: JobPosting.objects.filter(title_en="Laser engineer"),
    )


def demand_case(edition):
    field = FieldFactory()
    delegation = DelegationFactory(edition=edition)
    member = DelegationMemberFactory(delegation=delegation).user
    return Case(
        user=member,
        url=reverse("recruitment:demand_create", args=[delegation.pk]),
        data=lambda: {
            "title_en": "Hydrogen expert",
            "field": field.pk,
            "level": "senior",
            "number": "3",
            "description_en": "Storage.",
        },
        rows=lambda: TalentDemand.objects.filter(delegation=delegation),
    )


def project_case(edition):
    field = FieldFactory()
    membership = MembershipFactory()
    return Case(
        user=membership.user,
        url=reverse("projects:project_create"),
        data=lambda: {
            "owner": f"organisation:{membership.organisation.pk}",
            "kind": "offer",
            "title_en": "Photonics",
            "summary_en": "Imaging",
            "fields": [field.pk],
            "cooperation_types": ["technology_transfer"],
            "stage": "research",
            "contact_name": "A",
            "contact_email": "a@example.org",
            "attachment": pdf_file(),
            "attachment_title": "Technical sheet",
        },
        rows=lambda: Project.objects.filter(title_en="Photonics"),
    )


def project_attachment_case(edition):
    field = FieldFactory()
    membership = MembershipFactory(role="admin")
    project = ProjectFactory(
        edition=edition, organisation=membership.organisation, state=Project.State.DRAFT
    )
    return Case(
        user=membership.user,
        url=reverse("projects:project_edit", args=[project.pk]),
        data=lambda: {
            "kind": "offer",
            "title_en": "Photonics",
            "summary_en": "Imaging",
            "fields": [field.pk],
            "cooperation_types": ["technology_transfer"],
            "stage": "research",
            "contact_name": "A",
            "contact_email": "a@example.org",
            "attachment": pdf_file(),
            "attachment_title": "Technical sheet",
        },
        rows=lambda: ProjectDocument.objects.filter(project=project),
    )


def _content_case(edition, kind, model, data):
    exhibitor, staff = exhibitor_with_staff(edition)
    return Case(
        user=staff,
        url=reverse("exhibitions:exhibitor_content_add", args=[exhibitor.pk, kind]),
        data=data,
        rows=lambda: model.objects.filter(exhibitor=exhibitor),
    )


def gallery_case(edition):
    return _content_case(
        edition,
        "gallery",
        GalleryImage,
        lambda: {"gallery-image": image_file(), "gallery-caption_en": "Our stand"},
    )


def product_case(edition):
    return _content_case(
        edition, "product", Product, lambda: {"product-name_en": "Laser", "product-image": ""}
    )


def brochure_case(edition):
    return _content_case(
        edition,
        "brochure",
        Brochure,
        lambda: {"brochure-title_en": "Catalogue", "brochure-file": pdf_file()},
    )


def note_case(edition):
    membership = MembershipFactory()
    application = ApplicationFactory(
        posting=JobPostingFactory(organisation=membership.organisation)
    )
    return Case(
        user=membership.user,
        url=reverse("recruitment:applicant_detail", args=[application.posting.pk, application.pk]),
        data=lambda: {"action": "note", "text": "Call her back"},
        rows=lambda: ApplicationNote.objects.filter(application=application),
    )


def progress_report_case(edition):
    delegation = DelegationFactory(edition=edition)
    representative = DelegationMemberFactory(delegation=delegation).user
    intention = IntentionFactory(
        edition=edition, delegation=delegation, state="signed", signed_on=timezone.localdate()
    )
    return Case(
        user=representative,
        url=reverse("projects:intention_report", args=[intention.pk]),
        data=lambda: {"text": "Lab opened", "milestone": "3"},
        rows=lambda: ProgressReport.objects.filter(intention=intention),
    )


def intention_case(edition):
    delegation = DelegationFactory(edition=edition)
    representative = DelegationMemberFactory(delegation=delegation).user
    owner = MembershipFactory(role="admin")
    project = ProjectFactory(edition=edition, organisation=owner.organisation)
    return Case(
        user=representative,
        url=reverse("projects:intention_create") + f"?project={project.pk}",
        data=lambda: {
            "party": f"delegation:{delegation.pk}",
            "cooperation_type": "joint_rd",
            "description_en": "Joint laboratory",
        },
        rows=lambda: Intention.objects.filter(project=project),
        mails=1,
    )


def quick_intention_case(edition):
    field = FieldFactory()
    delegation = DelegationFactory(edition=edition)
    representative = DelegationMemberFactory(delegation=delegation).user
    DemandFactory(delegation=delegation, fields=[field])
    owner = MembershipFactory(role="admin")
    project = ProjectFactory(
        edition=edition,
        organisation=owner.organisation,
        fields=[field],
        cooperation_types=["licensing"],
    )
    return Case(
        user=representative,
        url=reverse("projects:recommendation_submit"),
        data=lambda: {
            "project": project.pk,
            "party": f"delegation:{delegation.pk}",
            "cooperation_type": "licensing",
        },
        rows=lambda: Intention.objects.filter(project=project),
        mails=1,
    )


def delegation_document_case(edition):
    delegation = DelegationFactory(edition=edition)
    head = DelegationMemberFactory(delegation=delegation, role=DelegationMember.Role.HEAD).user
    return Case(
        user=head,
        url=reverse("ciep:delegation_manage", args=[delegation.pk]),
        data=lambda: {
            "action": "document",
            "document-title_en": "Policies",
            "document-file": pdf_file(),
        },
        rows=lambda: delegation.documents.all(),
    )


CASES = [
    organisation_case,
    posting_case,
    demand_case,
    project_case,
    project_attachment_case,
    gallery_case,
    product_case,
    brochure_case,
    note_case,
    progress_report_case,
    intention_case,
    quick_intention_case,
    delegation_document_case,
]


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("make_case", CASES, ids=lambda make: make.__name__)
def test_the_same_form_sent_twice_creates_one_row(client, edition, make_case):
    case = make_case(edition)
    client.force_login(case.user)
    mail.outbox.clear()

    first = client.post(case.url, {**case.data(), FIELD: TOKEN})
    assert first.status_code == 302
    assert case.rows().count() == 1
    assert len(mail.outbox) == case.mails

    second = client.post(case.url, {**case.data(), FIELD: TOKEN})
    assert (second.status_code, second["Location"]) == (302, first["Location"])
    assert _messages(second)[-1] == ALREADY
    assert case.rows().count() == 1
    assert len(mail.outbox) == case.mails
    submission = FormSubmission.objects.get(token=TOKEN)
    assert (submission.user, submission.location) == (case.user, first["Location"])
    assert submission.content_type.get_object_for_this_type(pk=submission.object_id) is not None


def test_the_created_object_is_recorded_with_the_token(client, edition):
    case = intention_case(edition)
    client.force_login(case.user)
    client.post(case.url, {**case.data(), FIELD: TOKEN})
    submission = FormSubmission.objects.get()
    intention = Intention.objects.get()
    assert submission.content_type.get_object_for_this_type(pk=submission.object_id) == intention
    assert submission.location == intention.get_absolute_url()


def test_a_form_without_token_still_works_as_before(client, edition):
    case = organisation_case(edition)
    client.force_login(case.user)
    assert client.post(case.url, case.data()).status_code == 302
    assert client.post(case.url, case.data()).status_code == 302
    assert case.rows().count() == 2
    assert FormSubmission.objects.count() == 0


def test_a_malformed_token_is_ignored(client, edition):
    case = organisation_case(edition)
    client.force_login(case.user)
    client.post(case.url, {**case.data(), FIELD: "short"})
    assert (case.rows().count(), FormSubmission.objects.count()) == (1, 0)


def test_two_forms_with_different_tokens_create_two_rows(client, edition):
    case = demand_case(edition)
    client.force_login(case.user)
    client.post(case.url, {**case.data(), FIELD: TOKEN})
    client.post(case.url, {**case.data(), FIELD: TOKEN + "x"})
    assert case.rows().count() == 2


def test_a_form_with_errors_gives_its_token_back(client, edition):
    case = demand_case(edition)
    client.force_login(case.user)
    refused = client.post(case.url, {**case.data(), "number": "0", FIELD: TOKEN})
    assert refused.status_code == 200
    assert FormSubmission.objects.count() == 0
    corrected = client.post(case.url, {**case.data(), FIELD: TOKEN})
    assert corrected.status_code == 302
    assert case.rows().count() == 1
    assert ALREADY not in _messages(corrected)


def test_a_service_refusal_gives_its_token_back(client, edition):
    case = progress_report_case(edition)
    client.force_login(case.user)
    refused = client.post(case.url, {"text": "", FIELD: TOKEN})
    assert _messages(refused) == ["Describe the progress."]
    assert FormSubmission.objects.count() == 0
    client.post(case.url, {**case.data(), FIELD: TOKEN})
    assert case.rows().count() == 1


def test_another_person_with_the_same_token_is_not_answered_with_the_first_result(client, edition):
    case = organisation_case(edition)
    client.force_login(case.user)
    client.post(case.url, {**case.data(), FIELD: TOKEN})
    client.force_login(UserFactory())
    response = client.post(case.url, {**case.data(), FIELD: TOKEN})
    assert response.status_code == 302
    assert case.rows().count() == 2


def test_a_token_older_than_a_day_counts_as_new(client, edition):
    case = organisation_case(edition)
    client.force_login(case.user)
    client.post(case.url, {**case.data(), FIELD: TOKEN})
    FormSubmission.objects.update(created_at=timezone.now() - datetime.timedelta(days=1, hours=1))
    response = client.post(case.url, {**case.data(), FIELD: TOKEN})
    assert response.status_code == 302
    assert ALREADY not in _messages(response)
    assert case.rows().count() == 2


def test_the_repeat_message_is_in_chinese_under_zh_hans(client, edition):
    case = organisation_case(edition)
    client.force_login(case.user)
    url = "/zh-hans" + case.url
    client.post(url, {**case.data(), FIELD: TOKEN})
    second = client.post(url, {**case.data(), FIELD: TOKEN})
    assert _messages(second)[-1] == "此内容已经保存过，没有重复添加。"


def test_create_forms_carry_a_token(client, edition):
    case = organisation_case(edition)
    client.force_login(case.user)
    first = client.get(case.url).content.decode()
    second = client.get(case.url).content.decode()
    tokens = [page.split(f'name="{FIELD}" value="')[1].split('"')[0] for page in (first, second)]
    assert len(tokens[0]) == 32 and tokens[0] != tokens[1]


def test_purge_deletes_tokens_older_than_a_day(edition):
    user = UserFactory()
    old = FormSubmission.objects.create(user=user, token="old-token-0123456789")
    FormSubmission.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    recent = FormSubmission.objects.create(user=user, token="recent-token-0123456789")
    assert tasks.form_submissions_purge() == 1
    assert list(FormSubmission.objects.all()) == [recent]


# --- Two posts at the same moment -----------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("make_case", [organisation_case, intention_case], ids=["org", "intention"])
def test_two_posts_at_once_create_one_row(edition, make_case):
    if connection.vendor != "postgresql":
        pytest.skip("Two posts at once are decided by PostgreSQL's unique index.")
    case = make_case(edition)
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    responses = []

    def post():
        client = Client()
        client.force_login(case.user)
        data = {**case.data(), FIELD: TOKEN}
        try:
            barrier.wait()
            responses.append(client.post(case.url, data))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [response.status_code for response in responses] == [302, 302]
    assert responses[0]["Location"] == responses[1]["Location"]
    assert case.rows().count() == 1
    assert FormSubmission.objects.count() == 1
    assert len(mail.outbox) == case.mails


def test_an_organisation_sent_twice_has_one_membership(client, edition):
    case = organisation_case(edition)
    client.force_login(case.user)
    client.post(case.url, {**case.data(), FIELD: TOKEN})
    client.post(case.url, {**case.data(), FIELD: TOKEN})
    organisation = case.rows().get()
    assert list(organisation.memberships.values_list("user", "role")) == [(case.user.pk, "admin")]
