"""Who may act for whom in Project Cooperation.

A person acts for an organisation as one of its members (staff or admin), for a delegation as
one of its members (the head or a representative), and for themselves as an expert. Only a
delegation's head publishes the region's demands. Organisers see everything and record
agreements, but they never confirm, decline or withdraw on a party's behalf.
"""

from ciep.permissions import (
    heads_delegation,
    is_delegation_member,
    is_organisation_member,
    is_organiser,
)

SUBMITTER = "submitter"
COUNTERPART = "counterpart"


def can_edit_project(user, project) -> bool:
    """The owner edits a project: its organisation's members, its delegation's head, or the
    expert who published it."""
    if not user.is_authenticated:
        return False
    if project.organisation_id:
        return is_organisation_member(user, project.organisation)
    if project.delegation_id:
        return heads_delegation(user, project.delegation)
    return project.expert_id == user.pk


def intention_sides(user, intention) -> set[str]:
    """The sides of ``intention`` for which ``user`` acts (possibly none, possibly both)."""
    sides = set()
    if not user.is_authenticated:
        return sides
    if is_delegation_member(user, intention.delegation) or is_organisation_member(
        user, intention.organisation
    ):
        sides.add(SUBMITTER)
    if (
        is_organisation_member(user, intention.counterpart_organisation)
        or is_delegation_member(user, intention.counterpart_delegation)
        or (intention.counterpart_expert_id and intention.counterpart_expert_id == user.pk)
    ):
        sides.add(COUNTERPART)
    return sides


def can_see_intention(user, intention) -> bool:
    return bool(intention_sides(user, intention)) or is_organiser(user)
