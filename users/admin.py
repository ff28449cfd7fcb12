from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accessportal.admin import (
    CompositeKeyAdminMixin,
    IdentifierAdminMixin,
    ReadOnlyAdminMixin,
    SafeInputAdminMixin,
    insz_column,
    kbo_column,
)
from enterprises.models import Application
from subdivisions.models import SubafdelingAuthorisation
from users.models import ApplicationRight, PortalCertificate, SubafdelingUser

NOT_AUTHORISED = _("Deze toepassing is niet geautoriseerd op de subafdeling van de gebruiker.")


class ApplicationRightForm(forms.ModelForm):
    """A right is only possible for an application authorised on the user's own subafdeling.

    ``subafdeling`` is never shown: it is always the user's, set when the right is saved. An existing
    right keeps its application (its roles hang on it): delete it and add another instead.
    """

    class Meta:
        model = ApplicationRight
        fields = ("user", "application")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "application" in self.fields:
            self.fields["application"].disabled = True

    def clean(self):
        cleaned = super().clean()
        user, application = cleaned.get("user") or _instance_user(self.instance), cleaned.get("application")
        if user is not None and application is not None and user.subafdeling_id is not None:
            if not SubafdelingAuthorisation.objects.filter(
                subafdeling_id=user.subafdeling_id, application=application
            ).exists():
                self.add_error("application", NOT_AUTHORISED)
            else:
                self.instance.subafdeling_id = user.subafdeling_id
        return cleaned


def _instance_user(right):
    return right.user if right.user_id else None


class ApplicationRightInline(SafeInputAdminMixin, admin.TabularInline):
    model = ApplicationRight
    form = ApplicationRightForm
    fields = ("application", "created_at")
    readonly_fields = ("created_at",)
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and obj.subafdeling_id:
            # Offer only what the subafdeling authorises.
            formset.form.base_fields["application"].queryset = Application.objects.filter(
                authorisations__subafdeling_id=obj.subafdeling_id
            )
        return formset


@admin.register(SubafdelingUser)
class SubafdelingUserAdmin(
    SafeInputAdminMixin, CompositeKeyAdminMixin, IdentifierAdminMixin, admin.ModelAdmin
):
    list_display = (
        "person",
        "person_insz",
        "subafdeling",
        "subafdeling__facility__hco_number",
        "enterprise_kbo",
        "email",
        "status",
        "created_at",
    )
    list_filter = ("status", "language", "subafdeling__subdivision_type")
    list_select_related = ("person", "subafdeling__subdivision_type", "subafdeling__facility__enterprise")
    search_fields = (
        "person__last_name",
        "person__first_name",
        "=person__insz",
        "email",
        "subafdeling__name",
        "subafdeling__facility__hco_number",
        "=subafdeling__facility__enterprise__kbo",
    )
    insz_search_fields = ("person__insz",)
    kbo_search_fields = ("subafdeling__facility__enterprise__kbo",)
    autocomplete_fields = ("subafdeling", "person")
    fields = (
        "subafdeling",
        "person",
        "email",
        "local_email",
        "language",
        "title",
        "status",
        "created_at",
        "modified_at",
    )
    # The rights name the user's subafdeling: moving a user to another one is a new registration.
    composite_key_fields = ("subafdeling",)
    inlines = [ApplicationRightInline]
    # Newest first: sorting 200,000 users by the person's name takes a second on every page.
    ordering = ("-pk",)
    show_full_result_count = False

    person_insz = insz_column("person__insz")
    enterprise_kbo = kbo_column("subafdeling__facility__enterprise__kbo")

    def get_queryset(self, request):
        # Other admins' autocompletes list str() of these rows, which names related rows. (A
        # changelist ignores list_select_related once get_queryset selects, hence the same list.)
        return super().get_queryset(request).select_related(*self.list_select_related)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ApplicationRight:
            return super().save_formset(request, form, formset, change)
        rights = formset.save(commit=False)
        for right in rights:
            right.subafdeling_id = form.instance.subafdeling_id
            right.save()
        for right in formset.deleted_objects:
            right.delete()
        formset.save_m2m()
        return None


@admin.register(ApplicationRight)
class ApplicationRightAdmin(
    SafeInputAdminMixin, CompositeKeyAdminMixin, IdentifierAdminMixin, admin.ModelAdmin
):
    form = ApplicationRightForm
    list_display = (
        "application",
        "user_person",
        "person_insz",
        "subafdeling",
        "subafdeling__facility__hco_number",
        "created_at",
    )
    list_filter = ("application", "subafdeling__subdivision_type")
    list_select_related = (
        "application",
        "user__person",
        # str() of a right names the user's subafdeling: the action checkbox shows it.
        "user__subafdeling__subdivision_type",
        "subafdeling__subdivision_type",
        "subafdeling__facility",
    )
    search_fields = (
        "application__name",
        "user__person__last_name",
        "user__person__first_name",
        "=user__person__insz",
        "subafdeling__name",
        "subafdeling__facility__hco_number",
        "=subafdeling__facility__enterprise__kbo",
    )
    insz_search_fields = ("user__person__insz",)
    kbo_search_fields = ("subafdeling__facility__enterprise__kbo",)
    autocomplete_fields = ("user",)
    fields = ("user", "application", "created_at")
    readonly_fields = ("created_at",)
    composite_key_fields = ("user", "application")
    ordering = ("-pk",)
    show_full_result_count = False

    person_insz = insz_column("user__person__insz")

    @admin.display(description=_("Persoon"), ordering="user__person__last_name")
    def user_person(self, obj):
        return obj.user.person

    def save_model(self, request, obj, form, change):
        if not change:
            obj.subafdeling_id = obj.user.subafdeling_id
        return super().save_model(request, obj, form, change)


@admin.register(PortalCertificate)
class PortalCertificateAdmin(SafeInputAdminMixin, ReadOnlyAdminMixin, IdentifierAdminMixin, admin.ModelAdmin):
    """The certificates people registered for their account ("Beheer van het certificaat…"): staff
    look, the person changes and removes their own on the portal (users.services)."""

    list_display = ("person", "person_insz", "enterprise", "enterprise_kbo", "subject", "not_after")
    list_select_related = ("person", "enterprise")
    search_fields = (
        "person__last_name",
        "person__first_name",
        "=person__insz",
        "enterprise__name",
        "subject",
    )
    insz_search_fields = ("person__insz",)
    kbo_search_fields = ("enterprise__kbo",)
    exclude = ("der",)
    ordering = ("-uploaded_at",)

    person_insz = insz_column("person__insz")
    enterprise_kbo = kbo_column("enterprise__kbo")
