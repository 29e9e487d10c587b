from django.urls import path

from ciep.caching import cache_for_visitors
from ciep.import_pages import import_urls

from . import views

app_name = "recruitment"

urlpatterns = [
    path("", cache_for_visitors("recruitment")(views.job_list), name="job_list"),
    path(
        "<int:pk>/",
        cache_for_visitors("recruitment", shows="recruitment.JobPosting")(views.job_detail),
        name="job_detail",
    ),
    path("<int:pk>/apply/", views.application_create, name="apply"),
    path("<int:pk>/save/", views.job_save, name="job_save"),
    path("<int:pk>/report/", views.job_report, name="job_report"),
    path("saved/", views.saved_list, name="saved_list"),
    path("searches/", views.search_save, name="search_save"),
    path("searches/<int:pk>/delete/", views.search_delete, name="search_delete"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"
    ),
    path("applications/<int:pk>/cv/", views.application_cv, name="application_cv"),
    path("recommended/", views.recommendations, name="recommendations"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("profile/cv/", views.profile_cv, name="profile_cv"),
    path("profile/download/", views.profile_download, name="profile_download"),
    path("profile/delete/", views.profile_delete, name="profile_delete"),
    path("manage/", views.posting_manage_list, name="posting_manage"),
    path("manage/new/<int:organisation_pk>/", views.posting_create, name="posting_create"),
    path("manage/<int:pk>/edit/", views.posting_edit, name="posting_edit"),
    path("manage/<int:pk>/publish/", views.posting_publish, name="posting_publish"),
    path("manage/<int:pk>/close/", views.posting_close, name="posting_close"),
    path("manage/<int:pk>/extend/", views.posting_extend, name="posting_extend"),
    path("manage/<int:pk>/applicants/", views.posting_applicants, name="posting_applicants"),
    path(
        "manage/<int:pk>/applicants/<int:application_pk>/",
        views.applicant_detail,
        name="applicant_detail",
    ),
    path("manage/<int:pk>/matches/", views.posting_matches, name="posting_matches"),
    path("demands/", views.demand_list, name="demand_list"),
    path("demands/<int:pk>/", views.demand_detail, name="demand_detail"),
    path("demands/manage/", views.demand_manage_list, name="demand_manage"),
    path("demands/new/<int:delegation_pk>/", views.demand_create, name="demand_create"),
    *import_urls("demands/import/<int:delegation_pk>/", "demand_import", views.demand_import_views),
    path("demands/<int:pk>/edit/", views.demand_edit, name="demand_edit"),
    path("demands/<int:pk>/close/", views.demand_close, name="demand_close"),
    path("demands/<int:pk>/answers/", views.demand_answers, name="demand_answers"),
]
