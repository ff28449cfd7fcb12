"""CSAM's "Beheer der Toegangsbeheerders" (BTB): the HTB procedure (manual 3.2.2, 3.2.3) and co-HTBs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accessportal.http import add_service_error, flash_outcome, get_or_404
from accessportal.identifiers import insz_format
from administrators import permissions, procedure, selectors, services
from administrators.forms import (
    EnterpriseNumberForm,
    HtbConfirmationForm,
    HtbRegistrationForm,
    PersonNumberForm,
)
from administrators.models import HtbDraft
from enterprises.selectors import person_for_enterprise

BTB_STEPS = ("1", "2", "3")


@require_safe
def btb(request):
    """The BTB page with its three steps; each step opens its box (``?stap=``), no JavaScript needed."""
    step = request.GET.get("stap") if request.GET.get("stap") in BTB_STEPS else "1"
    led = permissions.enterprises_led_by(request.user) if request.user.is_authenticated else []
    return render(request, "administrators/btb.html", {"step": step, "enterprises_led": led})


@login_required
@require_http_methods(["GET", "POST"])
def htb_start(request):
    """Step 1 "Een Hoofdtoegangsbeheerder aanstellen": the enterprise number."""
    form = EnterpriseNumberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = procedure.htb_draft_start(actor=request.user, kbo=form.cleaned_data["kbo"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return redirect("administrators:htb-registration", draft_id=draft.pk)
    return render(request, "administrators/htb_start.html", {"form": form})


def _draft(request, draft_id) -> HtbDraft:
    return get_or_404(selectors.htb_draft_of, request.user, draft_id)


def _registration_context(request, draft: HtbDraft) -> dict:
    current = selectors.current_htb(draft.enterprise)
    return {
        "draft": draft,
        "enterprise": draft.enterprise,
        "current_htb": current,
        "is_current_htb": current is not None and current.person_id == request.user.pk,
    }


@login_required
@require_http_methods(["GET", "POST"])
def htb_registration(request, draft_id):
    """Step 2 "Registratie onderneming in CSAM"; "← Verbeteren" comes back here with the answers kept."""
    draft = _draft(request, draft_id)
    if draft.is_confirmed:
        return redirect("administrators:htb-done", draft_id=draft.pk)
    context = _registration_context(request, draft)
    initial = {
        "choice": draft.choice or None,
        "htb_insz": insz_format(draft.htb_insz) if draft.choice == HtbDraft.Choice.OTHER else "",
        "htb_email": draft.htb_email if draft.choice == HtbDraft.Choice.OTHER else "",
        "htb_phone": draft.htb_phone if draft.choice == HtbDraft.Choice.OTHER else "",
        "requester_email": draft.requester_email,
        "requester_phone": draft.requester_phone,
    }
    form = HtbRegistrationForm(
        request.POST or None,
        initial=initial,
        requester_name=request.user.full_name,
        allow_self=not context["is_current_htb"],
    )
    if request.method == "POST" and form.is_valid():
        try:
            procedure.htb_draft_answer(actor=request.user, draft=draft, **form.answers())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return redirect("administrators:htb-confirmation", draft_id=draft.pk)
    return render(request, "administrators/htb_registration.html", {**context, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def htb_confirmation(request, draft_id):
    """Step 3 "Registratie onderneming in CSAM - Bevestiging"."""
    draft = _draft(request, draft_id)
    if draft.is_confirmed:
        return redirect("administrators:htb-done", draft_id=draft.pk)
    if not draft.is_complete:
        return redirect("administrators:htb-registration", draft_id=draft.pk)
    form = HtbConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            procedure.htb_draft_confirm(
                actor=request.user, draft=draft, confirmed=form.cleaned_data["confirm"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return redirect("administrators:htb-done", draft_id=draft.pk)
    htb = person_for_enterprise(draft.enterprise, draft.htb_insz)
    proposed = {"change": "htb_appoint", "enterprise": draft.enterprise, "person": htb}
    return render(
        request,
        "administrators/htb_confirmation.html",
        {"draft": draft, "htb": htb, "form": form, "proposed": proposed},
    )


@login_required
@require_safe
def htb_done(request, draft_id):
    """Step 4 "Hoofdtoegangsbeheerder aangesteld!": shows the appointment, never makes one."""
    draft = _draft(request, draft_id)
    if not draft.is_confirmed:
        return redirect("administrators:htb-confirmation", draft_id=draft.pk)
    return render(request, "administrators/htb_done.html", {"draft": draft, "appointment": draft.appointment})


@login_required
@require_http_methods(["GET", "POST"])
def co_htbs(request, kbo):
    """The co-hoofdtoegangsbeheerders of an enterprise: the HTB appoints and removes them by INSZ."""
    enterprise = get_or_404(permissions.enterprise_led_by, request.user, kbo)
    form = PersonNumberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = person_for_enterprise(enterprise, form.cleaned_data["insz"])
        if person is None:
            form.add_error("insz", _("Deze persoon is niet gekend in het rijksregister."))
        else:
            try:
                services.co_htb_appoint(actor=request.user, enterprise=enterprise, person=person)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is aangesteld als Co-hoofdtoegangsbeheerder.") % {"name": person.full_name},
                )
                return redirect("administrators:co-htbs", kbo=enterprise.kbo)
    return render(
        request,
        "administrators/co_htbs.html",
        {
            "enterprise": enterprise,
            "htb": selectors.current_htb(enterprise),
            "co_htbs": selectors.co_htbs_of(enterprise),
            "form": form,
        },
    )


@login_required
@require_POST
def co_htb_remove(request, kbo, appointment_id):
    enterprise = get_or_404(permissions.enterprise_led_by, request.user, kbo)
    appointment = get_or_404(lambda: selectors.co_htbs_of(enterprise).filter(pk=appointment_id).first())
    flash_outcome(
        request,
        services.co_htb_remove,
        _("%(name)s is geen Co-hoofdtoegangsbeheerder meer.") % {"name": appointment.person.full_name},
        actor=request.user,
        appointment=appointment,
    )
    return redirect("administrators:co-htbs", kbo=enterprise.kbo)
