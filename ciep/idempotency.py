"""A create form sent twice creates one row: one-time form tokens.

Every create form carries a random token (``{% form_token %}`` beside ``{% csrf_token %}``).
The view, decorated with ``@once_per_token``, runs in one transaction that first claims the
token for the signed-in person (a ``FormSubmission`` row, unique per person and token); the
view names what it created with ``created(request, obj)`` and the claim keeps it with the
address of its answer. A second post with the same token (a double click, two tabs, a retry
after a timeout) is answered with a redirect to that first answer and a message, and runs
nothing. Two posts at the same moment are decided by the database: the second claim waits
for the first transaction and then fails on the unique constraint, inside a savepoint, and
is answered the same way. A post whose view saved nothing (a form error) gives its claim up
in the same transaction, so the corrected form can be sent again.

A form posted without a token, or with a token older than ``WINDOW``, is handled as before:
the token only makes repeats harmless. Claims older than ``WINDOW`` are deleted daily.
"""

import datetime
import re
import secrets
from functools import wraps

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FormSubmission

FIELD = "form_token"
WINDOW = datetime.timedelta(days=1)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_CLAIM = "_form_submission"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _earlier(user, token: str) -> FormSubmission | None:
    return FormSubmission.objects.filter(user=user, token=token).first()


def _answer_again(request, submission: FormSubmission):
    messages.info(request, _("This was already saved; nothing was added twice."))
    return redirect(submission.location)


def once_per_token(view):
    """Make a create view answer a repeated post of the same form with its first answer.

    The view calls ``created(request, obj)`` once it has saved ``obj`` and then redirects;
    everything it writes commits with the claim of the token, or not at all.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not _TOKEN.match(token) or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        earlier = _earlier(request.user, token)
        if earlier is not None:
            if earlier.created_at >= timezone.now() - WINDOW:
                return _answer_again(request, earlier)
            return view(request, *args, **kwargs)
        try:
            with transaction.atomic():
                # Claimed first: a second post of the token waits here for the first one.
                claim = FormSubmission.objects.create(user=request.user, token=token)
                setattr(request, _CLAIM, claim)
                response = view(request, *args, **kwargs)
                if claim.object_id is not None and response.status_code in (301, 302, 303):
                    claim.location = response["Location"]
                    claim.save(update_fields=["location"])
                else:
                    claim.delete()
        except IntegrityError:
            earlier = _earlier(request.user, token)
            if earlier is None:
                raise
            return _answer_again(request, earlier)
        finally:
            if hasattr(request, _CLAIM):
                delattr(request, _CLAIM)
        return response

    return wrapped


def created(request, obj) -> None:
    """Tell ``@once_per_token`` what this post created (nothing happens without a token)."""
    claim = getattr(request, _CLAIM, None)
    if claim is not None:
        claim.content_type = ContentType.objects.get_for_model(obj)
        claim.object_id = obj.pk
        claim.save(update_fields=["content_type", "object_id"])


def form_submissions_purge() -> int:
    """Delete the claims older than ``WINDOW``: their tokens are treated as unknown anyway."""
    deleted, _by_model = FormSubmission.objects.filter(
        created_at__lt=timezone.now() - WINDOW
    ).delete()
    return deleted
