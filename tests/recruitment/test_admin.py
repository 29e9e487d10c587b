import pytest
from django.contrib import admin
from django.core import mail
from django.urls import reverse

from recruitment.models import JobPosting
from tests.conftest import sign_in_with_second_factor

from .factories import (
    ApplicationFactory,
    DemandAnswerFactory,
    JobPostingFactory,
    SavedSearchFactory,
)

pytestmark = pytest.mark.django_db


def test_every_recruitment_admin_page_loads_for_an_organiser(client, organiser, edition):
    application = ApplicationFactory(posting=JobPostingFactory(languages=["en"]))
    application.notes.create(author=organiser, text="ok")
    application.events.create(to_state="submitted")
    DemandAnswerFactory()
    SavedSearchFactory()
    sign_in_with_second_factor(client, organiser)
    models = [m for m in admin.site._registry if m._meta.app_label == "recruitment"]
    assert len(models) == 9
    for model in models:
        opts = model._meta
        changelist = reverse(f"admin:recruitment_{opts.model_name}_changelist")
        assert client.get(changelist + "?q=a").status_code == 200, changelist
        assert client.get(reverse(f"admin:recruitment_{opts.model_name}_add")).status_code == 200
        obj = model.objects.first()
        if obj is not None:
            change = reverse(f"admin:recruitment_{opts.model_name}_change", args=[obj.pk])
            assert client.get(change).status_code == 200, change


def test_admin_hide_needs_reason_then_restore(client, organiser, edition):
    posting = JobPostingFactory(posted_by=organiser)
    sign_in_with_second_factor(client, organiser)
    url = reverse("admin:recruitment_jobposting_changelist")
    client.post(url, {"action": "hide", "_selected_action": [posting.pk], "reason": ""})
    posting.refresh_from_db()
    assert posting.hidden_at is None
    client.post(url, {"action": "hide", "_selected_action": [posting.pk], "reason": "Scam"})
    posting.refresh_from_db()
    assert (posting.is_hidden, posting.hidden_reason, posting.hidden_by) == (
        True,
        "Scam",
        organiser,
    )
    assert len(mail.outbox) == 1
    client.post(url, {"action": "restore", "_selected_action": [posting.pk]})
    assert list(JobPosting.objects.public()) == [posting]


def test_admin_exports_applications_with_bom(client, organiser, edition):
    application = ApplicationFactory()
    sign_in_with_second_factor(client, organiser)
    response = client.post(
        reverse("admin:recruitment_application_changelist"),
        {"action": "export_csv", "_selected_action": [application.pk]},
    )
    content = response.getvalue().decode("utf-8")
    assert content.startswith("\ufeff")
    assert application.talent.user.email in content
    assert len(content.strip().splitlines()) == 2
