from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "history"
    verbose_name = "Historiek, toestand op datum en de kaart"

    def ready(self):
        from accessportal.audit import audit_listener_add
        from history.recording import event_recorded

        audit_listener_add(event_recorded)
