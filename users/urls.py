from django.urls import path

from users import account_views, import_views, password_views, views

app_name = "users"

BASE = "toegangsbeheer/subafdelingen/<int:subafdeling_id>/gebruikers/"

urlpatterns = [
    path(BASE, views.users_list, name="list"),
    path(f"{BASE}exporteren/", views.users_export, name="export"),
    path(f"{BASE}toevoegen/", views.users_add, name="add"),
    path(f"{BASE}aanmaken/", views.users_create, name="create"),
    path(f"{BASE}aanmaken/bevestigen/", views.users_create_confirm, name="create-confirm"),
    path(f"{BASE}importeren/", import_views.users_import, name="import"),
    path(f"{BASE}importeren/sjabloon.<str:kind>", import_views.users_import_template, name="import-template"),
    path(f"{BASE}importeren/<int:import_id>/", import_views.users_import_report, name="import-report"),
    path(
        f"{BASE}importeren/<int:import_id>/bevestigen/",
        import_views.users_import_confirm,
        name="import-confirm",
    ),
    path(
        f"{BASE}importeren/<int:import_id>/annuleren/", import_views.users_import_cancel, name="import-cancel"
    ),
    path(
        f"{BASE}importeren/<int:import_id>/verslag.csv",
        import_views.users_import_download,
        name="import-download",
    ),
    path(f"{BASE}<int:user_id>/bewerken/", views.users_edit, name="edit"),
    path(f"{BASE}<int:user_id>/bewerken/bevestigen/", views.users_edit_confirm, name="edit-confirm"),
    path(f"{BASE}verwijderen/", views.users_remove, name="remove"),
    path(f"{BASE}verwijderen/bevestigen/", views.users_remove_confirm, name="remove-confirm"),
    path("toegangsbeheer/uw-verantwoordelijken/", account_views.responsibles, name="responsibles"),
    path(
        "toegangsbeheer/ondernemingen/<str:kbo>/certificaat/", account_views.certificate, name="certificate"
    ),
    path(
        "toegangsbeheer/ondernemingen/<str:kbo>/certificaat/verwijderen/",
        account_views.certificate_remove,
        name="certificate-remove",
    ),
    path(
        "toegangsbeheer/hoedanigheden/<int:hoedanigheid_id>/wachtwoorden/",
        password_views.passwords,
        name="passwords",
    ),
    path(
        "toegangsbeheer/hoedanigheden/<int:hoedanigheid_id>/wachtwoorden/<int:user_id>/",
        password_views.password_reset,
        name="password-reset",
    ),
]
