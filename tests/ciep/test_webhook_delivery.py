"""Webhooks delivered for real: a receiver on 127.0.0.1 (allowed by WEBHOOKS_ALLOW_LOCAL, which
only tests turn on) checks the signature as the README shows; every event of the areas is
emitted by its service, after commit, and never for a rolled-back action; the attempt log and
the admin's redelivery."""

import datetime
import hashlib
import hmac
import http.server
import json
import threading
import time

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ciep import services, webhooks
from ciep.models import Webhook, WebhookAttempt, WebhookDelivery
from exhibitions import services as exhibition_services
from forums import services as forum_services
from projects import services as project_services
from recruitment import services as recruitment_services
from recruitment import tasks as recruitment_tasks
from tests.conftest import sign_in_with_second_factor
from tests.exhibitions.factories import SlotFactory, exhibitor_with_staff
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.forums.factories import SessionFactory
from tests.projects.factories import IntentionFactory
from tests.recruitment.factories import JobPostingFactory, TalentProfileFactory


def verify(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """The receiver's check, as the README shows it."""
    parts = dict(part.split("=", 1) for part in header.split(","))
    timestamp, received = int(parts["t"]), parts["v1"]
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, received)


class LocalReceiver:
    """An HTTP server on 127.0.0.1 (a free port) that records each POST and answers with the
    next of ``statuses`` (200 once they run out)."""

    def __init__(self):
        self.requests, self.statuses = [], []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                answer = json.dumps({"received": status < 300}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/ciep-hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def events(self):
        return [json.loads(request["body"])["event"] for request in self.requests]


@pytest.fixture
def local_receiver(settings):
    settings.WEBHOOKS_ALLOW_LOCAL = True
    settings.TASK_RETRY_DELAY = 10
    receiver = LocalReceiver()
    yield receiver
    receiver.close()


def subscribe(organisation, url, *events) -> Webhook:
    admin = MembershipFactory(organisation=organisation, role="admin").user
    return services.webhook_create(
        organisation=organisation, url=url, events=list(events), by=admin
    )


@pytest.mark.django_db(transaction=True)
def test_application_submitted_reaches_the_receiver_signed_after_commit(local_receiver):
    posting = JobPostingFactory()
    webhook = subscribe(posting.organisation, local_receiver.url, "application.created")
    application = recruitment_services.application_submit(
        posting=posting, talent=TalentProfileFactory(), cover_letter="Hello"
    )
    # Committed (no test transaction here): the task ran on commit and posted.
    [request] = local_receiver.requests
    assert request["headers"]["X-CIEP-Event"] == "application.created"
    assert verify(webhook.secret, request["headers"]["X-CIEP-Signature"], request["body"])
    assert not verify("whsec_other", request["headers"]["X-CIEP-Signature"], request["body"])
    assert not verify(
        webhook.secret, request["headers"]["X-CIEP-Signature"], request["body"] + b" "
    )
    body = json.loads(request["body"])
    delivery = WebhookDelivery.objects.get()
    assert body == {
        "id": delivery.pk,
        "event": "application.created",
        "created_at": delivery.created_at.isoformat(),
        "data": {"application": application.pk, "posting": posting.pk, "state": "submitted"},
    }
    assert request["headers"]["X-CIEP-Delivery"] == str(delivery.pk)
    assert (delivery.state, delivery.attempts, delivery.response_status) == ("sent", 1, 200)
    assert delivery.response_excerpt == '{"received": true}'
    assert delivery.latency_ms is not None
    [attempt] = WebhookAttempt.objects.all()
    assert (attempt.number, attempt.response_status, attempt.error) == (1, 200, "")


@pytest.mark.django_db(transaction=True)
def test_rolled_back_action_tells_nobody(local_receiver):
    posting = JobPostingFactory()
    subscribe(posting.organisation, local_receiver.url, "application.created")
    with pytest.raises(RuntimeError), transaction.atomic():
        recruitment_services.application_submit(
            posting=posting, talent=TalentProfileFactory(), cover_letter="Hello"
        )
        raise RuntimeError("the caller's transaction fails later")
    assert WebhookDelivery.objects.count() == 0
    assert local_receiver.requests == []


@pytest.mark.django_db
def test_failure_is_retried_with_backoff_and_every_attempt_logged(
    local_receiver, django_capture_on_commit_callbacks
):
    local_receiver.statuses = [503]
    organisation = OrganisationFactory()
    subscribe(organisation, local_receiver.url, "application.created")
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = webhooks.webhook_emit(
            organisation_ids=[organisation.pk],
            event="application.created",
            data={"application": 1},
        )
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.response_status) == ("queued", 1, 503)
    assert delivery.last_error == "HTTP 503"
    assert delivery.next_attempt_at > timezone.now() + datetime.timedelta(seconds=8)
    # Not due yet: a task run early sends nothing.
    assert webhooks.webhook_deliver(delivery_id=delivery.pk) is None
    assert len(local_receiver.requests) == 1
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert webhooks.webhook_deliver(delivery_id=delivery.pk) is None
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.response_status) == ("sent", 2, 200)
    assert delivery.last_error == ""
    assert [
        (attempt.number, attempt.response_status, attempt.error)
        for attempt in delivery.attempt_log.all()
    ] == [(1, 503, "HTTP 503"), (2, 200, "")]
    first, second = local_receiver.requests
    assert first["body"] == second["body"]
    assert first["headers"]["X-CIEP-Delivery"] == second["headers"]["X-CIEP-Delivery"]


@pytest.mark.django_db
def test_unreachable_receiver_is_logged_without_status(local_receiver):
    stopped = LocalReceiver()
    stopped.close()  # nothing listens on its port any more
    organisation = OrganisationFactory()
    subscribe(organisation, stopped.url, "application.created")
    [delivery] = webhooks.webhook_emit(
        organisation_ids=[organisation.pk], event="application.created", data={}
    )
    assert webhooks.webhook_deliver(delivery_id=delivery.pk) == 10
    [attempt] = delivery.attempt_log.all()
    assert attempt.response_status is None
    assert attempt.error.startswith("ConnectionError")


def emitted(deliveries=None):
    return list(
        WebhookDelivery.objects.order_by("pk").values_list("event", flat=True)
        if deliveries is None
        else [delivery.event for delivery in deliveries]
    )


ALL_EVENTS = [value for value, _label in services.WebhookEvent.choices]


@pytest.mark.django_db
def test_postings_published_and_closed_are_emitted(local_receiver):
    posting = JobPostingFactory(draft=True)
    subscribe(posting.organisation, local_receiver.url, *ALL_EVENTS)
    employer = MembershipFactory(organisation=posting.organisation, role="admin").user
    recruitment_services.job_posting_publish(posting=posting, by=employer)
    recruitment_services.job_posting_close(posting=posting, by=employer)
    recruitment_services.job_posting_extend(
        posting=posting, deadline=timezone.localdate() + datetime.timedelta(days=9), by=employer
    )
    assert emitted() == ["posting.published", "posting.closed", "posting.published"]
    data = [delivery.payload for delivery in WebhookDelivery.objects.order_by("pk")]
    assert [row["status"] for row in data] == ["published", "closed", "published"]
    assert data[0]["posting"] == posting.pk
    assert data[0]["edition"] == posting.edition.number


@pytest.mark.django_db
def test_a_posting_whose_deadline_passed_closes_and_is_announced_once(
    local_receiver, django_capture_on_commit_callbacks
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    expiring = JobPostingFactory(deadline=yesterday)
    JobPostingFactory(organisation=expiring.organisation)  # open until its deadline
    JobPostingFactory(organisation=expiring.organisation, deadline=yesterday, draft=True)
    webhook = subscribe(expiring.organisation, local_receiver.url, *ALL_EVENTS)
    with django_capture_on_commit_callbacks(execute=True):
        assert recruitment_tasks.job_postings_expire() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert recruitment_services.job_postings_expire() == 0  # the next hour's run
    expiring.refresh_from_db()
    assert expiring.status == "expired"
    assert emitted() == ["posting.closed"]
    [request] = local_receiver.requests
    assert verify(webhook.secret, request["headers"]["X-CIEP-Signature"], request["body"])
    assert json.loads(request["body"])["data"] == {
        "posting": expiring.pk,
        "edition": expiring.edition.number,
        "organisation": expiring.organisation_id,
        "status": "expired",
        "deadline": yesterday.isoformat(),
    }


def test_postings_are_closed_every_hour():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["job-postings-expire"]
    assert entry["task"] == "recruitment.tasks.job_postings_expire"
    assert entry["schedule"].minute == {1}
    assert entry["schedule"].hour == set(range(24))


@pytest.mark.django_db
def test_meetings_requested_accepted_and_cancelled_are_emitted(local_receiver):
    exhibitor, staff = exhibitor_with_staff()
    subscribe(exhibitor.organisation, local_receiver.url, *ALL_EVENTS)
    visitor = UserFactory()
    meeting = exhibition_services.meeting_request(
        slot=SlotFactory(exhibitor=exhibitor), by=visitor, languages="English"
    )
    exhibition_services.meeting_accept(meeting=meeting, by=staff)
    exhibition_services.meeting_cancel(meeting=meeting, by=visitor)
    assert emitted() == ["meeting.requested", "meeting.accepted", "meeting.cancelled"]
    assert [row.payload["state"] for row in WebhookDelivery.objects.order_by("pk")] == [
        "requested",
        "accepted",
        "cancelled",
    ]


@pytest.mark.django_db
def test_intention_moved_and_agreement_signed_are_emitted(local_receiver):
    counterpart = OrganisationFactory()
    intention = IntentionFactory(counterpart_organisation=counterpart)
    subscribe(counterpart, local_receiver.url, *ALL_EVENTS)
    admin = MembershipFactory(organisation=counterpart, role="admin").user
    project_services.intention_confirm(intention=intention, by=admin)
    project_services.intention_sign(
        intention=intention, by=admin, signed_on=timezone.localdate(), place_en="Shenzhen"
    )
    assert emitted() == ["intention.state_changed", "intention.state_changed", "agreement.signed"]
    moved, signed_move, signed = WebhookDelivery.objects.order_by("pk")
    assert (moved.payload["from_state"], moved.payload["state"]) == ("submitted", "confirmed")
    assert signed.payload["signed_on"] == timezone.localdate().isoformat()
    assert signed.payload["intention"] == intention.pk


@pytest.mark.django_db
def test_registration_confirmed_and_promoted_are_emitted(local_receiver):
    organisation = OrganisationFactory()
    session = SessionFactory(capacity=1, organising_organisation=organisation)
    subscribe(organisation, local_receiver.url, *ALL_EVENTS)
    first = forum_services.registration_create(session=session, user=UserFactory())
    second = forum_services.registration_create(session=session, user=UserFactory())
    assert second.status == "waiting"
    forum_services.registration_cancel(registration=first, by=first.user)
    assert emitted() == ["registration.confirmed", "registration.promoted"]
    confirmed, promoted = WebhookDelivery.objects.order_by("pk")
    assert confirmed.payload == {
        "registration": first.pk,
        "session": session.pk,
        "delegation": None,
        "attendance": "on_site",
        "status": "confirmed",
    }
    assert promoted.payload["registration"] == second.pk
    # Nothing personal: no name, no e-mail address.
    assert first.user.email not in json.dumps(confirmed.payload)


@pytest.mark.django_db
def test_organisers_webhook_hears_every_organisation(local_receiver, organiser):
    theirs = services.webhook_create(
        organisation=None, url=local_receiver.url, events=["meeting.requested"], by=organiser
    )
    exhibitor, _staff = exhibitor_with_staff()
    exhibition_services.meeting_request(
        slot=SlotFactory(exhibitor=exhibitor), by=UserFactory(), languages="English"
    )
    [delivery] = WebhookDelivery.objects.all()
    assert delivery.webhook == theirs
    with pytest.raises(services.PermissionDenied):
        services.webhook_create(
            organisation=None,
            url=local_receiver.url,
            events=["meeting.requested"],
            by=MembershipFactory(role="admin").user,
        )


@pytest.mark.django_db
def test_session_without_subscribers_writes_nothing(local_receiver):
    subscribe(OrganisationFactory(), local_receiver.url, *ALL_EVENTS)
    forum_services.registration_create(session=SessionFactory(), user=UserFactory())
    assert WebhookDelivery.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["http://crm.example.org/hook", "https://127.0.0.1/hook", "https://10.1.2.3/hook"],
)
def test_subscription_to_plain_http_or_private_addresses_is_refused(url):
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role="admin").user
    with pytest.raises(services.ValidationError) as error:
        services.webhook_create(
            organisation=organisation, url=url, events=["application.created"], by=admin
        )
    assert list(error.value.message_dict) == ["url"]
    assert Webhook.objects.count() == 0


@pytest.mark.django_db
def test_delivery_to_a_local_address_is_given_up_outside_tests(local_receiver, settings):
    organisation = OrganisationFactory()
    subscribe(organisation, local_receiver.url, "application.created")
    settings.WEBHOOKS_ALLOW_LOCAL = False
    [delivery] = webhooks.webhook_emit(
        organisation_ids=[organisation.pk], event="application.created", data={}
    )
    assert webhooks.webhook_deliver(delivery_id=delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.state == "failed"
    assert local_receiver.requests == []


@pytest.mark.django_db
def test_admin_redelivers_a_given_up_delivery(
    local_receiver, client, organiser, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()
    subscribe(organisation, local_receiver.url, "application.created")
    [delivery] = webhooks.webhook_emit(
        organisation_ids=[organisation.pk], event="application.created", data={"a": 1}
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(state="failed", attempts=8)
    sign_in_with_second_factor(client, organiser)
    changelist = reverse("admin:ciep_webhookdelivery_changelist")
    assert client.get(changelist).status_code == 200
    assert (
        client.get(reverse("admin:ciep_webhookdelivery_change", args=[delivery.pk])).status_code
        == 200
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist, {"action": "redeliver", "_selected_action": [delivery.pk]}, follow=True
        )
    assert response.status_code == 200
    assert "1 delivery queued again." in response.content.decode()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.response_status) == ("sent", 1, 200)
    assert len(local_receiver.requests) == 1


@pytest.mark.django_db
def test_redelivery_service_refuses_strangers(local_receiver):
    organisation = OrganisationFactory()
    subscribe(organisation, local_receiver.url, "application.created")
    [delivery] = webhooks.webhook_emit(
        organisation_ids=[organisation.pk], event="application.created", data={}
    )
    with pytest.raises(services.PermissionDenied):
        services.webhook_delivery_redeliver(
            delivery=delivery, by=MembershipFactory(role="admin").user
        )
    staff = MembershipFactory(organisation=organisation, role="staff").user
    with pytest.raises(services.PermissionDenied):
        services.webhook_delivery_redeliver(delivery=delivery, by=staff)
    admin = MembershipFactory(organisation=organisation, role="admin").user
    assert services.webhook_delivery_redeliver(delivery=delivery, by=admin).state == "queued"


@pytest.mark.django_db
def test_organisers_add_their_webhook_in_the_admin(local_receiver, client, organiser):
    sign_in_with_second_factor(client, organiser)
    add = reverse("admin:ciep_webhook_add")
    assert client.get(add).status_code == 200
    response = client.post(add, {"url": local_receiver.url, "events": ["agreement.signed"]})
    assert response.status_code == 302
    webhook = Webhook.objects.get()
    assert (webhook.organisation, webhook.events, webhook.created_by) == (
        None,
        ["agreement.signed"],
        organiser,
    )
    assert webhook.secret.startswith("whsec_")


@pytest.mark.django_db
def test_admin_refuses_a_private_address_on_its_form(client, organiser):
    sign_in_with_second_factor(client, organiser)
    response = client.post(
        reverse("admin:ciep_webhook_add"),
        {"url": "https://192.168.1.10/hook", "events": ["agreement.signed"]},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["url"] == [
        "The address must be on the public internet."
    ]
    assert Webhook.objects.count() == 0
