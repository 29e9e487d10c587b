"""Sub-venue events proposed by delegations: services, views, the admin's review, figures."""

import datetime
import re
import zoneinfo

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ciep.models import DelegationMember, OutgoingMail
from forums import services
from forums.figures import edition_figures
from forums.models import Registration, Session, SubVenueEvent, Venue
from tests.conftest import sign_in, sign_in_with_second_factor
from tests.factories import DelegationFactory, DelegationMemberFactory, UserFactory
from tests.forums.factories import (
    RegistrationFactory,
    SectionFactory,
    SessionFactory,
    SubVenueEventFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def delegation(db):
    return DelegationFactory(name_en="Zhuhai City", name_zh="珠海市", kind="city")


@pytest.fixture
def head(delegation):
    return DelegationMemberFactory(
        delegation=delegation,
        role=DelegationMember.Role.HEAD,
        user__preferred_language="zh",
    ).user


@pytest.fixture
def section(delegation):
    return SectionFactory(edition=delegation.edition, name_en="Domestic and Foreign Sub-venues")


@pytest.fixture
def zhuhai(delegation):
    return VenueFactory(
        edition=delegation.edition,
        kind=Venue.Kind.DOMESTIC,
        name_en="Zhuhai sub-venue",
        name_zh="珠海分会场",
        city_en="Zhuhai",
        city_zh="珠海",
    )


def future_day() -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=20)


def berlin_data(section, **changes) -> dict:
    """A proposal at a new sub-venue in Berlin, 10:00-12:00 local time."""
    day = future_day()
    return {
        "title_en": "Berlin talent matchmaking",
        "title_zh": "柏林人才对接会",
        "description_en": "Experts meet Zhuhai's enterprises.",
        "description_zh": "",
        "section": section,
        "kind": Session.Kind.MATCHMAKING,
        "venue": None,
        "venue_name_en": "Berlin sub-venue",
        "venue_name_zh": "柏林分会场",
        "city_en": "Berlin",
        "city_zh": "柏林",
        "country": "DE",
        "time_zone": "Europe/Berlin",
        "start": datetime.datetime.combine(day, datetime.time(10), tzinfo=BERLIN),
        "end": datetime.datetime.combine(day, datetime.time(12), tzinfo=BERLIN),
        "capacity": 2,
        "language": Session.BOTH_LANGUAGES,
        **changes,
    }


# --- Services -------------------------------------------------------------------------------


def test_propose_by_head_at_new_foreign_venue_is_pending(delegation, head, section):
    event = services.sub_venue_event_propose(
        delegation=delegation, data=berlin_data(section), by=head
    )
    event.refresh_from_db()
    assert (event.state, event.edition, event.proposed_by) == (
        SubVenueEvent.State.PENDING,
        delegation.edition,
        head,
    )
    assert event.start.astimezone(SHANGHAI).time() == datetime.time(17)  # winter: UTC+1
    assert event.session is None
    assert Venue.objects.filter(name_en="Berlin sub-venue").exists() is False


def test_propose_at_existing_venue_takes_its_zone_and_drops_new_venue_fields(
    delegation, head, section, zhuhai
):
    data = berlin_data(section, venue=zhuhai)
    event = services.sub_venue_event_propose(delegation=delegation, data=data, by=head)
    assert (event.venue, event.time_zone, event.venue_name_en, event.city_en) == (
        zhuhai,
        "Asia/Shanghai",
        "",
        "",
    )


@pytest.mark.parametrize("role", ["representative", "stranger", "other_head"])
def test_propose_by_anyone_but_the_head_is_refused(delegation, section, role):
    if role == "representative":
        person = DelegationMemberFactory(delegation=delegation).user
    elif role == "other_head":
        person = DelegationMemberFactory(role=DelegationMember.Role.HEAD).user
    else:
        person = UserFactory()
    with pytest.raises(PermissionDenied):
        services.sub_venue_event_propose(
            delegation=delegation, data=berlin_data(section), by=person
        )
    assert SubVenueEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end": datetime.datetime(2030, 1, 1, 9, tzinfo=BERLIN)}, "end"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"capacity": 0}, "capacity"),
        ({"title_zh": ""}, "title_zh"),
        ({"title_en": "  "}, "title_en"),
        ({"city_en": ""}, "city_en"),
        ({"country": ""}, "country"),
    ],
)
def test_propose_with_bad_input_names_the_field_and_saves_nothing(
    delegation, head, section, changes, field
):
    if "end" in changes:
        changes["start"] = datetime.datetime(2030, 1, 1, 10, tzinfo=BERLIN)
    with pytest.raises(ValidationError) as refused:
        services.sub_venue_event_propose(
            delegation=delegation, data=berlin_data(section, **changes), by=head
        )
    assert list(refused.value.message_dict) == [field]
    assert SubVenueEvent.objects.count() == 0


def test_propose_with_section_or_venue_of_another_edition_is_refused(delegation, head, zhuhai):
    other_section = SectionFactory()
    with pytest.raises(ValidationError) as refused:
        services.sub_venue_event_propose(
            delegation=delegation, data=berlin_data(other_section), by=head
        )
    assert list(refused.value.message_dict) == ["section"]
    room = VenueFactory(edition=delegation.edition, kind=Venue.Kind.ROOM)
    with pytest.raises(ValidationError) as refused:
        services.sub_venue_event_propose(
            delegation=delegation,
            data=berlin_data(SectionFactory(edition=delegation.edition), venue=room),
            by=head,
        )
    assert list(refused.value.message_dict) == ["venue"]


def test_propose_for_a_concluded_edition_is_refused(delegation, head, section):
    delegation.edition.status = "concluded"
    delegation.edition.save()
    with pytest.raises(ValidationError):
        services.sub_venue_event_propose(delegation=delegation, data=berlin_data(section), by=head)


def test_update_while_pending_by_head_then_refused_after_review(head, delegation, section):
    event = SubVenueEventFactory(delegation=delegation, proposed_by=head, section=section)
    data = berlin_data(section, title_en="Berlin fair")
    assert services.sub_venue_event_update(event=event, data=data, by=head).title_en == (
        "Berlin fair"
    )
    with pytest.raises(PermissionDenied):
        services.sub_venue_event_update(event=event, data=data, by=UserFactory())
    SubVenueEvent.objects.filter(pk=event.pk).update(state=SubVenueEvent.State.REFUSED)
    with pytest.raises(ValidationError):
        services.sub_venue_event_update(event=event, data=data, by=head)


def test_approve_creates_venue_and_session_and_mails_head_once_in_chinese(
    delegation, head, section, organiser, mailoutbox
):
    event = services.sub_venue_event_propose(
        delegation=delegation, data=berlin_data(section), by=head
    )
    approved = services.sub_venue_event_approve(event=event, by=organiser)
    session = approved.session
    assert (session.title_en, session.title_zh, session.capacity) == (
        "Berlin talent matchmaking",
        "柏林人才对接会",
        2,
    )
    assert (session.start, session.end) == (event.start, event.end)
    assert (session.organising_delegation, session.section, session.status) == (
        delegation,
        section,
        Session.Status.SCHEDULED,
    )
    venue = session.venue
    assert (venue.kind, venue.country.code, venue.time_zone, venue.name_zh) == (
        Venue.Kind.FOREIGN,
        "DE",
        "Europe/Berlin",
        "柏林分会场",
    )
    assert (approved.state, approved.reviewed_by, approved.venue) == ("approved", organiser, venue)
    assert [mail.to for mail in mailoutbox] == [[head.email]]
    assert mailoutbox[0].subject == "[CIEP] 您的分会场活动已列入日程：柏林人才对接会"
    assert session.get_absolute_url().removeprefix("/") in mailoutbox[0].body


def test_approve_is_for_organisers_and_only_once(delegation, head, organiser, mailoutbox):
    event = SubVenueEventFactory(delegation=delegation, proposed_by=head)
    with pytest.raises(PermissionDenied):
        services.sub_venue_event_approve(event=event, by=head)
    services.sub_venue_event_approve(event=event, by=organiser)
    with pytest.raises(ValidationError):
        services.sub_venue_event_approve(event=event, by=organiser)
    with pytest.raises(ValidationError):
        services.sub_venue_event_refuse(event=event, by=organiser, reason="Too late")
    assert Session.objects.count() == 1
    assert len(mailoutbox) == 1


def test_refuse_needs_a_reason_and_mails_it(delegation, head, organiser, mailoutbox):
    event = SubVenueEventFactory(delegation=delegation, proposed_by=head)
    with pytest.raises(ValidationError):
        services.sub_venue_event_refuse(event=event, by=organiser, reason=" ")
    assert OutgoingMail.objects.count() == 0
    refused = services.sub_venue_event_refuse(
        event=event, by=organiser, reason="The date clashes with the opening."
    )
    assert (refused.state, refused.session) == (SubVenueEvent.State.REFUSED, None)
    assert [mail.to for mail in mailoutbox] == [[head.email]]
    assert "The date clashes with the opening." in mailoutbox[0].body
    assert Session.objects.count() == 0


def test_approved_event_registration_fills_seats_then_waits(delegation, head, organiser):
    event = SubVenueEventFactory(delegation=delegation, proposed_by=head, capacity=1)
    session = services.sub_venue_event_approve(event=event, by=organiser).session
    first = services.registration_create(session=session, user=UserFactory())
    second = services.registration_create(session=session, user=UserFactory())
    assert (first.status, second.status) == ("confirmed", "waiting")


# --- Views ----------------------------------------------------------------------------------


def form_data(section, venue=None, **changes) -> dict:
    data = {
        "title_en": "Berlin talent matchmaking",
        "title_zh": "柏林人才对接会",
        "description_en": "",
        "description_zh": "",
        "section": section.pk,
        "kind": "matchmaking",
        "venue": venue.pk if venue else "",
        "venue_name_en": "Berlin sub-venue",
        "venue_name_zh": "柏林分会场",
        "city_en": "Berlin",
        "city_zh": "柏林",
        "country": "DE",
        "time_zone": "Europe/Berlin",
        "date": future_day().isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "capacity": "30",
        "language": "zh_en",
    }
    data.update(changes)
    return data


def propose_url(delegation) -> str:
    return reverse("forums:sub_venue_event_propose", args=[delegation.pk])


def test_propose_view_saves_in_the_venue_zone_and_redirects(client, delegation, head, section):
    sign_in(client, head)
    response = client.post(propose_url(delegation), form_data(section))
    assert response.status_code == 302
    assert response["Location"] == reverse("ciep:delegation_manage", args=[delegation.pk])
    event = SubVenueEvent.objects.get()
    assert event.start == datetime.datetime.combine(future_day(), datetime.time(10), BERLIN)
    assert event.end - event.start == datetime.timedelta(hours=2)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_time": "09:00"}, "end_time", "The event must end after it starts."),
        ({"time_zone": "Mars/Base"}, "time_zone", "“Mars/Base” is no time zone"),
        ({"capacity": "0"}, "capacity", "Offer at least one seat."),
        ({"title_zh": ""}, "title_zh", "Give the event&#x27;s title in Chinese."),
        ({"title_en": ""}, "title_en", "Give the event&#x27;s title in English."),
        ({"city_en": ""}, "city_en", "Give the new sub-venue&#x27;s city in English."),
    ],
)
def test_propose_view_with_bad_input_shows_the_error_and_saves_nothing(
    client, delegation, head, section, changes, field, message
):
    sign_in(client, head)
    response = client.post(propose_url(delegation), form_data(section, **changes))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert message in response.content.decode()
    assert SubVenueEvent.objects.count() == 0


def test_propose_view_for_others_is_404(client, delegation, section):
    representative = DelegationMemberFactory(delegation=delegation).user
    for person in (representative, UserFactory()):
        sign_in(client, person)
        assert client.get(propose_url(delegation)).status_code == 404
        assert client.post(propose_url(delegation), form_data(section)).status_code == 404
    client.logout()
    assert client.get(propose_url(delegation)).status_code == 302  # to sign in
    assert SubVenueEvent.objects.count() == 0


def test_edit_view_for_head_while_pending_only(client, delegation, head, section, organiser):
    event = SubVenueEventFactory(delegation=delegation, proposed_by=head, section=section)
    url = reverse("forums:sub_venue_event_edit", args=[event.pk])
    sign_in(client, head)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["start_time"] == datetime.time(10)
    response = client.post(url, form_data(section, title_en="Changed title"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title_en == "Changed title"
    sign_in(client, UserFactory())
    assert client.get(url).status_code == 404
    services.sub_venue_event_approve(event=event, by=organiser)
    sign_in(client, head)
    assert client.get(url).status_code == 403


def test_delegation_dashboard_lists_events_with_state_and_registrations(
    client, delegation, head, organiser, django_assert_num_queries
):
    url = reverse("ciep:delegation_manage", args=[delegation.pk])
    sign_in(client, head)
    approved = SubVenueEventFactory(delegation=delegation, title_en="Approved fair", capacity=5)
    session = services.sub_venue_event_approve(event=approved, by=organiser).session
    RegistrationFactory.create_batch(2, session=session)
    RegistrationFactory(session=session, status=Registration.Status.WAITING)
    SubVenueEventFactory(delegation=delegation, title_en="Pending fair")
    body = client.get(url).content.decode()
    assert "Approved fair" in body and "Pending fair" in body
    assert "2 of 5 seats, 1 waiting" in body
    assert "Awaiting review" in body and "Approved into the programme" in body

    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    SubVenueEventFactory.create_batch(5, delegation=delegation)
    assert queries() == few


def test_delegation_dashboard_in_chinese(client, delegation, head):
    SubVenueEventFactory(delegation=delegation, title_en="Fair", title_zh="对接会")
    sign_in(client, head)
    body = client.get(
        "/zh-hans" + reverse("ciep:delegation_manage", args=[delegation.pk])
    ).content.decode()
    assert "对接会" in body and "待审核" in body and "提议分会场活动" in body


def test_programme_and_session_page_show_the_approved_event(client, delegation, head, organiser):
    event = SubVenueEventFactory(
        delegation=delegation,
        venue=VenueFactory(
            edition=delegation.edition,
            kind=Venue.Kind.FOREIGN,
            name_en="Berlin sub-venue",
            city_en="Berlin",
            city_zh="柏林",
            country="DE",
            time_zone="Europe/Berlin",
        ),
        start=datetime.datetime(2030, 1, 15, 10, tzinfo=BERLIN),
        end=datetime.datetime(2030, 1, 15, 12, tzinfo=BERLIN),
    )
    delegation.edition.is_current = True
    delegation.edition.save()
    session = services.sub_venue_event_approve(event=event, by=organiser).session
    programme = client.get(
        reverse("forums:edition_programme", args=[delegation.edition.number]),
        {"venue": session.venue.pk},
    )
    assert [card[0].pk for _day, cards in programme.context["days"] for card in cards] == [
        session.pk
    ]
    body = client.get(session.get_absolute_url()).content.decode()
    assert "17:00" in body  # Beijing time
    assert "10:00–12:00 15 Jan, local time in Berlin; Germany time, UTC+01:00" in body
    chinese = client.get("/zh-hans" + session.get_absolute_url()).content.decode()
    assert "柏林当地时间" in chinese and "德国时间，UTC+01:00" in chinese


# --- Admin ----------------------------------------------------------------------------------


def test_admin_actions_approve_and_refuse(client, organiser, delegation, head, mailoutbox):
    to_approve = SubVenueEventFactory(delegation=delegation, proposed_by=head)
    no_reason = SubVenueEventFactory(delegation=delegation, proposed_by=head)
    to_refuse = SubVenueEventFactory(
        delegation=delegation, proposed_by=head, refusal_reason="Full programme."
    )
    sign_in_with_second_factor(client, organiser)
    url = reverse("admin:forums_subvenueevent_changelist")
    assert client.get(url).status_code == 200
    assert (
        client.get(reverse("admin:forums_subvenueevent_change", args=[to_approve.pk])).status_code
        == 200
    )
    client.post(url, {"action": "approve", ACTION_CHECKBOX_NAME: [to_approve.pk]})
    client.post(url, {"action": "refuse", ACTION_CHECKBOX_NAME: [no_reason.pk, to_refuse.pk]})
    states = dict(SubVenueEvent.objects.values_list("pk", "state"))
    assert states == {
        to_approve.pk: "approved",
        no_reason.pk: "pending",
        to_refuse.pk: "refused",
    }
    assert len(mailoutbox) == 2


# --- Figures --------------------------------------------------------------------------------


def test_figures_count_sub_venue_events_by_kind_and_delegation(delegation, organiser):
    edition = delegation.edition
    other = DelegationFactory(edition=edition, name_en="Yancheng City", name_zh="盐城市")
    foreign = VenueFactory(edition=edition, kind=Venue.Kind.FOREIGN, time_zone="Europe/Berlin")
    domestic = VenueFactory(edition=edition, kind=Venue.Kind.DOMESTIC)
    SessionFactory(edition=edition, venue=foreign, organising_delegation=delegation)
    SessionFactory(edition=edition, venue=domestic, organising_delegation=delegation)
    SessionFactory(edition=edition, venue=domestic, organising_delegation=other)
    SessionFactory(edition=edition, venue=domestic)
    SessionFactory(edition=edition, venue=domestic, status=Session.Status.CANCELLED)
    SessionFactory(edition=edition)  # a room of the main venue
    figures = edition_figures(edition)
    assert (
        figures["sub_venue_events"],
        figures["sub_venue_events_domestic"],
        figures["sub_venue_events_foreign"],
    ) == (4, 3, 1)
    assert figures["sub_venue_events_by_delegation"] == {"Zhuhai City": 2, "Yancheng City": 1}


def test_report_json_and_csv_carry_sub_venue_figures(client, delegation):
    edition = delegation.edition
    SessionFactory(
        edition=edition,
        venue=VenueFactory(edition=edition, kind=Venue.Kind.DOMESTIC),
        organising_delegation=delegation,
    )
    report = client.get(reverse("ciep:edition_report_json", args=[edition.number])).json()
    assert report["sub_venue_events_domestic"] == 1
    assert report["sub_venue_events_by_delegation"] == {"Zhuhai City": 1}
    export = client.get(reverse("ciep:edition_report_csv", args=[edition.number]))
    csv = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Sub-venue events by delegation,Zhuhai City,1" in csv
    page = client.get(reverse("ciep:edition_report", args=[edition.number])).content.decode()
    assert "Events at domestic sub-venues" in page


@pytest.mark.parametrize(
    ("prefix", "germany"), [("", "Germany time, UTC"), ("/zh-hans", "德国时间，UTC")]
)
def test_proposal_form_names_time_zones_by_country_and_offset(
    client, delegation, head, prefix, germany
):
    url = propose_url(delegation)
    sign_in(client, head)
    page = client.get(prefix + url).content.decode()
    offset = datetime.datetime.now(BERLIN).strftime("%z")
    berlin = f"{germany}{offset[:3]}:{offset[3:]}"
    city = " (Berlin)" if not prefix else "（Berlin）"
    assert f'<option value="Europe/Berlin">{berlin}{city}</option>' in page
    china = "China time, UTC+08:00" if not prefix else "中国时间，UTC+08:00"
    assert f'<option value="Asia/Shanghai" selected>{china}</option>' in page
    assert "Asia/Shanghai" not in re.sub(r"<[^>]*>", " ", page)


def test_proposal_with_an_unknown_zone_is_a_form_error(client, delegation, head, section):
    sign_in(client, head)
    response = client.post(propose_url(delegation), form_data(section, time_zone="Mars/Olympus"))
    assert response.status_code == 200
    assert "“Mars/Olympus” is no time zone; choose one from the list." in response.content.decode()
