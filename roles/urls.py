"""The roles app's URLs, one namespace ``roles``: the stappenplan, the roles editor, the users look-up,
the simulated applications with the access-decision API, and the Departement Zorg's page."""

from django.urls import path

from roles import application_urls, departement_urls, editor_urls, lookup_urls, views

app_name = "roles"

urlpatterns = [
    *application_urls.urlpatterns,  # first: the access decision API, the portal's most asked route
    path(
        "toegangsbeheer/ondernemingen/<str:kbo>/stappenplan/",
        views.enterprise_stappenplan,
        name="stappenplan",
    ),
    *editor_urls.urlpatterns,
    *lookup_urls.urlpatterns,
    *departement_urls.urlpatterns,
]
