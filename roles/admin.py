from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accessportal.admin import (
    ChainRowAdminMixin,
    CompositeKeyAdminMixin,
    IdentifierAdminMixin,
    PeriodListFilter,
    SafeInputAdminMixin,
    insz_column,
    kbo_column,
)
from roles import services
from roles.models import Role, RoleAssignment, SimulatedApplication


@admin.register(Role)
class RoleAdmin(SafeInputAdminMixin, CompositeKeyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "application", "sort_order")
    list_filter = ("application",)
    list_select_related = ("application",)
    search_fields = ("name", "application__name")
    # Assignments name the role together with its application.
    composite_key_fields = ("application",)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SafeInputAdminMixin, ChainRowAdminMixin, IdentifierAdminMixin, admin.ModelAdmin):
    """Read-only: roles are given, changed and removed in the roles editor (roles.services), which
    audits the change and takes effect after the propagation delay."""

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
    ordering = ("-pk",)
    show_full_result_count = False

    person_insz = insz_column("user__person__insz")
    enterprise_kbo = kbo_column("user__subafdeling__facility__enterprise__kbo")
    portal_url_name = "roles:person"

    def portal_url_kwargs(self, obj):
        return {"subafdeling_id": obj.user.subafdeling_id, "user_id": obj.user_id}

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
