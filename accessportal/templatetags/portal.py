from django import template

from accessportal import identifiers

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
