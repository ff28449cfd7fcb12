from django.urls import path

from subdivisions import permissions_views
from subdivisions import subafdeling_views as views

HOEDANIGHEID = "toegangsbeheer/hoedanigheden/<int:hoedanigheid_id>/subafdelingen/"
SUBAFDELING = "toegangsbeheer/subafdelingen/<int:subafdeling_id>/"

urlpatterns = [
    path(HOEDANIGHEID, views.subafdeling_list, name="list"),
    path(f"{HOEDANIGHEID}status/", views.subafdeling_list_status, name="list-status"),
    path(
        "toegangsbeheer/hoedanigheden/<int:hoedanigheid_id>/toestemmingen/",
        permissions_views.permissions,
        name="permissions",
    ),
    path(f"{HOEDANIGHEID}toevoegen/", views.subafdeling_add, name="add"),
    path(f"{HOEDANIGHEID}toevoegen/gegevens/", views.subafdeling_add_details, name="add-details"),
    path(
        f"{HOEDANIGHEID}toevoegen/autorisaties/", views.subafdeling_add_applications, name="add-applications"
    ),
    path(f"{HOEDANIGHEID}toevoegen/bevestigen/", views.subafdeling_add_confirm, name="add-confirm"),
    path(SUBAFDELING, views.subafdeling_detail, name="detail"),
    path(f"{SUBAFDELING}status/", views.subafdeling_status, name="status"),
    path(
        f"{SUBAFDELING}autorisaties/", views.subafdeling_authorisations_confirm, name="authorisations-confirm"
    ),
]
