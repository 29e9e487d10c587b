"""Webhooks: rows written with the event, signed POSTs after commit, retries, and the page."""

import datetime
import hashlib
import hmac
import json
import socket

import pytest
import requests
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from ciep import services, webhooks
from ciep.models import Webhook, WebhookDelivery
from exhibitions import services as exhibition_services
from projects import services as project_services
from recruitment import services as recruitment_services
from tests.exhibitions.factories import SlotFactory, exhibitor_with_staff
from tests.factories import (
    DelegationMemberFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.recruitment.factories import (
    ApplicationFactory,
    JobPostingFactory,
    TalentProfileFactory,
)

pytestmark = pytest.mark.django_db


class Receiver:
    """The organisation's system: records what it was sent and answers ``status``."""

    def __init__(self, status=200):
        self.status, self.calls = status, []

    def __call__(self, url, data, headers, timeout, allow_redirects):
        self.calls.append({"url": url, "body": data, "headers": headers})
        if self.status is None:
            raise requests.ConnectionError("refused")
        response = requests.Response()
        response.status_code = self.status
        return response


@pytest.fixture(autouse=True)
def _no_name_lookups(monkeypatch):
    """The example hosts of these tests are not looked up (a lookup that fails is slow)."""

    def unknown(host, port, **kwargs):
        raise socket.gaierror("not looked up in tests")

    monkeypatch.setattr(webhooks.socket, "getaddrinfo", unknown)


@pytest.fixture
def receiver(monkeypatch):
    receiver = Receiver()
    monkeypatch.setattr(webhooks.requests, "post", receiver)
    monkeypatch.setattr(webhooks, "resolves_to_public", lambda url: True)
    return receiver


def commit():
    """Run what the test's transaction would run when it committed."""
    for alias in connections:
        connection = connections[alias]
        while connection.run_on_commit:
            callbacks, connection.run_on_commit = connection.run_on_commit, []
            for _savepoints, callback, _robust in callbacks:
                callback()


def hook(organisation, *events, url="https://crm.example.org/ciep"):
    admin = MembershipFactory(organisation=organisation, role="admin").user
    return services.webhook_create(
        organisation=organisation, url=url, events=list(events), by=admin
    )


def test_application_created_is_sent_signed_after_commit(receiver):
    posting = JobPostingFactory()
    webhook = hook(posting.organisation, "application.created")
    hook(posting.organisation, "meeting.requested", url="https://other.example.org/")
    application = recruitment_services.application_submit(
        posting=posting, talent=TalentProfileFactory(), cover_letter="Hello"
    )
    assert receiver.calls == []  # nothing leaves before the commit
    commit()
    [call] = receiver.calls
    assert call["url"] == "https://crm.example.org/ciep"
    body = json.loads(call["body"])
    assert body["event"] == "application.created"
    assert body["data"] == {
        "application": application.pk,
        "posting": posting.pk,
        "state": "submitted",
    }
    timestamp, signature = call["headers"]["X-CIEP-Signature"].split(",")
    expected = hmac.new(
        webhook.secret.encode(),
        f"{timestamp.removeprefix('t=')}.".encode() + call["body"],
        hashlib.sha256,
    ).hexdigest()
    assert signature == f"v1={expected}"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.response_status) == ("sent", 1, 200)


def test_state_change_meeting_and_intention_are_sent(receiver):
    application = ApplicationFactory()
    organisation = application.posting.organisation
    hook(organisation, "application.state_changed", "meeting.requested", "intention.created")
    employer = MembershipFactory(organisation=organisation, role="admin").user
    recruitment_services.application_shortlist(application=application, by=employer)

    exhibitor, _staff = exhibitor_with_staff(organisation=organisation)
    exhibition_services.meeting_request(
        slot=SlotFactory(exhibitor=exhibitor), by=UserFactory(), languages="English"
    )

    member = DelegationMemberFactory()
    project_services.intention_submit(
        by=member.user,
        edition=member.delegation.edition,
        delegation=member.delegation,
        counterpart_organisation=organisation,
        cooperation_type="joint_rd",
        description_en="A joint laboratory.",
    )
    commit()
    events = [json.loads(call["body"])["event"] for call in receiver.calls]
    assert events == ["application.state_changed", "meeting.requested", "intention.created"]
    assert json.loads(receiver.calls[0]["body"])["data"]["from_state"] == "submitted"


def test_nothing_is_written_for_an_organisation_without_webhooks(receiver):
    hook(OrganisationFactory(), "application.created")
    recruitment_services.application_submit(
        posting=JobPostingFactory(), talent=TalentProfileFactory(), cover_letter="Hello"
    )
    commit()
    assert receiver.calls == []
    assert WebhookDelivery.objects.count() == 0


@pytest.mark.parametrize("status", [500, None])
def test_failures_are_retried_with_backoff_then_given_up(receiver, settings, status):
    receiver.status = status
    settings.TASK_RETRY_DELAY = 10
    organisation = OrganisationFactory()
    hook(organisation, "application.created")
    [delivery] = webhooks.webhook_emit(
        organisation_ids=[organisation.pk], event="application.created", data={"application": 1}
    )
    delays = []
    for _ in range(webhooks.MAX_ATTEMPTS):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        delays.append(webhooks.webhook_deliver(delivery_id=delivery.pk))
    assert delays[:3] == [10, 20, 40]
    assert delays[-1] is None
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.FAILED
    assert delivery.attempts == webhooks.MAX_ATTEMPTS
    assert delivery.last_error
    # Given up: no further attempt.
    assert webhooks.webhook_deliver(delivery_id=delivery.pk) is None
    assert len(receiver.calls) == webhooks.MAX_ATTEMPTS


def test_sweep_finds_deliveries_whose_task_was_lost(receiver):
    organisation = OrganisationFactory()
    hook(organisation, "application.created")
    [delivery] = webhooks.webhook_emit(
        organisation_ids=[organisation.pk], event="application.created", data={}
    )
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(minutes=5))
    assert webhooks.deliveries_due() == [delivery.pk]


def test_webhook_create_refuses_http_and_non_admins():
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role="admin").user
    with pytest.raises(services.ValidationError):
        services.webhook_create(
            organisation=organisation,
            url="http://crm.example.org/",
            events=["application.created"],
            by=admin,
        )
    staff = MembershipFactory(organisation=organisation, role="staff").user
    with pytest.raises(services.PermissionDenied):
        services.webhook_create(
            organisation=organisation,
            url="https://crm.example.org/",
            events=["application.created"],
            by=staff,
        )
    assert Webhook.objects.count() == 0


def test_webhook_page_for_admins(client):
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role="admin").user
    client.force_login(admin)
    url = reverse("ciep:organisation_webhooks", args=[organisation.pk])
    response = client.post(
        url, {"url": "https://crm.example.org/hook", "events": ["meeting.requested"]}
    )
    assert response.status_code == 302
    webhook = Webhook.objects.get()
    assert (webhook.url, webhook.events) == ("https://crm.example.org/hook", ["meeting.requested"])
    page = client.get(url).content.decode()
    assert webhook.secret in page
    response = client.post(url, {"url": "http://crm.example.org/", "events": ["meeting.requested"]})
    assert response.status_code == 200
    assert response.context["form"].errors["url"]
    chinese = client.get(f"/zh-hans/organisations/{organisation.pk}/webhooks/")
    assert "最近的推送" in chinese.content.decode()
    client.post(reverse("ciep:webhook_delete", args=[organisation.pk, webhook.pk]))
    assert Webhook.objects.count() == 0


def test_webhook_page_of_another_organisation_is_404(client):
    organisation = OrganisationFactory()
    webhook = hook(organisation, "application.created")
    client.force_login(MembershipFactory(role="admin").user)
    assert (
        client.get(reverse("ciep:organisation_webhooks", args=[organisation.pk])).status_code == 404
    )
    staff = MembershipFactory(organisation=organisation, role="staff").user
    client.force_login(staff)
    assert (
        client.get(reverse("ciep:organisation_webhooks", args=[organisation.pk])).status_code == 404
    )
    response = client.post(reverse("ciep:webhook_delete", args=[organisation.pk, webhook.pk]))
    assert response.status_code == 404
    assert Webhook.objects.count() == 1


@pytest.mark.parametrize(
    "address, public",
    [
        ("10.0.0.5", False),
        ("127.0.0.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("93.184.216.34", True),
    ],
)
def test_only_public_addresses_are_asked(monkeypatch, address, public):
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    monkeypatch.setattr(
        webhooks.socket,
        "getaddrinfo",
        lambda host, port, proto: [(family, socket.SOCK_STREAM, proto, "", (address, port))],
    )
    assert webhooks.resolves_to_public("https://crm.example.org/hook") is public


def test_delivery_to_a_private_address_is_given_up_unasked(receiver, monkeypatch):
    organisation = OrganisationFactory()
    hook(organisation, "application.created", url="https://intranet.example.org/")
    # The name moved to a private address after the subscription was checked.
    monkeypatch.setattr(webhooks, "resolves_to_public", lambda url: False)
    [delivery] = webhooks.webhook_emit(
        organisation_ids=[organisation.pk], event="application.created", data={}
    )
    assert webhooks.webhook_deliver(delivery_id=delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.FAILED
    assert delivery.last_error == "The address is not on the public internet."
    assert receiver.calls == []
