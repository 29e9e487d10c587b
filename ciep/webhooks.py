"""Webhooks: an organisation's own systems told about its events, signed.

An area's service calls ``webhook_emit`` inside the transaction of its action; one
``WebhookDelivery`` row is written per subscribed webhook (the organisations' the event
concerns, and the organisers' own, which hear every organisation's events) and handed to the
task queue after commit (``ciep.tasks.webhook_deliver``), so a rolled-back action tells
nobody. Each delivery is
a POST of JSON ``{"id", "event", "created_at", "data"}`` with the headers ``X-CIEP-Event``,
``X-CIEP-Delivery`` and ``X-CIEP-Signature: t=<unix time>,v1=<hex>``, where ``v1`` is the
HMAC-SHA256 with the webhook's secret of ``"<t>.<body>"``: the receiver recomputes it, and
refuses an old ``t`` to stop replays. An answer other than 2xx, or none within
``TIMEOUT`` seconds, is retried with a delay that doubles each time, up to ``MAX_ATTEMPTS``.
An address whose host resolves to a private, loopback or otherwise non-public network is
never asked (the portal's own network is not the organisations' to probe): its delivery is
given up at once. Each attempt is logged (``WebhookAttempt``: status, latency, the beginning
of the answer); ``webhook_redeliver`` sends a delivery again from the admin.

``WEBHOOKS_ALLOW_LOCAL`` (a setting, never from the environment) lets the tests subscribe and
deliver to a receiver of their own on ``http://127.0.0.1``; everywhere else it is off.
"""

import datetime
import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
from functools import partial
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .mail import retry_delay
from .models import Webhook, WebhookAttempt, WebhookDelivery

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
TIMEOUT = 10
# Characters of an answer's body kept in the log.
EXCERPT = 500


def signature(secret: str, body: bytes, timestamp: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def resolves_to_public(url: str) -> bool:
    """Whether every address the URL's host resolves to is on the public internet."""
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, urlsplit(url).port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return True  # unknown names fail in the request itself, and are retried
    return all(ipaddress.ip_address(info[4][0].split("%")[0]).is_global for info in infos)


def local_allowed() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_LOCAL", False))


def webhook_emit(*, organisation_ids, event: str, data: dict) -> list[WebhookDelivery]:
    """Tell ``event`` to the webhooks that chose it: those of these organisations and the
    organisers' own. Called by the owning service inside its transaction: the rows are
    written with the action and queued once it commits (never, if it rolls back)."""
    from . import tasks

    deliveries = []
    ids = sorted({pk for pk in organisation_ids if pk})
    payload = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    for webhook in Webhook.objects.filter(
        Q(organisation_id__in=ids) | Q(organisation__isnull=True)
    ).order_by("pk"):
        if event not in webhook.events:
            continue
        delivery = WebhookDelivery.objects.create(webhook=webhook, event=event, payload=payload)
        deliveries.append(delivery)
        transaction.on_commit(partial(tasks.enqueue, tasks.webhook_deliver, delivery.pk))
    return deliveries


def webhook_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Queue ``delivery`` again with a fresh count of attempts, whatever its state; its body
    and its id (``X-CIEP-Delivery``, by which a receiver knows a repeat) stay the same. The
    caller has checked who may (``ciep.services.webhook_delivery_redeliver``)."""
    from . import tasks

    with transaction.atomic():
        locked = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        locked.state = WebhookDelivery.State.QUEUED
        locked.attempts = 0
        locked.next_attempt_at = timezone.now()
        locked.save(update_fields=["state", "attempts", "next_attempt_at"])
        transaction.on_commit(partial(tasks.enqueue, tasks.webhook_deliver, locked.pk))
    return locked


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(
        {
            "id": delivery.pk,
            "event": delivery.event,
            "created_at": delivery.created_at.isoformat(),
            "data": delivery.payload,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def webhook_deliver(*, delivery_id: int) -> float | None:
    """Send one queued delivery; the seconds to wait before trying again, or ``None``.

    The row stays locked while the address is asked, so two workers send it once.
    """
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("webhook")
            .filter(
                pk=delivery_id,
                state=WebhookDelivery.State.QUEUED,
                next_attempt_at__lte=now + datetime.timedelta(seconds=1),
            )
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        body = body_of(delivery)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "CIEP-Webhooks/1",
            "X-CIEP-Event": delivery.event,
            "X-CIEP-Delivery": str(delivery.pk),
            "X-CIEP-Signature": signature(delivery.webhook.secret, body, int(time.time())),
        }
        error = ""
        number = delivery.attempt_log.count() + 1
        if not local_allowed() and not resolves_to_public(delivery.webhook.url):
            delivery.state = WebhookDelivery.State.FAILED
            delivery.last_error = "The address is not on the public internet."
            delivery.save(update_fields=["state", "attempts", "last_error"])
            WebhookAttempt.objects.create(
                delivery=delivery, number=number, error=delivery.last_error
            )
            return None
        started = time.monotonic()
        try:
            response = requests.post(
                delivery.webhook.url,
                data=body,
                headers=headers,
                timeout=TIMEOUT,
                allow_redirects=False,
            )
            delivery.response_status = response.status_code
            delivery.response_excerpt = _excerpt(response)
            if not 200 <= response.status_code < 300:
                error = f"HTTP {response.status_code}"
        except requests.RequestException as failure:
            delivery.response_status = None
            delivery.response_excerpt = ""
            error = f"{type(failure).__name__}: {failure}"[:2000]
        delivery.latency_ms = round((time.monotonic() - started) * 1000)
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=number,
            response_status=delivery.response_status,
            latency_ms=delivery.latency_ms,
            response_excerpt=delivery.response_excerpt,
            error=error,
        )
        delay = None
        if not error:
            delivery.state = WebhookDelivery.State.SENT
            delivery.sent_at = timezone.now()
            delivery.last_error = ""
        else:
            delivery.last_error = error
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.state = WebhookDelivery.State.FAILED
                logger.warning("Webhook delivery %s given up: %s", delivery.pk, error)
            else:
                delay = retry_delay(delivery.attempts)
                delivery.next_attempt_at = now + datetime.timedelta(seconds=delay)
        delivery.save(
            update_fields=[
                "state",
                "attempts",
                "next_attempt_at",
                "response_status",
                "latency_ms",
                "response_excerpt",
                "last_error",
                "sent_at",
            ]
        )
    return delay


def _excerpt(response) -> str:
    """The beginning of an answer's body, as text, for the log."""
    try:
        content = response.content or b""
    except requests.RequestException:
        return ""
    return content[: EXCERPT * 4].decode("utf-8", "replace")[:EXCERPT]


def deliveries_due() -> list[int]:
    """Queued deliveries whose next attempt is past: their task was lost."""
    late = timezone.now() - datetime.timedelta(seconds=30)
    return list(
        WebhookDelivery.objects.filter(
            state=WebhookDelivery.State.QUEUED, next_attempt_at__lt=late
        ).values_list("pk", flat=True)
    )
