from django.contrib import admin

from accessportal.admin import SafeInputAdminMixin
from helpdesk.models import Ticket, TicketAnswer


class TicketAnswerInline(SafeInputAdminMixin, admin.TabularInline):
    model = TicketAnswer
    extra = 0
    can_delete = False
    readonly_fields = ["author", "body", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(SafeInputAdminMixin, admin.ModelAdmin):
    """Read-only: tickets are written by the web form and answered on /opleiding/helpdesk/, through the
    services (audit and mail)."""

    list_display = ["number", "created_at", "subject", "last_name", "first_name", "status"]
    list_filter = ["status"]
    search_fields = ["number", "subject", "last_name", "first_name", "email"]
    exclude = ["attachment"]
    inlines = [TicketAnswerInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Ticket._meta.fields if field.name != "attachment"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
