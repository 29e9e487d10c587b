"""Admin actions that move rows along by calling their service, one row at a time.

The back office changes a state only through the service that owns the transition (which
checks the caller and refuses illegal moves); the state fields themselves are read-only in the
change forms. A refusal is shown beside the row's name; the rows that moved are counted.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError


def run_service(request, queryset, service, done, *, argument: str, **kwargs) -> int:
    """Call ``service(by=request.user, <argument>=row, **kwargs)`` for each row of
    ``queryset``; ``done`` (with ``%(count)d``) reports how many succeeded."""
    count = 0
    for obj in queryset:
        try:
            service(by=request.user, **{argument: obj}, **kwargs)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, f"{obj}: {' '.join(getattr(error, 'messages', [str(error)]))}")
        else:
            count += 1
    if count:
        messages.success(request, done % {"count": count})
    return count
