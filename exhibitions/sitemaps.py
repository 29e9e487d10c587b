from ciep.sitemaps import PortalSitemap

from .models import Exhibitor, Hall


class BoothSitemap(PortalSitemap):
    def items(self):
        return Exhibitor.objects.order_by("pk")


class HallSitemap(PortalSitemap):
    def items(self):
        return Hall.objects.order_by("pk")


SITEMAPS = {"booths": BoothSitemap, "halls": HallSitemap}
