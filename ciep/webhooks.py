"""Webhooks: an organisation's own systems told about its events, signed.

An area's service calls ``webhook_emit`` inside the transaction of its action; one
``WebhookDelivery`` row is written per subscribed webhook and handed to the task queue after
commit (``ciep.tasks.webhook_deliver``), so a rolled-back action tells nobody. Each delivery is
a POST of JSON ``{"id", "event", "created_at", "data"}`` with the headers ``X-CIEP-Event``,
``X-CIEP-Delivery`` and ``X-CIEP-Signature: t=<unix time>,v1=<hex>``, where ``v1`` is the
HMAC-SHA256 with the webhook's secret of ``"<t>.<body>"``: the receiver recomputes it, and
refuses an old ``t`` to stop replays. An answer other than 2xx, or none within
``TIMEOUT`` seconds, is retried with a delay that doubles each time, up to ``MAX_ATTEMPTS``.
An address whose host resolves to a private, loopback or otherwise non-public network is
never asked (the portal's own network is not the organisations' to probe): its delivery is
given up at once.
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
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .mail import retry_delay
from .models import Webhook, WebhookDelivery

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
TIMEOUT = 10


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


def webhook_emit(*, organisation_ids, event: str, data: dict) -> list[WebhookDelivery]:
    """Tell ``event`` to the webhooks of these organisations that chose it (after commit)."""
    from . import tasks

    deliveries = []
    ids = [pk for pk in organisation_ids if pk]
    if not ids:
        return deliveries
    for webhook in Webhook.objects.filter(organisation_id__in=ids):
        if event not in webhook.events:
            continue
        delivery = WebhookDelivery.objects.create(
            webhook=webhook,
            event=event,
            payload=json.loads(json.dumps(data, cls=DjangoJSONEncoder)),
        )
        deliveries.append(delivery)
        transaction.on_commit(partial(tasks.enqueue, tasks.webhook_deliver, delivery.pk))
    return deliveries


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
        if not resolves_to_public(delivery.webhook.url):
            delivery.state = WebhookDelivery.State.FAILED
            delivery.last_error = "The address is not on the public internet."
            delivery.save(update_fields=["state", "attempts", "last_error"])
            return None
        try:
            response = requests.post(
                delivery.webhook.url,
                data=body,
                headers=headers,
                timeout=TIMEOUT,
                allow_redirects=False,
            )
            delivery.response_status = response.status_code
            if not 200 <= response.status_code < 300:
                error = f"HTTP {response.status_code}"
        except requests.RequestException as failure:
            delivery.response_status = None
            error = f"{type(failure).__name__}: {failure}"[:2000]
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
                "last_error",
                "sent_at",
            ]
        )
    return delay


def deliveries_due() -> list[int]:
    """Queued deliveries whose next attempt is past: their task was lost."""
    late = timezone.now() - datetime.timedelta(seconds=30)
    return list(
        WebhookDelivery.objects.filter(
            state=WebhookDelivery.State.QUEUED, next_attempt_at__lt=late
        ).values_list("pk", flat=True)
    )
