import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from ciep.areas import AgendaEntry
from ciep.models import DelegationMember
from forums.models import Bookmark, CalendarFeed, Feedback, Registration, Session, Venue
from tests.conftest import image_file, sign_in
from tests.factories import DelegationFactory, DelegationMemberFactory, FieldFactory, UserFactory
from tests.forums.factories import (
    BookmarkFactory,
    DelegationQuotaFactory,
    RegistrationFactory,
    SectionFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    VenueFactory,
    in_days,
)

pytestmark = pytest.mark.django_db


def titles(response):
    return [s.title_en for _day, cards in response.context["days"] for s, _card in cards]


# --- Programme ------------------------------------------------------------------------------


@pytest.fixture
def programme(edition):
    forum = SectionFactory(edition=edition, name_en="Shenzhen Forum", order=1)
    pitch = SectionFactory(edition=edition, name_en="Pitch@Palace China", order=2)
    hall = VenueFactory(edition=edition, name_en="Hall 1")
    online = VenueFactory(edition=edition, name_en="Online platform", kind=Venue.Kind.ONLINE)
    ai = FieldFactory(slug="ai", name_en="Artificial intelligence")
    opening = SessionFactory(
        edition=edition,
        section=forum,
        venue=hall,
        title_en="Opening ceremony",
        title_zh="开幕式",
        kind="ceremony",
        start=in_days(5, 9),
        end=in_days(5, 10),
        language="zh",
    )
    keynote = SessionFactory(
        edition=edition,
        section=forum,
        venue=online,
        title_en="Keynote on innovation",
        title_zh="",
        format="online",
        start=in_days(5, 14),
        end=in_days(5, 15),
        language="en",
    )
    final = SessionFactory(
        edition=edition,
        section=pitch,
        venue=hall,
        title_en="Pitch final",
        title_zh="创业大赛决赛",
        kind="competition",
        start=in_days(6, 9),
        end=in_days(6, 12),
        language=Session.BOTH_LANGUAGES,
    )
    final.fields.add(ai)
    SessionSpeakerFactory(session=keynote, speaker=SpeakerFactory(name_en="Wang Zhigang"))
    return {"forum": forum, "pitch": pitch, "ai": ai, "sessions": [opening, keynote, final]}


def test_programme_lists_current_edition_by_day(client, programme):
    response = client.get(reverse("forums:programme"))
    assert response.status_code == 200
    assert titles(response) == ["Opening ceremony", "Keynote on innovation", "Pitch final"]
    assert [day for day, _sessions in response.context["days"]] == [
        timezone.localdate() + datetime.timedelta(days=5),
        timezone.localdate() + datetime.timedelta(days=6),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "competition"}, ["Pitch final"]),
        ({"format": "online"}, ["Keynote on innovation"]),
        ({"language": "en"}, ["Keynote on innovation", "Pitch final"]),
        ({"language": "zh"}, ["Opening ceremony", "Pitch final"]),
        ({"q": "决赛"}, ["Pitch final"]),
        ({"q": "zhigang"}, ["Keynote on innovation"]),
    ],
)
def test_programme_filters(client, programme, query, expected):
    assert titles(client.get(reverse("forums:programme"), query)) == expected


def test_programme_filters_by_section_field_and_day(client, programme):
    url = reverse("forums:programme")
    assert titles(client.get(url, {"section": programme["pitch"].pk})) == ["Pitch final"]
    assert titles(client.get(url, {"field": programme["ai"].pk})) == ["Pitch final"]
    day = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    assert titles(client.get(url, {"day": day})) == ["Opening ceremony", "Keynote on innovation"]


def test_programme_in_chinese_shows_chinese_titles(client, programme):
    body = client.get("/zh-hans/forum/").content.decode()
    assert "开幕式" in body
    assert "Keynote on innovation" in body  # falls back to English


def test_programme_of_past_edition_stays_browsable(client, programme):
    from tests.factories import EditionFactory

    past = EditionFactory(number=17, status="concluded")
    SessionFactory(edition=past, title_en="Old forum", start=in_days(-400), end=in_days(-400, 12))
    response = client.get(reverse("forums:edition_programme", args=[17]))
    assert titles(response) == ["Old forum"]
    assert client.get(reverse("forums:edition_programme", args=[99])).status_code == 404


def test_programme_query_count_is_constant(client, edition, django_assert_num_queries):
    user = UserFactory()
    client.force_login(user)
    SessionSpeakerFactory(session=SessionFactory(edition=edition))
    url = reverse("forums:programme")

    def count_queries(expected=None):
        """Queries of the page with its cards still to draw, then with them cached."""
        cache.clear()
        counts = []
        for _state in ("cold", "warm"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, {"kind": "forum"})
            counts.append(len(queries))
        return counts, response

    one, _response = count_queries()
    assert one == [11, 4]  # drawing the cards reads them whole, and the filters their choices
    for _ in range(6):
        session = SessionFactory(edition=edition)
        SessionSpeakerFactory.create_batch(2, session=session)
        RegistrationFactory(session=session, user=user)
        BookmarkFactory(session=session, user=user)
    seven, response = count_queries()
    assert seven == one
    assert len(titles(response)) == 7


def test_programme_cards_are_shared_but_personal_badges_are_not(client, edition):
    session = SessionFactory(edition=edition, title_en="Green hydrogen forum")
    registered, other = UserFactory(), UserFactory()
    RegistrationFactory(session=session, user=registered)
    BookmarkFactory(session=session, user=registered)
    url = reverse("forums:programme")
    client.force_login(registered)
    body = client.get(url).content.decode()
    assert "Registered" in body
    assert "Bookmarked" in body
    client.force_login(other)  # the card is now cached; the badges must not come with it
    body = client.get(url).content.decode()
    assert "Green hydrogen forum" in body
    assert "Registered" not in body
    assert "Bookmarked" not in body


def test_programme_card_follows_a_change_and_the_language(client, user, edition):
    session = SessionFactory(edition=edition, title_en="Draft title", title_zh="草稿标题")
    client.force_login(user)
    url = reverse("forums:programme")
    assert "Draft title" in client.get(url).content.decode()
    session.title_en = "Final title"
    session.save()
    assert "Final title" in client.get(url).content.decode()
    assert "草稿标题" in client.get("/zh-hans" + url).content.decode()


def test_programme_ics_parses_back(client, programme, edition):
    response = client.get(reverse("forums:programme_ics", args=[edition.number]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == [
        "Opening ceremony",
        "Keynote on innovation",
        "Pitch final",
    ]
    first = programme["sessions"][0]
    assert events[0].decoded("DTSTART") == first.start
    assert events[0].decoded("DTEND") == first.end


# --- Session page ---------------------------------------------------------------------------


def test_session_detail_shows_sub_venue_local_time(client):
    session = SessionFactory(
        venue__kind=Venue.Kind.FOREIGN,
        venue__city_en="London",
        venue__time_zone="Europe/London",
        start=timezone.make_aware(datetime.datetime(2030, 1, 15, 18, 0)),
        end=timezone.make_aware(datetime.datetime(2030, 1, 15, 20, 0)),
    )
    body = client.get(session.get_absolute_url()).content.decode()
    assert "18:00" in body  # China time
    assert "10:00–12:00 15 Jan, local time in London" in body


def test_session_detail_for_anonymous_invites_sign_in(client):
    session = SessionFactory()
    body = client.get(session.get_absolute_url()).content.decode()
    assert "Sign in to register" in body
    assert client.get(reverse("forums:session_detail", args=[999999])).status_code == 404


def test_session_detail_lists_related_sessions_of_its_section_then_of_its_day(client):
    session = SessionFactory(start=in_days(5, 9))
    edition, section = session.edition, session.section
    same_section_later = SessionFactory(edition=edition, section=section, start=in_days(8, 9))
    same_day = SessionFactory(edition=edition, start=in_days(5, 14))
    same_section_sooner = SessionFactory(edition=edition, section=section, start=in_days(6, 9))
    SessionFactory(edition=edition, section=section, status=Session.Status.CANCELLED)
    SessionFactory(edition=edition, start=in_days(7, 9))  # other section, other day
    SessionFactory(section__name_en=section.name_en, start=in_days(5, 10))  # other edition
    response = client.get(session.get_absolute_url())
    assert response.context["related"] == [same_section_sooner, same_section_later, same_day]
    assert response.content.decode().count('session-list related-sessions"') == 1


def test_session_ics_parses_back(client):
    session = SessionFactory(title_en="Talent forum")
    response = client.get(reverse("forums:session_ics", args=[session.pk]))
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [(str(e["SUMMARY"]), e.decoded("DTSTART")) for e in events] == [
        ("Talent forum", session.start)
    ]


def test_register_view_confirms_and_shows_ticket_with_qr(client, user, mailoutbox):
    session = SessionFactory(capacity=5)
    client.force_login(user)
    response = client.post(
        reverse("forums:session_register", args=[session.pk]), {"attendance": "on_site"}
    )
    registration = Registration.objects.get()
    assert response["Location"] == registration.get_absolute_url()
    page = client.get(registration.get_absolute_url()).content.decode()
    assert "<svg" in page
    assert registration.code in page
    assert len(mailoutbox) == 1


def test_register_view_full_session_puts_on_waiting_list(client, user):
    session = SessionFactory(capacity=1)
    RegistrationFactory(session=session)
    client.force_login(user)
    response = client.post(
        reverse("forums:session_register", args=[session.pk]), {"attendance": "on_site"}
    )
    assert response["Location"] == session.get_absolute_url()
    assert Registration.objects.get(user=user).status == "waiting"
    body = client.get(session.get_absolute_url()).content.decode()
    assert "You are on the waiting list." in body


def test_register_view_bad_attendance_saves_nothing(client, user):
    session = SessionFactory(format="offline")
    client.force_login(user)
    response = client.post(
        reverse("forums:session_register", args=[session.pk]), {"attendance": "online"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["Choose how you will attend."]
    assert Registration.objects.count() == 0


def test_register_view_requires_sign_in(client):
    session = SessionFactory()
    response = client.post(reverse("forums:session_register", args=[session.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert Registration.objects.count() == 0


def test_ticket_of_someone_else_is_404(client, user):
    registration = RegistrationFactory()
    client.force_login(user)
    assert client.get(registration.get_absolute_url()).status_code == 404


def test_cancel_view_promotes_and_other_people_get_404(client, user, mailoutbox):
    session = SessionFactory(capacity=1)
    mine = RegistrationFactory(session=session, user=user)
    waiting = RegistrationFactory(session=session, status="waiting")
    client.force_login(UserFactory())
    url = reverse("forums:registration_cancel", args=[mine.pk])
    assert client.post(url).status_code == 404
    client.force_login(user)
    client.post(url)
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert (mine.status, waiting.status) == ("cancelled", "confirmed")
    assert [mail.to for mail in mailoutbox] == [[waiting.user.email]]


def test_bookmark_view_toggles(client, user):
    session = SessionFactory()
    client.force_login(user)
    client.post(reverse("forums:session_bookmark", args=[session.pk]))
    assert Bookmark.objects.filter(user=user, session=session).count() == 1
    client.post(reverse("forums:session_bookmark", args=[session.pk]))
    assert Bookmark.objects.count() == 0


def test_watch_view_counts_and_redirects_when_live(client):
    now = timezone.now()
    session = SessionFactory(
        start=now - datetime.timedelta(minutes=1),
        end=now + datetime.timedelta(hours=1),
        stream_url="https://live.example/forum",
    )
    response = client.get(reverse("forums:session_watch", args=[session.pk]))
    assert response["Location"] == "https://live.example/forum"
    session.refresh_from_db()
    assert session.live_views == 1


def test_feedback_view_for_participant_and_404_for_others(client, user):
    session = SessionFactory(start=in_days(-3), end=in_days(-3, 12))
    RegistrationFactory(session=session, user=user)
    url = reverse("forums:session_feedback", args=[session.pk])
    client.force_login(UserFactory())
    assert client.post(url, {"rating": "5"}).status_code == 404
    client.force_login(user)
    client.post(url, {"rating": "9"})
    assert Feedback.objects.count() == 0
    client.post(url, {"rating": "4", "comment": "Inspiring"})
    assert list(Feedback.objects.values_list("user", "rating", "comment")) == [
        (user.pk, 4, "Inspiring")
    ]


# --- Check-in -------------------------------------------------------------------------------


def test_check_in_page_accepts_code_once(client, organiser):
    registration = RegistrationFactory()
    sign_in(client, organiser)
    page = client.get(reverse("forums:check_in"), {"code": registration.code})
    assert f'value="{registration.code}"' in page.content.decode()
    response = client.post(reverse("forums:check_in"), {"code": registration.code})
    assert response.context["checked_in"] == registration
    response = client.post(reverse("forums:check_in"), {"code": registration.code})
    assert response.context["form"].errors["code"][0].startswith("This code has already been used")


def test_check_in_page_forged_code_is_a_form_error(client, organiser):
    sign_in(client, organiser)
    response = client.post(reverse("forums:check_in"), {"code": "NOTAREALCODE"})
    assert response.context["form"].errors == {"code": ["No registration has this code."]}
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 0


def test_check_in_page_is_404_for_non_organisers(client, user):
    registration = RegistrationFactory()
    client.force_login(user)
    assert client.get(reverse("forums:check_in")).status_code == 404
    assert client.post(reverse("forums:check_in"), {"code": registration.code}).status_code == 404
    registration.refresh_from_db()
    assert registration.checked_in_at is None


# --- Delegation group registration ----------------------------------------------------------


def test_group_register_view_by_head_and_404_for_representative(client):
    session = SessionFactory()
    delegation = DelegationFactory(edition=session.edition)
    head = DelegationMemberFactory(delegation=delegation, role=DelegationMember.Role.HEAD).user
    member = DelegationMemberFactory(delegation=delegation).user
    DelegationQuotaFactory(session=session, delegation=delegation, places=1)
    url = reverse("forums:group_register", args=[session.pk, delegation.pk])
    client.force_login(member)
    assert client.get(url).status_code == 404
    client.force_login(head)
    assert client.get(session.get_absolute_url()).content.decode().count(url) == 1
    response = client.post(url, {"members": [member.pk, head.pk]})
    assert response.context["form"].errors == {
        "members": ["Your delegation has 1 of 1 places left for this session."]
    }
    assert Registration.objects.count() == 0
    client.post(url, {"members": [member.pk]})
    assert list(Registration.objects.values_list("user", "delegation", "registered_by")) == [
        (member.pk, delegation.pk, head.pk)
    ]


# --- Speakers -------------------------------------------------------------------------------


def test_speaker_page_lists_sessions(client):
    role = SessionSpeakerFactory(speaker__name_en="Carrie Lam")
    response = client.get(role.speaker.get_absolute_url())
    assert list(response.context["sessions"]) == [role.session]
    assert "Carrie Lam" in response.content.decode()


def test_speaker_edits_own_profile_with_validated_photo(client, user):
    speaker = SpeakerFactory(user=user)
    client.force_login(user)
    data = {"name_en": "New name", "name_zh": "", "country": "CN", "biography_en": "Bio"}
    response = client.post(reverse("forums:speaker_edit"), {**data, "photo": image_file()})
    assert response.status_code == 302
    speaker.refresh_from_db()
    assert speaker.name_en == "New name"
    assert speaker.photo.name.startswith("speakers/")
    assert speaker.photo_thumbnail.name == speaker.photo.name.removesuffix(".png") + ".thumb.webp"
    page = client.get(speaker.get_absolute_url()).content.decode()
    assert (
        f'<img src="{speaker.photo_thumbnail.url}" alt="Photo of New name" '
        'width="160" height="160" class="speaker-photo" decoding="async">'
    ) in page


def test_speaker_edit_rejects_fake_image(client, user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    speaker = SpeakerFactory(user=user, name_en="Kept")
    client.force_login(user)
    fake = SimpleUploadedFile("photo.png", b"not an image", content_type="image/png")
    response = client.post(
        reverse("forums:speaker_edit"), {"name_en": "Changed", "country": "CN", "photo": fake}
    )
    assert response.status_code == 200
    assert "photo" in response.context["form"].errors
    speaker.refresh_from_db()
    assert speaker.name_en == "Kept"


def test_speaker_edit_without_profile_is_404(client, user):
    SpeakerFactory(user=UserFactory())
    client.force_login(user)
    assert client.get(reverse("forums:speaker_edit")).status_code == 404


# --- Agenda ---------------------------------------------------------------------------------


def test_agenda_orders_items_and_flags_clashes(client, user):
    a = SessionFactory(title_en="A", start=in_days(3, 9), end=in_days(3, 11))
    b = SessionFactory(title_en="B", start=in_days(3, 10), end=in_days(3, 12))
    c = SessionFactory(title_en="C", start=in_days(4, 9), end=in_days(4, 10))
    RegistrationFactory(session=b, user=user)
    RegistrationFactory(session=c, user=user, status="waiting")
    BookmarkFactory(session=a, user=user)
    RegistrationFactory(session=SessionFactory(), user=user, status="cancelled")
    client.force_login(user)
    items = client.get(reverse("forums:agenda")).context["items"]
    assert [(i.title, i.kind, [o.title for o in i.clashes]) for i in items] == [
        ("A", "bookmark", ["B"]),
        ("B", "registration", ["A"]),
        ("C", "waiting", []),
    ]


def test_agenda_includes_other_areas_items(client, user, monkeypatch):
    from ciep import areas

    start = in_days(3, 10)
    monkeypatch.setitem(
        areas._registry,
        "meetings",
        areas.Area(
            key="meetings",
            name="Meetings",
            description="",
            url_name="ciep:home",
            agenda_items="tests.forums.test_views.fake_meetings",
        ),
    )
    SessionFactory()
    client.force_login(user)
    items = client.get(reverse("forums:agenda")).context["items"]
    assert [(i.title, i.kind, i.start) for i in items] == [("Negotiation meeting", "other", start)]


def fake_meetings(user):
    return [
        AgendaEntry("m-1@test", in_days(3, 10), in_days(3, 11), "Negotiation meeting", "/e/"),
        AgendaEntry("m-2@test", in_days(3, 12), in_days(3, 13), "Declined", "/e/", "CANCELLED"),
    ]


def test_agenda_ics_and_private_feed_parse_back(client, user):
    session = SessionFactory(title_en="Registered forum")
    RegistrationFactory(session=session, user=user)
    client.force_login(user)
    client.get(reverse("forums:agenda"))
    download = client.get(reverse("forums:agenda_ics"))
    assert download["Content-Disposition"] == 'attachment; filename="ciep-agenda.ics"'
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(download.content).walk("VEVENT")]
    assert summaries == ["Registered forum"]
    client.logout()
    token = CalendarFeed.objects.get(user=user).token
    feed = client.get(reverse("forums:agenda_feed", args=[token]))
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert summaries == ["Registered forum"]
    assert client.get(reverse("forums:agenda_feed", args=["forged-token"])).status_code == 404


def test_agenda_feed_reset_invalidates_old_address(client, user):
    client.force_login(user)
    client.get(reverse("forums:agenda"))
    old = CalendarFeed.objects.get(user=user).token
    client.post(reverse("forums:agenda_feed_reset"))
    assert client.get(reverse("forums:agenda_feed", args=[old])).status_code == 404


def test_agenda_requires_sign_in(client):
    assert client.get(reverse("forums:agenda")).status_code == 302


def test_dashboard_shows_forum_panel(client, user):
    session = SessionFactory(title_en="Upcoming forum")
    RegistrationFactory(session=session, user=user)
    client.force_login(user)
    assert "Upcoming forum" in client.get(reverse("ciep:dashboard")).content.decode()


def test_cancelled_session_is_not_registrable(client, user):
    session = SessionFactory(status=Session.Status.CANCELLED)
    client.force_login(user)
    client.post(reverse("forums:session_register", args=[session.pk]), {"attendance": "on_site"})
    assert Registration.objects.count() == 0
