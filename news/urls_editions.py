"""The news area's pages of an edition, under ``/editions/<number>/``."""

from django.urls import path

from ciep.caching import cache_for_visitors, edition_in_url

from . import views

app_name = "committee"

urlpatterns = [
    path(
        "<int:number>/committee/",
        cache_for_visitors("news", edition=edition_in_url)(views.committee),
        name="committee",
    ),
]
