"""Writes of the JSON API sent twice run once: the ``Idempotency-Key`` header.

A client that may repeat a write (a timeout, a retry after a lost answer) sends a key of its
own choosing with it, 1 to 255 visible ASCII characters, e.g. a UUID. Keys belong to the token
that sent them: two tokens may use the same key for different requests.

- The first request with a key runs, in one transaction with the claim of the key (an
  ``IdempotencyKey`` row, unique per token and key), and its answer is kept with the claim.
- The same key with the same request (method, path with query, body) is answered with the
  kept answer again, with ``Idempotent-Replayed: true``, and runs nothing.
- The same key with a different request is a 422 naming the header: the client reused a key.
- Two requests with the same key at the same moment are decided by the database: the second
  claim waits for the first transaction, fails on the unique constraint and is then answered
  with the first answer.

An answer of 5xx (an exception) is not kept: the claim is rolled back with the write, and the
request may be sent again with the same key. Keys older than ``WINDOW`` are forgotten (and
deleted daily), after which the key is new again. A request without a token, or with an
unknown one, ignores the header: it is answered 401 by the endpoint.
"""

import datetime
import hashlib
import re

from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
WINDOW = datetime.timedelta(hours=24)
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse(
        {"detail": [{"type": "idempotency_key", "loc": ["header", HEADER], "msg": message}]},
        status=status,
    )


def fingerprint(request) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode() + b"\n")
    digest.update(request.get_full_path().encode() + b"\n")
    digest.update(request.body)
    return digest.hexdigest()


def _replay(earlier: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(
        bytes(earlier.body), status=earlier.status_code, content_type=earlier.content_type
    )
    response["Idempotent-Replayed"] = "true"
    return response


def _answer_earlier(earlier: IdempotencyKey, print_: str) -> HttpResponse:
    if earlier.fingerprint != print_:
        return _error(422, "This key was already used with a different request.")
    if earlier.status_code is None:
        return _error(409, "A request with this key is still being handled.")
    return _replay(earlier)


def idempotent(request, run):
    """Answer ``request`` (a write carrying the header) once per key: ``run()`` produces the
    answer the first time; repeats get it back."""
    from .services import token_authenticate

    key = request.headers.get(HEADER, "")
    if not _KEY.match(key):
        return _error(400, "Send 1 to 255 visible ASCII characters, such as a UUID.")
    raw = request.headers.get("Authorization", "").split(" ", 1)[-1].strip()
    token = token_authenticate(raw)
    if token is None:
        return run()
    print_ = fingerprint(request)
    IdempotencyKey.objects.filter(
        token=token, key=key, created_at__lt=timezone.now() - WINDOW
    ).delete()
    earlier = IdempotencyKey.objects.filter(token=token, key=key).first()
    if earlier is not None:
        return _answer_earlier(earlier, print_)
    try:
        with transaction.atomic():
            # Claimed first: a second request with the key waits here for this one.
            claim = IdempotencyKey.objects.create(token=token, key=key, fingerprint=print_)
            response = run()
            if response.status_code >= 500 or response.streaming:
                transaction.set_rollback(True)
                return response
            claim.status_code = response.status_code
            claim.content_type = response.get("Content-Type", "")
            claim.body = response.content
            claim.save(update_fields=["status_code", "content_type", "body"])
    except IntegrityError:
        earlier = IdempotencyKey.objects.filter(token=token, key=key).first()
        if earlier is None:
            raise
        return _answer_earlier(earlier, print_)
    return response


def idempotency_keys_purge() -> int:
    """Delete the keys older than ``WINDOW``: they would be treated as new anyway."""
    deleted, _by_model = IdempotencyKey.objects.filter(
        created_at__lt=timezone.now() - WINDOW
    ).delete()
    return deleted
