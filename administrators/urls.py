from django.urls import path

from administrators import managers_urls, portal_views, views

app_name = "administrators"

PROCEDURE = "beheer-toegangsbeheerders/hoofdtoegangsbeheerder/"

urlpatterns = [
    path("beheer-toegangsbeheerders/", views.btb, name="btb"),
    path(PROCEDURE, views.htb_start, name="htb-start"),
    path(f"{PROCEDURE}<uuid:draft_id>/registratie/", views.htb_registration, name="htb-registration"),
    path(f"{PROCEDURE}<uuid:draft_id>/bevestiging/", views.htb_confirmation, name="htb-confirmation"),
    path(f"{PROCEDURE}<uuid:draft_id>/aangesteld/", views.htb_done, name="htb-done"),
    path(
        "beheer-toegangsbeheerders/ondernemingen/<str:kbo>/co-hoofdtoegangsbeheerders/",
        views.co_htbs,
        name="co-htbs",
    ),
    path(
        "beheer-toegangsbeheerders/ondernemingen/<str:kbo>/co-hoofdtoegangsbeheerders/<int:appointment_id>/verwijderen/",
        views.co_htb_remove,
        name="co-htb-remove",
    ),
    path("toegangsbeheer/ondernemingen/<str:kbo>/", portal_views.enterprise, name="enterprise"),
    path(
        "toegangsbeheer/ondernemingen/<str:kbo>/hoedanigheid-activeren/",
        portal_views.hoedanigheid_activate,
        name="hoedanigheid-activate",
    ),
    path(
        "toegangsbeheer/hoedanigheden/<int:hoedanigheid_id>/", portal_views.hoedanigheid, name="hoedanigheid"
    ),
    path(
        "toegangsbeheer/hoedanigheden/<int:hoedanigheid_id>/details/",
        portal_views.hoedanigheid_details,
        name="hoedanigheid-details",
    ),
    path(
        "toegangsbeheer/hoedanigheden/<int:hoedanigheid_id>/hoedanigheden/",
        portal_views.hoedanigheid_overview,
        name="hoedanigheid-overview",
    ),
]

urlpatterns += managers_urls.urlpatterns
