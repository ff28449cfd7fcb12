from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accessportal.admin import SafeInputAdminMixin, kbo_column
from training.models import Classroom, Sandbox, SandboxPerson


class SandboxInline(SafeInputAdminMixin, admin.TabularInline):
    model = Sandbox
    fields = ("number", "enterprise", "pin", "clock_offset", "last_error")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Classroom)
class ClassroomAdmin(SafeInputAdminMixin, admin.ModelAdmin):
    list_display = ("name", "trainer", "scenario", "size", "created_at", "built_at")
    list_filter = ("scenario",)
    list_select_related = ("trainer",)
    search_fields = ("name", "trainer__last_name", "trainer__username")
    autocomplete_fields = ("trainer",)
    readonly_fields = ("created_at", "built_at")
    inlines = [SandboxInline]


class SandboxPersonInline(SafeInputAdminMixin, admin.TabularInline):
    model = SandboxPerson
    fields = ("person", "part", "sort_order")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Sandbox)
class SandboxAdmin(SafeInputAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "enterprise", "enterprise_kbo", "clock_offset", "last_error_at")
    list_select_related = ("classroom", "enterprise")
    search_fields = ("enterprise__name", "=enterprise__kbo", "classroom__name")
    readonly_fields = (
        "classroom",
        "number",
        "enterprise",
        "pin",
        "clock_offset",
        "last_error",
        "last_error_at",
    )
    inlines = [SandboxPersonInline]

    enterprise_kbo = kbo_column("enterprise__kbo")

    def has_add_permission(self, request):
        return False  # sandboxes are built with their classroom (/opleiding/)


@admin.register(SandboxPerson)
class SandboxPersonAdmin(SafeInputAdminMixin, admin.ModelAdmin):
    list_display = ("person", "part", "sandbox")
    list_select_related = ("person", "sandbox__classroom")
    search_fields = ("person__last_name", "=person__insz")
    readonly_fields = ("sandbox", "person", "part", "sort_order")
    verbose_name = _("persoon van een zandbak")

    def has_add_permission(self, request):
        return False
