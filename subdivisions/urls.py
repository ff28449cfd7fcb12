from django.urls import path

from subdivisions import subafdeling_urls, views

app_name = "subdivisions"

urlpatterns = [
    path("toegangsbeheer/", views.portal_quality, name="quality"),
    path("toegangsbeheer/onthaal/", views.portal_welcome, name="welcome"),
    *subafdeling_urls.urlpatterns,
]
