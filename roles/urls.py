from django.urls import path

from roles import views

app_name = "roles"

urlpatterns = [
    path(
        "toegangsbeheer/ondernemingen/<str:kbo>/stappenplan/",
        views.enterprise_stappenplan,
        name="stappenplan",
    ),
]
