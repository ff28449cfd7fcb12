from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = "Gebruikers van subafdelingen en hun rechten"

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import post_delete, post_save

        from enterprises.models import Application
        from users.imports import application_catalogue_forget
        from users.models import user_names_follow

        # The import's cached catalogue of applications goes with any change of it.
        post_save.connect(application_catalogue_forget, sender=Application, dispatch_uid="import-apps-save")
        post_delete.connect(application_catalogue_forget, sender=Application, dispatch_uid="import-apps-del")
        post_save.connect(
            user_names_follow, sender=settings.AUTH_USER_MODEL, dispatch_uid="user-names-follow"
        )
