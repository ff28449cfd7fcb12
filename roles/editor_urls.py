"""The roles editor: "Functies en Verantwoordelijkheden Hiërarchie" (manual 3.6.2, chapter 4 step 11)."""

from django.urls import path  # noqa: F401

app_name = "roles-editor"

urlpatterns = []
