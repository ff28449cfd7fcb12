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
from users.models import (
    ApplicationRight,
    PortalCertificate,
    SubafdelingUser,
    SubafdelingUserTotal,
    UserImport,
    UserImportRow,
)


class ApplicationRightInline(SafeInputAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = ApplicationRight
    fields = ("application", "created_at")
    extra = 0


@admin.register(SubafdelingUser)
class SubafdelingUserAdmin(SafeInputAdminMixin, ChainRowAdminMixin, IdentifierAdminMixin, admin.ModelAdmin):
    """Read-only: a user and their application rights are added, changed and removed on the portal
    (users.services), where the rights take effect at once and each change is audited."""

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
    inlines = [ApplicationRightInline]
    # Newest first: sorting 200,000 users by the person's name takes a second on every page.
    ordering = ("-pk",)
    show_full_result_count = False

    person_insz = insz_column("person__insz")
    enterprise_kbo = kbo_column("subafdeling__facility__enterprise__kbo")
    portal_url_name = "users:edit"

    def portal_url_kwargs(self, obj):
        return {"subafdeling_id": obj.subafdeling_id, "user_id": obj.pk}

    def get_queryset(self, request):
        # Other admins' autocompletes list str() of these rows, which names related rows. (A
        # changelist ignores list_select_related once get_queryset selects, hence the same list.)
        return super().get_queryset(request).select_related(*self.list_select_related)


@admin.register(ApplicationRight)
class ApplicationRightAdmin(SafeInputAdminMixin, ChainRowAdminMixin, IdentifierAdminMixin, admin.ModelAdmin):
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
    ordering = ("-pk",)
    show_full_result_count = False

    person_insz = insz_column("user__person__insz")
    portal_url_name = "users:edit"

    def portal_url_kwargs(self, obj):
        return {"subafdeling_id": obj.subafdeling_id, "user_id": obj.user_id}

    @admin.display(description=_("Persoon"), ordering="user__person__last_name")
    def user_person(self, obj):
        return obj.user.person


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


@admin.register(SubafdelingUserTotal)
class SubafdelingUserTotalAdmin(SafeInputAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """A subafdeling's number of users, kept by the database's triggers (users.totals): staff look,
    nobody writes it."""

    list_display = ("subafdeling", "subafdeling__facility__hco_number", "users")
    list_select_related = ("subafdeling__subdivision_type", "subafdeling__facility")
    search_fields = ("subafdeling__name", "subafdeling__facility__hco_number")
    ordering = ("-users",)


class UserImportRowInline(SafeInputAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = UserImportRow
    fields = ("line", "insz", "name", "action", "message", "result", "done_at")
    extra = 0


@admin.register(UserImport)
class UserImportAdmin(SafeInputAdminMixin, ReadOnlyAdminMixin, IdentifierAdminMixin, admin.ModelAdmin):
    """Read-only: "Gebruikers importeren" checks and runs a file on the portal (users.imports), where
    every row goes through the single screens' services; staff look at what a file did."""

    list_display = (
        "filename",
        "subafdeling",
        "enterprise_kbo",
        "actor",
        "status",
        "created_at",
        "finished_at",
    )
    list_filter = ("status",)
    list_select_related = ("subafdeling__subdivision_type", "subafdeling__facility__enterprise", "actor")
    search_fields = (
        "filename",
        "subafdeling__name",
        "=subafdeling__facility__enterprise__kbo",
        "=actor__insz",
    )
    insz_search_fields = ("actor__insz",)
    kbo_search_fields = ("subafdeling__facility__enterprise__kbo",)
    exclude = ("digest",)
    inlines = [UserImportRowInline]
    ordering = ("-created_at",)

    enterprise_kbo = kbo_column("subafdeling__facility__enterprise__kbo")


@admin.register(UserImportRow)
class UserImportRowAdmin(SafeInputAdminMixin, ReadOnlyAdminMixin, IdentifierAdminMixin, admin.ModelAdmin):
    list_display = ("user_import", "line", "name", "insz_display", "action", "result", "done_at")
    list_filter = ("action", "result")
    list_select_related = ("user_import__subafdeling__subdivision_type",)
    search_fields = ("name", "=insz", "user_import__filename")
    insz_search_fields = ("insz",)
    exclude = ("data", "changes")

    insz_display = insz_column("insz")
