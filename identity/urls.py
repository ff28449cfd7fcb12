from django.urls import path

from identity import views

app_name = "identity"

urlpatterns = [
    path("aanmelden/", views.sign_in, name="sign-in"),
    path("aanmelden/eid/", views.sign_in_eid, name="sign-in-eid"),
    path("aanmelden/itsme/", views.sign_in_itsme, name="sign-in-itsme"),
    path("aanmelden/itsme/bevestigen/", views.sign_in_itsme_confirm, name="sign-in-itsme-confirm"),
    path("aanmelden/token/", views.sign_in_token, name="sign-in-token"),
    path("aanmelden/gebruikersnaam/", views.sign_in_password, name="sign-in-password"),
    path("afmelden/", views.sign_out, name="sign-out"),
    path("mijn-digitale-sleutels/", views.digital_keys, name="digital-keys"),
    path("toegangsbeheer/persoonlijke-gegevens/", views.personal_data, name="personal-data"),
    path("toegangsbeheer/wachtwoord/", views.password_change, name="password-change"),
    path(
        "wachtwoord-opnieuw-instellen/<str:uidb64>/<str:token>/", views.password_reset, name="password-reset"
    ),
]
