"""Data for the panels that Project Cooperation adds to other pages (a few queries each)."""

from django import template
from django.db.models import Q

from ciep.permissions import is_organiser

from .. import selectors
from ..models import Intention, Project
from ..permissions import is_delegation_member

register = template.Library()


@register.simple_tag
def projects_dashboard(user) -> dict:
    """Counts for "My CIEP": the user's projects and intentions waiting for their answer."""
    waiting = (
        Intention.objects.filter(state=Intention.State.SUBMITTED)
        .filter(
            Q(counterpart_organisation__memberships__user=user)
            | Q(counterpart_delegation__members__user=user)
            | Q(counterpart_expert=user)
        )
        .values("pk")
        .distinct()
        .count()
    )
    return {"projects": Project.objects.owned_by(user).count(), "waiting": waiting}


@register.simple_tag
def organisation_projects(organisation):
    return list(Project.objects.published().filter(organisation=organisation)[:10])


@register.simple_tag
def delegation_cooperation(delegation, user) -> dict:
    counts = selectors.delegation_public_counts(delegation)
    return {
        **counts,
        "demands": list(Project.objects.published().demands().filter(delegation=delegation)),
        "is_member": is_delegation_member(user, delegation) or is_organiser(user),
    }
