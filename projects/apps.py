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
                urls=(("projects/", "projects.urls"),),
                menu_label=_("Project Cooperation"),
                rate_limits=(
                    ("projects:intention_create", "20/h/user,100/h/ip"),
                    ("projects:recommendation_submit", "20/h/user,100/h/ip"),
                    ("projects:intention_report", "20/h/user,100/h/ip"),
                    ("projects:project_create", "20/h/user,100/h/ip"),
                ),
                sitemaps="projects.sitemaps.SITEMAPS",
                api="projects.api.router",
                api_scopes=(("projects:read", _("Read my delegations' intentions and demands")),),
                order=30,
                count="projects.selectors.project_count",
                count_label=_("projects seeking partners"),
                seed_demo="projects.synthetic.demo.seed",
                figures="projects.figures.edition_figures",
                participants="projects.figures.participating_organisation_ids",
                generate="projects.synthetic.edition.generate",
                user_links=((_("My projects and intentions"), "projects:my_projects"),),
                personal_data="projects.privacy.personal_data",
                erase_personal_data="projects.privacy.erase_personal_data",
                consent_withdrawals=(
                    ("agreement_publication", "projects.privacy.withdraw_publication_consent"),
                ),
                dashboard_template="projects/includes/dashboard_panel.html",
                organisation_template="projects/includes/organisation_panel.html",
                delegation_template="projects/includes/delegation_panel.html",
                image="img/areas/projects.svg",
            )
        )
