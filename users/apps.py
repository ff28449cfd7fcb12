from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = "Gebruikers van subafdelingen en hun rechten"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from enterprises.models import Application
        from users.imports import application_catalogue_forget

        # The import's cached catalogue of applications goes with any change of it.
        post_save.connect(application_catalogue_forget, sender=Application, dispatch_uid="import-apps-save")
        post_delete.connect(application_catalogue_forget, sender=Application, dispatch_uid="import-apps-del")
