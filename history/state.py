"""The state of an enterprise's chain at a moment ("toestand op datum D"), rebuilt in the database
from the stored periods: appointments (started_at / ended_at), legal mandates (start / end dates),
hoedanigheden and subafdelingen (created_at; never deleted) and history.models.Period for what the
chain deletes or toggles (users, rights, roles, authorisations, blocks).

A date means the end of that day: "toestand op 3 maart 2024" is what held on the evening of 3 March.
"""

from dataclasses import dataclass, field
from datetime import datetime, time

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from accessportal import clock
from history.models import Period, PeriodKind


def moment_parse(value: str) -> datetime:
    """``YYYY-MM-DD`` (the end of that day) or ``YYYY-MM-DDTHH:MM``; refuses the future."""
    value = (value or "").strip()
    moment = None
    try:
        day = parse_date(value)
        if day is not None:
            moment = timezone.make_aware(datetime.combine(day, time.max))
        else:
            parsed = parse_datetime(value)
            if parsed is not None:
                moment = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
    except (ValueError, OverflowError):
        moment = None
    if moment is None:
        raise ValidationError(_("Geef een datum als jjjj-mm-dd, bijvoorbeeld 2024-03-01."), code="invalid")
    now = clock.now()
    if moment.date() > timezone.localdate(now):
        raise ValidationError(_("Deze datum ligt in de toekomst: kies vandaag of een vroegere datum."))
    return min(moment, now)


def _at(queryset, moment, start="started_at", end="ended_at"):
    return queryset.filter(**{f"{start}__lte": moment}).filter(
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": moment})
    )


def activation_model():
    for name in ("HoedanigheidActivation", "EnterpriseHoedanigheid"):
        try:
            return apps.get_model("administrators", name)
        except LookupError:
            continue
    raise LookupError("administrators' activation model")


def activation_field(model) -> str:
    """The name of the foreign key to the activation (``hoedanigheid``, ``activation`` after the rename)."""
    names = {f.name for f in model._meta.get_fields()}
    return "activation" if "activation" in names else "hoedanigheid"


# --- The list pages, as they were -------------------------------------------------------------------


def users_at(subafdeling, moment):
    """The users of a subafdeling at ``moment``: their periods, with their person (paged by the caller)."""
    return (
        Period.objects.filter(kind=PeriodKind.USER, subafdeling_id=subafdeling.pk)
        .at(moment)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def rights_at(user_ids, moment) -> dict[int, list[str]]:
    """The application codes each user held a right for at ``moment``."""
    rights: dict[int, list[str]] = {}
    for user_id, code in (
        Period.objects.filter(kind=PeriodKind.RIGHT, user_id__in=list(user_ids))
        .at(moment)
        .order_by("application_code")
        .values_list("user_id", "application_code")
    ):
        rights.setdefault(user_id, []).append(code)
    return rights


def roles_at(user_id, moment):
    return (
        Period.objects.filter(kind=PeriodKind.ROLE, user_id=user_id)
        .at(moment)
        .order_by("data__start_date", "pk")
    )


def user_period_at(subafdeling, user_id, moment):
    return users_at(subafdeling, moment).filter(object_id=user_id).first()


def subafdelingen_at(activation, moment):
    Subafdeling = apps.get_model("subdivisions", "Subafdeling")
    blocked = Period.objects.filter(kind=PeriodKind.BLOCKED, object_id=OuterRef("pk")).at(moment)
    return (
        Subafdeling.objects.filter(**{activation_field(Subafdeling): activation}, created_at__lte=moment)
        .select_related("facility", "subdivision_type")
        .annotate(blocked_then=Exists(blocked))
        .order_by("name", "subdivision_type__name", "pk")
    )


def managers_at(activation, moment) -> list:
    """(person, capacity) of the hoedanigheid at ``moment``: the lokale beheerder (the HTB while none),
    the co-lokale beheerders."""
    LocalAdministrator = apps.get_model("administrators", "LocalAdministrator")
    HtbAppointment = apps.get_model("administrators", "HtbAppointment")
    rows = list(
        _at(LocalAdministrator.objects.filter(**{activation_field(LocalAdministrator): activation}), moment)
        .select_related("person", "appointed_by")
        .order_by("kind", "person__last_name")
    )
    if not any(row.kind == "LB" for row in rows):
        htb = (
            _at(HtbAppointment.objects.filter(enterprise_id=activation.enterprise_id), moment)
            .select_related("person")
            .first()
        )
        if htb is not None:
            htb.kind = "HTB"
            rows.insert(0, htb)
    return rows


# --- The map ----------------------------------------------------------------------------------------


@dataclass
class Node:
    key: str
    label: str
    detail: str = ""
    url: str = ""
    flags: list[str] = field(default_factory=list)
    children: list["Node"] = field(default_factory=list)
    extra: int = 0  # children left out of the picture ("en nog 12")


@dataclass
class ChainMap:
    enterprise: object
    moment: datetime | None
    representatives: list[Node]
    managers: list[Node]  # HTB and co-HTBs
    activations: list[Node]

    @property
    def flags(self) -> list[str]:
        found = []

        def walk(nodes):
            for node in nodes:
                found.extend(node.flags)
                walk(node.children)

        walk(self.representatives)
        walk(self.managers)
        walk(self.activations)
        return found
