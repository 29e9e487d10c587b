from django.urls import path

from . import views

app_name = "recruitment"

urlpatterns = [
    path("", views.job_list, name="job_list"),
]
