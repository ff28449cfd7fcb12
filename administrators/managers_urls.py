"""The access managers of a hoedanigheid: "Beheer van de gebruikers" (manual 3.4.2, 3.4.3)."""

from django.urls import path

from administrators import managers_views

MANAGERS = "toegangsbeheer/hoedanigheden/<int:hoedanigheid_id>/gebruikers/"

urlpatterns = [
    path(MANAGERS, managers_views.managers, name="managers"),
    # "Gebruikers - Subafdelingen", tab "Gebruikers" (chapter 4 steps 2-3): the same list, with the tabs.
    path(
        "toegangsbeheer/hoedanigheden/<int:hoedanigheid_id>/gebruikers-subafdelingen/",
        managers_views.managers,
        {"as_tab": True},
        name="managers-tab",
    ),
    path(f"{MANAGERS}export/", managers_views.managers_export, name="managers-export"),
    path(f"{MANAGERS}aanstellen/", managers_views.managers_appoint, name="managers-appoint"),
    path(
        f"{MANAGERS}aanstellen/bevestigen/",
        managers_views.managers_appoint_confirm,
        name="managers-appoint-confirm",
    ),
    path(f"{MANAGERS}verwijderen/", managers_views.managers_remove, name="managers-remove"),
    path(
        f"{MANAGERS}verwijderen/bevestigen/",
        managers_views.managers_remove_confirm,
        name="managers-remove-confirm",
    ),
]
