import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from recruitment import services
from recruitment.models import (
    Application,
    ApplicationEvent,
    DemandAnswer,
    JobAlert,
    JobPosting,
    JobReport,
    SavedJob,
    TalentDemand,
    TalentProfile,
)
from tests.conftest import pdf_file
from tests.factories import (
    DelegationMemberFactory,
    FieldFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

from .factories import (
    ApplicationFactory,
    JobPostingFactory,
    SavedSearchFactory,
    TalentDemandFactory,
    TalentProfileFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def posting_values(field, **overrides):
    values = {
        "title_en": "Photonics engineer",
        "title_zh": "光子学工程师",
        "description_en": "Design lasers.",
        "field": field,
        "type": JobPosting.Type.FULL_TIME,
        "city": "Shenzhen",
        "province": "Guangdong",
        "salary_min": 30000,
        "salary_max": 50000,
        "deadline": TODAY() + datetime.timedelta(days=20),
    }
    values.update(overrides)
    return values


@pytest.fixture
def employer(edition):
    membership = MembershipFactory(role="staff")
    return membership.user, membership.organisation


# --- Postings -------------------------------------------------------------------------------


def test_job_posting_create_by_staff_is_draft_of_current_edition(employer, field, edition):
    user, organisation = employer
    posting = services.job_posting_create(
        organisation=organisation, by=user, languages=["en", "zh", "en"], **posting_values(field)
    )
    assert posting.status == JobPosting.Status.DRAFT
    assert posting.edition == edition
    assert posting.posted_by == user
    assert posting.salary_monthly == 50000
    assert sorted(posting.languages.values_list("language", flat=True)) == ["en", "zh"]


def test_job_posting_create_yearly_salary_is_monthly_for_filters(employer, field):
    user, organisation = employer
    posting = services.job_posting_create(
        organisation=organisation,
        by=user,
        **posting_values(field, salary_min=None, salary_max=600000, salary_period="year"),
    )
    assert posting.salary_monthly == 50000


def test_job_posting_create_by_outsider_is_refused(employer, field, user):
    _user, organisation = employer
    with pytest.raises(PermissionDenied):
        services.job_posting_create(organisation=organisation, by=user, **posting_values(field))
    assert JobPosting.objects.count() == 0


@pytest.mark.parametrize(
    "overrides, error_field",
    [
        ({"salary_min": -5}, "salary_min"),
        ({"salary_min": 50000, "salary_max": 20000}, "salary_max"),
        ({"deadline": datetime.date(2020, 1, 1)}, "deadline"),
        ({"title_en": "  "}, "title_en"),
    ],
)
def test_job_posting_create_bad_values_save_nothing(employer, field, overrides, error_field):
    user, organisation = employer
    with pytest.raises(ValidationError) as error:
        services.job_posting_create(
            organisation=organisation, by=user, **posting_values(field, **overrides)
        )
    assert list(error.value.error_dict) == [error_field]
    assert JobPosting.objects.count() == 0


def test_job_posting_publish_then_close(employer):
    user, organisation = employer
    posting = JobPostingFactory(organisation=organisation, draft=True)
    posting = services.job_posting_publish(posting=posting, by=user)
    assert posting.status == JobPosting.Status.PUBLISHED
    assert posting.published_at is not None
    with pytest.raises(ValidationError):
        services.job_posting_publish(posting=posting, by=user)
    posting = services.job_posting_close(posting=posting, by=user)
    assert posting.status == JobPosting.Status.CLOSED
    with pytest.raises(ValidationError):
        services.job_posting_close(posting=posting, by=user)


def test_job_posting_publish_by_outsider_is_refused(employer, user):
    posting = JobPostingFactory(organisation=employer[1], draft=True)
    with pytest.raises(PermissionDenied):
        services.job_posting_publish(posting=posting, by=user)
    posting.refresh_from_db()
    assert posting.status == JobPosting.Status.DRAFT


def test_job_posting_extend_reposts_an_expired_posting(employer):
    user, organisation = employer
    posting = JobPostingFactory(
        organisation=organisation,
        status=JobPosting.Status.EXPIRED,
        deadline=TODAY() - datetime.timedelta(days=2),
        deadline_reminder_sent_at=timezone.now(),
    )
    new_deadline = TODAY() + datetime.timedelta(days=10)
    posting = services.job_posting_extend(posting=posting, deadline=new_deadline, by=user)
    assert (posting.status, posting.deadline, posting.deadline_reminder_sent_at) == (
        JobPosting.Status.PUBLISHED,
        new_deadline,
        None,
    )


def test_job_posting_extend_refuses_past_deadline_and_drafts(employer):
    user, organisation = employer
    posting = JobPostingFactory(organisation=organisation)
    with pytest.raises(ValidationError):
        services.job_posting_extend(
            posting=posting, deadline=TODAY() - datetime.timedelta(days=1), by=user
        )
    draft = JobPostingFactory(organisation=organisation, draft=True)
    with pytest.raises(ValidationError):
        services.job_posting_extend(
            posting=draft, deadline=TODAY() + datetime.timedelta(days=1), by=user
        )


def test_job_postings_expire_only_past_published(edition):
    past = JobPostingFactory(deadline=TODAY() - datetime.timedelta(days=1))
    today = JobPostingFactory(deadline=TODAY())
    draft = JobPostingFactory(deadline=TODAY() - datetime.timedelta(days=1), draft=True)
    assert services.job_postings_expire() == 1
    statuses = {p.pk: p.status for p in JobPosting.objects.all()}
    assert statuses == {past.pk: "expired", today.pk: "published", draft.pk: "draft"}


def test_job_postings_remind_once_in_the_posters_language(employer):
    user, organisation = employer
    user.preferred_language = "zh"
    user.save()
    soon = JobPostingFactory(
        organisation=organisation, posted_by=user, deadline=TODAY() + datetime.timedelta(days=2)
    )
    JobPostingFactory(
        organisation=organisation, posted_by=user, deadline=TODAY() + datetime.timedelta(days=20)
    )
    assert services.job_postings_remind() == 1
    assert services.job_postings_remind() == 0
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert f"/zh-hans/jobs/manage/{soon.pk}/extend/" in mail.outbox[0].body


def test_job_posting_hide_needs_reason_and_restore_returns_state(organiser, edition):
    poster = UserFactory()
    posting = JobPostingFactory(posted_by=poster)
    JobReport.objects.create(posting=posting, reporter=UserFactory(), reason="Scam")
    with pytest.raises(ValidationError):
        services.job_posting_hide(posting=posting, reason=" ", by=organiser)
    services.job_posting_hide(posting=posting, reason="Fake employer", by=organiser)
    assert list(JobPosting.objects.public()) == []
    assert JobReport.objects.get().resolved_at is not None
    assert mail.outbox[0].to == [poster.email]
    assert "Fake employer" in mail.outbox[0].body
    services.job_posting_restore(posting=posting, by=organiser)
    assert list(JobPosting.objects.public()) == [posting]
    assert posting.status == JobPosting.Status.PUBLISHED


def test_job_posting_hide_and_restore_refuse_anyone_but_organisers(edition):
    someone = UserFactory()
    posting = JobPostingFactory()
    with pytest.raises(PermissionDenied):
        services.job_posting_hide(posting=posting, reason="Fake employer", by=someone)
    posting.hidden_at = timezone.now()
    posting.save()
    with pytest.raises(PermissionDenied):
        services.job_posting_restore(posting=posting, by=someone)
    posting.refresh_from_db()
    assert (posting.hidden_reason, posting.hidden_at is not None) == ("", True)


def test_job_posting_report_once(user, edition):
    posting = JobPostingFactory()
    services.job_posting_report(posting=posting, reason="Asks for a fee", by=user)
    with pytest.raises(ValidationError):
        services.job_posting_report(posting=posting, reason="Again", by=user)
    assert JobReport.objects.count() == 1


def test_public_postings_exclude_unverified_hidden_past_and_drafts(edition):
    public = JobPostingFactory()
    JobPostingFactory(organisation=OrganisationFactory(unverified=True))
    JobPostingFactory(hidden_at=timezone.now())
    JobPostingFactory(deadline=TODAY() - datetime.timedelta(days=1))
    JobPostingFactory(draft=True)
    JobPostingFactory(status=JobPosting.Status.CLOSED)
    assert list(JobPosting.objects.public()) == [public]


# --- Applications ---------------------------------------------------------------------------


def test_application_submit_keeps_a_copy_of_the_cv_and_tells_the_employer(employer):
    staff, organisation = employer
    posting = JobPostingFactory(organisation=organisation)
    profile = TalentProfileFactory()
    profile.cv.save("mine.pdf", pdf_file())
    application = services.application_submit(posting=posting, talent=profile, cover_letter="Hello")
    assert application.state == Application.State.SUBMITTED
    assert application.cv.name != profile.cv.name
    assert application.cv.read() == profile.cv.open("rb").read()
    assert [(e.from_state, e.to_state, e.by) for e in application.events.all()] == [
        ("", "submitted", profile.user)
    ]
    assert [message.to for message in mail.outbox] == [[staff.email]]


def test_application_submit_twice_is_refused(edition):
    posting = JobPostingFactory()
    profile = TalentProfileFactory()
    services.application_submit(posting=posting, talent=profile, cover_letter="Hello")
    with pytest.raises(ValidationError) as error:
        services.application_submit(posting=posting, talent=profile, cover_letter="Again")
    assert error.value.messages == ["You have already applied to this job."]
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    "posting_kwargs, message",
    [
        ({"status": JobPosting.Status.CLOSED}, "This posting is closed."),
        ({"draft": True}, "This posting is closed."),
        (
            {"deadline": datetime.date(2020, 1, 1)},
            "The deadline for applications has passed.",
        ),
        (
            {"hidden_at": datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)},
            "This posting is not open for applications.",
        ),
    ],
)
def test_application_submit_to_unavailable_posting_is_refused(edition, posting_kwargs, message):
    posting = JobPostingFactory(**posting_kwargs)
    with pytest.raises(ValidationError) as error:
        services.application_submit(
            posting=posting, talent=TalentProfileFactory(), cover_letter="Hello"
        )
    assert error.value.messages == [message]
    assert Application.objects.count() == 0


def test_application_transitions_record_and_email_the_talent_in_their_language(employer):
    staff, organisation = employer
    application = ApplicationFactory(posting=JobPostingFactory(organisation=organisation))
    application.talent.user.preferred_language = "zh"
    application.talent.user.save()
    services.application_mark_viewed(application=application, by=staff)
    services.application_shortlist(application=application, by=staff)
    services.application_invite_to_interview(application=application, by=staff)
    services.application_make_offer(application=application, by=staff)
    application = services.application_hire(application=application, by=staff)
    assert application.state == Application.State.HIRED
    assert [(e.from_state, e.to_state) for e in ApplicationEvent.objects.all()] == [
        ("submitted", "viewed"),
        ("viewed", "shortlisted"),
        ("shortlisted", "interview"),
        ("interview", "offer"),
        ("offer", "hired"),
    ]
    assert {e.by for e in ApplicationEvent.objects.all()} == {staff}
    assert len(mail.outbox) == 5
    assert all(message.to == [application.talent.user.email] for message in mail.outbox)
    assert f"/zh-hans/jobs/applications/{application.pk}/" in mail.outbox[-1].body


@pytest.mark.parametrize(
    "start, service",
    [
        ("hired", services.application_reject),
        ("rejected", services.application_shortlist),
        ("withdrawn", services.application_shortlist),
        ("submitted", services.application_hire),
        ("viewed", services.application_make_offer),
        ("offer", services.application_mark_viewed),
    ],
)
def test_application_illegal_transition_is_refused(employer, start, service):
    staff, organisation = employer
    application = ApplicationFactory(
        posting=JobPostingFactory(organisation=organisation), state=start
    )
    with pytest.raises(ValidationError):
        service(application=application, by=staff)
    application.refresh_from_db()
    assert application.state == start
    assert ApplicationEvent.objects.count() == 0
    assert mail.outbox == []


def test_application_employer_move_by_outsider_or_talent_is_refused(employer, user):
    application = ApplicationFactory(posting=JobPostingFactory(organisation=employer[1]))
    for person in (user, application.talent.user):
        with pytest.raises(PermissionDenied):
            services.application_shortlist(application=application, by=person)
    application.refresh_from_db()
    assert application.state == "submitted"


def test_application_withdraw_only_by_its_talent(employer, user):
    application = ApplicationFactory(posting=JobPostingFactory(organisation=employer[1]))
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=application, by=employer[0])
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=application, by=user)
    application = services.application_withdraw(application=application, by=application.talent.user)
    assert application.state == "withdrawn"


def test_applications_move_reports_the_refused(employer):
    staff, organisation = employer
    posting = JobPostingFactory(organisation=organisation)
    fresh = ApplicationFactory(posting=posting)
    hired = ApplicationFactory(posting=posting, state="hired")
    moved, refused = services.applications_move(
        applications=[fresh, hired], to="shortlisted", by=staff
    )
    assert [a.pk for a in moved] == [fresh.pk]
    assert [(a.pk, reason) for a, reason in refused] == [
        (hired.pk, "An application cannot go from “Hired” to “Shortlisted”.")
    ]
    with pytest.raises(ValidationError):
        services.applications_move(applications=[fresh], to="withdrawn", by=staff)


def test_application_note_only_by_the_employer(employer, user):
    application = ApplicationFactory(posting=JobPostingFactory(organisation=employer[1]))
    note = services.application_note_add(application=application, text=" Strong ", by=employer[0])
    assert note.text == "Strong"
    with pytest.raises(PermissionDenied):
        services.application_note_add(application=application, text="x", by=user)
    with pytest.raises(ValidationError):
        services.application_note_add(application=application, text=" ", by=employer[0])


# --- Profiles, saved jobs, alerts -----------------------------------------------------------


def test_talent_profile_save_creates_then_updates_the_callers_own_profile_from_data():
    user, other = UserFactory(), TalentProfileFactory(headline="Someone else")
    field = FieldFactory()
    data = {"headline": "Materials scientist", "nationality": "RU", "degree": 4}

    created = services.talent_profile_save(
        by=user, data={**data, "fields": [field]}, languages=[("ru", "native"), ("en", "fluent")]
    )
    updated = services.talent_profile_save(
        by=user, data={"headline": "Battery chemist"}, languages=[("en", "native")]
    )

    assert updated.pk == created.pk
    assert TalentProfile.objects.get(user=user).headline == "Battery chemist"
    assert list(created.fields.all()) == [field]
    assert list(created.languages.values_list("language", "level")) == [("en", "native")]
    assert TalentProfile.objects.get(pk=other.pk).headline == "Someone else"


def test_talent_profile_delete_removes_applications_and_files(edition):
    profile = TalentProfileFactory()
    profile.cv.save("cv.pdf", pdf_file())
    application = services.application_submit(
        posting=JobPostingFactory(), talent=profile, cover_letter="Hi"
    )
    storage, names = profile.cv.storage, [profile.cv.name, application.cv.name]
    with pytest.raises(PermissionDenied):
        services.talent_profile_delete(profile=profile, by=UserFactory())
    services.talent_profile_delete(profile=profile, by=profile.user)
    assert TalentProfile.objects.count() == 0
    assert Application.objects.count() == 0
    assert [storage.exists(name) for name in names] == [False, False]


def test_saved_job_toggle(user, edition):
    posting = JobPostingFactory()
    assert services.saved_job_toggle(user=user, posting=posting) is True
    assert services.saved_job_toggle(user=user, posting=posting) is False
    assert SavedJob.objects.count() == 0


def test_saved_search_create_twice_is_refused(user):
    services.saved_search_create(user=user, name="5G", query="q=5G")
    with pytest.raises(ValidationError):
        services.saved_search_create(user=user, name="Again", query="q=5G")


def test_job_alerts_send_new_matches_once_per_posting(user, edition):
    field = FieldFactory()
    search = SavedSearchFactory(user=user, query=f"field={field.pk}")
    SavedSearchFactory(user=user, query="q=laser")
    search.created_at = timezone.now() - datetime.timedelta(days=1)
    search.save()
    match = JobPostingFactory(field=field, title_en="Laser engineer")
    JobPostingFactory(title_en="Accountant")
    old = JobPostingFactory(field=field, published_at=timezone.now() - datetime.timedelta(days=3))
    assert services.job_alerts_send() == 1
    assert len(mail.outbox) == 1
    assert match.title_en in mail.outbox[0].body
    assert old.title_en not in mail.outbox[0].body
    assert mail.outbox[0].body.count("Laser engineer") == 1
    assert list(JobAlert.objects.values_list("posting_id", flat=True)) == [match.pk]
    assert services.job_alerts_send() == 0
    assert len(mail.outbox) == 1


# --- Demands --------------------------------------------------------------------------------


def test_talent_demand_save_by_member_only(delegation, field, user):
    from recruitment.forms import TalentDemandForm

    member = DelegationMemberFactory(delegation=delegation).user
    data = {
        "title_en": "Hydrogen expert",
        "field": field.pk,
        "level": "senior",
        "number": 3,
        "description_en": "Hydrogen storage.",
    }
    form = TalentDemandForm(data)
    assert form.is_valid(), form.errors
    with pytest.raises(PermissionDenied):
        services.talent_demand_save(delegation=delegation, data=form.cleaned_data, by=user)
    demand = services.talent_demand_save(delegation=delegation, data=form.cleaned_data, by=member)
    assert (demand.delegation, demand.created_by, demand.status) == (delegation, member, "open")


def test_demand_answer_once_and_not_when_closed(delegation):
    member = DelegationMemberFactory(delegation=delegation).user
    demand = TalentDemandFactory(delegation=delegation)
    profile = TalentProfileFactory()
    services.demand_answer_submit(demand=demand, talent=profile, message="I can help")
    assert [message.to for message in mail.outbox] == [[member.email]]
    with pytest.raises(ValidationError):
        services.demand_answer_submit(demand=demand, talent=profile, message="Again")
    services.talent_demand_close(demand=demand, by=member)
    assert demand.status == TalentDemand.Status.CLOSED
    with pytest.raises(ValidationError):
        services.demand_answer_submit(demand=demand, talent=TalentProfileFactory(), message="Late")
    assert DemandAnswer.objects.count() == 1
