from django.urls import path

from ciep.caching import cache_for_visitors, edition_in_url

from . import views

app_name = "exhibitions"

urlpatterns = [
    path(
        "",
        cache_for_visitors("exhibitions", edition=edition_in_url)(views.catalogue),
        name="catalogue",
    ),
    path(
        "editions/<int:number>/",
        cache_for_visitors("exhibitions", edition=edition_in_url)(views.catalogue),
        name="catalogue_edition",
    ),
    path(
        "halls/<int:pk>/", cache_for_visitors("exhibitions")(views.hall_detail), name="hall_detail"
    ),
    path("time-zone/", views.set_timezone, name="set_timezone"),
    path(
        "exhibitors/<int:pk>/",
        views.counting_views(
            cache_for_visitors("exhibitions", shows="exhibitions.Exhibitor")(views.exhibitor_detail)
        ),
        name="exhibitor_detail",
    ),
    path("exhibitors/<int:pk>/edit/", views.exhibitor_edit, name="exhibitor_edit"),
    path("exhibitors/<int:pk>/content/", views.exhibitor_manage, name="exhibitor_manage"),
    path(
        "exhibitors/<int:pk>/content/<str:kind>/",
        views.exhibitor_manage,
        name="exhibitor_content_add",
    ),
    path(
        "exhibitors/<int:pk>/content/<str:kind>/<int:item_pk>/delete/",
        views.exhibitor_content_delete,
        name="exhibitor_content_delete",
    ),
    path("exhibitors/<int:pk>/slots/", views.slot_manage, name="slot_manage"),
    path(
        "exhibitors/<int:pk>/slots/<int:slot_pk>/withdraw/",
        views.slot_withdraw,
        name="slot_withdraw",
    ),
    path(
        "exhibitors/<int:pk>/slots/<int:slot_pk>/request/",
        views.meeting_request,
        name="meeting_request",
    ),
    path("exhibitors/<int:pk>/figures/", views.exhibitor_figures, name="exhibitor_figures"),
    path(
        "exhibitors/<int:pk>/meetings.csv",
        views.exhibitor_meetings_csv,
        name="exhibitor_meetings_csv",
    ),
    path("apply/", views.application_create, name="application_create"),
    path(
        "apply/pavilion/<int:delegation_pk>/",
        views.pavilion_application_create,
        name="pavilion_application_create",
    ),
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/withdraw/",
        views.application_withdraw,
        name="application_withdraw",
    ),
    path("pavilions/<int:pk>/", views.pavilion_manage, name="pavilion_manage"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/calendar.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<int:pk>/<str:action>/", views.meeting_action, name="meeting_action"),
]
