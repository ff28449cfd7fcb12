from django.apps import AppConfig


class AccessportalConfig(AppConfig):
    name = "accessportal"
    verbose_name = "Portaal: audit, mails en berichten"
