"""The person's own account in the portal: "Uw verantwoordelijken" in the top bar (chapter 4 step 2's
screenshot) and, under "Persoonlijke gegevens", "Beheer van het certificaat te gebruiken op het portaal
van de sociale zekerheid" (manual 3.6.1 and chapter 4 step 11).

The manual shows both links but neither screen. "Uw verantwoordelijken" lists, for every capacity of
the person, who manages them up the chain (users.selectors.responsibles_of). The certificate belongs to
the person's account in one enterprise, as the real portal's "Persoonlijke gegevens" do (the social
security's channels ask an X.509 certificate naming the enterprise or its application): anyone with a
capacity in the enterprise (HTB, co-HTB, (co-)lokale beheerder, subafdelingsbeheerder or user) registers,
sees and removes their own; everybody else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accessportal.http import add_service_error, get_or_404
from users import permissions, selectors, services
from users.certificates import MAX_SIZE
from users.forms import CertificateForm


@login_required
@require_safe
def responsibles(request):
    """ "Uw verantwoordelijken": per capacity, the subafdelingsbeheerders, the Lokale Beheerder and
    co-LBs (or the HTB as Lokale Beheerder), the HTB and co-HTBs, and the legal representatives."""
    return render(
        request,
        "users/responsibles.html",
        {"capacities": selectors.responsibles_of(request.user), "help_section": "h-3-4"},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def certificate(request, kbo):
    """The registered certificate (Onderwerp, Uitgever, Serienummer, Geldig vanaf / tot, the SHA-256
    fingerprint) and "Opladen" for a new one (PEM or DER, at most 32 KB). A refused file gets its
    message next to the field and changes nothing."""
    enterprise = get_or_404(permissions.enterprise_served_by, request.user, kbo)
    form = CertificateForm(request.POST, request.FILES) if request.method == "POST" else CertificateForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["certificate"]
        try:
            services.certificate_register(
                actor=request.user, enterprise=enterprise, data=upload.read(MAX_SIZE + 1)
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Uw certificaat werd opgeslagen."))
            return redirect("users:certificate", kbo=enterprise.kbo)
    return render(
        request,
        "users/certificate.html",
        {
            "enterprise": enterprise,
            "form": form,
            "certificate": selectors.certificate_of(request.user, enterprise),
            "help_section": "h-3-6-1",
        },
    )


@login_required
@require_POST
def certificate_remove(request, kbo):
    enterprise = get_or_404(permissions.enterprise_served_by, request.user, kbo)
    services.certificate_remove(actor=request.user, enterprise=enterprise)
    messages.success(request, _("Uw certificaat werd verwijderd."))
    return redirect("users:certificate", kbo=enterprise.kbo)
