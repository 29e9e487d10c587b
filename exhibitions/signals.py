"""Keep booths consistent when what holds them is deleted elsewhere.

A booth's state and its holder are checked together by a database constraint, and Django's
``SET_NULL`` clears the holder in one UPDATE and cannot change the state in the same one, so
deleting an exhibitor, an organisation or an edition holding booths would break the constraint.
Before such a delete, the booths are freed in one statement each. Receivers, because the core
(which deletes organisations and delegations) must not import this app.
"""

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from ciep.audit import audited_update
from ciep.models import Delegation

from .models import Booth, Exhibitor


@receiver(pre_delete, sender=Exhibitor, dispatch_uid="exhibitions_free_exhibitor_booth")
def free_exhibitor_booth(sender, instance, **kwargs):
    audited_update(
        Booth.objects.filter(exhibitor=instance),
        exhibitor=None,
        state=Booth.State.AVAILABLE,
        updated_at=timezone.now(),
    )


@receiver(pre_delete, sender=Delegation, dispatch_uid="exhibitions_free_delegation_pavilions")
def free_delegation_pavilions(sender, instance, **kwargs):
    audited_update(
        Booth.objects.filter(delegation=instance),
        delegation=None,
        state=Booth.State.AVAILABLE,
        updated_at=timezone.now(),
    )
