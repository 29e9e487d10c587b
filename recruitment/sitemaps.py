from ciep.sitemaps import PortalSitemap

from .models import JobPosting, TalentDemand


class JobSitemap(PortalSitemap):
    def items(self):
        return JobPosting.objects.public().order_by("pk")


class DemandSitemap(PortalSitemap):
    def items(self):
        return TalentDemand.objects.order_by("pk")


SITEMAPS = {"jobs": JobSitemap, "demands": DemandSitemap}
