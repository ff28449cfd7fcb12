from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accessportal.admin import (
    IdentifierAdminMixin,
    NullDateListFilter,
    SafeInputAdminMixin,
    changelist_links,
    insz_column,
)
from accessportal.identifiers import insz_birth_date, insz_is_male
from identity.models import ItsmeCodeOrigin, Person, Title
from identity.services import card_unblock


class PinFormMixin(forms.Form):
    """An optional new PIN for the simulated eID card, stored hashed."""

    new_pin = forms.RegexField(
        label=_("Nieuwe PIN-code"),
        regex=r"^[0-9]{4,12}$",
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("4 tot 12 cijfers. Leeg laten om de huidige PIN-code te behouden."),
        error_messages={"invalid": _("Een PIN-code bestaat uit 4 tot 12 cijfers.")},
    )

    new_itsme_code = forms.RegexField(
        label=_("Nieuwe itsme-code"),
        regex=r"^[0-9]{5}$",
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("5 cijfers. Leeg laten om de huidige itsme-code te behouden."),
        error_messages={"invalid": _("Een itsme-code bestaat uit 5 cijfers.")},
    )

    def apply_new_pin(self, person):
        if self.cleaned_data.get("new_pin"):
            person.set_pin(self.cleaned_data["new_pin"])
        if self.cleaned_data.get("new_itsme_code"):
            person.set_itsme_code(self.cleaned_data["new_itsme_code"], origin=ItsmeCodeOrigin.OWN)


class PersonCreationForm(PinFormMixin, AdminUserCreationForm):
    """Enter a person in the simulated national register; title and birth date follow from the INSZ."""

    class Meta:
        model = Person
        fields = ("insz", "last_name", "first_name", "email", "language")
        field_classes = {}

    def save(self, commit=True):
        person = self.instance
        person.birth_date = person.birth_date or insz_birth_date(person.insz)
        person.title = Title.DE_HEER if insz_is_male(person.insz) else Title.MEVROUW
        self.apply_new_pin(person)
        return super().save(commit=commit)


class PersonChangeForm(PinFormMixin, UserChangeForm):
    class Meta:
        model = Person
        fields = "__all__"
        # Person.username is optional (NULL when unset), which Django's UsernameField cannot hold.
        field_classes = {}

    def save(self, commit=True):
        self.apply_new_pin(self.instance)
        return super().save(commit=commit)


class CardBlockedListFilter(NullDateListFilter):
    title = _("eID-kaart")
    parameter_name = "eid"
    field_name = "card_blocked_at"
    null_label = _("Niet geblokkeerd")
    set_label = _("Geblokkeerd")


class ItsmeBlockedListFilter(NullDateListFilter):
    title = _("itsme")
    parameter_name = "itsme"
    field_name = "itsme_blocked_at"
    null_label = _("Niet geblokkeerd")
    set_label = _("Geblokkeerd")


@admin.register(Person)
class PersonAdmin(SafeInputAdminMixin, IdentifierAdminMixin, UserAdmin):
    form = PersonChangeForm
    add_form = PersonCreationForm
    fieldsets = (
        (None, {"fields": ("insz", "password")}),
        (
            _("Persoonsgegevens"),
            {"fields": ("title", "last_name", "first_name", "birth_date", "language", "email", "phone")},
        ),
        (
            _("Aanmeldmiddelen"),
            {
                "fields": (
                    "pin_status",
                    "new_pin",
                    "failed_pin_attempts",
                    "card_blocked_at",
                    "username",
                    "itsme_phone",
                    "itsme_code_status",
                    "new_itsme_code",
                    "failed_itsme_attempts",
                    "itsme_blocked_at",
                )
            },
        ),
        (_("Gegevens in het portaal"), {"fields": ("related_links",)}),
        (
            _("Rechten op de beheersite"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Belangrijke data"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "insz",
                    "last_name",
                    "first_name",
                    "email",
                    "language",
                    "new_pin",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    # A blocked card or itsme is unblocked by the action below, through identity.services.card_unblock
    # (audited); the admin never writes the block fields directly.
    readonly_fields = (
        "pin_status",
        "itsme_code_status",
        "related_links",
        "last_login",
        "failed_pin_attempts",
        "card_blocked_at",
        "failed_itsme_attempts",
        "itsme_blocked_at",
    )
    list_display = (
        "insz_display",
        "last_name",
        "first_name",
        "email",
        "language",
        "is_staff",
        "card_is_blocked",
        "itsme_is_blocked",
    )
    list_filter = (
        "is_staff",
        "is_superuser",
        "is_active",
        "language",
        "title",
        CardBlockedListFilter,
        ItsmeBlockedListFilter,
        "groups",
    )
    search_fields = ("last_name", "first_name", "insz", "email", "username")
    insz_search_fields = ("insz",)
    ordering = ("last_name", "first_name")
    show_full_result_count = False
    actions = ("unblock_card",)

    insz_display = insz_column("insz")

    @admin.display(description=_("eID geblokkeerd"), boolean=True, ordering="card_blocked_at")
    def card_is_blocked(self, obj):
        return obj.card_blocked

    @admin.display(description=_("itsme geblokkeerd"), boolean=True, ordering="itsme_blocked_at")
    def itsme_is_blocked(self, obj):
        return obj.itsme_blocked

    @admin.display(description=_("PIN-code"))
    def pin_status(self, obj):
        return _("ingesteld") if obj.pin else _("niet ingesteld")

    @admin.display(description=_("itsme-code"))
    def itsme_code_status(self, obj):
        if not obj.itsme_code:
            return _("niet ingesteld")
        return _("ingesteld (%(origin)s)") % {"origin": obj.get_itsme_code_origin_display()}

    @admin.display(description=_("Overzicht"))
    def related_links(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        person = {"person__id__exact": obj.pk}
        return changelist_links(
            [
                (_("Wettelijke mandaten"), "enterprises_legalmandate", person),
                (_("Tewerkstellingen"), "enterprises_employment", person),
                (_("Aanstellingen hoofdtoegangsbeheerder"), "administrators_htbappointment", person),
                (_("Aanstellingen co-hoofdtoegangsbeheerder"), "administrators_cohtbappointment", person),
                (_("Toegangsbeheerders"), "administrators_localadministrator", person),
                (_("Subafdelingsbeheerders"), "subdivisions_subafdelingadministrator", person),
                (_("Gebruiker van subafdelingen"), "users_subafdelinguser", person),
                (_("Toegekende rollen"), "roles_roleassignment", {"user__person__id__exact": obj.pk}),
                (
                    _("Gestructureerde berichten"),
                    "accessportal_structuredmessage",
                    {"recipient__id__exact": obj.pk},
                ),
                (_("Audittrail (als actor)"), "accessportal_auditevent", {"actor__id__exact": obj.pk}),
            ]
        )

    @admin.action(description=_("eID-kaart en itsme deblokkeren"), permissions=["change"])
    def unblock_card(self, request, queryset):
        """Through identity.services.card_unblock, one audited event per person."""
        people = list(
            queryset.filter(
                Q(card_blocked_at__isnull=False)
                | Q(failed_pin_attempts__gt=0)
                | Q(itsme_blocked_at__isnull=False)
                | Q(failed_itsme_attempts__gt=0)
            )
        )
        for person in people:
            card_unblock(actor=request.user, person=person)
        self.message_user(
            request,
            ngettext(
                "De eID-kaart en itsme van %(count)d persoon zijn gedeblokkeerd.",
                "De eID-kaarten en itsme van %(count)d personen zijn gedeblokkeerd.",
                len(people),
            )
            % {"count": len(people)},
            messages.SUCCESS,
        )
