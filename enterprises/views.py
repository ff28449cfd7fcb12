from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from enterprises.models import Employment, LegalMandate


@login_required
@require_safe
def mandates(request):
    """ "Beheer van de mandaten": the signed-in person's legal functions and employment as the KBO
    and the employment register know them."""
    return render(
        request,
        "enterprises/mandates.html",
        {
            "mandates": LegalMandate.objects.filter(person=request.user).select_related("enterprise"),
            "employments": Employment.objects.filter(person=request.user).select_related("enterprise"),
        },
    )
