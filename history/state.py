"""The state of an enterprise's chain at a moment ("toestand op datum D"), rebuilt in the database
from the stored periods: appointments (started_at / ended_at), legal mandates (start / end dates),
hoedanigheden and subafdelingen (created_at; never deleted) and history.models.Period for what the
chain deletes or toggles (users, rights, roles, authorisations, blocks).

A date means the end of that day: "toestand op 3 maart 2024" is what held on the evening of 3 March.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.apps import apps
from django.conf import settings
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
    return apps.get_model("administrators", "HoedanigheidActivation")


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
        Subafdeling.objects.filter(activation=activation, created_at__lte=moment)
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
        _at(LocalAdministrator.objects.filter(activation=activation), moment)
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


# --- The access decision, as of a moment (roles.access reads the chain through this) ---------------


@dataclass
class PastAssignment:
    """A role assignment as the applications saw it at a moment, from its stored periods; the interface
    of roles.models.RoleAssignment that roles.access reads."""

    role: object
    start_date: date
    end_date: date | None
    effective_start_date: date | None
    pending_until: datetime | None = None
    removed_at: datetime | None = None

    @property
    def effective_end_date(self):
        return self.end_date if self.effective_start_date is not None else None

    def effective_on(self, day) -> bool:
        return (
            self.effective_start_date is not None
            and self.effective_start_date <= day
            and (self.end_date is None or day <= self.end_date)
        )


@dataclass
class _PastUser:
    pk: int
    person: object
    status: str = "ACTIEF"


class PastChainState:
    """The chain at ``moment`` for roles.access.access_decide: the HTB from its appointments, the
    hoedanigheden and subafdelingen created by then, the blocks, authorisations, users, rights and roles
    from their periods. A right holds from the moment it was saved; a role (and its change or removal)
    from the propagation delay after its save, as the applications saw it. A few queries, whatever the
    size of the history (every one is indexed and bounded by the person or the facility)."""

    def __init__(self, moment: datetime):
        self.moment = moment

    def now(self):
        return self.moment

    def today(self):
        return timezone.localdate(self.moment)

    def htb(self, enterprise):
        HtbAppointment = apps.get_model("administrators", "HtbAppointment")
        return (
            _at(HtbAppointment.objects.filter(enterprise=enterprise), self.moment)
            .select_related("person")
            .first()
        )

    def activations(self, enterprise, app) -> list:
        return list(
            activation_model()
            .objects.filter(
                enterprise=enterprise, hoedanigheid__applications=app.application, created_at__lte=self.moment
            )
            .select_related("hoedanigheid", "enterprise")
            .order_by("hoedanigheid__sort_order", "hoedanigheid__name")
        )

    def subafdelingen(self, facility, activations, app, person) -> list:
        Subafdeling = apps.get_model("subdivisions", "Subafdeling")
        blocked = Period.objects.filter(kind=PeriodKind.BLOCKED, object_id=OuterRef("pk")).at(self.moment)
        rows = list(
            Subafdeling.objects.filter(
                facility=facility, activation__in=activations, created_at__lte=self.moment
            )
            .select_related(
                "facility", "activation__hoedanigheid", "activation__enterprise", "subdivision_type"
            )
            .annotate(blocked_then=Exists(blocked))
            .order_by("pk")
        )
        ids = [row.pk for row in rows]
        authorised = set(
            Period.objects.filter(
                kind=PeriodKind.AUTHORISATION, object_id__in=ids, application_code=app.application.code
            )
            .at(self.moment)
            .values_list("object_id", flat=True)
        )
        users: dict[int, list] = {}
        if person is not None and ids:
            for period in Period.objects.filter(
                kind=PeriodKind.USER, subafdeling_id__in=ids, person_id=person.pk
            ).at(self.moment):
                users.setdefault(period.subafdeling_id, []).append(_PastUser(period.object_id, person))
        for row in rows:
            row.status = "GEBLOKKEERD" if row.blocked_then else "ACTIEF"  # in memory only: never saved
            row.app_authorisations = [app.application] if row.pk in authorised else []
            row.person_users = users.get(row.pk, [])
        return rows

    def rights(self, users, app) -> dict:
        return {
            user_id: True
            for user_id in Period.objects.filter(
                kind=PeriodKind.RIGHT,
                user_id__in=[u.pk for u in users],
                application_code=app.application.code,
            )
            .at(self.moment)
            .values_list("user_id", flat=True)
        }

    def assignments(self, users, required_roles) -> dict:
        """The versions of each role saved by the moment: the one open then (pending until the delay has
        passed) and the one it replaced or removed less than the delay before (still in effect)."""
        if not users or not required_roles:
            return {}
        roles = {role.pk: role for role in required_roles}
        delay = settings.PROPAGATION_DELAY
        periods = (
            Period.objects.filter(
                kind=PeriodKind.ROLE,
                user_id__in=[u.pk for u in users],
                started_at__lte=self.moment,
            )
            .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=self.moment - delay))
            .order_by("started_at", "pk")
        )
        found: dict[int, list] = {}
        for period in periods:
            role = roles.get(period.data.get("role_id"))
            if role is None or not period.data.get("start_date"):
                continue
            start = parse_date(period.data["start_date"])
            end = parse_date(period.data["end_date"]) if period.data.get("end_date") else None
            effect = period.started_at + delay
            in_effect = effect <= self.moment
            open_then = period.ended_at is None or period.ended_at > self.moment
            if open_then:
                assignment = PastAssignment(
                    role, start, end, start if in_effect else None, None if in_effect else effect
                )
            elif effect <= period.ended_at:  # changed or removed by the moment, not yet in effect
                assignment = PastAssignment(role, start, end, start, removed_at=period.ended_at)
            else:
                continue
            found.setdefault(period.user_id, []).append(assignment)
        for assignments in found.values():
            assignments.sort(key=lambda a: (a.start_date, a.role.name))
        return found
