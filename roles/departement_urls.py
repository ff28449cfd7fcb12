"""The Departement Zorg's page about access to its applications (manual 2.2, 3.3, 3.6.2)."""

from django.urls import path

from roles import departement_views

urlpatterns = [
    path("departement-zorg/", departement_views.departement_zorg, name="departement-zorg"),
]
