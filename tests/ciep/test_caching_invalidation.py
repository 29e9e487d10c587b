"""Every write path of every public model refreshes the cached pages that show it, after commit;
personal rows leave them cached; public pages carry HTTP caching headers."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ciep import services as core_services
from ciep.audit import audited_update
from ciep.models import Attendance, EditionChange, Organisation, User
from exhibitions.models import Brochure, Exhibitor, GalleryImage, Hall, Product
from forums import services as forum_services
from forums.models import Section, Session, Speaker, Venue
from projects import services as project_services
from projects.models import CompetitionEntry, ProgressReport, Project, ProjectDocument
from recruitment import services as job_services
from recruitment.models import JobLanguage
from tests.exhibitions.factories import ApplicationFactory as BoothApplicationFactory
from tests.exhibitions.factories import (
    BoothFactory,
    ExhibitorFactory,
    HallFactory,
    MeetingFactory,
    SlotFactory,
)
from tests.factories import (
    PASSWORD,
    DelegationFactory,
    DelegationMemberFactory,
    EditionFactory,
    FieldFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.forums.factories import (
    BookmarkFactory,
    RegistrationFactory,
    SessionFactory,
    SessionSpeakerFactory,
)
from tests.projects.factories import CompetitionFactory, IntentionFactory, ProjectFactory
from tests.recruitment.factories import (
    ApplicationFactory,
    JobPostingFactory,
    SavedSearchFactory,
    TalentDemandFactory,
    TalentProfileFactory,
)

# Each write runs in its own committed transaction, as in production: the pages must be fresh
# because of what ``transaction.on_commit`` does.
pytestmark = pytest.mark.django_db(transaction=True)


def _exhibitor_page(exhibitor):
    return reverse("exhibitions:exhibitor_detail", args=[exhibitor.pk])


def _project_page(project):
    return reverse("projects:project_detail", args=[project.pk])


def _session_page(session):
    return reverse("forums:session_detail", args=[session.pk])


def _job_page(posting):
    return reverse("recruitment:job_detail", args=[posting.pk])


def _catalogue(edition):
    return reverse("exhibitions:catalogue_edition", args=[edition.number])


def _programme(edition):
    return reverse("forums:edition_programme", args=[edition.number])


def _edition_page(edition):
    return reverse("ciep:edition_detail", args=[edition.number])


def _report(edition):
    return reverse("ciep:edition_report", args=[edition.number])


# Each case builds what a page shows and returns (the page, the write, the text after it or
# None when the write only has to refresh the page).


def exhibitor_save():
    exhibitor = ExhibitorFactory()

    def write():
        exhibitor.description_en = "Lidar for mines"
        exhibitor.save()

    return _exhibitor_page(exhibitor), write, "Lidar for mines"


def exhibitor_update():
    exhibitor = ExhibitorFactory()

    def write():
        with transaction.atomic():
            audited_update(Exhibitor.objects.filter(pk=exhibitor.pk), description_en="Sonar rigs")

    return _exhibitor_page(exhibitor), write, "Sonar rigs"


def exhibitor_fields():
    exhibitor = ExhibitorFactory()
    field = FieldFactory(name_en="Quantum sensing")
    return _exhibitor_page(exhibitor), lambda: exhibitor.fields.add(field), "Quantum sensing"


def exhibitor_delete():
    exhibitor = ExhibitorFactory(description_en="Gone soon")
    return _catalogue(exhibitor.edition), exhibitor.delete, None


def product_create():
    exhibitor = ExhibitorFactory()

    def write():
        Product.objects.create(exhibitor=exhibitor, name_en="Tidal turbine")

    return _exhibitor_page(exhibitor), write, "Tidal turbine"


def product_delete():
    exhibitor = ExhibitorFactory()
    product = Product.objects.create(exhibitor=exhibitor, name_en="Old turbine")
    return _exhibitor_page(exhibitor), product.delete, None


def gallery_image_create():
    exhibitor = ExhibitorFactory()

    def write():
        GalleryImage.objects.create(exhibitor=exhibitor, image="gallery/stand.png")

    return _exhibitor_page(exhibitor), write, None


def brochure_create():
    exhibitor = ExhibitorFactory()

    def write():
        Brochure.objects.create(exhibitor=exhibitor, title_en="Catalogue 2026", file="b/c.pdf")

    return _exhibitor_page(exhibitor), write, None


def slot_create():
    exhibitor = ExhibitorFactory()
    return _exhibitor_page(exhibitor), lambda: SlotFactory(exhibitor=exhibitor), None


def booth_assign():
    exhibitor = ExhibitorFactory()
    booth = BoothFactory(hall__edition=exhibitor.edition, code="Z-77")

    def write():
        booth.exhibitor = exhibitor
        booth.state = "assigned"
        booth.save()

    return _exhibitor_page(exhibitor), write, "Z-77"


def hall_rename():
    booth = BoothFactory()
    exhibitor = ExhibitorFactory(edition=booth.hall.edition)
    booth.exhibitor = exhibitor
    booth.state = "assigned"
    booth.save()

    def write():
        with transaction.atomic():
            audited_update(Hall.objects.filter(pk=booth.hall_id), name_en="Hall of Robots")

    return _exhibitor_page(exhibitor), write, "Hall of Robots"


def hall_create():
    edition = EditionFactory()
    ExhibitorFactory(edition=edition)
    return _catalogue(edition), lambda: HallFactory(edition=edition, name_en="Hall Nine"), None


def job_save():
    posting = JobPostingFactory()

    def write():
        posting.title_en = "Marine biologist"
        posting.save()

    return _job_page(posting), write, "Marine biologist"


def job_hide():
    posting = JobPostingFactory(title_en="Hidden soon")
    organiser = UserFactory(organiser=True)

    def write():
        job_services.job_posting_hide(posting=posting, reason="Spam", by=organiser)

    return reverse("recruitment:job_list"), write, None


def job_language():
    posting = JobPostingFactory()

    def write():
        JobLanguage.objects.create(posting=posting, language="ja")

    return _job_page(posting), write, None


def job_delete():
    posting = JobPostingFactory(title_en="Deleted soon")
    return reverse("recruitment:job_list"), posting.delete, None


def talent_demand():
    delegation = DelegationFactory()
    return (
        _edition_page(delegation.edition),
        lambda: TalentDemandFactory(delegation=delegation),
        None,
    )


def project_save():
    project = ProjectFactory()

    def write():
        project.summary_en = "Desalination membranes"
        project.save()

    return _project_page(project), write, "Desalination membranes"


def project_hide():
    project = ProjectFactory(title_en="Hidden project")
    organiser = UserFactory(organiser=True)

    def write():
        project_services.project_hide(project=project, by=organiser, reason="Duplicate")

    return _project_page(project), write, None


def project_unhide():
    project = ProjectFactory(title_en="Shown again")
    organiser = UserFactory(organiser=True)
    project_services.project_hide(project=project, by=organiser, reason="Duplicate")
    project.refresh_from_db()

    def write():
        project_services.project_unhide(project=project, by=organiser)

    return reverse("projects:project_list"), write, "Shown again"


def project_fields():
    project = ProjectFactory()
    field = FieldFactory(name_en="Soil science")
    return _project_page(project), lambda: project.fields.add(field), "Soil science"


def project_document():
    project = ProjectFactory()

    def write():
        ProjectDocument.objects.create(project=project, file="projects/plan.pdf")

    return _project_page(project), write, None


def project_cooperation_types():
    project = ProjectFactory()

    def write():
        project_services._set_cooperation_types(project, ["joint_rd"])

    return _project_page(project), write, None


def intention_consent_withdrawn():
    intention = IntentionFactory()
    return (
        _report(intention.edition),
        lambda: audited_update(
            type(intention).objects.filter(pk=intention.pk), submitter_publishes=False
        ),
        None,
    )


def competition_results():
    competition = CompetitionFactory()
    project = ProjectFactory(edition=competition.edition)
    entry = CompetitionEntry.objects.create(
        competition=competition, project=project, entered_by=UserFactory()
    )

    def write():
        audited_update(CompetitionEntry.objects.filter(pk=entry.pk), result="winner")

    return _project_page(project), write, None


def progress_report():
    intention = IntentionFactory()

    def write():
        ProgressReport.objects.create(
            intention=intention, milestone=1, text="Lab built", submitted_by=UserFactory()
        )

    return _report(intention.edition), write, None


def session_save():
    session = SessionFactory()

    def write():
        session.title_en = "Forum on oceans"
        session.save()

    return _session_page(session), write, "Forum on oceans"


def session_in_programme():
    session = SessionFactory()

    def write():
        with transaction.atomic():
            audited_update(Session.objects.filter(pk=session.pk), title_en="Forum on deserts")

    return _programme(session.edition), write, "Forum on deserts"


def session_fields():
    session = SessionFactory()
    field = FieldFactory(name_en="Glaciology")
    return _session_page(session), lambda: session.fields.add(field), None


def session_speaker():
    session = SessionFactory()

    def write():
        SessionSpeakerFactory(session=session, speaker__name_en="Ada Lovelace")

    return _session_page(session), write, "Ada Lovelace"


def speaker_rename():
    role = SessionSpeakerFactory(speaker__name_en="Before")

    def write():
        speaker = Speaker.objects.get(pk=role.speaker_id)
        speaker.name_en = "After"
        speaker.save()

    return _session_page(role.session), write, "After"


def section_rename():
    session = SessionFactory()

    def write():
        audited_update(Section.objects.filter(pk=session.section_id), name_en="Blue economy")

    return _session_page(session), write, None


def venue_rename():
    session = SessionFactory()

    def write():
        audited_update(Venue.objects.filter(pk=session.venue_id), name_en="Room Pearl")

    return _session_page(session), write, "Room Pearl"


def edition_make_current():
    EditionFactory(is_current=True)
    other = EditionFactory()
    return (
        reverse("ciep:home"),
        lambda: core_services.edition_make_current(edition=other, by=UserFactory(organiser=True)),
        None,
    )


def edition_change_notice():
    edition = EditionFactory()

    def write():
        EditionChange.objects.create(
            edition=edition,
            previous_start_date=edition.start_date,
            previous_end_date=edition.end_date,
            previous_format=edition.format,
            new_start_date=edition.start_date + datetime.timedelta(days=7),
            new_end_date=edition.end_date + datetime.timedelta(days=7),
            new_format=edition.format,
            reason_en="Typhoon",
            show_notice=True,
        )

    return _edition_page(edition), write, None


def organisation_rename():
    exhibitor = ExhibitorFactory()

    def write():
        with transaction.atomic():
            audited_update(
                Organisation.objects.filter(pk=exhibitor.organisation_id), name_en="Renamed Ltd"
            )

    return _exhibitor_page(exhibitor), write, "Renamed Ltd"


def field_rename():
    field = FieldFactory(name_en="Optics")
    project = ProjectFactory(fields=[field])

    def write():
        field.name_en = "Photonics"
        field.save()

    return _project_page(project), write, "Photonics"


def delegation_create():
    edition = EditionFactory()
    return (
        _edition_page(edition),
        lambda: DelegationFactory(edition=edition, name_en="Hainan"),
        ("Hainan"),
    )


def delegation_member():
    delegation = DelegationFactory()

    def write():
        DelegationMemberFactory(delegation=delegation, role="representative")

    return _edition_page(delegation.edition), write, None


def user_rename():
    speaker_user = UserFactory(name="Before Name")
    project = ProjectFactory()

    def write():
        speaker_user.name = "After Name"
        speaker_user.save()

    return _project_page(project), write, None


WRITES = [
    exhibitor_save,
    exhibitor_update,
    exhibitor_fields,
    exhibitor_delete,
    product_create,
    product_delete,
    gallery_image_create,
    brochure_create,
    slot_create,
    booth_assign,
    hall_rename,
    hall_create,
    job_save,
    job_hide,
    job_language,
    job_delete,
    talent_demand,
    project_save,
    project_hide,
    project_unhide,
    project_fields,
    project_document,
    project_cooperation_types,
    intention_consent_withdrawn,
    competition_results,
    progress_report,
    session_save,
    session_in_programme,
    session_fields,
    session_speaker,
    speaker_rename,
    section_rename,
    venue_rename,
    edition_make_current,
    edition_change_notice,
    organisation_rename,
    field_rename,
    delegation_create,
    delegation_member,
    user_rename,
]


@pytest.mark.parametrize("case", WRITES, ids=[case.__name__ for case in WRITES])
def test_a_public_write_refreshes_the_cached_page_showing_it(client, case):
    url, write, text = case()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    write()
    response = client.get(url)
    assert response.get("X-Page-Cache") != "hit"  # drawn again (or no longer public)
    if text is not None:
        assert text in response.content.decode()


def test_a_hidden_project_leaves_its_public_page_at_once(client):
    project = ProjectFactory(title_en="Dubious project")
    organiser = UserFactory(organiser=True)
    url = _project_page(project)
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Page-Cache"] == "hit"
    project_services.project_hide(project=project, by=organiser, reason="Duplicate")
    assert client.get(url).status_code == 404
    assert "Dubious project" not in client.get(reverse("projects:project_list")).content.decode()


def test_a_change_to_one_edition_leaves_another_editions_pages_cached(client):
    old, new = EditionFactory(number=17), EditionFactory(number=20)
    ExhibitorFactory(edition=old)
    ExhibitorFactory(edition=new)
    SessionFactory(edition=new)
    organisation = OrganisationFactory()
    pages = [_catalogue(new), _programme(new), _report(new), _edition_page(new)]
    for url in pages:
        client.get(url)
    BoothFactory(hall=HallFactory(edition=old))
    SessionFactory(edition=old)
    ProjectFactory(edition=old, organisation=organisation)
    assert [client.get(url)["X-Page-Cache"] for url in pages] == ["hit"] * 4
    assert client.get(_catalogue(old))["X-Page-Cache"] == "miss"


def test_editing_one_exhibitor_refreshes_its_page_and_the_lists_only(client):
    edited, other = ExhibitorFactory.create_batch(2, edition=EditionFactory())
    pages = [_exhibitor_page(edited), _exhibitor_page(other), _catalogue(edited.edition)]
    for url in pages:
        client.get(url)
    Product.objects.create(exhibitor=edited, name_en="Solar glass")
    assert [client.get(url)["X-Page-Cache"] for url in pages] == ["miss", "hit", "miss"]


@pytest.mark.parametrize("side", ["forward", "reverse"])
def test_a_field_given_to_one_exhibitor_refreshes_only_its_page_and_the_lists(client, side):
    edited, other = ExhibitorFactory.create_batch(2, edition=EditionFactory())
    field = FieldFactory(name_en="Hydrogen")
    pages = [_exhibitor_page(edited), _exhibitor_page(other), _catalogue(edited.edition)]
    for url in pages:
        client.get(url)
    if side == "forward":
        edited.fields.add(field)
    else:
        field.exhibitors.add(edited)
    assert [client.get(url)["X-Page-Cache"] for url in pages] == ["miss", "hit", "miss"]
    assert "Hydrogen" in client.get(pages[0]).content.decode()


def test_a_cascade_of_many_rows_refreshes_the_app_as_a_whole(client):
    exhibitor = ExhibitorFactory()
    other = ExhibitorFactory(edition=exhibitor.edition)
    Product.objects.bulk_create(
        [Product(exhibitor=exhibitor, name_en=f"Product {index}") for index in range(60)]
    )
    url = _exhibitor_page(other)
    client.get(url)
    with transaction.atomic():
        exhibitor.products.all().delete()
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_writes_in_one_transaction_bump_each_version_once(client, django_assert_num_queries):
    from django.core.cache import cache

    exhibitor = ExhibitorFactory()
    key = f"pagecache:version:obj:exhibitions.exhibitor:{exhibitor.pk}"
    client.get(_exhibitor_page(exhibitor))
    before = cache.get(key)
    with transaction.atomic():
        for index in range(5):
            Product.objects.create(exhibitor=exhibitor, name_en=f"Product {index}")
        assert cache.get(key) == before  # nothing before the commit
    assert cache.get(key) == before + 1


def test_a_rolled_back_write_bumps_nothing(client):
    exhibitor = ExhibitorFactory()
    url = _exhibitor_page(exhibitor)
    client.get(url)
    with pytest.raises(RuntimeError), transaction.atomic():
        Product.objects.create(exhibitor=exhibitor, name_en="Never shown")
        raise RuntimeError
    assert client.get(url)["X-Page-Cache"] == "hit"


# --- Personal rows ----------------------------------------------------------------------------


def _bookmark(session, posting, exhibitor):
    BookmarkFactory(session=session)


def _saved_job(session, posting, exhibitor):
    job_services.saved_job_toggle(user=UserFactory(), posting=posting)


def _saved_search(session, posting, exhibitor):
    SavedSearchFactory()


def _registration(session, posting, exhibitor):
    forum_services.registration_create(session=session, user=UserFactory())


def _check_in(session, posting, exhibitor):
    registration = session.registrations.get()
    registration.checked_in_at = timezone.now()
    registration.save()


def _job_application(session, posting, exhibitor):
    ApplicationFactory(posting=posting, talent=TalentProfileFactory())


def _booth_application(session, posting, exhibitor):
    BoothApplicationFactory(edition=exhibitor.edition, organisation=posting.organisation)


def _meeting(session, posting, exhibitor):
    MeetingFactory(slot=exhibitor.slots.get())


def _attendance(session, posting, exhibitor):
    Attendance.objects.create(edition=exhibitor.edition, user=UserFactory(), role="visitor")


def _sign_in(session, posting, exhibitor):
    user = UserFactory(password=PASSWORD)
    user.emailaddress_set.update(verified=True)
    visitor = type(_sign_in.client)()
    response = visitor.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).last_login is not None


def _views_counted(session, posting, exhibitor):
    for _index in range(30):  # enough for the counter to reach the database
        type(_views_counted.client)().get(_exhibitor_page(exhibitor))
    Session.objects.filter(pk=session.pk).update(live_views=5)


PERSONAL = [
    _bookmark,
    _saved_job,
    _saved_search,
    _check_in,
    _job_application,
    _booth_application,
    _attendance,
    _sign_in,
    _views_counted,
]


@pytest.mark.parametrize("write", PERSONAL, ids=[write.__name__[1:] for write in PERSONAL])
def test_a_personal_row_leaves_cached_public_pages_as_they_are(client, write, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    edition = EditionFactory(is_current=True)
    session = SessionFactory(edition=edition)
    posting = JobPostingFactory(edition=edition)
    exhibitor = ExhibitorFactory(edition=edition)
    SlotFactory(exhibitor=exhibitor)
    RegistrationFactory(session=session)
    pages = [
        _session_page(session),
        _programme(edition),
        _job_page(posting),
        reverse("recruitment:job_list"),
        _catalogue(edition),
        reverse("ciep:home"),
    ]
    for url in pages:
        assert client.get(url)["X-Page-Cache"] == "miss"
    write.client = client
    write(session, posting, exhibitor)
    assert [client.get(url)["X-Page-Cache"] for url in pages] == ["hit"] * len(pages)


def _meeting_cancelled(session, posting, exhibitor):
    meeting = MeetingFactory(slot=exhibitor.slots.get())
    meeting.state = "cancelled"
    meeting.save()


COUNTED = [
    (_registration, "session"),
    (_meeting, "booth"),
    (_meeting_cancelled, "booth"),
]


@pytest.mark.parametrize("write, page", COUNTED, ids=[w.__name__[1:] for w, _page in COUNTED])
def test_a_personal_row_counted_on_one_page_refreshes_that_page_only(client, write, page):
    """Seats left on a session and taken slots on a booth page are exact at once; every other
    page stays cached."""
    edition = EditionFactory(is_current=True)
    session = SessionFactory(edition=edition, capacity=10)
    posting = JobPostingFactory(edition=edition)
    exhibitor = ExhibitorFactory(edition=edition)
    SlotFactory(exhibitor=exhibitor, starts_at=timezone.now() + datetime.timedelta(days=1))
    pages = {
        "session": _session_page(session),
        "booth": _exhibitor_page(exhibitor),
        "other session": _session_page(SessionFactory(edition=edition)),
        "programme": _programme(edition),
        "job": _job_page(posting),
        "catalogue": _catalogue(edition),
        "home": reverse("ciep:home"),
    }
    for url in pages.values():
        assert client.get(url)["X-Page-Cache"] == "miss"
    write(session, posting, exhibitor)
    seen = {name: client.get(url)["X-Page-Cache"] for name, url in pages.items()}
    assert seen == {name: "miss" if name == page else "hit" for name in pages}


def test_the_seats_left_on_a_cached_session_page_are_exact_after_a_registration(client):
    session = SessionFactory(capacity=3)
    assert "3 of 3 left" in client.get(_session_page(session)).content.decode()
    forum_services.registration_create(session=session, user=UserFactory())
    response = client.get(_session_page(session))
    assert response["X-Page-Cache"] == "miss"
    assert "2 of 3 left" in response.content.decode()
    RegistrationFactory(session=session, status="confirmed")
    assert "1 of 3 left" in client.get(_session_page(session)).content.decode()


def test_a_check_in_leaves_the_session_page_cached(client):
    registration = RegistrationFactory()
    url = _session_page(registration.session)
    client.get(url)
    registration.checked_in_at = timezone.now()
    registration.save()
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_a_slot_taken_shows_on_the_cached_booth_page_at_once(client):
    exhibitor = ExhibitorFactory()
    slot = SlotFactory(exhibitor=exhibitor, starts_at=timezone.now() + datetime.timedelta(days=1))
    assert "Taken" not in client.get(_exhibitor_page(exhibitor)).content.decode()
    MeetingFactory(slot=slot)
    assert "Taken" in client.get(_exhibitor_page(exhibitor)).content.decode()


# --- HTTP caching -----------------------------------------------------------------------------


def test_a_public_page_says_how_long_it_may_be_kept_and_has_an_etag(client):
    project = ProjectFactory()
    url = _project_page(project)
    for served in ("miss", "hit"):
        response = client.get(url)
        assert response["X-Page-Cache"] == served
        assert response["Cache-Control"] == "public, max-age=60, s-maxage=60"
        assert response["ETag"].startswith('"')
        assert "Cookie" in response["Vary"]


def test_a_matching_if_none_match_gets_304(client):
    url = _project_page(ProjectFactory())
    etag = client.get(url)["ETag"]
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert client.get(url, headers={"if-none-match": '"other"'}).status_code == 200


def test_a_changed_object_changes_the_etag(client):
    project = ProjectFactory()
    url = _project_page(project)
    etag = client.get(url)["ETag"]
    project.summary_en = "Another summary"
    project.save()
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_signed_in_session_holding_and_post_answers_are_never_public(client, user):
    url = _project_page(ProjectFactory())
    client.force_login(user)
    response = client.get(url)
    assert response["Cache-Control"] == "private, no-store"
    assert not response.has_header("ETag")
    client.logout()
    client.cookies["sessionid"] = "anything"
    assert client.get(url)["Cache-Control"] == "private, no-store"
    anonymous = type(client)()
    response = anonymous.post(reverse("account_login"), {"login": "x@example.org"})
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    login_page = anonymous.get(reverse("account_login"))["Cache-Control"]
    assert "private" in login_page and "no-store" in login_page


# In a test case's transaction: the organisers' group and its permissions, made by a migration,
# are gone once a transactional test has emptied the tables.
@pytest.mark.django_db(transaction=False)
def test_an_admin_action_refreshes_the_public_pages(client, organiser):
    from tests.conftest import sign_in_with_second_factor

    project = ProjectFactory(title_en="Closed by the organisers")
    url = _project_page(project)
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    back_office = type(client)()
    sign_in_with_second_factor(back_office, organiser)
    answer = back_office.post(
        reverse("admin:projects_project_changelist"),
        {"action": "close", "_selected_action": [project.pk]},
    )
    assert answer.status_code == 302
    assert Project.objects.get(pk=project.pk).state == "closed"
    assert client.get(url).get("X-Page-Cache") != "hit"
