from django.urls import path

from subdivisions import views

app_name = "portal"

urlpatterns = [
    path("toegangsbeheer/", views.portal_quality, name="quality"),
    path("toegangsbeheer/onthaal/", views.portal_welcome, name="welcome"),
]
