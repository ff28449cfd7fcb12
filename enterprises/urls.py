from django.urls import path

from enterprises import views

app_name = "enterprises"

urlpatterns = [path("beheer-van-de-mandaten/", views.mandates, name="mandates")]
