from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExhibitionsConfig(AppConfig):
    name = "exhibitions"
    verbose_name = _("Virtual Exhibition Hall")

    def ready(self):
        from ciep.areas import Area, register

        from . import signals  # noqa: F401

        register(
            Area(
                key="exhibitions",
                name=_("Virtual Exhibition Hall"),
                description=_(
                    "Exhibitors from around the world in halls and pavilions, "
                    "and negotiations with them."
                ),
                url_name="exhibitions:catalogue",
                urls=(("exhibition/", "exhibitions.urls"),),
                menu_label=_("Exhibition Hall"),
                rate_limits=(
                    ("exhibitions:meeting_request", "10/h/user,60/h/ip"),
                    ("exhibitions:application_create", "10/h/user,50/h/ip"),
                    ("exhibitions:pavilion_application_create", "10/h/user,50/h/ip"),
                    ("exhibitions:exhibitor_content_add", "60/h/user,200/h/ip"),
                    ("exhibitions:slot_manage", "60/h/user,200/h/ip"),
                ),
                sitemaps="exhibitions.sitemaps.SITEMAPS",
                api="exhibitions.api.router",
                api_scopes=(("exhibitions:read", _("Read my negotiation meetings")),),
                order=10,
                count="exhibitions.selectors.exhibitor_count",
                count_label=_("exhibitors"),
                seed_demo="exhibitions.synthetic.demo.seed",
                figures="exhibitions.figures.edition_figures",
                generate="exhibitions.synthetic.edition.generate",
                clone_edition="exhibitions.editions.clone_setup",
                participants="exhibitions.figures.participating_organisation_ids",
                agenda_items="exhibitions.selectors.agenda_entries",
                people_concerned="exhibitions.selectors.people_concerned",
                user_links=(
                    (_("My exhibition applications"), "exhibitions:application_list"),
                    (_("My negotiations"), "exhibitions:meeting_list"),
                ),
                personal_data="exhibitions.privacy.personal_data",
                erase_personal_data="exhibitions.privacy.erase_personal_data",
                dashboard_template="exhibitions/includes/dashboard.html",
                organisation_template="exhibitions/includes/organisation.html",
                delegation_template="exhibitions/includes/delegation.html",
                image="img/areas/exhibitions.svg",
                home_template="exhibitions/includes/home.html",
                guest_template="exhibitions/includes/guest.html",
            )
        )
