"""Who may act for whom in Project Cooperation.

A person acts for an organisation as one of its members (staff or admin), for a delegation as
one of its members (the head or a representative), and for themselves as an expert. Only a
delegation's head publishes the region's demands. Organisers see everything and record
agreements, but they never confirm, decline or withdraw on a party's behalf.
"""

from ciep.permissions import is_organiser

SUBMITTER = "submitter"
COUNTERPART = "counterpart"


def acts_for_organisation(user, organisation) -> bool:
    if not user.is_authenticated or organisation is None:
        return False
    return organisation.memberships.filter(user=user).exists()


def acts_for_delegation(user, delegation) -> bool:
    if not user.is_authenticated or delegation is None:
        return False
    return delegation.members.filter(user=user).exists()


def heads_delegation(user, delegation) -> bool:
    if not user.is_authenticated or delegation is None:
        return False
    return delegation.members.filter(user=user, role="head").exists()


def can_edit_project(user, project) -> bool:
    """The owner edits a project: its organisation's members, its delegation's head, or the
    expert who published it."""
    if not user.is_authenticated:
        return False
    if project.organisation_id:
        return acts_for_organisation(user, project.organisation)
    if project.delegation_id:
        return heads_delegation(user, project.delegation)
    return project.expert_id == user.pk


def intention_sides(user, intention) -> set[str]:
    """The sides of ``intention`` for which ``user`` acts (possibly none, possibly both)."""
    sides = set()
    if not user.is_authenticated:
        return sides
    if acts_for_delegation(user, intention.delegation) or acts_for_organisation(
        user, intention.organisation
    ):
        sides.add(SUBMITTER)
    if (
        acts_for_organisation(user, intention.counterpart_organisation)
        or acts_for_delegation(user, intention.counterpart_delegation)
        or (intention.counterpart_expert_id and intention.counterpart_expert_id == user.pk)
    ):
        sides.add(COUNTERPART)
    return sides


def can_see_intention(user, intention) -> bool:
    return bool(intention_sides(user, intention)) or is_organiser(user)
