from django.apps import AppConfig


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = "Rollen en toegang tot toepassingen"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from enterprises.models import Application
        from roles.models import Role, SimulatedApplication
        from roles.preview import applications_forget

        # The preview's cached catalogue of simulated applications goes with any change of it.
        for model in (SimulatedApplication, Role, Application):
            post_save.connect(
                applications_forget, sender=model, dispatch_uid=f"preview-{model.__name__}-save"
            )
            post_delete.connect(
                applications_forget, sender=model, dispatch_uid=f"preview-{model.__name__}-del"
            )
        m2m_changed.connect(
            applications_forget, sender=SimulatedApplication.roles.through, dispatch_uid="preview-roles-m2m"
        )
