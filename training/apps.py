from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Opleiding"

    def ready(self):
        from training import signals  # noqa: F401  (connects the sign-in receiver)
