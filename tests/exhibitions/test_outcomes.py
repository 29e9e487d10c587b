"""Meeting outcomes, the exhibitor's figures they feed, and booth views counted once a day."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from exhibitions import selectors, services
from exhibitions.models import Meeting
from tests.factories import UserFactory

from .factories import ExhibitorFactory, MeetingFactory, SlotFactory, exhibitor_with_staff

pytestmark = pytest.mark.django_db


def _past_meeting(exhibitor, state=Meeting.State.ACCEPTED, **kwargs):
    """A meeting whose slot began some hours ago (slots cannot be published in the past)."""
    earlier = Meeting.objects.filter(slot__exhibitor=exhibitor).count()
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1 + earlier)
    slot = SlotFactory(exhibitor=exhibitor, starts_at=start)
    return MeetingFactory(slot=slot, state=state, hold_until=None, **kwargs)


def test_meeting_record_outcome_by_staff_after_start(edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    meeting = _past_meeting(exhibitor)
    result = services.meeting_record_outcome(meeting=meeting, by=staff, outcome="follow_up")
    meeting.refresh_from_db()
    assert (result.outcome, meeting.outcome) == ("follow_up", "follow_up")
    assert meeting.outcome_recorded_at is not None
    services.meeting_record_outcome(meeting=meeting, by=staff, outcome="no_show")
    meeting.refresh_from_db()
    assert meeting.outcome == "no_show"


def test_meeting_record_outcome_refused_to_requester_and_others(edition):
    exhibitor, _staff = exhibitor_with_staff(edition)
    meeting = _past_meeting(exhibitor)
    for person in (meeting.requester, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.meeting_record_outcome(meeting=meeting, by=person, outcome="held")
    meeting.refresh_from_db()
    assert meeting.outcome == ""


def test_meeting_record_outcome_refused_before_start_unaccepted_or_unknown(edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    future = MeetingFactory(slot__exhibitor=exhibitor, state="accepted", hold_until=None)
    declined = _past_meeting(exhibitor, state=Meeting.State.DECLINED)
    accepted = _past_meeting(exhibitor)
    with pytest.raises(ValidationError, match="once the meeting has begun"):
        services.meeting_record_outcome(meeting=future, by=staff, outcome="held")
    with pytest.raises(ValidationError, match="Only an accepted meeting"):
        services.meeting_record_outcome(meeting=declined, by=staff, outcome="held")
    with pytest.raises(ValidationError, match="Choose how the meeting went"):
        services.meeting_record_outcome(meeting=accepted, by=staff, outcome="great")
    assert list(Meeting.objects.exclude(outcome="")) == []


def test_outcomes_feed_exhibitor_figures(edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    for outcome in ("held", "follow_up", "follow_up", "no_show"):
        meeting = _past_meeting(exhibitor)
        services.meeting_record_outcome(meeting=meeting, by=staff, outcome=outcome)
    _past_meeting(exhibitor)  # accepted, begun, nothing recorded yet
    MeetingFactory(slot__exhibitor=exhibitor, state="accepted", hold_until=None)  # still to come
    figures = selectors.exhibitor_figures(exhibitor)
    assert figures["by_outcome"] == [
        ("Held", 1),
        ("No-show", 1),
        ("Held, with a follow-up agreed", 2),
    ]
    assert (figures["meetings_held"], figures["follow_ups"]) == (3, 2)
    assert (figures["outcome_awaited"], figures["held_rate"]) == (1, 75)


def test_exhibitor_records_outcome_in_the_browser(client, edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    meeting = _past_meeting(exhibitor)
    client.force_login(staff)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Record the outcome" in page
    url = reverse("exhibitions:meeting_action", args=[meeting.pk, "outcome"])
    response = client.post(url, {"outcome-outcome": "held"}, follow=True)
    assert "The outcome has been recorded." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.outcome == "held"
    figures = client.get(reverse("exhibitions:exhibitor_figures", args=[exhibitor.pk]))
    assert figures.context["figures"]["meetings_held"] == 1


def test_outcome_form_bad_input_saves_nothing(client, edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    meeting = _past_meeting(exhibitor)
    client.force_login(staff)
    url = reverse("exhibitions:meeting_action", args=[meeting.pk, "outcome"])
    response = client.post(url, {"outcome-outcome": "brilliant"}, follow=True)
    assert response.status_code == 200
    assert "Choose how the meeting went." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.outcome == ""


def test_outcome_not_offered_to_requester_and_refused(client, edition):
    exhibitor, _staff = exhibitor_with_staff(edition)
    meeting = _past_meeting(exhibitor)
    client.force_login(meeting.requester)
    assert "Record the outcome" not in client.get(meeting.get_absolute_url()).content.decode()
    url = reverse("exhibitions:meeting_action", args=[meeting.pk, "outcome"])
    assert client.post(url, {"outcome-outcome": "held"}).status_code == 404
    client.force_login(UserFactory())
    assert client.post(url, {"outcome-outcome": "held"}).status_code == 404
    meeting.refresh_from_db()
    assert meeting.outcome == ""


def test_outcome_page_in_chinese(client, edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    meeting = _past_meeting(exhibitor)
    client.force_login(staff)
    page = client.get("/zh-hans" + meeting.get_absolute_url()).content.decode()
    assert "记录会谈结果" in page
    assert "未到场" in page


# --- Booth views ----------------------------------------------------------------------------


def test_booth_view_counted_once_per_visitor_and_day(client):
    exhibitor = ExhibitorFactory()
    url = exhibitor.get_absolute_url()
    for _ in range(3):
        assert client.get(url, REMOTE_ADDR="10.0.0.1").status_code == 200
    client.get(url, REMOTE_ADDR="10.0.0.2")
    client.get(url, REMOTE_ADDR="10.0.0.2", HTTP_USER_AGENT="Other browser")
    assert selectors.exhibitor_figures(exhibitor)["page_views"] == 3


def test_booth_view_of_signed_in_person_counted_once_wherever_they_read(client, user):
    exhibitor = ExhibitorFactory()
    client.force_login(user)
    for address in ("10.0.0.1", "10.0.0.2"):
        client.get(exhibitor.get_absolute_url(), REMOTE_ADDR=address)
    assert selectors.exhibitor_figures(exhibitor)["page_views"] == 1


def test_booth_view_counted_again_the_next_day(monkeypatch):
    exhibitor = ExhibitorFactory()
    assert services.exhibitor_record_view(exhibitor_id=exhibitor.pk, visitor="u1")
    assert not services.exhibitor_record_view(exhibitor_id=exhibitor.pk, visitor="u1")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda: tomorrow)
    assert services.exhibitor_record_view(exhibitor_id=exhibitor.pk, visitor="u1")
    assert selectors.exhibitor_figures(exhibitor)["page_views"] == 2


def test_booth_view_not_counted_for_a_missing_booth(client):
    response = client.get(reverse("exhibitions:exhibitor_detail", args=[999999]))
    assert response.status_code == 404
    assert services.exhibitor_pending_views(999999) == 0


# --- The edition report ---------------------------------------------------------------------


def test_outcomes_reach_the_edition_report_its_json_and_csv_in_both_languages(client, edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    for outcome in ("held", "follow_up", "no_show", "no_show"):
        meeting = _past_meeting(exhibitor)
        services.meeting_record_outcome(meeting=meeting, by=staff, outcome=outcome)
    _past_meeting(exhibitor)  # begun, outcome not recorded
    _past_meeting(exhibitor, state=Meeting.State.DECLINED)  # not counted
    _past_meeting(ExhibitorFactory())  # another edition's
    data = client.get(f"/editions/{edition.number}/report.json").json()
    assert {key: data[key] for key in data if key.startswith("negotiation")} == {
        "negotiation_meetings": 5,
        "negotiations_held": 2,
        "negotiations_follow_up": 1,
        "negotiations_no_show": 2,
        "negotiations_outcome_awaited": 1,
    }
    page = client.get(f"/editions/{edition.number}/report/").content.decode()
    assert 'data-key="negotiations_no_show">2<' in page
    assert "Negotiations missed (no-show)" in page
    chinese = client.get(f"/zh-hans/editions/{edition.number}/report/").content.decode()
    assert "未到场的洽谈" in chinese
    for prefix, row in (
        ("", ["Negotiations held", "", "2"]),
        ("/zh-hans", ["约定后续跟进的洽谈", "", "1"]),
    ):
        response = client.get(f"{prefix}/editions/{edition.number}/report.csv")
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert row in list(csv.reader(io.StringIO(text)))


def test_my_negotiations_show_outcomes_and_ask_staff_for_the_missing_ones(client, edition):
    exhibitor, staff = exhibitor_with_staff(edition)
    recorded = _past_meeting(exhibitor)
    services.meeting_record_outcome(meeting=recorded, by=staff, outcome="no_show")
    awaited = _past_meeting(exhibitor)
    client.force_login(staff)
    page = client.get(reverse("exhibitions:meeting_list")).content.decode()
    assert page.count('class="meeting-outcome"') == 1
    assert "No-show" in page
    assert page.count('class="meeting-outcome-due"') == 1
    client.force_login(awaited.requester)
    page = client.get(reverse("exhibitions:meeting_list")).content.decode()
    assert "meeting-outcome-due" not in page
    client.force_login(staff)
    assert (
        "记录结果" in client.get("/zh-hans" + reverse("exhibitions:meeting_list")).content.decode()
    )
