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
                urls=(("jobs/", "recruitment.urls"), ("talents/", "recruitment.urls_talents")),
                menu_label=_("Recruitment"),
                rate_limits=(
                    ("recruitment:demand_detail", "20/h/user,100/h/ip"),
                    ("recruitment:apply", "30/h/user,150/h/ip"),
                    ("recruitment:job_report", "10/h/user,50/h/ip"),
                    ("recruitment:posting_create", "30/h/user,100/h/ip"),
                    ("recruitment:demand_create", "30/h/user,100/h/ip"),
                ),
                sitemaps="recruitment.sitemaps.SITEMAPS",
                api="recruitment.api.router",
                api_scopes=(
                    ("recruitment:read", _("Read my job applications and postings")),
                    ("recruitment:write", _("Move applications to my postings along")),
                ),
                order=20,
                count="recruitment.selectors.edition_posting_count",
                count_label=_("open job postings"),
                seed_demo="recruitment.synthetic.demo.seed",
                figures="recruitment.figures.edition_figures",
                participants="recruitment.figures.participating_organisation_ids",
                generate="recruitment.synthetic.edition.generate",
                user_links=(
                    (_("My talent profile"), "recruitment:profile_edit"),
                    (_("My applications"), "recruitment:application_list"),
                    (_("Saved jobs and searches"), "recruitment:saved_list"),
                    (_("My organisations' jobs"), "recruitment:posting_manage"),
                ),
                personal_data="recruitment.privacy.personal_data",
                erase_personal_data="recruitment.privacy.erase_personal_data",
                consent_withdrawals=(
                    ("talent_profile", "recruitment.privacy.withdraw_profile_consent"),
                ),
                dashboard_template="recruitment/includes/dashboard.html",
                organisation_template="recruitment/includes/organisation.html",
                delegation_template="recruitment/includes/delegation.html",
                image="img/areas/recruitment.svg",
            )
        )
