from django.urls import path

from history import views

app_name = "history"

urlpatterns = [
    path("toegangsbeheer/ondernemingen/<str:kbo>/historiek/", views.enterprise_history, name="enterprise"),
    path("toegangsbeheer/ondernemingen/<str:kbo>/kaart/", views.enterprise_map, name="map"),
    path(
        "toegangsbeheer/hoedanigheden/<int:hoedanigheid_id>/historiek/",
        views.hoedanigheid_history,
        name="hoedanigheid",
    ),
    path(
        "toegangsbeheer/subafdelingen/<int:subafdeling_id>/historiek/",
        views.subafdeling_history,
        name="subafdeling",
    ),
    path(
        "toegangsbeheer/subafdelingen/<int:subafdeling_id>/gebruikers/<int:user_id>/historiek/",
        views.user_history,
        name="user",
    ),
]
