from django.apps import AppConfig


class AdministratorsConfig(AppConfig):
    name = "administrators"
    verbose_name = "CSAM/BTB: hoofdtoegangsbeheerders, hoedanigheden en toegangsbeheerders"
