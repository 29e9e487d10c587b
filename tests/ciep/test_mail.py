"""The outbox: mail kept with its action, delivered after commit, retried while the server fails."""

import datetime
import socket
import threading
import time
from io import StringIO

import pytest
from django.core import mail as django_mail
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from ciep import mail, tasks
from ciep.models import OutgoingMail
from forums.models import Registration
from recruitment import services as recruitment_services
from tests.factories import FieldFactory, UserFactory
from tests.forums.factories import SessionFactory
from tests.recruitment.factories import JobPostingFactory, SavedSearchFactory

pytestmark = pytest.mark.django_db

SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def refusing_mail_server(settings):
    """A mail server that refuses connections: a port with nobody listening."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = SMTP, "127.0.0.1", port
    return port


@pytest.fixture
def silent_mail_server(settings):
    """A mail server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    settings.EMAIL_BACKEND, settings.EMAIL_HOST = SMTP, "127.0.0.1"
    settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = server.getsockname()[1], 1
    yield server
    server.close()


def register(client, user):
    session = SessionFactory(capacity=5)
    client.force_login(user)
    return client.post(
        reverse("forums:session_register", args=[session.pk]), {"attendance": "on_site"}
    )


def test_mail_is_queued_with_its_action_and_dropped_with_a_rollback(user):
    with pytest.raises(RuntimeError), transaction.atomic():
        mail.send_mail_to(user, "forums/email/registration_confirmed", {"registration": None})
        raise RuntimeError
    assert OutgoingMail.objects.count() == 0
    assert django_mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_registration_with_mail_server_down_is_saved_and_its_mail_sent_later(
    client, user, settings, refusing_mail_server
):
    settings.TASK_RETRY_DELAY = 0
    response = register(client, user)
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == registration.get_absolute_url()
    queued = OutgoingMail.objects.get()
    assert (queued.to, queued.state, queued.attempts) == (user.email, "queued", 1)
    assert queued.last_error.startswith("ConnectionRefusedError")
    assert django_mail.outbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = StringIO()
    call_command("send_queued_mail", stdout=out)
    assert out.getvalue().strip() == "1 mail(s) due, 1 settled."
    assert [message.to for message in django_mail.outbox] == [[user.email]]
    queued.refresh_from_db()
    assert (queued.state, queued.attempts, queued.last_error) == ("sent", 2, "")


@pytest.mark.django_db(transaction=True)
def test_mail_server_that_never_answers_holds_a_request_for_the_mail_timeout_only(
    client, user, silent_mail_server
):
    started = time.monotonic()
    response = register(client, user)
    assert response.status_code == 302
    assert time.monotonic() - started < 5
    assert OutgoingMail.objects.get().last_error.startswith(("TimeoutError", "SMTPServer"))


def test_delivery_is_idempotent(user):
    mail.send_mail_to(user, "forums/email/registration_confirmed", {"registration": None})
    assert len(django_mail.outbox) == 1
    queued = OutgoingMail.objects.get()
    assert mail.mail_deliver(mail_id=queued.pk) is None
    tasks.mail_deliver(queued.pk)
    assert len(django_mail.outbox) == 1


def test_failures_back_off_then_give_up_until_an_organiser_retries(settings, user):
    settings.EMAIL_BACKEND, settings.EMAIL_PORT = SMTP, 1
    settings.TASK_RETRY_DELAY = 10
    queued = OutgoingMail.objects.create(to=user.email, from_email="x@y.z", subject="s", body="b")
    delays = []
    for _ in range(mail.MAX_ATTEMPTS):
        OutgoingMail.objects.filter(pk=queued.pk).update(next_attempt_at=timezone.now())
        delays.append(mail.mail_deliver(mail_id=queued.pk))
    assert delays[:4] == [10, 20, 40, 80]
    assert delays[-2:] == [mail.MAX_DELAY, None]
    queued.refresh_from_db()
    assert (queued.state, queued.attempts) == ("failed", mail.MAX_ATTEMPTS)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert mail.mail_retry(mails=[queued]) == 1
    assert [message.subject for message in django_mail.outbox] == ["s"]
    queued.refresh_from_db()
    assert (queued.state, queued.attempts) == ("sent", 1)


def test_mail_not_yet_due_is_left_for_its_retry(user):
    queued = OutgoingMail.objects.create(
        to=user.email,
        from_email="x@y.z",
        subject="s",
        body="b",
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=5),
    )
    assert mail.mail_deliver(mail_id=queued.pk) is None
    assert django_mail.outbox == []
    assert OutgoingMail.objects.get().attempts == 0


def test_sweep_queues_only_mail_whose_task_was_lost(user):
    now = timezone.now()
    lost = OutgoingMail.objects.create(
        to="lost@example.org", from_email="x@y.z", subject="lost", body="b"
    )
    OutgoingMail.objects.filter(pk=lost.pk).update(next_attempt_at=now - mail.SWEEP_GRACE * 2)
    OutgoingMail.objects.create(to="new@example.org", from_email="x@y.z", subject="new", body="b")
    assert tasks.mail_sweep() == 1
    assert [message.subject for message in django_mail.outbox] == ["lost"]


def test_broker_down_loses_no_mail(user, monkeypatch):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.mail_deliver, "apply_async", broker_down)
    mail.send_mail_to(user, "forums/email/registration_confirmed", {"registration": None})
    assert django_mail.outbox == []
    assert OutgoingMail.objects.get().state == "queued"


def test_sent_mail_is_purged_after_its_keeping_days(settings):
    settings.MAIL_KEEP_DAYS = 7
    old = timezone.now() - datetime.timedelta(days=8)
    kept = {"from_email": "x@y.z", "subject": "s", "body": "b"}
    OutgoingMail.objects.create(to="old@example.org", state="sent", sent_at=old, **kept)
    OutgoingMail.objects.create(to="new@example.org", state="sent", sent_at=timezone.now(), **kept)
    OutgoingMail.objects.create(to="queued@example.org", **kept)
    assert tasks.mail_purge() == 1
    assert sorted(OutgoingMail.objects.values_list("to", flat=True)) == [
        "new@example.org",
        "queued@example.org",
    ]


def test_outgoing_mail_does_not_refresh_the_page_cache(user):
    from ciep.caching import versions

    before = versions(["ciep", "forums"])
    OutgoingMail.objects.create(to=user.email, from_email="x@y.z", subject="s", body="b")
    assert versions(["ciep", "forums"]) == before


@pytest.mark.django_db(transaction=True)
def test_signup_mail_goes_through_the_outbox(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "name": "Li Wei",
            "came_as": "visitor",
            "preferred_language": "zh",
            "password1": "a-long-pass-2022",
            "password2": "a-long-pass-2022",
        },
    )
    assert response.status_code == 302
    assert list(OutgoingMail.objects.values_list("to", "state")) == [("new@example.org", "sent")]
    assert [message.to for message in django_mail.outbox] == [["new@example.org"]]
    # In the person's language.
    assert django_mail.outbox[0].subject == "[中国国际人才交流大会] 请确认您的Email地址"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_job_alerts_run_twice_at_once_send_each_user_one_mail(edition):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks and concurrent transactions need PostgreSQL.")
    field = FieldFactory()
    users = [UserFactory() for _ in range(8)]
    for user in users:
        search = SavedSearchFactory(user=user, query=f"field={field.pk}")
        search.created_at = timezone.now() - datetime.timedelta(days=1)
        search.save()
    JobPostingFactory(field=field)
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            recruitment_services.job_alerts_send()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(OutgoingMail.objects.values_list("to", flat=True)) == sorted(
        user.email for user in users
    )
