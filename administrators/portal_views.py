"""The "Toegangsbeheer voor Ondernemingen en Organisaties" pages of the enterprise and its
hoedanigheden (manual 3.2.4, 3.3, chapter 4 step 2)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accessportal.http import add_service_error, flash_outcome, get_or_404
from administrators import permissions, selectors, services
from administrators.forms import HoedanigheidActivationForm, HoedanigheidChoiceForm, HoedanigheidDetailsForm
from administrators.models import HoedanigheidActivation

ACTIVATION_SALT = "administrators.hoedanigheid-activation"


def _enterprise_context(request, kbo) -> dict:
    enterprise = get_or_404(permissions.enterprise_led_by, request.user, kbo)
    return {"enterprise": enterprise, "htb_level": permissions.htb_level(request.user, enterprise)}


@login_required
@require_safe
def enterprise(request, kbo):
    """The enterprise level for its HTB / co-HTB: its hoedanigheden and "De hoedanigheid activeren"."""
    context = _enterprise_context(request, kbo)
    enterprise = context["enterprise"]
    choice = HoedanigheidChoiceForm(queryset=selectors.hoedanigheden_to_activate(enterprise))
    active = enterprise.activations.select_related("hoedanigheid").order_by("hoedanigheid__name")
    return render(
        request,
        "administrators/portal_enterprise.html",
        {**context, "choice": choice, "active": active, "help_section": "h-3-3"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def hoedanigheid_activate(request, kbo):
    """ "Volgende" → the form (E-mailadres) → "Opslaan" → the overview → "Bevestigen".

    The overview carries the answers signed, so "Bevestigen" activates exactly what was shown; the
    service checks everything again and a second "Bevestigen" finds it already active."""
    context = _enterprise_context(request, kbo)
    enterprise = context["enterprise"]
    choice = HoedanigheidChoiceForm(
        request.GET or request.POST or None, queryset=selectors.hoedanigheden_to_activate(enterprise)
    )
    if not choice.is_valid():
        messages.error(request, _("Kies een hoedanigheid die nog niet geactiveerd is."))
        return redirect("administrators:enterprise", kbo=enterprise.kbo)
    hoedanigheid = choice.cleaned_data["hoedanigheid"]
    form = HoedanigheidActivationForm(request.POST or None, initial={"email": enterprise.email})
    step = "form"
    if request.method == "POST" and request.POST.get("action") == "bevestigen":
        try:
            answers = signing.loads(request.POST.get("answers", ""), salt=ACTIVATION_SALT, max_age=3600)
            if answers["hoedanigheid"] != hoedanigheid.code or answers["kbo"] != enterprise.kbo:
                raise signing.BadSignature
        except (signing.BadSignature, KeyError):
            messages.error(request, _("Deze aanvraag is verlopen of ongeldig. Begin opnieuw."))
            return redirect("administrators:enterprise", kbo=enterprise.kbo)
        activation = flash_outcome(
            request,
            services.hoedanigheid_activate,
            _("De hoedanigheid %(name)s werd geactiveerd.") % {"name": hoedanigheid.name},
            actor=request.user,
            enterprise=enterprise,
            hoedanigheid=hoedanigheid,
            email=answers["email"],
        )
        if activation is None:
            return redirect("administrators:enterprise", kbo=enterprise.kbo)
        return redirect("administrators:hoedanigheid", hoedanigheid_id=activation.pk)
    if request.method == "POST" and form.is_valid():
        step = "overview"
        context["answers"] = signing.dumps(
            {"kbo": enterprise.kbo, "hoedanigheid": hoedanigheid.code, "email": form.cleaned_data["email"]},
            salt=ACTIVATION_SALT,
        )
        context["proposed"] = {
            "change": "hoedanigheid_activate",
            "enterprise": enterprise,
            "hoedanigheid": hoedanigheid,
        }
    return render(
        request,
        "administrators/portal_hoedanigheid_activate.html",
        {**context, "form": form, "step": step, "chosen": hoedanigheid, "help_section": "h-3-3"},
    )


@login_required
@require_safe
def hoedanigheid(request, hoedanigheid_id):
    """The hoedanigheid's home page for its lokale beheerder (chapter 4 step 2)."""
    activation = get_or_404(permissions.activation_managed_by, request.user, hoedanigheid_id)
    return render(
        request,
        "administrators/portal_hoedanigheid.html",
        {
            "enterprise": activation.enterprise,
            "activation": activation,
            "manages_hoedanigheid": True,
            "help_section": "h-3-4",
        },
    )


def _hoedanigheid_context(activation: HoedanigheidActivation, **extra) -> dict:
    return {
        "enterprise": activation.enterprise,
        "activation": activation,
        "manages_hoedanigheid": True,
        "help_section": "h-3-4",
        **extra,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hoedanigheid_details(request, hoedanigheid_id):
    """ "De details van de hoedanigheid raadplegen of wijzigen": Benaming, Hoedanigheid,
    Ondernemingsnummer, Creatiedatum and the E-mailadres, which "Opslaan" changes
    (services.hoedanigheid_email_update). A refused address is shown next to the field and changes
    nothing."""
    activation = get_or_404(permissions.activation_managed_by, request.user, hoedanigheid_id)
    data = request.POST if request.method == "POST" else None
    form = HoedanigheidDetailsForm(data, initial={"email": activation.email})
    if request.method == "POST" and form.is_valid():
        try:
            services.hoedanigheid_email_update(
                actor=request.user, activation=activation, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Het e-mailadres van de hoedanigheid werd opgeslagen."))
            return redirect("administrators:hoedanigheid-details", hoedanigheid_id=activation.pk)
    return render(
        request,
        "administrators/portal_hoedanigheid_details.html",
        _hoedanigheid_context(activation, form=form),
    )


@login_required
@require_safe
def hoedanigheid_overview(request, hoedanigheid_id):
    """ "Beheer van de hoedanigheden" on the hoedanigheid level (chapter 4 step 2's menu): the
    enterprise's hoedanigheden the person manages, each with its Creatiedatum, E-mailadres and Lokale
    Beheerder, to go from one to the other. The HTB and the co-HTBs also get the way to activate
    another hoedanigheid (the enterprise level, manual 3.3). The manual shows the entry but not its
    screen: this is the simplest screen that does what its name says."""
    activation = get_or_404(permissions.activation_managed_by, request.user, hoedanigheid_id)
    enterprise = activation.enterprise
    rows = list(permissions.enterprise_activations_managed_by(request.user, enterprise))
    return render(
        request,
        "administrators/portal_hoedanigheden.html",
        _hoedanigheid_context(
            activation, rows=rows, htb_level=permissions.htb_level(request.user, enterprise)
        ),
    )
