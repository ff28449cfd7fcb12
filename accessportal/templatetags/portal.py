from django import template
from django.utils.html import format_html

from accessportal import clock, identifiers, rows
from accessportal.forms import form_fragment_key
from accessportal.fragments import fragment_get, fragment_keep

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
def fragment_key(form):
    """What a form shows, for the key of a {% keep %}: accessportal.forms.form_fragment_key."""
    return form_fragment_key(form)


@register.filter
def choice_label(instance, name):
    """``{{ row|choice_label:"status" }}``: what ``row.get_status_display`` says, for the rows of a
    list (accessportal.rows.choice_label)."""
    return rows.choice_label(instance, name)


@register.filter
def manual_anchor(section):
    """The Help page's anchor of a manual section: "3.6.2" → "h-3-6-2"."""
    return "h-" + str(section).replace(".", "-")


@register.filter
def moment(value):
    """A moment as the portal says when something takes effect (``clock.moment_text``)."""
    return clock.moment_text(value) if value else ""


@register.filter
def error_anchor(field) -> str:
    """The id an error summary's link points at: the field's input, or for a list of radio buttons
    or checkboxes (whose label has no single target) the first of them."""
    if field.id_for_label:
        return field.id_for_label
    subwidgets = field.subwidgets
    return subwidgets[0].id_for_label if subwidgets else field.auto_id


@register.filter
def naming_its_field(error, field) -> str:
    """An error summary's entry names its field (WCAG 3.3.1): "Startdatum: Geen geldige datum: ...",
    unless the message already does ("De startdatum is verplicht.", "Kies wie Hoofdtoegangsbeheerder
    wordt.")."""
    label = str(field.label or "")
    if not label or label.lower() in str(error).lower():
        return error
    return format_html("{}: {}", label, error)


@register.simple_tag(takes_context=True)
def note_shown_errors(context, form) -> str:
    """Note the error messages a page shows on ``request.shown_errors`` (training keeps the last one
    a trainee saw); renders nothing."""
    request = context.get("request")
    if request is not None and form is not None:
        shown = getattr(request, "shown_errors", [])
        shown.extend(str(error) for errors in form.errors.values() for error in errors)
        request.shown_errors = shown
    return ""


@register.filter
def page_window(page):
    """The page numbers a pager links to: the first and last, and four on either side of the current
    one, with "…" between (a list of 20,000 users has 2,000 pages: a link to each weighed 250 KB)."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=4, on_ends=1)


class KeepNode(template.Node):
    def __init__(self, nodelist, name: str, parts, unless=None):
        self.nodelist, self.name, self.parts, self.unless = nodelist, name, parts, unless

    def render(self, context):
        if self.unless is not None and self.unless.resolve(context):
            return self.nodelist.render(context)
        key = (self.name, *(part.resolve(context) for part in self.parts))
        kept = fragment_get(key)
        if kept is None:
            kept = fragment_keep(key, self.nodelist.render(context))
        return kept


@register.tag
def keep(parser, token):
    """``{% keep "name" value ... %}…{% endkeep %}``: the fragment rendered once per process for each
    combination of the values (accessportal.fragments); the values must name everything it shows.
    ``{% keep "name" value ... unless condition %}`` renders it every time while the condition holds
    (a bound form, whose errors a service may have found)."""
    bits = token.split_contents()
    unless = None
    if "unless" in bits:
        at = bits.index("unless")
        if at != len(bits) - 2:
            raise template.TemplateSyntaxError("{% keep %}: 'unless' takes one condition, last.")
        unless, bits = parser.compile_filter(bits[-1]), bits[:at]
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            "{% keep %} needs a quoted name first, then the values of its key."
        )
    nodelist = parser.parse(("endkeep",))
    parser.delete_first_token()
    return KeepNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]], unless)
