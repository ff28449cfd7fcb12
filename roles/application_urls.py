"""The simulated applications (/toepassingen/<slug>/) and the access decision API (/api/toegang/)."""

from django.urls import path

from roles import api, application_views

urlpatterns = [
    path("api/toegang/", api.access_decision, name="api"),  # first: resolved at every API request
    path("toepassingen/<slug:slug>/", application_views.home, name="application"),
    path("toepassingen/<slug:slug>/aan-de-slag/", application_views.work, name="application-work"),
]
