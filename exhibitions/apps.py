from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExhibitionsConfig(AppConfig):
    name = "exhibitions"
    verbose_name = _("Virtual Exhibition Hall")

    def ready(self):
        from ciep.areas import Area, register

        register(
            Area(
                key="exhibitions",
                name=_("Virtual Exhibition Hall"),
                description=_(
                    "Exhibitors from around the world in halls and pavilions, "
                    "and negotiations with them."
                ),
                url_name="exhibitions:catalogue",
                order=10,
            )
        )
