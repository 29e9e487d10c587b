from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import api, health, languages, observability, sitemaps, views
from .areas import all_areas, area_labels
from .caching import cache_for_visitors, edition_in_url

# The pages that show every area's figures depend on every area's content.
AREAS = area_labels()
# A guest country's page shows what the areas contribute to it (``Area.guest_template``).
GUEST_AREAS = tuple(area.key for area in all_areas() if area.guest_template)

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("CIEP organisers' back office")
admin.site.site_title = _("CIEP back office")
admin.site.index_title = _("Conference administration")

core_patterns = [
    path(
        "",
        cache_for_visitors(*AREAS, edition=edition_in_url)(views.home),
        name="home",
    ),
    path("editions/", cache_for_visitors()(views.edition_list), name="edition_list"),
    path("health/", health.liveness, name="health"),
    path("ready/", health.readiness, name="ready"),
    path(
        "editions/<int:number>/",
        cache_for_visitors(*AREAS, edition=edition_in_url)(views.edition_detail),
        name="edition_detail",
    ),
    path("editions/compare/", views.edition_compare, name="edition_compare"),
    path(
        "editions/<int:number>/guests/<str:country>/",
        cache_for_visitors(*GUEST_AREAS, edition=edition_in_url)(views.edition_guest),
        name="edition_guest",
    ),
    path(
        "editions/<int:number>/report/",
        cache_for_visitors(*AREAS, edition=edition_in_url)(views.edition_report),
        name="edition_report",
    ),
    path(
        "editions/<int:number>/report.json",
        cache_for_visitors(*AREAS, edition=edition_in_url)(views.edition_report_json),
        name="edition_report_json",
    ),
    path("editions/<int:number>/report.csv", views.edition_report_csv, name="edition_report_csv"),
    path("editions/<int:number>/attend/", views.edition_attend, name="edition_attend"),
    path("editions/<int:number>/attend/cancel/", views.attendance_cancel, name="attendance_cancel"),
    path("editions/<int:number>/check-in/", views.edition_check_in, name="edition_check_in"),
    path("me/", views.dashboard, name="dashboard"),
    path("me/profile/", views.profile_edit, name="profile_edit"),
    path("me/tokens/", views.token_list, name="token_list"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("me/data.zip", views.my_data_export, name="my_data_export"),
    path("me/delete/", views.account_delete, name="account_delete"),
    path("me/consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("privacy/", cache_for_visitors()(views.privacy_notice), name="privacy"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/members/", views.organisation_members, name="organisation_members"
    ),
    path(
        "organisations/<int:pk>/webhooks/",
        views.organisation_webhooks,
        name="organisation_webhooks",
    ),
    path(
        "organisations/<int:pk>/webhooks/<int:webhook_pk>/delete/",
        views.webhook_delete,
        name="webhook_delete",
    ),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("delegations/<int:pk>/", views.delegation_detail, name="delegation_detail"),
    path("delegations/<int:pk>/manage/", views.delegation_manage, name="delegation_manage"),
    path(
        "delegations/<int:pk>/members/<int:member_pk>/remove/",
        views.delegation_member_remove,
        name="delegation_member_remove",
    ),
    path(
        "delegations/<int:pk>/documents/<int:document_pk>/delete/",
        views.delegation_document_delete,
        name="delegation_document_delete",
    ),
]

handler400 = "ciep.views.bad_request"
handler403 = "ciep.views.permission_denied"
handler404 = "ciep.views.page_not_found"
handler500 = "ciep.views.server_error"
# allauth answers its own rate limits with this page too.
handler429 = "ciep.views.too_many_requests"

urlpatterns = [
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap_section"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("language/<str:language>/", languages.language_switch, name="language_switch"),
    path("private/<str:token>/", views.private_file, name="private_file"),
    path("metrics", observability.metrics, name="metrics"),
    path("api/v1/", include((api.urlpatterns, "ninja"), namespace="api")),
]
urlpatterns += i18n_patterns(
    path("", include((core_patterns, "ciep"))),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    *(path(prefix, include(urlconf)) for area in all_areas() for prefix, urlconf in area.urls),
    prefix_default_language=False,
)
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
