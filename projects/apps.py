from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Project Cooperation")

    def ready(self):
        from ciep.areas import Area, register

        register(
            Area(
                key="projects",
                name=_("Project Cooperation"),
                description=_(
                    "Projects seeking partners, regional demands, cooperation intentions "
                    "and signed agreements."
                ),
                url_name="projects:project_list",
                order=30,
            )
        )
