from ciep.sitemaps import PortalSitemap

from .models import Article


class ArticleSitemap(PortalSitemap):
    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"news": ArticleSitemap}
