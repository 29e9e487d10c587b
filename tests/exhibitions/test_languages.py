"""Negotiation languages: a choice, a flag when the sides share none, interpreters."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exhibitions import services
from exhibitions.models import Interpreter, Meeting, language_codes
from tests.conftest import sign_in_with_second_factor
from tests.factories import UserFactory

from .factories import MeetingFactory, SlotFactory, exhibitor_with_staff

pytestmark = pytest.mark.django_db


def test_language_codes_read_codes_and_written_lists():
    assert language_codes("en,zh") == ["en", "zh"]
    assert language_codes("English, 中文") == ["en", "zh"]
    assert language_codes("Русский，English") == ["en", "ru"]
    assert language_codes("Klingon") == []


def test_meeting_request_stores_chosen_languages_and_interpreter_wish(user, edition):
    slot = SlotFactory(exhibitor__edition=edition)
    meeting = services.meeting_request(
        slot=slot, by=user, languages=["zh", "en", "zh"], interpreter_requested=True
    )
    assert (meeting.languages, meeting.interpreter_requested) == ("zh,en", True)


def test_meeting_request_refuses_unknown_or_no_language(user, edition):
    slot = SlotFactory(exhibitor__edition=edition)
    for languages in (["xx"], [], "Klingon"):
        with pytest.raises(ValidationError):
            services.meeting_request(slot=slot, by=user, languages=languages)
    assert Meeting.objects.count() == 0


def test_mismatch_flagged_only_when_both_sides_said_and_share_none(edition):
    exhibitor, _staff = exhibitor_with_staff(edition, languages="zh,ja")
    apart = MeetingFactory(slot__exhibitor=exhibitor, languages="en,ru")
    shared = MeetingFactory(slot__exhibitor=exhibitor, languages="en,ja")
    assert (apart.language_mismatch, apart.shared_languages) == (True, [])
    assert (shared.language_mismatch, shared.shared_languages) == (False, ["ja"])
    unknown = MeetingFactory(slot__exhibitor__languages="", languages="en")
    assert unknown.language_mismatch is False


def test_both_sides_see_the_mismatch_and_may_ask_for_an_interpreter(client, edition):
    exhibitor, staff = exhibitor_with_staff(edition, languages="zh")
    meeting = MeetingFactory(slot__exhibitor=exhibitor, languages="en")
    for person in (meeting.requester, staff):
        client.force_login(person)
        page = client.get(meeting.get_absolute_url()).content.decode()
        assert "The two sides share no language." in page
        assert "Ask for an interpreter" in page
    client.post(reverse("exhibitions:meeting_action", args=[meeting.pk, "interpreter"]))
    meeting.refresh_from_db()
    assert meeting.interpreter_requested is True
    page = client.get("/zh-hans" + meeting.get_absolute_url()).content.decode()
    assert "双方没有共同语言" in page
    assert "已申请，等待主办方安排" in page


def test_interpreter_request_refused_to_others_and_twice(client, edition):
    meeting = MeetingFactory()
    with pytest.raises(PermissionDenied):
        services.meeting_interpreter_request(meeting=meeting, by=UserFactory())
    services.meeting_interpreter_request(meeting=meeting, by=meeting.requester)
    with pytest.raises(ValidationError):
        services.meeting_interpreter_request(meeting=meeting, by=meeting.requester)
    client.force_login(UserFactory())
    url = reverse("exhibitions:meeting_action", args=[meeting.pk, "interpreter"])
    assert client.post(url).status_code == 404


def test_request_form_offers_language_choices_and_refuses_bad_input(client, user, edition):
    slot = SlotFactory(exhibitor__edition=edition)
    client.force_login(user)
    url = reverse("exhibitions:meeting_request", args=[slot.exhibitor.pk, slot.pk])
    page = client.get(url).content.decode()
    assert 'type="checkbox" name="languages" value="zh"' in page
    response = client.post(url, {"languages": ["tlh"]})
    assert response.status_code == 200
    assert Meeting.objects.count() == 0
    client.post(url, {"languages": ["en", "ru"], "interpreter_requested": "on"})
    meeting = Meeting.objects.get()
    assert (meeting.languages, meeting.interpreter_requested) == ("en,ru", True)


def test_exhibitor_sets_its_staff_languages(client, edition):
    exhibitor, staff = exhibitor_with_staff(edition, role="admin")
    client.force_login(staff)
    url = reverse("exhibitions:exhibitor_edit", args=[exhibitor.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, "") and k != "fields"}
    data.update(languages=["zh", "de"], description_en="Lasers")
    data.pop("logo", None), data.pop("banner", None)
    client.post(url, data)
    exhibitor.refresh_from_db()
    assert exhibitor.languages == "zh,de"


# --- Interpreters ---------------------------------------------------------------------------


def _live(edition, start, languages="en", exhibitor_languages="zh"):
    slot = SlotFactory(exhibitor__edition=edition, starts_at=start)
    slot.exhibitor.languages = exhibitor_languages
    slot.exhibitor.save()
    return MeetingFactory(slot=slot, languages=languages, state="accepted", hold_until=None)


def test_interpreter_assigned_once_per_time(organiser, edition):
    interpreter = Interpreter.objects.create(name="Anna", languages="en,zh")
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=30)
    first = _live(edition, start)
    overlapping = _live(edition, start + datetime.timedelta(minutes=15))
    after = _live(edition, start + datetime.timedelta(minutes=60))
    services.interpreter_assign(meeting=first, interpreter=interpreter, by=organiser)
    with pytest.raises(ValidationError, match="interprets another meeting"):
        services.interpreter_assign(meeting=overlapping, interpreter=interpreter, by=organiser)
    services.interpreter_assign(meeting=after, interpreter=interpreter, by=organiser)
    assert list(interpreter.meetings.order_by("starts_at")) == [first, after]
    # A meeting called off frees the interpreter's time.
    Meeting.objects.filter(pk=first.pk).update(state=Meeting.State.CANCELLED)
    services.interpreter_assign(meeting=overlapping, interpreter=interpreter, by=organiser)


def test_interpreter_assign_refusals(organiser, user, edition):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=31)
    meeting = _live(edition, start)
    french = Interpreter.objects.create(name="Luc", languages="fr,zh")
    away = Interpreter.objects.create(name="Mia", languages="en,zh", is_active=False)
    with pytest.raises(PermissionDenied):
        services.interpreter_assign(meeting=meeting, interpreter=french, by=user)
    with pytest.raises(ValidationError, match="no language of one side"):
        services.interpreter_assign(meeting=meeting, interpreter=french, by=organiser)
    with pytest.raises(ValidationError, match="takes no assignments"):
        services.interpreter_assign(meeting=meeting, interpreter=away, by=organiser)
    meeting.refresh_from_db()
    assert meeting.interpreter is None


def test_admin_assigns_interpreter_and_shows_mismatch(client, organiser, edition):
    interpreter = Interpreter.objects.create(name="Anna", languages="en,zh")
    meeting = _live(edition, timezone.now().replace(microsecond=0) + datetime.timedelta(days=32))
    sign_in_with_second_factor(client, organiser)
    changelist = reverse("admin:exhibitions_meeting_changelist")
    response = client.get(changelist)
    assert response.status_code == 200
    response = client.post(
        changelist,
        {
            "action": "assign_interpreter",
            "_selected_action": [meeting.pk],
            "apply": "1",
            "interpreter": interpreter.pk,
        },
        follow=True,
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.interpreter == interpreter
    page = client.get(reverse("admin:exhibitions_interpreter_change", args=[interpreter.pk]))
    assert meeting.slot.exhibitor.organisation.name_en in page.content.decode()
    assert client.get(reverse("admin:exhibitions_interpreter_changelist")).status_code == 200
    add = client.post(
        reverse("admin:exhibitions_interpreter_add"),
        {
            "name": "Ben",
            "language_choice": ["en", "ko"],
            "preferred_language": "zh",
            "is_active": "on",
        },
    )
    assert add.status_code == 302
    ben = Interpreter.objects.get(name="Ben")
    assert (ben.languages, ben.preferred_language) == ("en,ko", "zh")


def test_meeting_changelist_queries_do_not_grow(client, organiser, edition):
    sign_in_with_second_factor(client, organiser)
    url = reverse("admin:exhibitions_meeting_changelist")
    MeetingFactory(slot__exhibitor__edition=edition)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(5):
        MeetingFactory(
            slot__exhibitor__edition=edition,
            interpreter=Interpreter.objects.create(name="X", languages="en"),
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)


# --- The lists of negotiations --------------------------------------------------------------


def test_negotiation_lists_flag_the_mismatch_to_both_sides(client, organiser, edition):
    exhibitor, staff = exhibitor_with_staff(edition, languages="zh")
    apart = MeetingFactory(slot__exhibitor=exhibitor, languages="en")
    shared = MeetingFactory(slot__exhibitor=exhibitor, languages="en,zh")
    services.interpreter_assign(
        meeting=apart,
        interpreter=Interpreter.objects.create(name="Anna Li", languages="en,zh"),
        by=organiser,
    )
    lists = reverse("exhibitions:meeting_list")
    slots = reverse("exhibitions:slot_manage", args=[exhibitor.pk])
    for person, url in ((apart.requester, lists), (staff, lists), (staff, slots)):
        client.force_login(person)
        page = client.get(url).content.decode()
        assert page.count('class="text-danger meeting-language-mismatch"') == 1, url
        assert "interpreter: Anna Li" in page
        chinese = client.get("/zh-hans" + url).content.decode()
        assert "没有共同语言" in chinese
        assert "翻译：Anna Li" in chinese
    client.force_login(shared.requester)
    page = client.get(lists).content.decode()
    assert "No shared language" not in page
    assert "Chinese" in page


def test_negotiation_lists_hidden_from_others(client, edition):
    exhibitor, _staff = exhibitor_with_staff(edition, languages="zh")
    MeetingFactory(slot__exhibitor=exhibitor, languages="en")
    client.force_login(UserFactory())
    assert (
        "No shared language" not in client.get(reverse("exhibitions:meeting_list")).content.decode()
    )
    assert client.get(reverse("exhibitions:slot_manage", args=[exhibitor.pk])).status_code == 404


@pytest.mark.parametrize("page", ["meeting_list", "slot_manage"])
def test_negotiation_lists_queries_do_not_grow(client, edition, page):
    exhibitor, staff = exhibitor_with_staff(edition, languages="zh")
    url = reverse(f"exhibitions:{page}", args=[exhibitor.pk] if page == "slot_manage" else [])
    MeetingFactory(
        slot__exhibitor=exhibitor,
        languages="en",
        interpreter=Interpreter.objects.create(name="First", languages="en,zh"),
    )
    client.force_login(staff)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(5):
        MeetingFactory(
            slot__exhibitor=exhibitor,
            languages="en",
            interpreter_requested=True,
            interpreter=Interpreter.objects.create(name=f"I{number}", languages="en,zh"),
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("meeting-language-mismatch") == 6
    assert len(many) == len(one)


def test_admin_filters_meetings_without_a_shared_language(client, organiser, edition):
    exhibitor, _staff = exhibitor_with_staff(edition, languages="zh")
    apart = MeetingFactory(slot__exhibitor=exhibitor, languages="en")
    shared = MeetingFactory(slot__exhibitor=exhibitor, languages="en,zh")
    unknown = MeetingFactory(slot__exhibitor__languages="", languages="en")
    sign_in_with_second_factor(client, organiser)
    url = reverse("admin:exhibitions_meeting_changelist")
    listed = {
        value: list(client.get(url, {"shared_language": value}).context["cl"].result_list)
        for value in ("no", "yes")
    }
    assert listed["no"] == [apart]
    assert sorted(listed["yes"], key=lambda m: m.pk) == [shared, unknown]
