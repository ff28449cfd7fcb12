"""The admin of the portal's own models (audit trail, outbox, structured messages) and the small
building blocks every app's admin shares.

The building blocks know no other app: models and field paths come in as class attributes.
"""

import json

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accessportal import clock
from accessportal.forms import ModelChoiceField, ModelMultipleChoiceField
from accessportal.identifiers import (
    InszField,
    KboField,
    insz_compact,
    insz_format,
    kbo_compact,
    kbo_format,
)
from accessportal.mail_addresses import PlainEmailField
from accessportal.models import AuditEvent, OutboxMail, Propagation, StructuredMessage

# Widest notation people type: "BE 0406.633.304", "85.07.30-033.28 " ...
IDENTIFIER_INPUT_MAX_LENGTH = 20


def _resolve(obj, path: str):
    """Follow a Django field path (``person__insz``) on an instance; None when a link is missing."""
    value = obj
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part, None)
    return value


def identifier_column(path: str, formatter, description, ordering: str | None = None):
    """A list_display column showing the identifier at ``path`` in its official notation."""

    @admin.display(description=description, ordering=ordering or path)
    def column(self, obj):
        value = _resolve(obj, path)
        return formatter(value) if value else "-"

    return column


def insz_column(path: str = "insz", description=None):
    return identifier_column(path, insz_format, description or _("INSZ"))


def kbo_column(path: str = "kbo", description=None):
    return identifier_column(path, kbo_format, description or _("Ondernemingsnummer"))


def compact_insz_term(term: str) -> str | None:
    """The compact INSZ a search term stands for (``75.03.12-033.39`` -> ``75031203339``), or None."""
    number = insz_compact(term.strip())
    return number if len(number) == 11 and number.isdigit() else None


def compact_kbo_term(term: str) -> str | None:
    """The compact KBO number a search term stands for (``0406.633.304``, ``BE 406633304``), or None."""
    number = kbo_compact(term.strip())
    return number if len(number) == 10 and number.isdigit() else None


class IdentifierAdminMixin:
    """Search and edit INSZ and KBO numbers in any notation.

    ``insz_search_fields`` / ``kbo_search_fields`` name the paths of the compact fields (``insz``,
    ``person__insz``, ``enterprise__kbo``). A search term that compacts to an INSZ (11 digits) or a
    KBO number (10 digits) also matches those fields exactly, on top of the ordinary search_fields,
    so "75.03.12-033.39" finds the person stored as 75031203339.

    Form fields for InszField / KboField accept the dotted notation; the model field compacts and
    validates it.
    """

    insz_search_fields: tuple[str, ...] = ()
    kbo_search_fields: tuple[str, ...] = ()

    def identifier_search_q(self, search_term: str) -> Q | None:
        condition = Q()
        insz = compact_insz_term(search_term) if self.insz_search_fields else None
        if insz:
            for path in self.insz_search_fields:
                condition |= Q(**{path: insz})
        kbo = compact_kbo_term(search_term) if self.kbo_search_fields else None
        if kbo:
            for path in self.kbo_search_fields:
                condition |= Q(**{path: kbo})
        return condition or None

    def get_search_results(self, request, queryset, search_term):
        base = queryset
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        condition = self.identifier_search_q(search_term or "")
        if condition is not None:
            queryset = queryset | base.filter(condition)
            # Forward foreign keys never duplicate rows; a path through a reverse or many-to-many
            # relation might.
            may_have_duplicates = may_have_duplicates or any(
                _path_may_duplicate(self.model, path)
                for path in (*self.insz_search_fields, *self.kbo_search_fields)
            )
        return queryset, may_have_duplicates

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, InszField | KboField):
            kwargs.setdefault("max_length", IDENTIFIER_INPUT_MAX_LENGTH)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def _path_may_duplicate(model, path: str) -> bool:
    opts = model._meta
    for part in path.split("__")[:-1]:
        field = opts.get_field(part)
        if field.many_to_many or field.one_to_many:
            return True
        opts = field.related_model._meta
    return False


class SafeInputAdminMixin:
    """Every admin of the portal (and its inlines): rows are chosen with the portal's own choice fields
    (accessportal/forms.py), so an id beyond the column's range is a form error, never a 500 when the
    page is shown again; e-mail addresses follow the portal's one rule (PlainEmailField); and an add
    page prefilled from its address (``?person=…``) keeps only the values its form accepts."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.EmailField):
            kwargs.setdefault("form_class", PlainEmailField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", ModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        fields = self.get_form(request).base_fields
        kept = {}
        for name, value in super().get_changeform_initial_data(request).items():
            if name not in fields:
                continue
            try:
                kept[name] = fields[name].clean(value)
            except ValidationError:
                continue
        return kept


class ReadOnlyAdminMixin:
    """Rows written by the portal itself: the admin may look, never add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ChainRowAdminMixin(ReadOnlyAdminMixin):
    """A row of the access chain (appointments, activations, subafdelingen, users, rights, role
    assignments): the admin shows it, never writes it. A change goes through the portal screen and its
    service, which checks the rules, records an audit event and queues the propagation; the admin links
    to that screen. Each admin says where it is: ``portal_url_name`` and ``portal_url_kwargs(obj)``.
    """

    portal_url_name = ""

    def portal_url_kwargs(self, obj) -> dict:
        raise NotImplementedError

    @admin.display(description=_("Wijzigen in het portaal"))
    def portal_link(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        url = reverse(self.portal_url_name, kwargs=self.portal_url_kwargs(obj))
        return format_html('<a href="{}">{}</a>', url, url)

    def get_fields(self, request, obj=None):
        fields = tuple(super().get_fields(request, obj))
        return fields if "portal_link" in fields else ("portal_link", *fields)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if "portal_link" in fields else (*fields, "portal_link")


class CompositeKeyAdminMixin:
    """Rows that are the target of a composite foreign key (see accessportal/db.py).

    The fields in ``composite_key_fields`` are read-only once the row exists, and a change saves only
    the fields the form changed: SQLite's triggers refuse any UPDATE that names a key column of a
    referenced row, even one writing the same value back.
    """

    composite_key_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += tuple(name for name in self.composite_key_fields if name not in fields)
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        concrete = {field.name for field in obj._meta.concrete_fields if not field.primary_key}
        obj.save(
            update_fields=[
                name
                for name in form.changed_data
                if name in concrete and name not in self.composite_key_fields
            ]
        )
        return None


class PeriodListFilter(admin.SimpleListFilter):
    """Lopend / Toekomstig / Beëindigd for rows with a start_date / end_date period (today = the clock)."""

    title = _("periode")
    parameter_name = "periode"
    start_field = "start_date"
    end_field = "end_date"

    def lookups(self, request, model_admin):
        return [
            ("lopend", _("Lopend")),
            ("toekomstig", _("Toekomstig")),
            ("beeindigd", _("Beëindigd")),
        ]

    def queryset(self, request, queryset):
        today = clock.today()
        start, end = self.start_field, self.end_field
        if self.value() == "lopend":
            return queryset.filter(**{f"{start}__lte": today}).filter(
                Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": today})
            )
        if self.value() == "toekomstig":
            return queryset.filter(**{f"{start}__gt": today})
        if self.value() == "beeindigd":
            return queryset.filter(**{f"{end}__lt": today})
        return queryset


class NullDateListFilter(admin.SimpleListFilter):
    """Two choices on whether a date field is set; subclasses name the field and the labels."""

    field_name = ""
    null_label = _("Nee")
    set_label = _("Ja")

    def lookups(self, request, model_admin):
        return [("nee", self.null_label), ("ja", self.set_label)]

    def queryset(self, request, queryset):
        if self.value() == "nee":
            return queryset.filter(**{f"{self.field_name}__isnull": True})
        if self.value() == "ja":
            return queryset.filter(**{f"{self.field_name}__isnull": False})
        return queryset


def changelist_links(links) -> str:
    """HTML links to filtered changelists: ``links`` is a list of (label, "app_model", {filters})."""
    rows = []
    for label, model_name, filters in links:
        url = reverse(f"admin:{model_name}_changelist")
        rows.append((f"{url}?{urlencode(filters)}", label))
    if not rows:
        return "-"
    return format_html("<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a></li>', rows))


class SentListFilter(NullDateListFilter):
    title = _("verzonden")
    parameter_name = "verzonden"
    field_name = "sent_at"
    null_label = _("Nog niet verzonden")
    set_label = _("Verzonden")


class ReadListFilter(NullDateListFilter):
    title = _("gelezen")
    parameter_name = "gelezen"
    field_name = "read_at"
    null_label = _("Ongelezen")
    set_label = _("Gelezen")


def _pretty_json(value):
    if value is None:
        return "-"
    return format_html(
        "<pre>{}</pre>", json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str)
    )


@admin.register(AuditEvent)
class AuditEventAdmin(SafeInputAdminMixin, ReadOnlyAdminMixin, IdentifierAdminMixin, admin.ModelAdmin):
    list_display = ("occurred_at", "action", "actor", "target_type", "target_repr", "enterprise_kbo_display")
    list_filter = ("action", "target_type")
    list_select_related = ("actor",)
    search_fields = (
        "action",
        "target_repr",
        "=target_id",
        "=enterprise_kbo",
        "actor__last_name",
        "actor__first_name",
        "=actor__insz",
    )
    insz_search_fields = ("actor__insz",)
    kbo_search_fields = ("enterprise_kbo",)
    show_full_result_count = False
    fields = (
        "occurred_at",
        "actor",
        "action",
        "target_type",
        "target_id",
        "target_repr",
        "enterprise_kbo_display",
        "before_display",
        "after_display",
    )
    readonly_fields = fields

    enterprise_kbo_display = kbo_column("enterprise_kbo")

    @admin.display(description=_("Voor"))
    def before_display(self, obj):
        return _pretty_json(obj.before)

    @admin.display(description=_("Na"))
    def after_display(self, obj):
        return _pretty_json(obj.after)


@admin.register(OutboxMail)
class OutboxMailAdmin(SafeInputAdminMixin, ReadOnlyAdminMixin, IdentifierAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "recipient", "subject", "is_sent_display", "sent_at", "attempts")
    list_filter = (SentListFilter,)
    search_fields = ("recipient", "subject", "=message_id", "person__last_name", "=person__insz")
    insz_search_fields = ("person__insz",)
    show_full_result_count = False
    fields = (
        "message_id",
        "recipient",
        "person",
        "language",
        "subject",
        "body",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
    )
    readonly_fields = fields

    @admin.display(description=_("Verzonden"), boolean=True, ordering="sent_at")
    def is_sent_display(self, obj):
        return obj.is_sent


@admin.register(StructuredMessage)
class StructuredMessageAdmin(SafeInputAdminMixin, IdentifierAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "recipient", "recipient_insz", "category", "subject", "is_read")
    list_filter = (ReadListFilter,)
    list_select_related = ("recipient",)
    search_fields = (
        "subject",
        "category",
        "recipient__last_name",
        "recipient__first_name",
        "=recipient__insz",
    )
    insz_search_fields = ("recipient__insz",)
    autocomplete_fields = ("recipient",)
    show_full_result_count = False

    recipient_insz = insz_column("recipient__insz")

    @admin.display(description=_("Gelezen"), boolean=True, ordering="read_at")
    def is_read(self, obj):
        return obj.read_at is not None


class PendingListFilter(admin.SimpleListFilter):
    title = _("toestand")
    parameter_name = "toestand"

    def lookups(self, request, model_admin):
        return [
            ("pending", _("in afwachting")),
            ("applied", _("van kracht")),
            ("cancelled", _("ingetrokken")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "pending":
                return queryset.filter(applied_at__isnull=True, cancelled_at__isnull=True)
            case "applied":
                return queryset.filter(applied_at__isnull=False)
            case "cancelled":
                return queryset.filter(cancelled_at__isnull=False)
        return queryset


@admin.register(Propagation)
class PropagationAdmin(SafeInputAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "target_repr",
        "target_model",
        "delete",
        "created_at",
        "due_at",
        "applied_at",
        "cancelled_at",
    )
    list_filter = (PendingListFilter, "target_model", "delete")
    search_fields = ("target_repr", "=target_id")
    show_full_result_count = False
    fields = (
        "target_model",
        "target_id",
        "target_repr",
        "values",
        "delete",
        "notify",
        "created_at",
        "due_at",
        "applied_at",
        "cancelled_at",
    )
    readonly_fields = fields


admin.site.unregister(Group)


@admin.register(Group)
class PortalGroupAdmin(SafeInputAdminMixin, GroupAdmin):
    """Django's groups ("Opleiders"), with the portal's safe choice fields like every other admin."""
