from django.conf import settings

from .areas import all_areas
from .permissions import is_organiser


def portal(request):
    """What every page's layout needs: the portal's name and whether the user organises."""
    user = getattr(request, "user", None)
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "user_is_organiser": bool(user and is_organiser(user)),
        "portal_areas": all_areas(),
    }
