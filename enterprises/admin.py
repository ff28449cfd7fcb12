from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accessportal.admin import (
    IdentifierAdminMixin,
    PeriodListFilter,
    SafeInputAdminMixin,
    changelist_links,
    insz_column,
    kbo_column,
)
from enterprises.models import (
    Application,
    Employment,
    Enterprise,
    Facility,
    FacilityListing,
    Hoedanigheid,
    LegalMandate,
    SubdivisionType,
)

# An inline with more rows than this is left off the enterprise page; the overview links to the list.
INLINE_ROW_LIMIT = 100


class LegalMandateInline(SafeInputAdminMixin, admin.TabularInline):
    model = LegalMandate
    fields = ("person", "function", "start_date", "end_date")
    autocomplete_fields = ("person",)
    extra = 0


class EmploymentInline(SafeInputAdminMixin, admin.TabularInline):
    model = Employment
    fields = ("person", "start_date", "end_date")
    autocomplete_fields = ("person",)
    extra = 0


class FacilityInline(SafeInputAdminMixin, admin.TabularInline):
    model = Facility
    fields = ("hco_number", "name")
    show_change_link = True
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(SafeInputAdminMixin, IdentifierAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kbo_display", "legal_form", "postal_code", "city")
    list_filter = ("legal_form",)
    search_fields = ("name", "kbo", "city", "postal_code", "=facilities__hco_number")
    kbo_search_fields = ("kbo",)
    fieldsets = (
        (None, {"fields": ("kbo", "name", "legal_form", "founded_on", "email")}),
        (_("Adres"), {"fields": ("street", "postal_code", "city")}),
        (_("Overzicht"), {"fields": ("related_links",)}),
    )
    readonly_fields = ("related_links",)
    inlines = [LegalMandateInline, EmploymentInline, FacilityInline]

    kbo_display = kbo_column("kbo")

    def get_inlines(self, request, obj):
        if obj is None:
            return self.inlines
        # A large employer has thousands of employments: such a list belongs on its own changelist.
        return [
            inline
            for inline in self.inlines
            if inline.model._default_manager.filter(enterprise=obj)[: INLINE_ROW_LIMIT + 1].count()
            <= INLINE_ROW_LIMIT
        ]

    @admin.display(description=_("Gegevens van de onderneming"))
    def related_links(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        enterprise = {"enterprise__id__exact": obj.pk}
        return changelist_links(
            [
                (_("Wettelijke mandaten"), "enterprises_legalmandate", enterprise),
                (_("Tewerkstellingen"), "enterprises_employment", enterprise),
                (_("Voorzieningen (CoBRHA)"), "enterprises_facility", enterprise),
                (_("Aanstellingen hoofdtoegangsbeheerder"), "administrators_htbappointment", enterprise),
                (_("Aanstellingen co-hoofdtoegangsbeheerder"), "administrators_cohtbappointment", enterprise),
                (_("Actieve hoedanigheden"), "administrators_hoedanigheidactivation", enterprise),
                (_("Audittrail"), "accessportal_auditevent", {"enterprise_kbo": obj.kbo}),
            ]
        )


class PersonEnterpriseAdmin(SafeInputAdminMixin, IdentifierAdminMixin, admin.ModelAdmin):
    """Rows linking a person to an enterprise."""

    list_select_related = ("person", "enterprise")
    autocomplete_fields = ("person", "enterprise")
    search_fields = (
        "person__last_name",
        "person__first_name",
        "=person__insz",
        "enterprise__name",
        "=enterprise__kbo",
    )
    insz_search_fields = ("person__insz",)
    kbo_search_fields = ("enterprise__kbo",)
    show_full_result_count = False

    person_insz = insz_column("person__insz")
    enterprise_kbo = kbo_column("enterprise__kbo")


@admin.register(LegalMandate)
class LegalMandateAdmin(PersonEnterpriseAdmin):
    list_display = (
        "person",
        "person_insz",
        "function",
        "enterprise",
        "enterprise_kbo",
        "start_date",
        "end_date",
    )
    list_filter = (PeriodListFilter, "function")


@admin.register(Employment)
class EmploymentAdmin(PersonEnterpriseAdmin):
    list_display = ("person", "person_insz", "enterprise", "enterprise_kbo", "start_date", "end_date")
    list_filter = (PeriodListFilter,)
    ordering = ("-pk",)


@admin.register(SubdivisionType)
class SubdivisionTypeAdmin(SafeInputAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}


@admin.register(Application)
class ApplicationAdmin(SafeInputAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "sort_order")
    search_fields = ("name", "code", "description")
    prepopulated_fields = {"code": ("name",)}


@admin.register(Hoedanigheid)
class HoedanigheidAdmin(SafeInputAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "sort_order")
    list_filter = ("subdivision_types",)
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
    filter_horizontal = ("applications", "subdivision_types")


class FacilityListingInline(SafeInputAdminMixin, admin.TabularInline):
    model = FacilityListing
    fields = ("subdivision_type", "name")
    extra = 0


@admin.register(Facility)
class FacilityAdmin(SafeInputAdminMixin, IdentifierAdminMixin, admin.ModelAdmin):
    list_display = ("name", "hco_number", "enterprise", "enterprise_kbo")
    list_filter = ("subdivision_types",)
    list_select_related = ("enterprise",)
    search_fields = ("name", "hco_number", "enterprise__name", "=enterprise__kbo")
    kbo_search_fields = ("enterprise__kbo",)
    autocomplete_fields = ("enterprise",)
    inlines = [FacilityListingInline]

    enterprise_kbo = kbo_column("enterprise__kbo")


@admin.register(FacilityListing)
class FacilityListingAdmin(SafeInputAdminMixin, IdentifierAdminMixin, admin.ModelAdmin):
    list_display = ("name", "subdivision_type", "facility", "facility__hco_number", "enterprise_kbo")
    list_filter = ("subdivision_type",)
    list_select_related = ("facility__enterprise", "subdivision_type")
    search_fields = ("name", "facility__name", "facility__hco_number", "=facility__enterprise__kbo")
    kbo_search_fields = ("facility__enterprise__kbo",)
    autocomplete_fields = ("facility",)

    enterprise_kbo = kbo_column("facility__enterprise__kbo")
