"""Template helpers of the exhibition hall: times in two zones and panels for other pages."""

import zoneinfo

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ciep.permissions import heads_delegation
from ciep.time_zones import zone_label

from ..models import Application, Exhibitor, Meeting, language_labels
from ..selectors import featured_exhibitors as _featured_exhibitors
from ..selectors import guest_exhibitors as _guest_exhibitors

register = template.Library()

SESSION_KEY = "exhibitions_tz"


def visitor_zone(request):
    name = request.session.get(SESSION_KEY) if request is not None else None
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


@register.simple_tag(takes_context=True)
def both_times(context, moment):
    """A time in China's zone, followed by the visitor's own zone when they chose another."""
    china = timezone.localtime(moment, timezone.get_default_timezone())
    text = format_html(
        '<time datetime="{}">{}</time> {}',
        china.isoformat(),
        formats.date_format(china, "DATETIME_FORMAT"),
        _("China time"),
    )
    zone = visitor_zone(context.get("request"))
    if zone is not None and zone.key != "Asia/Shanghai":
        local = timezone.localtime(moment, zone)
        text = format_html(
            '{} <span class="text-muted">({} {})</span>',
            text,
            formats.date_format(local, "DATETIME_FORMAT"),
            zone_label(zone.key, moment),
        )
    return text


@register.simple_tag
def exhibition_dashboard(user):
    """What "My CIEP" shows of the exhibition: applications, booths and live meetings."""
    if not user.is_authenticated:
        return {}
    return {
        "applications": list(
            Application.objects.visible_to(user)
            .select_related("edition", "organisation", "delegation")
            .order_by("-created_at")[:5]
        ),
        "exhibitors": list(
            Exhibitor.objects.staffed_by(user).select_related("edition", "organisation")[:10]
        ),
        "meetings": Meeting.objects.involving(user).active().count(),
    }


@register.simple_tag
def organisation_exhibitions(organisation):
    return list(
        Exhibitor.objects.filter(organisation=organisation)
        .select_related("edition", "booth__hall", "pavilion__hall")
        .order_by("-edition__number")
    )


@register.simple_tag
def delegation_pavilion(delegation, user=None):
    """A delegation's pavilion and the organisations in it; whether ``user`` may apply for one."""
    can_apply = (
        user is not None
        and user.is_authenticated
        and delegation.edition.status != "concluded"
        and heads_delegation(user, delegation)
        and not delegation.exhibition_applications.open().exists()
    )
    return {
        "can_apply": can_apply,
        "pavilions": list(delegation.pavilions.select_related("hall")),
        "exhibitors": list(
            delegation.exhibitors.select_related("organisation").order_by("organisation__name_en")
        ),
    }


@register.simple_tag
def featured_exhibitors(edition, limit: int = 8):
    """The exhibitors the home page shows (``exhibitions.selectors.featured_exhibitors``)."""
    return _featured_exhibitors(edition, limit=limit) if edition else []


@register.simple_tag
def guest_exhibitors(guest):
    """A guest country's exhibitors in its edition and how many there are
    (``exhibitions.selectors.guest_exhibitors``), for ``Area.guest_template``."""
    exhibitors, total = _guest_exhibitors(guest.edition, guest.country.code)
    return {"exhibitors": exhibitors, "total": total}


@register.filter
def spoken_languages(codes: str) -> str:
    """Stored language codes ("en,zh") as their names in the reader's language."""
    return language_labels(codes or "")
