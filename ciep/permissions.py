"""Who may do what in the core. Rights follow from memberships, never from a single flag.

Each rule is stated once, here, and every view, service, template tag and admin of every app
asks it: an organisation's admin (``can_manage_organisation``; ``is_organisation_admin`` for a
membership in hand) and member (``is_organisation_member``), a delegation's head
(``heads_delegation``; ``is_delegation_head`` for a membership in hand) and member
(``is_delegation_member``), an organiser (``is_organiser``). Querysets that list what a user
may act on say the same in their own terms (``Organisation.objects.managed_by``,
``Delegation.objects.headed_by``).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

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


def is_organisation_admin(membership) -> bool:
    """A membership with the admin role makes its person an admin of the organisation. The
    rule itself, for a membership in hand (a person's list of organisations)."""
    return membership is not None and membership.role == "admin"


def can_manage_organisation(user, organisation) -> bool:
    """An organisation's admins manage its profile, members and applications."""
    if not user.is_authenticated or organisation is None:
        return False
    return is_organisation_admin(organisation.memberships.filter(user=user).first())


def is_organisation_member(user, organisation) -> bool:
    """Every member (admin or staff) acts for the organisation."""
    if not user.is_authenticated or organisation is None:
        return False
    return organisation.memberships.filter(user=user).exists()


def is_delegation_head(member) -> bool:
    """A delegation member with the head role heads the delegation. The rule itself, for a
    membership in hand (a person's list of delegations, a delegation's members)."""
    return member is not None and member.role == "head"


def heads_delegation(user, delegation) -> bool:
    """A delegation's head speaks for it: applies for its pavilion, publishes its demands."""
    if not user.is_authenticated or delegation is None:
        return False
    return is_delegation_head(delegation.members.filter(user=user).first())


def can_manage_delegation(user, delegation) -> bool:
    """A delegation's head manages its members and policies; organisers may too."""
    if not user.is_authenticated:
        return False
    return is_organiser(user) or heads_delegation(user, delegation)


def is_delegation_member(user, delegation) -> bool:
    """Every member (the head and the representatives) acts for the delegation."""
    if not user.is_authenticated or delegation is None:
        return False
    return delegation.members.filter(user=user).exists()


def require_organiser(user) -> None:
    """Refuse (``PermissionDenied``) anyone but an organiser: the first line of every service
    that only organisers may call, whichever way it is reached (admin, view, API, task)."""
    if not is_organiser(user):
        raise PermissionDenied(_("Only the conference organisers may do this."))
