from django.contrib.auth.models import AnonymousUser

from ciep.sitemaps import PortalSitemap

from .models import Competition
from .selectors import projects_visible_to


class ProjectSitemap(PortalSitemap):
    def items(self):
        return projects_visible_to(AnonymousUser()).order_by("pk")


class CompetitionSitemap(PortalSitemap):
    def items(self):
        return Competition.objects.order_by("pk")


SITEMAPS = {"projects": ProjectSitemap, "competitions": CompetitionSitemap}
