"""Who may do what in Online Recruitment. Rights follow from memberships."""

from ciep.permissions import is_delegation_member, is_organisation_member


def can_post_for(user, organisation) -> bool:
    """An organisation's members (admins and staff) post and manage its jobs."""
    return is_organisation_member(user, organisation)


def can_manage_posting(user, posting) -> bool:
    return can_post_for(user, posting.organisation)


def can_manage_demands(user, delegation) -> bool:
    """A delegation's members (head and representatives) publish its talent demands."""
    return is_delegation_member(user, delegation)


def is_employer(user) -> bool:
    """A member of at least one verified organisation may browse visible talent profiles."""
    if not user.is_authenticated:
        return False
    return user.memberships.filter(organisation__verified_at__isnull=False).exists()
