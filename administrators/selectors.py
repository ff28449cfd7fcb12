"""Who holds which capacity in an enterprise: the permission-aware reads of CSAM/BTB."""

from django.db.models import (
    Case,
    CharField,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)

from administrators.models import (
    AdministratorKind,
    CoHtbAppointment,
    HoedanigheidActivation,
    HtbAppointment,
    HtbDraft,
    LocalAdministrator,
)
from enterprises.models import Employment, Enterprise, Hoedanigheid, LegalMandate
from identity.models import Person


def is_legal_representative(person, enterprise: Enterprise) -> bool:
    return LegalMandate.objects.current().filter(person=person, enterprise=enterprise).exists()


def is_employee_or_legal_representative(person, enterprise: Enterprise) -> bool:
    return (
        is_legal_representative(person, enterprise)
        or Employment.objects.current().filter(person=person, enterprise=enterprise).exists()
    )


def current_htb(enterprise: Enterprise) -> HtbAppointment | None:
    return HtbAppointment.objects.current().filter(enterprise=enterprise).select_related("person").first()


def is_registered_in_csam(enterprise: Enterprise) -> bool:
    return HtbAppointment.objects.current().filter(enterprise=enterprise).exists()


def is_htb_or_co_htb(person, enterprise: Enterprise) -> bool:
    return (
        HtbAppointment.objects.current().filter(person=person, enterprise=enterprise).exists()
        or CoHtbAppointment.objects.current().filter(person=person, enterprise=enterprise).exists()
    )


# The permission-aware sets below are ``pk IN (a UNION of small id lists)``: the person's own
# appointments, found through their indexes. An OR over LEFT JOINs of the appointments (and DISTINCT)
# read every row of the tables instead: 14 ms for an HTB's portal home in ``make bench``'s world of
# 1,000 enterprises and 10,000 subafdelingen.


def _enterprise_ids_led_by(person) -> QuerySet:
    htb = HtbAppointment.objects.current().filter(person=person).order_by().values("enterprise_id")
    co_htb = CoHtbAppointment.objects.current().filter(person=person).order_by().values("enterprise_id")
    return htb.union(co_htb)


def enterprises_led_by(person) -> QuerySet[Enterprise]:
    """The enterprises where the person is HTB or co-HTB now."""
    return Enterprise.objects.filter(pk__in=_enterprise_ids_led_by(person))


def activation_ids_managed_by(person) -> QuerySet:
    """The ids of the hoedanigheden ``activations_managed_by`` returns, as a subquery."""
    own = LocalAdministrator.objects.current().filter(person=person).order_by().values("activation_id")
    led = HoedanigheidActivation.objects.filter(enterprise_id__in=_enterprise_ids_led_by(person)).values("pk")
    return own.union(led)


def activations_managed_by(person) -> QuerySet[HoedanigheidActivation]:
    """The hoedanigheden the person manages: as their (co-)lokale beheerder, or as HTB / co-HTB of the
    enterprise (the HTB is toegangsbeheerder of every domain)."""
    return HoedanigheidActivation.objects.filter(pk__in=activation_ids_managed_by(person))


def can_manage_activation(person, activation: HoedanigheidActivation) -> bool:
    return activations_managed_by(person).filter(pk=activation.pk).exists()


def current_local_administrator(activation: HoedanigheidActivation) -> LocalAdministrator | None:
    return (
        LocalAdministrator.objects.current()
        .filter(activation=activation, kind=AdministratorKind.LB)
        .select_related("person")
        .first()
    )


def htb_draft_of(person, draft_id) -> HtbDraft | None:
    """A draft of the HTB procedure, only for the person who started it."""
    return (
        HtbDraft.objects.filter(pk=draft_id, requester=person)
        .select_related("enterprise", "appointment__person")
        .first()
    )


def enterprise_led_by(person, kbo: str) -> Enterprise | None:
    """An enterprise where the person is HTB or co-HTB now; None for every other enterprise."""
    return enterprises_led_by(person).filter(kbo=kbo).first()


def co_htbs_of(enterprise: Enterprise) -> QuerySet[CoHtbAppointment]:
    return CoHtbAppointment.objects.current().filter(enterprise=enterprise).select_related("person")


def activation_managed_by(person, hoedanigheid_id) -> HoedanigheidActivation | None:
    """A hoedanigheid the person manages; None for every other one, of any enterprise."""
    return (
        activations_managed_by(person)
        .filter(pk=hoedanigheid_id)
        .select_related("enterprise", "hoedanigheid")
        .first()
    )


def hoedanigheden_to_activate(enterprise: Enterprise) -> QuerySet[Hoedanigheid]:
    return Hoedanigheid.objects.exclude(activations__enterprise=enterprise)


def htb_level(person, enterprise: Enterprise) -> str | None:
    if HtbAppointment.objects.current().filter(person=person, enterprise=enterprise).exists():
        return "HTB"
    if CoHtbAppointment.objects.current().filter(person=person, enterprise=enterprise).exists():
        return "CO_HTB"
    return None


def local_administrator_role_of(activation: HoedanigheidActivation, person) -> str | None:
    """LB or CO_LB when the person administers the hoedanigheid now, else None. The HTB counts as LB
    as long as no Lokale Beheerder was appointed ("initieel is de HTB automatisch Toegangsbeheerder
    van elk domein", manual 3.4)."""
    current = LocalAdministrator.objects.current().filter(activation=activation)
    kind = current.filter(person=person).values_list("kind", flat=True).first()
    if kind is not None:
        return kind
    if not current.filter(kind=AdministratorKind.LB).exists():
        htb = current_htb(activation.enterprise)
        if htb is not None and htb.person_id == person.pk:
            return AdministratorKind.LB
    return None


def manager_rows(activation: HoedanigheidActivation) -> QuerySet[Person]:
    """The people who administer the hoedanigheid now, one row each, LB first.

    Each row is the Person annotated with the appointment: ``row_kind`` (LB / CO_LB),
    ``administrator_id`` (None for the HTB shown as LB), ``row_email``, ``row_local_email``. One
    query, so that filters, counting and paging all run in the database."""
    current = LocalAdministrator.objects.filter(activation=activation, ended_at__isnull=True)
    own = current.filter(person=OuterRef("pk"))
    htb = HtbAppointment.objects.filter(
        enterprise_id=activation.enterprise_id, ended_at__isnull=True, person=OuterRef("pk")
    )
    htb_as_lb = Exists(htb) & ~Exists(current.filter(kind=AdministratorKind.LB))
    return (
        Person.objects.filter(Exists(own) | htb_as_lb)
        .annotate(
            administrator_id=Case(
                When(htb_as_lb, then=Value(None)),
                default=Subquery(own.values("pk")[:1]),
                output_field=IntegerField(),
            ),
            row_kind=Case(
                When(htb_as_lb, then=Value(AdministratorKind.LB.value)),
                default=Subquery(own.values("kind")[:1]),
                output_field=CharField(),
            ),
            row_email=Case(
                When(htb_as_lb, then=Subquery(htb.values("email")[:1])),
                default=Subquery(own.values("email")[:1]),
                output_field=CharField(),
            ),
            row_local_email=Case(
                When(htb_as_lb, then=Value("")),
                default=Subquery(own.values("local_email")[:1]),
                output_field=CharField(),
            ),
        )
        .annotate(
            kind_order=Case(
                When(row_kind=AdministratorKind.LB.value, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .only("insz", "last_name", "first_name", "username", "is_active")
        .order_by("kind_order", "last_name", "first_name", "pk")
    )


def current_administrators(activation: HoedanigheidActivation) -> QuerySet[LocalAdministrator]:
    return (
        LocalAdministrator.objects.current()
        .filter(activation=activation)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def address_held_for(enterprise: Enterprise, person) -> str:
    """The e-mail address the enterprise itself already holds for the person, as its HTB or one of its
    (co-)lokale beheerders, for a form to start from; "" when it holds none. Never the person's own
    address from the register, which may be another enterprise's (the users' screens add the addresses
    of the enterprise's users: users.selectors.address_held_for)."""
    htb = HtbAppointment.objects.current().filter(enterprise=enterprise, person=person)
    held = htb.exclude(email="").values_list("email", flat=True).first()
    if held:
        return held
    administrators = LocalAdministrator.objects.current().filter(
        activation__enterprise=enterprise, person=person
    )
    return (
        administrators.exclude(email="").order_by("-started_at").values_list("email", flat=True).first() or ""
    )


def enterprise_activations_managed_by(person, enterprise: Enterprise) -> QuerySet[HoedanigheidActivation]:
    """ "Beheer van de hoedanigheden" on the hoedanigheid level: the enterprise's active hoedanigheden
    the person manages (all of them for its HTB and co-HTBs), with the name of their current Lokale
    Beheerder (``lb_first_name``, ``lb_last_name``; empty while the HTB is Lokale Beheerder)."""
    lb = LocalAdministrator.objects.current().filter(activation=OuterRef("pk"), kind=AdministratorKind.LB)
    return (
        activations_managed_by(person)
        .filter(enterprise=enterprise)
        .select_related("hoedanigheid")
        .annotate(
            lb_first_name=Subquery(lb.values("person__first_name")[:1]),
            lb_last_name=Subquery(lb.values("person__last_name")[:1]),
        )
        .order_by("hoedanigheid__sort_order", "hoedanigheid__name")
    )
