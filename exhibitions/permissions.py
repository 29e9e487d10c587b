"""Who may do what in the exhibition hall. Rights follow from memberships."""

from ciep.permissions import (
    can_manage_delegation,
    can_manage_organisation,
    heads_delegation,
    is_organisation_member,
    is_organiser,
)


def can_apply_for(user, *, organisation=None, delegation=None) -> bool:
    """An organisation's admins apply for it; a delegation's head applies for its pavilion."""
    if organisation is not None:
        return can_manage_organisation(user, organisation)
    if delegation is not None:
        return heads_delegation(user, delegation)
    return False


def is_exhibitor_staff(user, exhibitor) -> bool:
    """Every member (admin or staff) of the exhibiting organisation edits its virtual booth."""
    return is_organisation_member(user, exhibitor.organisation)


def can_place_in_pavilion(user, booth) -> bool:
    """The head of the delegation that holds a pavilion places its organisations in it."""
    if booth.delegation_id is None:
        return False
    return can_manage_delegation(user, booth.delegation)


__all__ = ["can_apply_for", "can_place_in_pavilion", "is_exhibitor_staff", "is_organiser"]
