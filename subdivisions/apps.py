from django.apps import AppConfig


class SubdivisionsConfig(AppConfig):
    name = "subdivisions"
    verbose_name = "Subafdelingen"
