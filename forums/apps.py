from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Shenzhen Forum and theme activities")

    def ready(self):
        from ciep.areas import Area, register

        register(
            Area(
                key="forums",
                name=_("Shenzhen Forum"),
                description=_("The programme of forums and theme activities, on site and online."),
                url_name="forums:programme",
                urls=(("forum/", "forums.urls"),),
                menu_label=_("Forum"),
                rate_limits=(
                    ("forums:session_register", "30/h/user,200/h/ip"),
                    ("forums:group_register", "30/h/user,100/h/ip"),
                ),
                sitemaps="forums.sitemaps.SITEMAPS",
                api="forums.api.router",
                api_scopes=(("forums:read", _("Read my registrations for forum sessions")),),
                order=40,
                count="forums.selectors.sessions_count",
                count_label=_("forums and activities"),
                figures="forums.figures.edition_figures",
                participants="forums.figures.participating_organisation_ids",
                seed_demo="forums.synthetic.demo.seed",
                generate="forums.synthetic.edition.generate",
                clone_edition="forums.editions.clone_setup",
                user_links=((_("My agenda"), "forums:agenda"),),
                people_concerned="forums.selectors.people_concerned",
                personal_data="forums.privacy.personal_data",
                erase_personal_data="forums.privacy.erase_personal_data",
                consent_withdrawals=(
                    ("speaker_profile", "forums.privacy.withdraw_speaker_consent"),
                ),
                dashboard_template="forums/includes/dashboard_panel.html",
                organisation_template="forums/includes/organisation_panel.html",
                delegation_template="forums/includes/delegation_panel.html",
                delegation_manage_template="forums/includes/delegation_sub_venue_events.html",
                image="img/areas/forums.svg",
                home_template="forums/includes/home.html",
                guest_template="forums/includes/guest.html",
            )
        )
