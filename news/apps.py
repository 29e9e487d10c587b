from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News and press centre")

    def ready(self):
        from ciep.areas import Area, register

        register(
            Area(
                key="news",
                name=_("News and press"),
                description=_("News, press releases and announcements of the conference."),
                url_name="news:article_list",
                urls=(
                    ("news/", "news.urls"),
                    ("press/", "news.urls_press"),
                    ("editions/", "news.urls_editions"),
                ),
                menu_label=_("News"),
                card=False,
                sitemaps="news.sitemaps.SITEMAPS",
                api="news.api.router",
                order=50,
                figures="news.figures.edition_figures",
                generate="news.synthetic.edition.generate",
                seed_demo="news.synthetic.demo.seed",
                home_template="news/includes/latest.html",
                edition_template="news/includes/latest.html",
                guest_template="news/includes/guest.html",
                user_links=((_("Press centre"), "press:centre"),),
            )
        )
