"""Employers browse talents at /talents/."""

from django.urls import path

from . import views

app_name = "talents"

urlpatterns = [
    path("", views.talent_list, name="talent_list"),
    path("<int:pk>/", views.talent_detail, name="talent_detail"),
    path("<int:pk>/cv/", views.talent_cv, name="talent_cv"),
    path("<int:pk>/photo/", views.talent_photo, name="talent_photo"),
]
