import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from recruitment.models import JobPosting
from recruitment.selectors import matching_talents, recommended_demands
from tests.factories import DelegationMemberFactory, FieldFactory, MembershipFactory, UserFactory

from .factories import (
    ApplicationFactory,
    JobPostingFactory,
    SavedSearchFactory,
    TalentDemandFactory,
    TalentProfileFactory,
)

pytestmark = pytest.mark.django_db


def test_matching_talents_rank_visible_profiles_only(client, edition):
    membership = MembershipFactory()
    field = FieldFactory()
    posting = JobPostingFactory(
        organisation=membership.organisation,
        field=field,
        languages=["en", "zh"],
        degree=3,
        experience_years=5,
        province="Hebei",
    )
    best = TalentProfileFactory(
        fields=[field], languages=["en", "zh"], degree=4, experience_years=9, province="hebei"
    )
    junior = TalentProfileFactory(fields=[field], degree=2, experience_years=1)
    speaker = TalentProfileFactory(languages=["en"], degree=2, experience_years=1)
    TalentProfileFactory(fields=[field], visibility="nobody")
    TalentProfileFactory(fields=[field], visibility="applied")
    TalentProfileFactory(languages=["ru"])
    ranked = list(matching_talents(posting, membership.user))
    assert [(p.pk, p.score) for p in ranked] == [(best.pk, 9), (junior.pk, 3), (speaker.pk, 1)]
    client.force_login(membership.user)
    body = client.get(reverse("recruitment:posting_matches", args=[posting.pk])).content.decode()
    assert "same field; 2 shared languages; degree met; experience met; location fits" in body


def test_recommended_demands_in_the_talents_fields_not_yet_answered(delegation):
    field = FieldFactory()
    profile = TalentProfileFactory(fields=[field])
    demand = TalentDemandFactory(delegation=delegation, field=field)
    TalentDemandFactory(delegation=delegation)
    TalentDemandFactory(delegation=delegation, field=field, status="closed")
    assert list(recommended_demands(profile)) == [demand]


def test_expire_command_reminds_and_expires(edition):
    poster = UserFactory()
    JobPostingFactory(posted_by=poster, deadline=timezone.localdate() + datetime.timedelta(days=1))
    past = JobPostingFactory(deadline=timezone.localdate() - datetime.timedelta(days=1))
    out = io.StringIO()
    call_command("expire_job_postings", stdout=out)
    assert out.getvalue().strip() == "1 reminder(s) sent, 1 posting(s) expired."
    past.refresh_from_db()
    assert past.status == JobPosting.Status.EXPIRED
    assert [message.to for message in mail.outbox] == [[poster.email]]


def test_alert_command(edition):
    search = SavedSearchFactory(query="remote=on")
    search.created_at = timezone.now() - datetime.timedelta(hours=1)
    search.save()
    JobPostingFactory(remote=True)
    out = io.StringIO()
    call_command("send_job_alerts", stdout=out)
    assert out.getvalue().strip() == "1 alert email(s) sent."
    call_command("send_job_alerts", stdout=out)
    assert len(mail.outbox) == 1


def test_dashboard_organisation_and_delegation_panels(client, edition, delegation):
    application = ApplicationFactory()
    client.force_login(application.talent.user)
    body = client.get(reverse("ciep:dashboard")).content.decode()
    assert "1 application" in body
    body = client.get(application.posting.organisation.get_absolute_url()).content.decode()
    assert application.posting.title_en in body
    demand = TalentDemandFactory(delegation=delegation)
    DelegationMemberFactory(delegation=delegation)
    assert demand.title_en in client.get(delegation.get_absolute_url()).content.decode()


def test_home_page_counts_open_postings(client, edition):
    JobPostingFactory()
    JobPostingFactory(draft=True)
    response = client.get("/")
    summaries = {s["area"].key: s["count"] for s in response.context["areas"]}
    assert summaries["recruitment"] == 1
