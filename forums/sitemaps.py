from ciep.sitemaps import PortalSitemap

from .models import Session, Speaker


class SessionSitemap(PortalSitemap):
    def items(self):
        return Session.objects.order_by("pk")


class SpeakerSitemap(PortalSitemap):
    def items(self):
        return Speaker.objects.order_by("pk")


SITEMAPS = {"sessions": SessionSitemap, "speakers": SpeakerSitemap}
