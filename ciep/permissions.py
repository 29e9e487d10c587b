"""Who may do what in the core. Rights follow from memberships, never from a single flag."""

from .groups import ORGANISERS as ORGANISERS_GROUP


def is_organiser(user) -> bool:
    """Organisers are staff members of the Organisers group (or superusers) who, on a request,
    signed in with their second factor (``ciep.second_factor``)."""
    if not (user.is_authenticated and user.is_staff):
        return False
    if getattr(user, "passed_second_factor", True) is False:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=ORGANISERS_GROUP).exists()


def can_manage_organisation(user, organisation) -> bool:
    """An organisation's admins manage its profile and members."""
    if not user.is_authenticated:
        return False
    return organisation.memberships.filter(user=user, role="admin").exists()


def is_organisation_member(user, organisation) -> bool:
    if not user.is_authenticated:
        return False
    return organisation.memberships.filter(user=user).exists()


def can_manage_delegation(user, delegation) -> bool:
    """A delegation's head manages its members and policies; organisers may too."""
    if not user.is_authenticated:
        return False
    return is_organiser(user) or delegation.members.filter(user=user, role="head").exists()


def is_delegation_member(user, delegation) -> bool:
    if not user.is_authenticated:
        return False
    return delegation.members.filter(user=user).exists()
