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
from administrators.models import (
    CoHtbAppointment,
    HoedanigheidActivation,
    HtbAppointment,
    HtbDraft,
    LocalAdministrator,
)


class CurrentAppointmentListFilter(admin.SimpleListFilter):
    """Huidig / Beëindigd: appointments are never deleted, ending one sets ``ended_at``."""

    title = _("Huidig / Beëindigd")
    parameter_name = "aanstelling"

    def lookups(self, request, model_admin):
        return [("huidig", _("Huidig")), ("beeindigd", _("Beëindigd"))]

    def queryset(self, request, queryset):
        if self.value() == "huidig":
            return queryset.filter(ended_at__isnull=True)
        if self.value() == "beeindigd":
            return queryset.filter(ended_at__isnull=False)
        return queryset


class AppointmentAdmin(SafeInputAdminMixin, ChainRowAdminMixin, IdentifierAdminMixin, admin.ModelAdmin):
    """Shared by every appointment admin: a person appointed by someone, current until ended. Read-only:
    appointing and ending go through the portal's screens and services."""

    list_filter = (CurrentAppointmentListFilter,)
    autocomplete_fields = ("person", "appointed_by")
    insz_search_fields = ("person__insz",)
    show_full_result_count = False

    person_insz = insz_column("person__insz")

    @admin.display(description=_("Huidig"), boolean=True, ordering="ended_at")
    def is_current(self, obj):
        return obj.is_current


@admin.register(HtbAppointment)
class HtbAppointmentAdmin(AppointmentAdmin):
    list_display = (
        "person",
        "person_insz",
        "enterprise",
        "enterprise_kbo",
        "email",
        "phone",
        "started_at",
        "ended_at",
        "is_current",
    )
    list_select_related = ("person", "enterprise")
    autocomplete_fields = ("person", "appointed_by", "enterprise")
    search_fields = (
        "person__last_name",
        "person__first_name",
        "=person__insz",
        "enterprise__name",
        "=enterprise__kbo",
        "email",
    )
    kbo_search_fields = ("enterprise__kbo",)
    fields = (
        "enterprise",
        "person",
        "email",
        "phone",
        "appointed_by",
        "requester_email",
        "requester_phone",
        "started_at",
        "ended_at",
    )

    enterprise_kbo = kbo_column("enterprise__kbo")
    portal_url_name = "administrators:enterprise"

    def portal_url_kwargs(self, obj):
        return {"kbo": obj.enterprise.kbo}


@admin.register(CoHtbAppointment)
class CoHtbAppointmentAdmin(AppointmentAdmin):
    list_display = (
        "person",
        "person_insz",
        "enterprise",
        "enterprise_kbo",
        "started_at",
        "ended_at",
        "is_current",
    )
    list_select_related = ("person", "enterprise")
    autocomplete_fields = ("person", "appointed_by", "enterprise")
    search_fields = (
        "person__last_name",
        "person__first_name",
        "=person__insz",
        "enterprise__name",
        "=enterprise__kbo",
    )
    kbo_search_fields = ("enterprise__kbo",)
    fields = ("enterprise", "person", "appointed_by", "started_at", "ended_at")

    enterprise_kbo = kbo_column("enterprise__kbo")
    portal_url_name = "administrators:enterprise"

    def portal_url_kwargs(self, obj):
        return {"kbo": obj.enterprise.kbo}


class LocalAdministratorInline(SafeInputAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = LocalAdministrator
    fields = ("kind", "person", "email", "local_email", "started_at", "ended_at")
    autocomplete_fields = ("person",)
    extra = 0


@admin.register(HoedanigheidActivation)
class HoedanigheidActivationAdmin(
    SafeInputAdminMixin, ChainRowAdminMixin, IdentifierAdminMixin, admin.ModelAdmin
):
    list_display = ("hoedanigheid", "enterprise", "enterprise_kbo", "email", "created_at")
    list_filter = ("hoedanigheid",)
    list_select_related = ("hoedanigheid", "enterprise")
    autocomplete_fields = ("enterprise", "activated_by")
    search_fields = ("enterprise__name", "=enterprise__kbo", "hoedanigheid__name", "email")
    kbo_search_fields = ("enterprise__kbo",)
    inlines = [LocalAdministratorInline]

    enterprise_kbo = kbo_column("enterprise__kbo")
    portal_url_name = "administrators:hoedanigheid"

    def portal_url_kwargs(self, obj):
        return {"hoedanigheid_id": obj.pk}

    def get_queryset(self, request):
        # Other admins' autocompletes list str() of these rows, which names related rows. (A
        # changelist ignores list_select_related once get_queryset selects, hence the same list.)
        return super().get_queryset(request).select_related(*self.list_select_related)


@admin.register(LocalAdministrator)
class LocalAdministratorAdmin(AppointmentAdmin):
    list_display = (
        "person",
        "person_insz",
        "kind",
        "hoedanigheid_name",
        "enterprise_name",
        "enterprise_kbo",
        "email",
        "started_at",
        "ended_at",
        "is_current",
    )
    list_filter = ("kind", CurrentAppointmentListFilter, "activation__hoedanigheid")
    list_select_related = ("person", "activation__hoedanigheid", "activation__enterprise")
    autocomplete_fields = ("person", "appointed_by", "activation")
    search_fields = (
        "person__last_name",
        "person__first_name",
        "=person__insz",
        "email",
        "activation__hoedanigheid__name",
        "activation__enterprise__name",
        "=activation__enterprise__kbo",
    )
    kbo_search_fields = ("activation__enterprise__kbo",)
    fields = (
        "activation",
        "kind",
        "person",
        "email",
        "local_email",
        "appointed_by",
        "started_at",
        "ended_at",
    )

    enterprise_kbo = kbo_column("activation__enterprise__kbo")
    portal_url_name = "administrators:managers"

    def portal_url_kwargs(self, obj):
        return {"hoedanigheid_id": obj.activation_id}

    @admin.display(description=_("Hoedanigheid"), ordering="activation__hoedanigheid__name")
    def hoedanigheid_name(self, obj):
        return obj.activation.hoedanigheid.name

    @admin.display(description=_("Onderneming"), ordering="activation__enterprise__name")
    def enterprise_name(self, obj):
        return obj.activation.enterprise.name


@admin.register(HtbDraft)
class HtbDraftAdmin(SafeInputAdminMixin, ReadOnlyAdminMixin, IdentifierAdminMixin, admin.ModelAdmin):
    """The runs of the HTB procedure: what a trainee entered, and whether it was confirmed."""

    list_display = ("enterprise", "requester", "choice", "htb_insz", "created_at", "appointment")
    list_filter = ("choice", ("appointment", admin.EmptyFieldListFilter))
    list_select_related = ("enterprise", "requester", "appointment")
    search_fields = ("enterprise__name", "requester__last_name", "requester__first_name")
    insz_search_fields = ("requester__insz", "htb_insz")
    kbo_search_fields = ("enterprise__kbo",)
    date_hierarchy = "created_at"
    show_full_result_count = False
