"""Who holds which capacity in an enterprise: the permission-aware reads of CSAM/BTB."""

from django.db.models import (
    Case,
    CharField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
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
from administrators.permissions import htb_is_local_administrator_expression
from enterprises.models import Employment, Enterprise, Hoedanigheid, LegalMandate
from identity.models import Person
from identity.selectors import people_filtered


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


def htb_draft_of(person, draft_id) -> HtbDraft | None:
    """A draft of the HTB procedure, only for the person who started it."""
    return (
        HtbDraft.objects.filter(pk=draft_id, requester=person)
        .select_related("enterprise", "appointment__person")
        .first()
    )


def co_htbs_of(enterprise: Enterprise) -> QuerySet[CoHtbAppointment]:
    return CoHtbAppointment.objects.current().filter(enterprise=enterprise).select_related("person")


def hoedanigheden_to_activate(enterprise: Enterprise) -> QuerySet[Hoedanigheid]:
    return Hoedanigheid.objects.exclude(activations__enterprise=enterprise)


PERSON_ACTIVE, PERSON_INACTIVE = "ACTIEF", "NIET_ACTIEF"


def manager_rows(activation: HoedanigheidActivation, filters: dict | None = None) -> QuerySet[Person]:
    """The people who administer the hoedanigheid now, one row each, LB first, filtered on the
    criteria of "Beheer van de gebruikers" (``ManagerFilterForm.filters()``).

    Each row is the Person annotated with the appointment: ``row_kind`` (LB / CO_LB),
    ``administrator_id`` (None for the HTB shown as LB), ``row_email``, ``row_local_email``. One
    query, so that filters, counting and paging all run in the database."""
    current = LocalAdministrator.objects.filter(activation=activation, ended_at__isnull=True)
    own = current.filter(person=OuterRef("pk"))
    htb = HtbAppointment.objects.filter(
        enterprise_id=activation.enterprise_id, ended_at__isnull=True, person=OuterRef("pk")
    )
    htb_as_lb = Q(Exists(htb)) & htb_is_local_administrator_expression(activation)
    rows = (
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
    return _managers_filtered(rows, filters or {})


def _managers_filtered(rows: QuerySet[Person], filters: dict) -> QuerySet[Person]:
    rows = people_filtered(rows, filters)
    if filters.get("type"):
        rows = rows.filter(row_kind=filters["type"])
    if filters.get("status") == PERSON_ACTIVE:
        rows = rows.filter(is_active=True)
    elif filters.get("status") == PERSON_INACTIVE:
        rows = rows.filter(is_active=False)
    if filters.get("toepassing"):
        rows = rows.none()  # a (co-)lokale beheerder holds no right on a beveiligde toepassing
    return rows


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
