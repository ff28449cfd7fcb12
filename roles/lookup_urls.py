from django.urls import path

from roles import lookup_views

urlpatterns = [
    path(
        "toegangsbeheer/hoedanigheden/<int:hoedanigheid_id>/gebruikers-opzoeken/",
        lookup_views.users,
        name="lookup",
    ),
]
