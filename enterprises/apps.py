from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = "Authentieke bronnen: KBO, CoBRHA en catalogus"
