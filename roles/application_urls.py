"""The simulated applications (/toepassingen/<slug>/) and the access decision API (/api/toegang/)."""

from django.urls import path  # noqa: F401

app_name = "applications"

urlpatterns = []
