"""Composite reads of the conference core."""

from django.db.models import Count, Prefetch, Q

from .areas import all_areas
from .caching import page_apps, shared
from .models import (
    Delegation,
    DelegationMember,
    Edition,
    EditionChange,
    EditionGuest,
    Membership,
    Organisation,
)


def current_edition() -> Edition | None:
    """The edition the site presents now: the one marked current, else the newest.

    Nearly every page asks; it is looked up once per change of the conference core.
    """
    return shared("current-edition", _find_current_edition)


def edition_pks() -> dict[int, int]:
    """Each edition's pk by its number, for keying the pages of an edition by their address."""
    return shared("edition-pks", lambda: dict(Edition.objects.values_list("number", "pk")))


def _find_current_edition() -> Edition | None:
    editions = Edition.objects.prefetch_related(
        Prefetch("changes", queryset=EditionChange.objects.filter(show_notice=True))
    )
    return editions.filter(is_current=True).first() or editions.first()


def edition_list():
    return (
        Edition.objects.annotate(delegation_count=Count("delegations", distinct=True))
        .order_by("-number")
        .prefetch_related(
            Prefetch("changes", queryset=EditionChange.objects.filter(show_notice=True))
        )
    )


def area_summaries(edition: Edition | None) -> list[dict]:
    """Each functional area with its live headline figure for ``edition``."""
    counts = shared(
        f"area-counts:{edition.pk if edition else 0}",
        lambda: _area_counts(edition),
        *page_apps(),
        edition=edition.pk if edition else None,
    )
    return [{"area": area, "count": counts.get(area.key)} for area in all_areas()]


def _area_counts(edition: Edition | None) -> dict:
    """The areas' headline counts, computed once per change for every reader."""
    counts = {}
    for area in all_areas():
        count = area.hook("count")
        if count and edition:
            counts[area.key] = count(edition)
    return counts


def organisations_of(user):
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name_en")
    )


def delegations_of(user):
    return (
        DelegationMember.objects.filter(user=user)
        .select_related("delegation__edition")
        .order_by("-delegation__edition__number", "delegation__name_en")
    )


def organisation_members(organisation: Organisation):
    return organisation.memberships.select_related("user").order_by("role", "user__name")


def delegation_detail_queryset():
    return Delegation.objects.select_related("edition", "parent").prefetch_related(
        "documents", "children"
    )


def edition_delegations(edition: Edition):
    return (
        Delegation.objects.filter(edition=edition)
        .annotate(member_count=Count("members", filter=Q(members__role="representative")))
        .order_by("kind", "name_en")
    )


def guest_delegations(guest: EditionGuest) -> list[Delegation]:
    """The delegations the guest country sent to its edition, by name (one query)."""
    return list(
        Delegation.objects.filter(edition_id=guest.edition_id, country=guest.country).order_by(
            "name_en"
        )
    )


def consents_in_force(user) -> list:
    """The consents ``user`` has granted and not withdrawn, newest first (one query), each
    with ``can_withdraw`` when an area withdraws consents of its purpose."""
    from .areas import consent_withdrawal
    from .models import Consent

    latest = {}
    for consent in Consent.objects.filter(user=user).order_by("-created_at", "-id"):
        latest.setdefault((consent.purpose, consent.object_type, consent.object_id), consent)
    in_force = [consent for consent in latest.values() if consent.granted]
    for consent in in_force:
        consent.can_withdraw = consent_withdrawal(consent.purpose) is not None
    return in_force
