from django.apps import AppConfig


class AccessportalConfig(AppConfig):
    name = "accessportal"
    verbose_name = "Portaal: audit, mails en berichten"

    def ready(self):
        from accessportal import checks  # noqa: F401  (registers the system checks)
