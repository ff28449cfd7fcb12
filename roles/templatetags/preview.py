"""``{% wat_verandert proposed as preview %}``: the preview of a proposed change (roles.preview) for
templates/partials/preview.html, so that every confirmation screen shows it without its app importing
roles."""

from django import template

from roles.preview import preview_of

register = template.Library()


@register.simple_tag(takes_context=True)
def wat_verandert(context, proposed):
    if not proposed:
        return None
    request = context.get("request")
    return preview_of(proposed, query=request.GET if request is not None else None)
