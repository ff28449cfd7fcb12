from django.urls import path

from enterprises import public_views, views

app_name = "enterprises"

urlpatterns = [
    path("beheer-van-de-mandaten/", views.mandates, name="mandates"),
    path("kbo-public-search/", public_views.kbo_search, name="kbo-search"),
    path("cobrha-viewer/", public_views.cobrha_viewer, name="cobrha-viewer"),
]
