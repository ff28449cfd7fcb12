"""The roles editor: "Functies en Verantwoordelijkheden Hiërarchie" (manual 3.6.2, chapter 4 step 11)."""

from django.urls import path

from roles import editor_views as views

BASE = "toegangsbeheer/subafdelingen/<int:subafdeling_id>/functies/"
USER = f"{BASE}<int:user_id>/"

urlpatterns = [
    path(
        "toegangsbeheer/hoedanigheden/<int:hoedanigheid_id>/functies/",
        views.staff_hoedanigheid,
        name="staff-hoedanigheid",
    ),
    path(BASE, views.staff, name="staff"),
    path(USER, views.person, name="person"),
    path(f"{USER}bewerken/", views.edit, name="edit"),
    path(f"{USER}bewerken/<int:assignment_id>/", views.change, name="change"),
    path(f"{USER}bewerken/<int:assignment_id>/verwijderen/", views.remove, name="remove"),
]
