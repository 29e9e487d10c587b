from django.urls import path

from ciep.caching import cache_for_visitors
from ciep.import_pages import import_urls

from . import views

app_name = "projects"

urlpatterns = [
    path("", cache_for_visitors("projects")(views.project_list), name="project_list"),
    path("new/", views.project_create, name="project_create"),
    path("mine/", views.my_projects, name="my_projects"),
    path(
        "<int:pk>/",
        cache_for_visitors("projects", shows="projects.Project")(views.project_detail),
        name="project_detail",
    ),
    path("<int:pk>/edit/", views.project_edit, name="project_edit"),
    path(
        "<int:pk>/documents/<int:document_pk>/remove/",
        views.project_document_remove,
        name="project_document_remove",
    ),
    path("<int:pk>/<slug:action>/", views.project_action, name="project_action"),
    path("intentions/new/", views.intention_create, name="intention_create"),
    path("intentions/<int:pk>/", views.intention_detail, name="intention_detail"),
    path("intentions/<int:pk>/sign/", views.intention_sign, name="intention_sign"),
    path(
        "intentions/<int:pk>/agreement.pdf", views.intention_agreement, name="intention_agreement"
    ),
    path(
        "intentions/<int:pk>/publication/",
        views.intention_publication,
        name="intention_publication",
    ),
    path("intentions/<int:pk>/report/", views.intention_report, name="intention_report"),
    path(
        "intentions/<int:pk>/to/<slug:state>/",
        views.intention_transition,
        name="intention_transition",
    ),
    path("delegations/<int:pk>/", views.delegation_intentions, name="delegation_intentions"),
    *import_urls("demands/import/<int:delegation_pk>/", "demand_import", views.demand_import_views),
    path(
        "delegations/<int:pk>/intentions.csv",
        views.delegation_intentions_csv,
        name="delegation_intentions_csv",
    ),
    path("ranking/", views.ranking, name="ranking"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("recommendations/submit/", views.recommendation_submit, name="recommendation_submit"),
    path("competitions/", views.competition_list, name="competition_list"),
    path("competitions/<slug:slug>/", views.competition_detail, name="competition_detail"),
]
