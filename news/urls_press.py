from django.urls import path

from . import views

app_name = "press"

urlpatterns = [
    path("", views.press_centre, name="centre"),
    path("apply/", views.accreditation_apply, name="apply"),
    path("badge/<int:pk>/", views.accreditation_badge, name="badge"),
    path("cards/<int:pk>/", views.press_card, name="press_card"),
    path("kit/<int:pk>/", views.press_kit_download, name="press_kit_download"),
]
