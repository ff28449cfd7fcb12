"""The map of an enterprise's chain: legal representatives → HTB and co-HTBs → per hoedanigheid the
lokale beheerder and co-LBs → subafdelingen with their subafdelingsbeheerder → users and the
applications they reach, now or at a moment (history.state). Broken links carry the diagnosis's words.
A fixed number of queries, whatever the size of the enterprise; at most ``USERS_SHOWN`` users per
subafdeling are drawn (the others are counted).
"""

from urllib.parse import urlencode

from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accessportal import clock
from history.models import Period, PeriodKind
from history.state import ChainMap, Node, _at, activation_model

USERS_SHOWN = 12


def _url(name: str, moment=None, **kwargs) -> str:
    url = reverse(name, kwargs=kwargs)
    return f"{url}?{urlencode({'op': moment.isoformat(timespec='minutes')})}" if moment else url


def chain_map(enterprise, moment=None) -> ChainMap:
    LegalMandate = apps.get_model("enterprises", "LegalMandate")
    HtbAppointment = apps.get_model("administrators", "HtbAppointment")
    CoHtbAppointment = apps.get_model("administrators", "CoHtbAppointment")
    LocalAdministrator = apps.get_model("administrators", "LocalAdministrator")
    Subafdeling = apps.get_model("subdivisions", "Subafdeling")
    SubafdelingAdministrator = apps.get_model("subdivisions", "SubafdelingAdministrator")
    SimulatedApplication = apps.get_model("roles", "SimulatedApplication")
    Activation = activation_model()
    past = moment  # None: now
    at = moment or clock.now()
    day = timezone.localdate(at)

    mandates = list(
        LegalMandate.objects.current(on=day).filter(enterprise=enterprise).select_related("person")
    )
    representatives = {m.person_id for m in mandates}
    rep_nodes = [
        Node(
            f"rep-{m.person_id}",
            m.person.full_name,
            _("Wettelijk vertegenwoordiger"),
            _url("enterprises:mandates"),
        )
        for m in mandates
    ]

    managers = []
    htb = (
        _at(HtbAppointment.objects.filter(enterprise=enterprise), at)
        .select_related("person", "appointed_by")
        .first()
    )
    if htb is not None:
        node = Node(
            f"htb-{htb.pk}",
            htb.person.full_name,
            _("Hoofdtoegangsbeheerder"),
            _url("administrators:enterprise", kbo=enterprise.kbo),
        )
        if htb.appointed_by_id and htb.appointed_by_id not in representatives:
            node.flags.append(
                _(
                    "%(person)s werd aangesteld door %(by)s, die niet meer gekend is als wettelijk vertegenwoordiger "
                    "van deze onderneming in de KBO."
                )
                % {"person": htb.person.full_name, "by": htb.appointed_by.full_name}
            )
        managers.append(node)
    else:
        managers.append(
            Node(
                "htb-none",
                _("Geen Hoofdtoegangsbeheerder"),
                "",
                "",
                [
                    _(
                        "%(enterprise)s is nog niet geregistreerd in CSAM: een wettelijk vertegenwoordiger moet eerst "
                        "een Hoofdtoegangsbeheerder aanstellen."
                    )
                    % {"enterprise": enterprise.name}
                ],
            )
        )
    for co in _at(CoHtbAppointment.objects.filter(enterprise=enterprise), at).select_related("person"):
        managers.append(
            Node(
                f"cohtb-{co.pk}",
                co.person.full_name,
                _("Co-hoofdtoegangsbeheerder"),
                _url("administrators:co-htbs", kbo=enterprise.kbo),
            )
        )

    activations = list(
        Activation.objects.filter(enterprise=enterprise, created_at__lte=at)
        .select_related("hoedanigheid")
        .order_by("hoedanigheid__sort_order", "hoedanigheid__name")
    )
    administrators: dict[int, list] = {}
    for row in (
        _at(LocalAdministrator.objects.filter(activation__in=activations), at)
        .select_related("person")
        .order_by("kind", "person__last_name")
    ):
        administrators.setdefault(row.activation_id, []).append(row)
    blocked = set(
        Period.objects.filter(kind=PeriodKind.BLOCKED, enterprise_kbo=enterprise.kbo)
        .at(at)
        .values_list("object_id", flat=True)
    )
    subafdelingen: dict[int, list] = {}
    all_subafdelingen = list(
        Subafdeling.objects.filter(activation__in=activations, created_at__lte=at)
        .select_related("facility", "subdivision_type")
        .order_by("name", "pk")
    )
    for subafdeling in all_subafdelingen:
        subafdelingen.setdefault(subafdeling.activation_id, []).append(subafdeling)
    ids = [s.pk for s in all_subafdelingen]
    sub_managers: dict[int, list] = {}
    for row in _at(SubafdelingAdministrator.objects.filter(subafdeling_id__in=ids), at).select_related(
        "person"
    ):
        sub_managers.setdefault(row.subafdeling_id, []).append(row.person.full_name)
    periods = Period.objects.filter(enterprise_kbo=enterprise.kbo, subafdeling_id__in=ids).at(at)
    users: dict[int, list] = {}
    for period in (
        periods.filter(kind=PeriodKind.USER)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    ):
        users.setdefault(period.subafdeling_id, []).append(period)
    rights: dict[int, set] = {}
    roles: dict[int, list] = {}
    authorised: dict[int, set] = {}
    for period in periods.exclude(kind__in=[PeriodKind.USER, PeriodKind.BLOCKED]).only(
        "kind", "user_id", "subafdeling_id", "application_code", "data"
    ):
        if period.kind == PeriodKind.RIGHT:
            rights.setdefault(period.user_id, set()).add(period.application_code)
        elif period.kind == PeriodKind.ROLE:
            roles.setdefault(period.user_id, []).append(period)
        elif period.kind == PeriodKind.AUTHORISATION:
            authorised.setdefault(period.subafdeling_id, set()).add(period.application_code)
    simulated = list(SimulatedApplication.objects.select_related("application").prefetch_related("roles"))
    app_names = dict(apps.get_model("enterprises", "Application").objects.values_list("code", "name"))

    activation_nodes = []
    for activation in activations:
        name = activation.hoedanigheid.name
        rows = administrators.get(activation.pk, [])
        lines = [
            f"{_('Lokale Beheerder') if row.kind == 'LB' else _('Co-Lokale Beheerder')}: {row.person.full_name}"
            for row in rows
        ]
        node = Node(
            f"activation-{activation.pk}",
            name,
            "; ".join(lines)
            or (_("Lokale Beheerder (Hoofdtoegangsbeheerder)") + f": {htb.person.full_name}" if htb else ""),
            _url("administrators:managers", past, hoedanigheid_id=activation.pk),
        )
        if not rows and htb is None:
            node.flags.append(
                _(
                    "De hoedanigheid %(name)s heeft niemand die haar kan beheren: geen (co-)lokale beheerder en "
                    "geen Hoofdtoegangsbeheerder."
                )
                % {"name": name}
            )
        for subafdeling in subafdelingen.get(activation.pk, []):
            where = _("%(name)s (HCO-nummer %(hco)s)") % {
                "name": subafdeling.name,
                "hco": subafdeling.facility.hco_number,
            }
            people = users.get(subafdeling.pk, [])
            sub_node = Node(
                f"subafdeling-{subafdeling.pk}",
                subafdeling.name,
                f"{subafdeling.subdivision_type.name} · HCO {subafdeling.facility.hco_number}"
                + (
                    f" · {_('Subafdelingsbeheerder')}: {', '.join(sub_managers[subafdeling.pk])}"
                    if sub_managers.get(subafdeling.pk)
                    else ""
                ),
                _url("users:list", past, subafdeling_id=subafdeling.pk),
            )
            is_blocked = subafdeling.pk in blocked
            if is_blocked and people:
                sub_node.flags.append(
                    _("De subafdeling %(where)s is geblokkeerd.") % {"where": where}
                    + " "
                    + ngettext(
                        "%(count)s gebruiker kan er niet werken.",
                        "%(count)s gebruikers kunnen er niet werken.",
                        len(people),
                    )
                    % {"count": len(people)}
                )
            for period in people[:USERS_SHOWN]:
                person = period.person.full_name
                held = rights.get(period.object_id, set())
                user_roles = roles.get(period.object_id, [])
                reached = []
                for app in simulated:
                    code = app.application.code
                    if is_blocked or code not in authorised.get(subafdeling.pk, set()) or code not in held:
                        continue
                    needed = {role.pk for role in app.roles.all()}
                    if needed and not any(
                        _role_on(r, day) and r.data.get("role_id") in needed for r in user_roles
                    ):
                        continue
                    reached.append(app.name)
                user_node = Node(
                    f"user-{period.object_id}",
                    person,
                    (_("bereikt %(apps)s") % {"apps": ", ".join(reached)})
                    if reached
                    else _("bereikt geen toepassing"),
                    _url("roles:person", past, subafdeling_id=subafdeling.pk, user_id=period.object_id),
                )
                for role in user_roles:
                    if role.application_code not in held:
                        user_node.flags.append(
                            _("%(name)s heeft de rol %(role)s, maar geen recht op %(application)s.")
                            % {
                                "name": person,
                                "role": role.data.get("role", ""),
                                "application": app_names.get(role.application_code, role.application_code),
                            }
                        )
                sub_node.children.append(user_node)
            sub_node.extra = max(0, len(people) - USERS_SHOWN)
            node.children.append(sub_node)
        activation_nodes.append(node)
    return ChainMap(enterprise, past, rep_nodes, managers, activation_nodes)


def _role_on(period, day) -> bool:
    start, end = period.data.get("start_date") or "", period.data.get("end_date") or ""
    text = day.isoformat()
    return bool(start) and start <= text and (not end or text <= end)
