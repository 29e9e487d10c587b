import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from recruitment.models import Application, JobPosting, SavedJob, SavedSearch, TalentProfile
from tests.conftest import image_file, pdf_file
from tests.factories import (
    DelegationMemberFactory,
    FieldFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

from .factories import (
    ApplicationFactory,
    DemandAnswerFactory,
    JobPostingFactory,
    TalentDemandFactory,
    TalentProfileFactory,
)

pytestmark = pytest.mark.django_db

JOBS = "/jobs/"


def titles(response, key="postings"):
    return [item.title_en for item in response.context[key]]


# --- /jobs/ ---------------------------------------------------------------------------------


def test_job_list_shows_public_postings_newest_first(client, edition):
    older = JobPostingFactory(published_at=timezone.now() - datetime.timedelta(days=2))
    newer = JobPostingFactory()
    JobPostingFactory(draft=True)
    JobPostingFactory(organisation=OrganisationFactory(unverified=True))
    response = client.get(JOBS)
    assert response.status_code == 200
    assert titles(response) == [newer.title_en, older.title_en]


def test_job_list_empty_state(client, edition):
    response = client.get(JOBS + "?q=nothing")
    assert "No job matches these filters." in response.content.decode()


def test_job_list_filters(client, edition):
    field = FieldFactory()
    remote = JobPostingFactory(
        title_en="Remote 5G architect",
        remote=True,
        field=field,
        work_permit="A",
        salary_max=600000,
        salary_period="year",
        degree=4,
        languages=["en"],
        type="consultant",
    )
    local = JobPostingFactory(
        title_en="Biomed lab lead",
        title_zh="生物医药实验室负责人",
        city="Shijiazhuang",
        province="Hebei",
        salary_max=20000,
        degree=2,
        organisation=OrganisationFactory(country="RU", name_en="Volga Labs", name_zh="伏尔加"),
        languages=["ru"],
    )
    cases = {
        "q=architect": [remote],
        "q=实验室": [local],
        "q=volga": [local],
        "q=伏尔加": [local],
        f"field={field.pk}": [remote],
        "type=consultant": [remote],
        "location=hebei": [local],
        "country=RU": [local],
        "salary=30000": [remote],
        "degree=3": [local],
        "language=ru": [local],
        "work_permit=on": [remote],
        "remote=on": [remote],
        "since=7": [local, remote],
        "sort=salary": [remote, local],
    }
    for query, expected in cases.items():
        response = client.get(f"{JOBS}?{query}")
        assert titles(response) == [p.title_en for p in expected], query


def test_job_list_marks_the_readers_saved_jobs_only(client, edition):
    saved, other = JobPostingFactory(title_en="Saved role"), JobPostingFactory()
    reader, stranger = UserFactory(), UserFactory()
    SavedJob.objects.create(user=reader, posting=saved)
    client.force_login(reader)
    body = client.get(JOBS).content.decode()
    assert body.count('class="badge text-bg-info saved-mark"') == 1
    assert body.index("saved-mark") < body.index("Saved role")
    assert other.title_en in body
    client.force_login(stranger)
    assert "saved-mark" not in client.get(JOBS).content.decode()


def test_job_list_sort_by_deadline(client, edition):
    late = JobPostingFactory(deadline=timezone.localdate() + datetime.timedelta(days=40))
    soon = JobPostingFactory(deadline=timezone.localdate() + datetime.timedelta(days=3))
    assert titles(client.get(JOBS + "?sort=deadline")) == [soon.title_en, late.title_en]


def test_job_list_pagination_keeps_filters(client, edition):
    for _ in range(25):
        JobPostingFactory(remote=True)
    body = client.get(JOBS + "?remote=on").content.decode()
    assert "?remote=on&amp;page=2" in body


def test_job_list_queries_do_not_grow(client, edition, django_assert_num_queries):
    user = UserFactory()
    client.force_login(user)
    JobPostingFactory(languages=["en"])
    with django_assert_num_queries(9):
        client.get(JOBS)
    for _ in range(49):
        JobPostingFactory(languages=["en", "zh"])
    with django_assert_num_queries(9):
        client.get(JOBS)


def test_job_detail_public_and_hidden_is_404(client, edition):
    posting = JobPostingFactory()
    assert client.get(posting.get_absolute_url()).status_code == 200
    for hidden in (
        JobPostingFactory(draft=True),
        JobPostingFactory(hidden_at=timezone.now()),
        JobPostingFactory(organisation=OrganisationFactory(unverified=True)),
    ):
        assert client.get(hidden.get_absolute_url()).status_code == 404


def test_job_detail_draft_visible_to_its_employer(client, edition):
    membership = MembershipFactory()
    draft = JobPostingFactory(organisation=membership.organisation, draft=True)
    client.force_login(membership.user)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_organisation_page_lists_its_open_jobs(client, edition):
    posting = JobPostingFactory()
    body = client.get(posting.organisation.get_absolute_url()).content.decode()
    assert posting.title_en in body


# --- Employer flows -------------------------------------------------------------------------


def posting_form(field, **overrides):
    data = {
        "title_en": "Laser engineer",
        "title_zh": "",
        "field": field.pk,
        "type": "full_time",
        "description_en": "Lasers.",
        "city": "Shenzhen",
        "province": "Guangdong",
        "salary_min": "20000",
        "salary_max": "40000",
        "salary_period": "month",
        "experience_years": "3",
        "degree": "3",
        "openings": "2",
        "deadline": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "work_permit": "B",
        "languages": ["en"],
    }
    data.update(overrides)
    return data


def test_posting_create_publish_flow(client, edition, field):
    membership = MembershipFactory(role="staff")
    client.force_login(membership.user)
    url = reverse("recruitment:posting_create", args=[membership.organisation.pk])
    response = client.post(url, posting_form(field))
    posting = JobPosting.objects.get()
    assert response.status_code == 302 and response["Location"] == posting.get_absolute_url()
    assert posting.status == "draft"
    client.post(reverse("recruitment:posting_publish", args=[posting.pk]))
    posting.refresh_from_db()
    assert posting.status == "published"
    assert titles(client.get(JOBS)) == ["Laser engineer"]


@pytest.mark.parametrize(
    "overrides, field_name, message",
    [
        ({"salary_min": "-100"}, "salary_min", "Ensure this value is greater than or equal to 0."),
        (
            {"salary_min": "50000", "salary_max": "100"},
            "salary_max",
            "The top of the salary range is below its bottom.",
        ),
        ({"deadline": "2020-01-01"}, "deadline", "The deadline is in the past."),
    ],
)
def test_posting_create_bad_input_shows_error_and_saves_nothing(
    client, edition, field, overrides, field_name, message
):
    membership = MembershipFactory()
    client.force_login(membership.user)
    url = reverse("recruitment:posting_create", args=[membership.organisation.pk])
    response = client.post(url, posting_form(field, **overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field_name] == [message]
    assert JobPosting.objects.count() == 0


def test_posting_create_for_other_organisation_is_404(client, user, edition, field):
    client.force_login(user)
    organisation = OrganisationFactory()
    url = reverse("recruitment:posting_create", args=[organisation.pk])
    assert client.post(url, posting_form(field)).status_code == 404
    assert JobPosting.objects.count() == 0


def test_posting_manage_pages_are_404_for_others(client, user, edition):
    posting = JobPostingFactory()
    client.force_login(user)
    for name in (
        "posting_edit",
        "posting_extend",
        "posting_applicants",
        "posting_matches",
        "posting_publish",
        "posting_close",
    ):
        method = client.post if name in ("posting_publish", "posting_close") else client.get
        assert method(reverse(f"recruitment:{name}", args=[posting.pk])).status_code == 404, name


def test_posting_extend_view(client, edition):
    membership = MembershipFactory()
    posting = JobPostingFactory(
        organisation=membership.organisation,
        status="expired",
        deadline=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(membership.user)
    url = reverse("recruitment:posting_extend", args=[posting.pk])
    response = client.post(url, {"deadline": "2020-01-01"})
    assert response.context["form"].errors == {"deadline": ["The deadline is in the past."]}
    new = timezone.localdate() + datetime.timedelta(days=5)
    client.post(url, {"deadline": new.isoformat()})
    posting.refresh_from_db()
    assert (posting.status, posting.deadline) == ("published", new)


# --- Talent profile -------------------------------------------------------------------------


def profile_form(field, **overrides):
    data = {
        "headline": "Photonics researcher",
        "summary_en": "Lasers and fibres.",
        "nationality": "RU",
        "residence": "RU",
        "fields": [field.pk],
        "degree": "4",
        "experience_years": "9",
        "visibility": "applied",
        "languages-TOTAL_FORMS": "4",
        "languages-INITIAL_FORMS": "0",
        "languages-MIN_NUM_FORMS": "0",
        "languages-MAX_NUM_FORMS": "8",
        "languages-0-language": "en",
        "languages-0-level": "fluent",
        "languages-1-language": "ru",
        "languages-1-level": "native",
        "languages-2-level": "working",
        "languages-3-level": "working",
    }
    data.update(overrides)
    return data


def test_profile_create_with_cv_photo_and_languages(client, user, field):
    client.force_login(user)
    data = profile_form(field, cv=pdf_file(), photo=image_file())
    response = client.post(reverse("recruitment:profile_edit"), data)
    assert response.status_code == 302
    profile = TalentProfile.objects.get(user=user)
    assert profile.visibility == "applied"
    assert sorted(profile.languages.values_list("language", "level")) == [
        ("en", "fluent"),
        ("ru", "native"),
    ]
    assert profile.cv.name.startswith("cvs/") and profile.photo.name.startswith("talents/")
    assert client.get(reverse("recruitment:profile_cv")).status_code == 200


@pytest.mark.parametrize(
    "upload, message",
    [
        (pdf_file(content=b"MZ not a pdf at all"), "This file is not a PDF document."),
        (
            pdf_file(content=b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024) + b"\n%%EOF\n"),
            "The document is too large: at most 5 MB.",
        ),
    ],
)
def test_profile_bad_cv_is_refused_and_nothing_saved(client, user, field, upload, message):
    client.force_login(user)
    upload.seek(0)
    response = client.post(reverse("recruitment:profile_edit"), profile_form(field, cv=upload))
    assert response.status_code == 200
    assert response.context["form"].errors["cv"] == [message]
    assert TalentProfile.objects.count() == 0


def test_profile_duplicate_language_is_refused(client, user, field):
    client.force_login(user)
    data = profile_form(field, **{"languages-1-language": "en"})
    response = client.post(reverse("recruitment:profile_edit"), data)
    assert response.context["formset"].non_form_errors() == ["Each language once, please."]
    assert TalentProfile.objects.count() == 0


def test_profile_download_holds_everything(client, edition):
    application = ApplicationFactory()
    user = application.talent.user
    client.force_login(user)
    response = client.get(reverse("recruitment:profile_download"))
    data = json.loads(response.content)
    assert data["account"]["email"] == user.email
    assert data["profile"]["headline"] == application.talent.headline
    assert [a["job"] for a in data["applications"]] == [application.posting.title_en]


def test_profile_delete(client, edition):
    profile = TalentProfileFactory()
    client.force_login(profile.user)
    assert client.get(reverse("recruitment:profile_delete")).status_code == 200
    client.post(reverse("recruitment:profile_delete"))
    assert TalentProfile.objects.count() == 0


def test_profile_pages_need_a_profile(client, user):
    client.force_login(user)
    for name in ("profile_download", "profile_delete", "profile_cv"):
        assert client.get(reverse(f"recruitment:{name}")).status_code == 404


# --- Applications ---------------------------------------------------------------------------


def test_apply_flow_and_duplicate_message(client, edition):
    posting = JobPostingFactory()
    profile = TalentProfileFactory()
    client.force_login(profile.user)
    url = reverse("recruitment:apply", args=[posting.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"cover_letter": "Please"})
    assert response["Location"] == reverse("recruitment:application_list")
    response = client.post(url, {"cover_letter": "Again"})
    assert response.context["form"].non_field_errors() == ["You have already applied to this job."]
    assert Application.objects.count() == 1
    page = client.get(reverse("recruitment:application_list"))
    assert [a.posting for a in page.context["applications"]] == [posting]


def test_apply_without_profile_redirects_to_profile(client, user, edition):
    posting = JobPostingFactory()
    client.force_login(user)
    response = client.get(reverse("recruitment:apply", args=[posting.pk]))
    assert response["Location"].startswith(reverse("recruitment:profile_edit"))


def test_apply_to_closed_posting_is_404(client, edition):
    posting = JobPostingFactory(status="closed")
    client.force_login(TalentProfileFactory().user)
    response = client.post(reverse("recruitment:apply", args=[posting.pk]), {"cover_letter": "x"})
    assert response.status_code == 404
    assert Application.objects.count() == 0


def test_application_visible_only_to_talent_and_employer(client, edition):
    membership = MembershipFactory(role="staff")
    posting = JobPostingFactory(organisation=membership.organisation)
    profile = TalentProfileFactory()
    profile.cv.save("cv.pdf", pdf_file())
    application = Application.objects.create(
        posting=posting, talent=profile, cover_letter="Hi", cv=profile.cv.name
    )
    talent_urls = [
        reverse("recruitment:application_detail", args=[application.pk]),
    ]
    employer_urls = [
        reverse("recruitment:applicant_detail", args=[posting.pk, application.pk]),
    ]
    cv_url = reverse("recruitment:application_cv", args=[application.pk])
    other_employer = MembershipFactory().user
    other_talent = TalentProfileFactory().user
    other_delegate = DelegationMemberFactory().user
    outsiders = [
        UserFactory(),
        other_employer,
        other_talent,
        other_delegate,
        UserFactory(organiser=True),
    ]
    for outsider in outsiders:
        client.force_login(outsider)
        for url in talent_urls + employer_urls + [cv_url]:
            assert client.get(url).status_code == 404, (outsider, url)
    client.force_login(profile.user)
    assert client.get(talent_urls[0]).status_code == 200
    assert client.get(employer_urls[0]).status_code == 404
    assert client.get(cv_url).status_code == 200
    client.force_login(membership.user)
    assert client.get(employer_urls[0]).status_code == 200
    assert client.get(talent_urls[0]).status_code == 404
    assert client.get(cv_url).status_code == 200
    client.logout()
    assert client.get(cv_url).status_code == 302


def test_employer_opening_an_application_marks_it_viewed(client, edition):
    membership = MembershipFactory()
    application = ApplicationFactory(
        posting=JobPostingFactory(organisation=membership.organisation)
    )
    client.force_login(membership.user)
    client.get(
        reverse("recruitment:applicant_detail", args=[application.posting.pk, application.pk])
    )
    application.refresh_from_db()
    assert application.state == "viewed"


def test_employer_moves_several_filters_notes_and_exports(client, edition):
    membership = MembershipFactory()
    posting = JobPostingFactory(organisation=membership.organisation)
    first, second = ApplicationFactory(posting=posting), ApplicationFactory(posting=posting)
    second.talent.user.name = "王芳"
    second.talent.user.save()
    client.force_login(membership.user)
    url = reverse("recruitment:posting_applicants", args=[posting.pk])
    client.post(url, {"to": "shortlisted", "applications": [first.pk, second.pk]})
    assert sorted(Application.objects.values_list("state", flat=True)) == [
        "shortlisted",
        "shortlisted",
    ]
    client.post(url, {"to": "rejected", "applications": [first.pk]})
    response = client.get(url + "?state=shortlisted")
    assert [a.pk for a in response.context["applications"]] == [second.pk]
    detail = reverse("recruitment:applicant_detail", args=[posting.pk, second.pk])
    client.post(detail, {"action": "note", "text": "Call her"})
    assert list(second.notes.values_list("text", flat=True)) == ["Call her"]
    csv = client.get(url + "?format=csv")
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    content = csv.getvalue().decode("utf-8")
    assert content.startswith("\ufeffName,Email,Nationality,State,Applied at,Headline")
    assert len(content.strip().splitlines()) == 3
    assert "王芳" in content


def test_applicant_list_queries_do_not_grow(client, edition, django_assert_num_queries):
    membership = MembershipFactory()
    posting = JobPostingFactory(organisation=membership.organisation)
    ApplicationFactory(posting=posting)
    client.force_login(membership.user)
    url = reverse("recruitment:posting_applicants", args=[posting.pk])
    with django_assert_num_queries(3):
        client.get(url)
    for _ in range(20):
        ApplicationFactory(posting=posting)
    with django_assert_num_queries(3):
        client.get(url)


def test_talent_withdraws(client, edition):
    application = ApplicationFactory()
    client.force_login(application.talent.user)
    client.post(reverse("recruitment:application_withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.state == "withdrawn"


# --- Talents --------------------------------------------------------------------------------


def test_talent_list_respects_visibility(client, edition):
    membership = MembershipFactory()
    open_profile = TalentProfileFactory(visibility="employers")
    applied = TalentProfileFactory(visibility="applied")
    ApplicationFactory(
        talent=applied, posting=JobPostingFactory(organisation=membership.organisation)
    )
    TalentProfileFactory(visibility="applied")
    ApplicationFactory(talent=TalentProfileFactory(visibility="nobody"))
    client.force_login(membership.user)
    response = client.get("/talents/")
    assert sorted(p.pk for p in response.context["talents"]) == sorted(
        [open_profile.pk, applied.pk]
    )


def test_talent_pages_are_404_for_non_employers(client, user, edition):
    profile = TalentProfileFactory(visibility="employers")
    unverified = MembershipFactory(organisation=OrganisationFactory(unverified=True)).user
    for person in (user, unverified):
        client.force_login(person)
        assert client.get("/talents/").status_code == 404
        assert client.get(f"/talents/{profile.pk}/").status_code == 404
        assert client.get(f"/talents/{profile.pk}/cv/").status_code == 404


def test_talent_hidden_profile_is_404_for_employers(client, edition):
    membership = MembershipFactory()
    hidden = TalentProfileFactory(visibility="nobody")
    client.force_login(membership.user)
    assert client.get(f"/talents/{hidden.pk}/").status_code == 404


def test_talent_list_filters_and_queries(client, edition, django_assert_num_queries):
    membership = MembershipFactory()
    client.force_login(membership.user)
    field = FieldFactory()
    TalentProfileFactory(fields=[field], languages=["en"], nationality="DE")
    with django_assert_num_queries(8):
        client.get("/talents/")
    for _ in range(20):
        TalentProfileFactory(fields=[field], languages=["en", "ru"])
    # Profiles are shown on no public page, so the filter form's choices are still kept.
    with django_assert_num_queries(7):
        client.get("/talents/")
    response = client.get("/talents/?nationality=DE")
    assert [p.nationality.code for p in response.context["talents"]] == ["DE"]


def test_talent_keyword_search_reads_headline_name_and_summary(client, edition):
    membership = MembershipFactory()
    client.force_login(membership.user)
    by_headline = TalentProfileFactory(headline="Battery chemist", summary_en="")
    by_name = TalentProfileFactory(user__name="Ada Battery", summary_en="")
    by_summary = TalentProfileFactory(summary_en="", summary_zh="电池 battery 研究")
    TalentProfileFactory(headline="Economist", summary_en="Trade policy.")
    response = client.get("/talents/?q=BATTERY")
    assert response.status_code == 200
    assert sorted(p.pk for p in response.context["talents"]) == sorted(
        [by_headline.pk, by_name.pk, by_summary.pk]
    )


# --- Saved jobs and searches ----------------------------------------------------------------


def test_save_job_and_search(client, user, edition):
    posting = JobPostingFactory()
    client.force_login(user)
    client.post(reverse("recruitment:job_save", args=[posting.pk]))
    client.post(reverse("recruitment:search_save"), {"name": "Remote", "query": "remote=on"})
    response = client.get(reverse("recruitment:saved_list"))
    assert [s.posting for s in response.context["saved_jobs"]] == [posting]
    assert list(SavedSearch.objects.values_list("name", "query")) == [("Remote", "remote=on")]
    search = SavedSearch.objects.get()
    other = UserFactory()
    client.force_login(other)
    assert client.post(reverse("recruitment:search_delete", args=[search.pk])).status_code == 404
    assert SavedSearch.objects.count() == 1


# --- Demands --------------------------------------------------------------------------------


def test_demand_list_filter_and_answer(client, delegation, field):
    demand = TalentDemandFactory(delegation=delegation, field=field)
    TalentDemandFactory(delegation=delegation, status="closed")
    response = client.get(reverse("recruitment:demand_list"))
    assert [d.pk for d in response.context["demands"]] == [demand.pk]
    response = client.get(reverse("recruitment:demand_list") + "?level=leading")
    assert list(response.context["demands"]) == []
    profile = TalentProfileFactory()
    client.force_login(profile.user)
    client.post(demand.get_absolute_url(), {"message": "Count me in"})
    assert list(demand.answers.values_list("message", flat=True)) == ["Count me in"]


def test_demand_answers_only_for_delegation_members_with_csv(client, delegation):
    member = DelegationMemberFactory(delegation=delegation).user
    answer = DemandAnswerFactory(demand=TalentDemandFactory(delegation=delegation))
    url = reverse("recruitment:demand_answers", args=[answer.demand.pk])
    for outsider in (UserFactory(), answer.talent.user, DelegationMemberFactory().user):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(member)
    assert [a.pk for a in client.get(url).context["answers"]] == [answer.pk]
    csv = client.get(url + "?format=csv").getvalue().decode()
    assert answer.talent.user.email in csv


def test_demand_create_by_member(client, delegation, field):
    member = DelegationMemberFactory(delegation=delegation).user
    client.force_login(member)
    url = reverse("recruitment:demand_create", args=[delegation.pk])
    data = {
        "title_en": "Hydrogen expert",
        "field": field.pk,
        "level": "senior",
        "number": "0",
        "description_en": "Storage.",
    }
    response = client.post(url, data)
    assert response.context["form"].errors["number"] == ["At least one talent."]
    client.post(url, {**data, "number": "3"})
    assert delegation.talent_demands.get().number == 3
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


# --- Recommendations ------------------------------------------------------------------------


def test_recommendations_rank_and_explain(client, edition):
    field = FieldFactory()
    profile = TalentProfileFactory(fields=[field], languages=["en"], degree=3, experience_years=5)
    best = JobPostingFactory(
        field=field, languages=["en"], degree=3, experience_years=2, remote=True
    )
    fair = JobPostingFactory(field=field, degree=4, experience_years=10)
    JobPostingFactory()
    client.force_login(profile.user)
    response = client.get(reverse("recruitment:recommendations"))
    postings = list(response.context["postings"])
    assert [(p.pk, p.score) for p in postings] == [(best.pk, 8), (fair.pk, 3)]
    assert "same field; 1 shared language; degree met; experience met; location fits" in (
        response.content.decode()
    )


def test_posting_past_its_deadline_shows_expired_before_it_is_closed(client, edition):
    membership = MembershipFactory()
    posting = JobPostingFactory(
        organisation=membership.organisation,
        deadline=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(membership.user)
    for url in (posting.get_absolute_url(), reverse("recruitment:posting_manage")):
        page = client.get(url).content.decode()
        assert "Expired" in page, url
        assert ">Published<" not in page, url
    chinese = client.get(f"/zh-hans{posting.get_absolute_url()}").content.decode()
    assert "已过期" in chinese
