from django.contrib import admin
from django.urls import include, path

from accessportal import views
from identity.forms import InszAdminAuthenticationForm

admin.site.login_form = InszAdminAuthenticationForm

urlpatterns = [
    path("", views.csam_home, name="csam-home"),
    path("", include("identity.urls")),
    path("", include("administrators.urls")),
    path("", include("enterprises.urls")),
    path("mailbox/", views.mailbox, name="mailbox"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
