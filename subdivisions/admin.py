from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accessportal.admin import (
    ChainRowAdminMixin,
    IdentifierAdminMixin,
    ReadOnlyAdminMixin,
    SafeInputAdminMixin,
    insz_column,
    kbo_column,
)
from administrators.admin import AppointmentAdmin, CurrentAppointmentListFilter
from subdivisions.models import Subafdeling, SubafdelingAdministrator, SubafdelingAuthorisation


class SubafdelingAuthorisationInline(SafeInputAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = SubafdelingAuthorisation
    fields = ("application", "created_at")
    readonly_fields = ("created_at",)
    extra = 0


class SubafdelingAdministratorInline(SafeInputAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = SubafdelingAdministrator
    fk_name = "subafdeling"
    fields = ("person", "appointed_by", "started_at", "ended_at")
    autocomplete_fields = ("person", "appointed_by")
    extra = 0


@admin.register(Subafdeling)
class SubafdelingAdmin(SafeInputAdminMixin, ChainRowAdminMixin, IdentifierAdminMixin, admin.ModelAdmin):
    """Read-only: a subafdeling is added, changed and blocked on the portal (subdivisions.services)."""

    list_display = (
        "name",
        "subdivision_type",
        "facility__hco_number",
        "hoedanigheid_name",
        "enterprise_name",
        "enterprise_kbo",
        "status",
        "created_at",
    )
    list_filter = ("status", "subdivision_type", "activation__hoedanigheid")
    list_select_related = (
        "subdivision_type",
        "facility",
        "activation__hoedanigheid",
        "activation__enterprise",
    )
    search_fields = (
        "name",
        "email",
        "facility__hco_number",
        "facility__name",
        "activation__enterprise__name",
        "=activation__enterprise__kbo",
    )
    kbo_search_fields = ("activation__enterprise__kbo",)
    autocomplete_fields = ("activation", "facility", "created_by")
    fields = (
        "activation",
        "facility",
        "subdivision_type",
        "name",
        "email",
        "status",
        "created_at",
        "created_by",
    )
    inlines = [SubafdelingAuthorisationInline, SubafdelingAdministratorInline]

    enterprise_kbo = kbo_column("activation__enterprise__kbo")
    portal_url_name = "subdivisions:detail"

    def portal_url_kwargs(self, obj):
        return {"subafdeling_id": obj.pk}

    def get_queryset(self, request):
        # Other admins' autocompletes list str() of these rows, which names related rows. (A
        # changelist ignores list_select_related once get_queryset selects, hence the same list.)
        return super().get_queryset(request).select_related(*self.list_select_related)

    @admin.display(description=_("Hoedanigheid"), ordering="activation__hoedanigheid__name")
    def hoedanigheid_name(self, obj):
        return obj.activation.hoedanigheid.name

    @admin.display(description=_("Onderneming"), ordering="activation__enterprise__name")
    def enterprise_name(self, obj):
        return obj.activation.enterprise.name


@admin.register(SubafdelingAuthorisation)
class SubafdelingAuthorisationAdmin(
    SafeInputAdminMixin, ChainRowAdminMixin, IdentifierAdminMixin, admin.ModelAdmin
):
    list_display = (
        "application",
        "subafdeling",
        "subafdeling__facility__hco_number",
        "enterprise_kbo",
        "created_at",
    )
    list_filter = ("application", "subafdeling__subdivision_type")
    list_select_related = (
        "application",
        "subafdeling__subdivision_type",
        "subafdeling__facility__enterprise",
    )
    search_fields = (
        "application__name",
        "subafdeling__name",
        "subafdeling__facility__hco_number",
        "=subafdeling__facility__enterprise__kbo",
    )
    kbo_search_fields = ("subafdeling__facility__enterprise__kbo",)
    autocomplete_fields = ("subafdeling",)
    show_full_result_count = False

    enterprise_kbo = kbo_column("subafdeling__facility__enterprise__kbo")
    portal_url_name = "subdivisions:detail"

    def portal_url_kwargs(self, obj):
        return {"subafdeling_id": obj.subafdeling_id}


@admin.register(SubafdelingAdministrator)
class SubafdelingAdministratorAdmin(AppointmentAdmin):
    list_display = (
        "person",
        "person_insz",
        "subafdeling",
        "subafdeling__facility__hco_number",
        "enterprise_kbo",
        "started_at",
        "ended_at",
        "is_current",
    )
    list_filter = (CurrentAppointmentListFilter, "subafdeling__subdivision_type")
    list_select_related = ("person", "subafdeling__subdivision_type", "subafdeling__facility__enterprise")
    autocomplete_fields = ("person", "appointed_by", "subafdeling")
    search_fields = (
        "person__last_name",
        "person__first_name",
        "=person__insz",
        "subafdeling__name",
        "subafdeling__facility__hco_number",
        "=subafdeling__facility__enterprise__kbo",
    )
    kbo_search_fields = ("subafdeling__facility__enterprise__kbo",)
    fields = ("subafdeling", "person", "appointed_by", "started_at", "ended_at")

    person_insz = insz_column("person__insz")
    enterprise_kbo = kbo_column("subafdeling__facility__enterprise__kbo")
    portal_url_name = "subdivisions:detail"

    def portal_url_kwargs(self, obj):
        return {"subafdeling_id": obj.subafdeling_id}
