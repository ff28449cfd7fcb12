from django import template
from django.utils import timezone

from accessportal import clock, identifiers

register = template.Library()


@register.filter
def insz(value):
    """85.07.30-033.28, the notation CSAM shows."""
    return identifiers.insz_format(value)


@register.filter
def insz_portal(value):
    """850730 033 28, the notation of the portal's lists."""
    return identifiers.insz_portal_format(value)


@register.filter
def kbo(value):
    """0406.633.304, the official notation."""
    return identifiers.kbo_format(value)


@register.filter
def kbo_portal(value):
    """406.633.304, as the portal shows it."""
    return identifiers.kbo_portal_format(value)


@register.filter
def manual_anchor(section):
    """The Help page's anchor of a manual section: "3.6.2" → "h-3-6-2"."""
    return "h-" + str(section).replace(".", "-")


@register.filter
def moment(value):
    """A moment as the portal says when something takes effect: "14:20" today, else "03/03/2026 14:20"."""
    if not value:
        return ""
    local = timezone.localtime(value)
    if local.date() == clock.today():
        return f"{local:%H:%M}"
    return f"{local:%d/%m/%Y %H:%M}"
