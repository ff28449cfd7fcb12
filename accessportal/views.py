from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def csam_home(request):
    """CSAM's public home page (manual 3.2.2) with its three services."""
    return render(
        request,
        "accessportal/csam_home.html",
        {"digital_keys_url": "#diensten", "btb_url": "#diensten", "mandates_url": "#diensten"},
    )
