from django.urls import path

from ciep.caching import cache_for_visitors, edition_in_url

from . import views

app_name = "forums"

urlpatterns = [
    path(
        "", cache_for_visitors("forums", edition=edition_in_url)(views.programme), name="programme"
    ),
    path(
        "editions/<int:number>/",
        cache_for_visitors("forums", edition=edition_in_url)(views.programme),
        name="edition_programme",
    ),
    path("editions/<int:number>/programme.ics", views.programme_ics, name="programme_ics"),
    path(
        "sessions/<int:pk>/",
        cache_for_visitors("forums", shows="forums.Session")(views.session_detail),
        name="session_detail",
    ),
    path("sessions/<int:pk>/session.ics", views.session_ics, name="session_ics"),
    path("sessions/<int:pk>/watch/", views.session_watch, name="session_watch"),
    path("sessions/<int:pk>/register/", views.session_register, name="session_register"),
    path("sessions/<int:pk>/bookmark/", views.session_bookmark, name="session_bookmark"),
    path("sessions/<int:pk>/feedback/", views.session_feedback, name="session_feedback"),
    path(
        "sessions/<int:pk>/delegations/<int:delegation_pk>/",
        views.group_register,
        name="group_register",
    ),
    path(
        "delegations/<int:delegation_pk>/sub-venue-events/new/",
        views.sub_venue_event_propose,
        name="sub_venue_event_propose",
    ),
    path(
        "sub-venue-events/<int:pk>/edit/",
        views.sub_venue_event_edit,
        name="sub_venue_event_edit",
    ),
    path("registrations/<int:pk>/", views.registration_detail, name="registration_detail"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("check-in/", views.check_in, name="check_in"),
    path("speakers/<int:pk>/", views.speaker_detail, name="speaker_detail"),
    path("speakers/me/", views.speaker_edit, name="speaker_edit"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("agenda/feed/reset/", views.agenda_feed_reset, name="agenda_feed_reset"),
    path("calendar/<str:token>.ics", views.agenda_feed, name="agenda_feed"),
]
