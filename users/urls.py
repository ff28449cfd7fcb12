from django.urls import path

from users import views

app_name = "users"

BASE = "toegangsbeheer/subafdelingen/<int:subafdeling_id>/gebruikers/"

urlpatterns = [
    path(BASE, views.users_list, name="list"),
    path(f"{BASE}exporteren/", views.users_export, name="export"),
    path(f"{BASE}toevoegen/", views.users_add, name="add"),
    path(f"{BASE}aanmaken/", views.users_create, name="create"),
    path(f"{BASE}aanmaken/bevestigen/", views.users_create_confirm, name="create-confirm"),
    path(f"{BASE}<int:user_id>/bewerken/", views.users_edit, name="edit"),
    path(f"{BASE}<int:user_id>/bewerken/bevestigen/", views.users_edit_confirm, name="edit-confirm"),
    path(f"{BASE}verwijderen/", views.users_remove, name="remove"),
    path(f"{BASE}verwijderen/bevestigen/", views.users_remove_confirm, name="remove-confirm"),
]
