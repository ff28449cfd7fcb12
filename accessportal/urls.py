from django.contrib import admin
from django.urls import include, path

from accessportal import views
from identity.forms import InszAdminAuthenticationForm

admin.site.login_form = InszAdminAuthenticationForm

urlpatterns = [
    path("", views.csam_home, name="csam-home"),
    path("healthz/", views.healthz, name="healthz"),
    # the roles' URLs first: the access decision API's route (their first) is then found after three
    # patterns, not after the hundred others (no other app's route matches one of theirs)
    path("", include("roles.urls")),
    path("", include("identity.urls")),
    path("", include("administrators.urls")),
    path("", include("enterprises.urls")),
    path("mailbox/", views.mailbox, name="mailbox"),
    path("", include("accessportal.inbox_urls")),
    path("toegangsbeheer/help/", views.manual_help, name="help"),
    path("wat-is-csam/", views.csam_about, name="csam-about"),
    path("contact/", views.csam_contact, name="csam-contact"),
    *[
        path(f"extern/{slug}/", views.elsewhere, {"slug": slug}, name=f"elsewhere-{slug}")
        for slug in views.ELSEWHERE
    ],
    path("", include("helpdesk.urls")),
    path("", include("subdivisions.urls")),
    path("", include("users.urls")),
    path("", include("training.urls")),
    path("", include("history.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
