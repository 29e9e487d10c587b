"""The forum's part of cloning an edition (``ciep.services.edition_clone``)."""

from ciep.cloning import copied
from ciep.models import Edition

from .models import Section, Venue


def clone_setup(*, source: Edition, target: Edition) -> None:
    """Copies the sections and venues of ``source`` into ``target`` (no session: the
    programme is made anew)."""
    for section in Section.objects.filter(edition=source).order_by("order", "id"):
        copied(section, edition=target).save()
    for venue in Venue.objects.filter(edition=source).order_by("order", "id"):
        copied(venue, edition=target).save()
