import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from projects.models import FollowUpReminder, Intention, ProgressReport
from tests.conftest import sign_in_with_second_factor
from tests.factories import FieldFactory
from tests.projects.factories import CompetitionFactory, IntentionFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(edition):
    field = FieldFactory()
    project = ProjectFactory(edition=edition, fields=[field])
    intention = IntentionFactory(
        edition=edition,
        project=project,
        state="signed",
        signed_on=timezone.localdate(),
        fields=[field],
    )
    ProgressReport.objects.create(intention=intention, text="Going well", milestone=3)
    FollowUpReminder.objects.create(intention=intention, milestone=3)
    competition = CompetitionFactory(edition=edition)
    competition.entries.create(project=project)
    return intention


def test_every_projects_admin_page_loads_for_organiser(client, organiser, rows):
    sign_in_with_second_factor(client, organiser)
    for model in admin.site._registry:
        opts = model._meta
        if opts.app_label != "projects":
            continue
        changelist = reverse(f"admin:projects_{opts.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        assert client.get(changelist + "?q=a").status_code == 200, changelist
        assert client.get(reverse(f"admin:projects_{opts.model_name}_add")).status_code == 200
        obj = model.objects.first()
        change = reverse(f"admin:projects_{opts.model_name}_change", args=[obj.pk])
        assert client.get(change).status_code == 200, change


def test_admin_mark_lapsed_goes_through_the_state_machine(client, organiser, edition):
    open_one = IntentionFactory(edition=edition)
    signed = IntentionFactory(edition=edition, state="signed", signed_on=timezone.localdate())
    sign_in_with_second_factor(client, organiser)
    client.post(
        reverse("admin:projects_intention_changelist"),
        {"action": "mark_lapsed", "_selected_action": [open_one.pk, signed.pk]},
    )
    assert dict(Intention.objects.values_list("pk", "state")) == {
        open_one.pk: "lapsed",
        signed.pk: "signed",
    }
    assert list(open_one.events.values_list("to_state", "by")) == [("lapsed", organiser.pk)]


def test_admin_export_intentions_csv(client, organiser, rows):
    sign_in_with_second_factor(client, organiser)
    response = client.post(
        reverse("admin:projects_intention_changelist"),
        {"action": "export_csv", "_selected_action": [rows.pk]},
    )
    body = response.getvalue().decode("utf-8")
    assert body.startswith("\ufeff")
    assert len(body.strip().splitlines()) == 2


def test_organiser_has_projects_permissions(organiser):
    assert organiser.has_perm("projects.change_intention")
    assert organiser.has_perm("projects.add_project")


def test_project_and_posting_states_are_read_only_in_the_admin(client, organiser):
    from tests.projects.factories import ProjectFactory
    from tests.recruitment.factories import JobPostingFactory

    project = ProjectFactory()
    posting = JobPostingFactory()
    sign_in_with_second_factor(client, organiser)
    form = (
        client.get(reverse("admin:projects_project_change", args=[project.pk]))
        .context["adminform"]
        .form
    )
    assert {"state", "hidden_at", "hidden_reason"} & set(form.fields) == set()
    form = (
        client.get(reverse("admin:recruitment_jobposting_change", args=[posting.pk]))
        .context["adminform"]
        .form
    )
    assert {"status", "hidden_at"} & set(form.fields) == set()
