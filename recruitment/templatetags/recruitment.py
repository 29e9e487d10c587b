"""Recruitment's data for the pages of other apps: the dashboard, organisations, delegations."""

from django import template

from .. import selectors
from ..models import TalentDemand

register = template.Library()


@register.simple_tag
def recruitment_dashboard(user) -> dict:
    return selectors.dashboard_summary(user)


@register.simple_tag
def organisation_jobs(organisation, limit: int = 10) -> list:
    return list(selectors.employer_postings(organisation).prefetch_related(None)[:limit])


@register.simple_tag
def delegation_demands(delegation, limit: int = 10) -> list:
    return list(
        TalentDemand.objects.open()
        .filter(delegation=delegation)
        .select_related("field")
        .order_by("-created_at", "-id")[:limit]
    )
