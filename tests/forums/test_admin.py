import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from forums.models import Feedback, Registration, Session
from tests.conftest import sign_in_with_second_factor
from tests.factories import UserFactory
from tests.forums.factories import (
    RegistrationFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    SubVenueEventFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


def test_organiser_has_forum_permissions(organiser):
    assert organiser.is_superuser is False
    assert organiser.has_perm("forums.change_session")
    assert organiser.has_perm("forums.view_registration")


def test_every_forum_admin_page_loads_for_organiser(client, organiser):
    SessionSpeakerFactory()
    registration = RegistrationFactory()
    Feedback.objects.create(session=registration.session, user=registration.user, rating=4)
    SubVenueEventFactory()
    sign_in_with_second_factor(client, organiser)
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if opts.app_label != "forums":
            continue
        changelist = reverse(f"admin:forums_{opts.model_name}_changelist")
        assert client.get(changelist + "?q=a").status_code == 200, changelist
        obj = model.objects.first()
        change = reverse(f"admin:forums_{opts.model_name}_change", args=[obj.pk])
        assert client.get(change).status_code == 200, change
        if model_admin.has_add_permission(client.get(changelist).wsgi_request):
            assert client.get(reverse(f"admin:forums_{opts.model_name}_add")).status_code == 200


def _session_post(session, **changes):
    data = {
        "edition": session.edition_id,
        "section": session.section_id,
        "kind": session.kind,
        "status": session.status,
        "title_en": session.title_en,
        "title_zh": session.title_zh,
        "abstract_en": session.abstract_en,
        "abstract_zh": "",
        "start_0": session.start.astimezone().strftime("%Y-%m-%d"),
        "start_1": session.start.astimezone().strftime("%H:%M:%S"),
        "end_0": session.end.astimezone().strftime("%Y-%m-%d"),
        "end_1": session.end.astimezone().strftime("%H:%M:%S"),
        "venue": session.venue_id,
        "format": session.format,
        "language": session.language,
        "capacity": session.capacity if session.capacity is not None else "",
        "stream_url": "",
        "replay_url": "",
        "speaker_roles-TOTAL_FORMS": "0",
        "speaker_roles-INITIAL_FORMS": "0",
        "quotas-TOTAL_FORMS": "0",
        "quotas-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_session_admin_warns_of_double_booked_room_and_speaker(client, organiser):
    booked = SessionFactory()
    speaker = SpeakerFactory()
    SessionSpeakerFactory(session=booked, speaker=speaker)
    other = SessionFactory(
        edition=booked.edition,
        section=booked.section,
        venue=VenueFactory(edition=booked.edition),
        start=booked.start + datetime.timedelta(hours=1),
        end=booked.end + datetime.timedelta(hours=1),
    )
    sign_in_with_second_factor(client, organiser)
    url = reverse("admin:forums_session_change", args=[other.pk])
    data = _session_post(
        other,
        venue=booked.venue_id,
        **{
            "speaker_roles-TOTAL_FORMS": "1",
            "speaker_roles-0-speaker": speaker.pk,
            "speaker_roles-0-role": "speaker",
            "speaker_roles-0-order": "1",
        },
    )
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    texts = [str(message) for message in response.context["messages"]]
    assert f"{booked.venue} is also booked for “{booked}” at the same time." in texts
    assert f"A speaker of this session also speaks at “{booked}” at the same time." in texts


def test_session_admin_end_before_start_is_refused(client, organiser):
    session = SessionFactory()
    sign_in_with_second_factor(client, organiser)
    url = reverse("admin:forums_session_change", args=[session.pk])
    data = _session_post(
        session, end_0=(session.start - datetime.timedelta(days=1)).strftime("%Y-%m-%d")
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["end"] == [
        "The session must end after it starts."
    ]
    stored = Session.objects.get(pk=session.pk)
    assert stored.end == session.end


def test_session_admin_negative_capacity_is_refused(client, organiser):
    session = SessionFactory(capacity=10)
    sign_in_with_second_factor(client, organiser)
    url = reverse("admin:forums_session_change", args=[session.pk])
    response = client.post(url, _session_post(session, capacity="-5"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["capacity"] == [
        "Ensure this value is greater than or equal to 0."
    ]
    assert Session.objects.get(pk=session.pk).capacity == 10


def test_session_admin_raising_capacity_promotes_waiting(client, organiser, mailoutbox):
    session = SessionFactory(capacity=1)
    RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session, status="waiting")
    sign_in_with_second_factor(client, organiser)
    url = reverse("admin:forums_session_change", args=[session.pk])
    client.post(url, _session_post(session, capacity="2"))
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert [mail.to for mail in mailoutbox] == [[waiting.user.email]]


def test_session_admin_duplicate_action(client, organiser):
    session = SessionFactory()
    sign_in_with_second_factor(client, organiser)
    client.post(
        reverse("admin:forums_session_changelist"),
        {"action": "duplicate", "_selected_action": [session.pk]},
    )
    assert sorted(Session.objects.values_list("title_en", flat=True)) == [
        session.title_en,
        f"{session.title_en} (copy)",
    ]


def test_registration_admin_export_csv_has_bom_and_chinese(client, organiser):
    user = UserFactory(name="王芳")
    registration = RegistrationFactory(user=user)
    sign_in_with_second_factor(client, organiser)
    response = client.post(
        reverse("admin:forums_registration_changelist"),
        {"action": "export_csv", "_selected_action": [registration.pk]},
    )
    body = response.getvalue().decode("utf-8")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith("\ufeff")
    lines = body.lstrip("\ufeff").splitlines()
    assert len(lines) == 2
    assert f"{registration.session.title_en},王芳,{user.email},On site,Confirmed" in lines[1]


def test_session_admin_export_registrations_action(client, organiser):
    session = SessionFactory()
    RegistrationFactory.create_batch(2, session=session)
    sign_in_with_second_factor(client, organiser)
    response = client.post(
        reverse("admin:forums_session_changelist"),
        {"action": "export_registrations", "_selected_action": [session.pk]},
    )
    assert len(response.getvalue().decode("utf-8").splitlines()) == 3


def test_registration_admin_promote_and_cancel_actions(client, organiser, mailoutbox):
    session = SessionFactory(capacity=1)
    seat = RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session, status="waiting")
    sign_in_with_second_factor(client, organiser)
    client.post(
        reverse("admin:forums_registration_changelist"),
        {"action": "cancel", "_selected_action": [seat.pk]},
    )
    seat.refresh_from_db()
    waiting.refresh_from_db()
    assert (seat.status, waiting.status) == ("cancelled", "confirmed")
    assert Registration.objects.filter(status="confirmed").count() == 1


def test_session_status_moves_only_through_the_actions(client, organiser):
    scheduled = SessionFactory()
    cancelled = SessionFactory(status="cancelled")
    sign_in_with_second_factor(client, organiser)
    change = client.get(reverse("admin:forums_session_change", args=[scheduled.pk]))
    assert "status" not in change.context["adminform"].form.fields
    changelist = reverse("admin:forums_session_changelist")
    client.post(
        changelist,
        {"action": "cancel_sessions", "_selected_action": [scheduled.pk, cancelled.pk]},
    )
    assert dict(Session.objects.values_list("pk", "status")) == {
        scheduled.pk: "cancelled",
        cancelled.pk: "cancelled",
    }
    client.post(changelist, {"action": "reinstate_sessions", "_selected_action": [scheduled.pk]})
    scheduled.refresh_from_db()
    assert scheduled.status == "scheduled"


def test_session_cancel_refuses_anyone_but_organisers():
    from django.core.exceptions import PermissionDenied

    from forums import services

    session = SessionFactory()
    with pytest.raises(PermissionDenied):
        services.session_cancel(session=session, by=UserFactory())
    session.refresh_from_db()
    assert session.status == "scheduled"
