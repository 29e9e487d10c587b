from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "recruitment"
    verbose_name = _("Online Recruitment")

    def ready(self):
        from ciep.areas import Area, register

        register(
            Area(
                key="recruitment",
                name=_("Online Recruitment"),
                description=_(
                    "Jobs for foreign experts and talents, and the talents who seek them."
                ),
                url_name="recruitment:job_list",
                order=20,
            )
        )
