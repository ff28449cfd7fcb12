from django.urls import path

from accessportal import inbox

app_name = "accessportal"

urlpatterns = [
    path("toegangsbeheer/berichten/", inbox.inbox, name="inbox"),
    path("toegangsbeheer/berichten/<int:message_id>/", inbox.detail, name="message"),
]
