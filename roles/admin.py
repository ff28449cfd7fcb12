from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accessportal.admin import (
    CompositeKeyAdminMixin,
    IdentifierAdminMixin,
    PeriodListFilter,
    SafeInputAdminMixin,
    insz_column,
    kbo_column,
)
from roles import services
from roles.models import Role, RoleAssignment, SimulatedApplication
from users.models import ApplicationRight


@admin.register(Role)
class RoleAdmin(SafeInputAdminMixin, CompositeKeyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "application", "sort_order")
    list_filter = ("application",)
    list_select_related = ("application",)
    search_fields = ("name", "application__name")
    # Assignments name the role together with its application.
    composite_key_fields = ("application",)


class RoleAssignmentForm(forms.ModelForm):
    """``application`` is never shown: it is always the role's. The user must hold a right for it."""

    class Meta:
        model = RoleAssignment
        fields = ("user", "role", "start_date", "end_date", "created_by")

    def clean(self):
        cleaned = super().clean()
        user = cleaned.get("user") or (self.instance.user if self.instance.user_id else None)
        role = cleaned.get("role") or (self.instance.role if self.instance.role_id else None)
        if user is not None and role is not None:
            if not ApplicationRight.objects.filter(user=user, application_id=role.application_id).exists():
                self.add_error(
                    "role",
                    _("Deze gebruiker heeft geen recht op de toepassing %(application)s van deze rol.")
                    % {"application": role.application},
                )
            else:
                self.instance.application_id = role.application_id
        return cleaned


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SafeInputAdminMixin, IdentifierAdminMixin, admin.ModelAdmin):
    form = RoleAssignmentForm
    list_display = (
        "role",
        "application",
        "user_person",
        "person_insz",
        "subafdeling",
        "hco_number",
        "enterprise_kbo",
        "start_date",
        "end_date",
    )
    list_filter = (PeriodListFilter, "application", "role")
    list_select_related = (
        "role",
        "application",
        "user__person",
        "user__subafdeling__subdivision_type",
        "user__subafdeling__facility__enterprise",
    )
    search_fields = (
        "role__name",
        "user__person__last_name",
        "user__person__first_name",
        "=user__person__insz",
        "user__subafdeling__name",
        "user__subafdeling__facility__hco_number",
        "=user__subafdeling__facility__enterprise__kbo",
    )
    insz_search_fields = ("user__person__insz",)
    kbo_search_fields = ("user__subafdeling__facility__enterprise__kbo",)
    autocomplete_fields = ("user", "created_by")
    # The effective dates are what the applications see; the admin may set them directly (a trainer's
    # repair), the portal only through the propagation delay.
    fields = (
        "user",
        "role",
        "start_date",
        "end_date",
        "effective_start_date",
        "effective_end_date",
        "removed_at",
        "pending_until",
        "created_at",
        "created_by",
    )
    readonly_fields = ("created_at", "removed_at", "pending_until")
    ordering = ("-pk",)
    show_full_result_count = False

    person_insz = insz_column("user__person__insz")
    enterprise_kbo = kbo_column("user__subafdeling__facility__enterprise__kbo")

    @admin.display(description=_("Persoon"), ordering="user__person__last_name")
    def user_person(self, obj):
        return obj.user.person

    @admin.display(description=_("Subafdeling"), ordering="user__subafdeling__name")
    def subafdeling(self, obj):
        return obj.user.subafdeling

    @admin.display(description=_("HCO-nummer"), ordering="user__subafdeling__facility__hco_number")
    def hco_number(self, obj):
        return obj.user.subafdeling.facility.hco_number

    def lookup_allowed(self, lookup, value, request):
        # The person and subafdeling pages link here with these filters.
        if lookup in {"user__person__id__exact", "user__subafdeling__id__exact"}:
            return True
        return super().lookup_allowed(lookup, value, request)

    def save_model(self, request, obj, form, change):
        obj.application_id = obj.role.application_id
        if not change and obj.created_by_id is None and getattr(request.user, "pk", None):
            obj.created_by = request.user
        return super().save_model(request, obj, form, change)


@admin.register(SimulatedApplication)
class SimulatedApplicationAdmin(SafeInputAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "application", "has_token")
    list_select_related = ("application",)
    filter_horizontal = ("roles",)
    fields = ("slug", "name", "tagline", "application", "roles")
    actions = ["rotate_token"]

    @admin.display(description=_("API-token"), boolean=True)
    def has_token(self, obj):
        return bool(obj.token_hash)

    @admin.action(description=_("Een nieuw API-token maken"))
    def rotate_token(self, request, queryset):
        for app in queryset:
            token = services.application_token_rotate(actor=request.user, app=app)
            self.message_user(
                request,
                _("Nieuw API-token voor %(app)s (wordt maar één keer getoond): %(token)s")
                % {"app": app.name, "token": token},
                messages.WARNING,
            )
