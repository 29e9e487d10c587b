"""The exhibition hall's part of cloning an edition (``ciep.services.edition_clone``)."""

from ciep.caching import rows_changed
from ciep.cloning import copied
from ciep.models import Edition

from .models import Booth, Hall


def clone_setup(*, source: Edition, target: Edition) -> None:
    """Copies the halls of ``source`` with their booth layout into ``target``: every booth
    available again, with no exhibitor or pavilion."""
    for hall in Hall.objects.filter(edition=source).order_by("order", "code"):
        new_hall = copied(hall, edition=target)
        new_hall.save()
        booths = [
            copied(
                booth, hall=new_hall, state=Booth.State.AVAILABLE, exhibitor=None, delegation=None
            )
            for booth in hall.booths.order_by("code")
        ]
        Booth.objects.bulk_create(booths)
        rows_changed(Booth.objects.filter(hall=new_hall))
