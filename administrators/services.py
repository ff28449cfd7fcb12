"""CSAM / BTB changes: appointing HTBs and co-HTBs, activating hoedanigheden, appointing TBs.

Administrative appointments take effect at once (only role changes wait for the propagation
delay)."""

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accessportal import clock
from accessportal.audit import audit_record, audit_snapshot
from accessportal.mail_addresses import mail_address_clean
from accessportal.messaging import message_send
from accessportal.outbox import mail_enqueue_template
from accessportal.services import ServiceError
from administrators import permissions, selectors
from administrators.models import (
    AdministratorKind,
    CoHtbAppointment,
    HoedanigheidActivation,
    HtbAppointment,
    LocalAdministrator,
)
from enterprises.models import Enterprise, Hoedanigheid
from enterprises.services import require_same_world

# The Lokale Beheerder is replaced ("Van lokale beheerder veranderen"), never removed: the form says it
# next to the selection, local_administrator_remove refuses it whatever the caller.
LB_NOT_REMOVABLE = gettext_lazy(
    "De Lokale Beheerder kan niet verwijderd worden. Stel een andere Lokale Beheerder aan met "
    '"Van lokale beheerder veranderen".'
)
HTB_FIELDS = ["enterprise", "person", "email", "phone", "appointed_by", "started_at", "ended_at"]


def _lock_enterprise(enterprise: Enterprise) -> Enterprise:
    """Serialise appointments for one enterprise: concurrent requests queue here."""
    return Enterprise.objects.select_for_update().get(pk=enterprise.pk)


def _require_employee_or_representative(person, enterprise: Enterprise, field: str) -> None:
    if not selectors.is_employee_or_legal_representative(person, enterprise):
        raise ServiceError(
            _(
                "Een Hoofdtoegangsbeheerder moet een werknemer of wettelijke vertegenwoordiger van de onderneming zijn."
            ),
            field=field,
            code="not_employee",
        )


def _end_appointment(*, actor, appointment, action: str, enterprise_kbo: str):
    """End an appointment (kept in the history) and audit it; ending an ended one changes nothing."""
    if appointment.ended_at is not None:
        return appointment
    before = audit_snapshot(appointment)
    appointment.ended_at = clock.now()
    appointment.save(update_fields=["ended_at"])
    audit_record(
        actor=actor,
        action=action,
        target=appointment,
        enterprise_kbo=enterprise_kbo,
        before=before,
        after=audit_snapshot(appointment),
    )
    return appointment


@transaction.atomic
def htb_appoint(
    *,
    actor,
    enterprise: Enterprise,
    person,
    email: str,
    phone: str,
    requester_email: str = "",
    requester_phone: str = "",
) -> HtbAppointment:
    """A legal representative appoints the HTB; a current HTB is replaced in the same transaction."""
    enterprise = _lock_enterprise(enterprise)
    if not selectors.is_legal_representative(actor, enterprise):
        raise ServiceError(
            _("U bent momenteel niet gekend als wettelijk vertegenwoordiger van deze onderneming in de KBO."),
            code="not_legal_representative",
        )
    require_same_world(person, enterprise, field="person")
    email = mail_address_clean(email, field="email")
    requester_email = mail_address_clean(requester_email, field="requester_email", required=False)
    _require_employee_or_representative(person, enterprise, "person")
    previous = selectors.current_htb(enterprise)
    if previous is not None and previous.person_id == person.pk:
        raise ServiceError(
            _("Deze persoon is al gekend als Hoofdtoegangsbeheerder voor deze onderneming."),
            field="person",
            code="already_htb",
        )
    now = clock.now()
    if previous is not None:
        previous.ended_at = now
        previous.save(update_fields=["ended_at"])
    try:
        with transaction.atomic():
            appointment = HtbAppointment.objects.create(
                enterprise=enterprise,
                person=person,
                email=email,
                phone=phone,
                requester_email=requester_email,
                requester_phone=requester_phone,
                appointed_by=actor,
                started_at=now,
            )
    except IntegrityError:
        raise ServiceError(
            _("Deze onderneming heeft al een Hoofdtoegangsbeheerder."), code="duplicate"
        ) from None
    audit_record(
        actor=actor,
        action="htb.appoint",
        target=appointment,
        enterprise_kbo=enterprise.kbo,
        before=audit_snapshot(previous, HTB_FIELDS),
        after=audit_snapshot(appointment, HTB_FIELDS),
    )
    return appointment


@transaction.atomic
def co_htb_appoint(*, actor, enterprise: Enterprise, person) -> CoHtbAppointment:
    enterprise = _lock_enterprise(enterprise)
    if not permissions.is_htb_or_co_htb(actor, enterprise):  # a co-HTB may do all but appoint the HTB
        raise ServiceError(
            _("Enkel de (co-)hoofdtoegangsbeheerder kan Co-hoofdtoegangsbeheerders aanstellen.")
        )
    require_same_world(person, enterprise, field="person")
    _require_employee_or_representative(person, enterprise, "person")
    if permissions.is_htb_or_co_htb(person, enterprise):
        raise ServiceError(
            _("Deze persoon is al (co-)hoofdtoegangsbeheerder van deze onderneming."),
            field="person",
            code="duplicate",
        )
    appointment = CoHtbAppointment.objects.create(enterprise=enterprise, person=person, appointed_by=actor)
    audit_record(
        actor=actor,
        action="co_htb.appoint",
        target=appointment,
        enterprise_kbo=enterprise.kbo,
        after=audit_snapshot(appointment),
    )
    return appointment


@transaction.atomic
def hoedanigheid_activate(
    *, actor, enterprise: Enterprise, hoedanigheid: Hoedanigheid, email: str = ""
) -> HoedanigheidActivation:
    enterprise = _lock_enterprise(enterprise)
    if not permissions.is_htb_or_co_htb(actor, enterprise):
        raise ServiceError(_("Enkel de (co-)hoofdtoegangsbeheerder kan een hoedanigheid activeren."))
    email = mail_address_clean(email or enterprise.email, field="email", required=False)
    if HoedanigheidActivation.objects.filter(enterprise=enterprise, hoedanigheid=hoedanigheid).exists():
        raise ServiceError(
            _("Deze hoedanigheid is al geactiveerd voor deze onderneming."),
            field="hoedanigheid",
            code="duplicate",
        )
    activation = HoedanigheidActivation.objects.create(
        enterprise=enterprise, hoedanigheid=hoedanigheid, email=email, activated_by=actor
    )
    audit_record(
        actor=actor,
        action="hoedanigheid.activate",
        target=activation,
        enterprise_kbo=enterprise.kbo,
        after=audit_snapshot(activation),
    )
    return activation


HOEDANIGHEID_DETAIL_FIELDS = ["email"]


@transaction.atomic
def hoedanigheid_email_update(
    *, actor, activation: HoedanigheidActivation, email: str
) -> HoedanigheidActivation:
    """ "De details van de hoedanigheid raadplegen of wijzigen": change the hoedanigheid's E-mailadres
    (the address of chapter 4 step 2's welcome page). Whoever manages the hoedanigheid may: its
    (co-)lokale beheerders, the HTB and the co-HTBs. The address follows the portal's one rule for
    mail addresses; the same address again changes nothing and writes no event."""
    activation = (
        HoedanigheidActivation.objects.select_for_update()
        .select_related("enterprise", "hoedanigheid")
        .get(pk=activation.pk)
    )
    permissions.require_activation_manager(actor, activation)
    email = mail_address_clean(email, field="email")
    if email == activation.email:
        return activation
    before = audit_snapshot(activation, HOEDANIGHEID_DETAIL_FIELDS)
    activation.email = email
    activation.save(update_fields=HOEDANIGHEID_DETAIL_FIELDS)
    audit_record(
        actor=actor,
        action="hoedanigheid.email_update",
        target=activation,
        enterprise_kbo=activation.enterprise.kbo,
        before=before,
        after=audit_snapshot(activation, HOEDANIGHEID_DETAIL_FIELDS),
    )
    return activation


@transaction.atomic
def co_htb_remove(*, actor, appointment: CoHtbAppointment) -> CoHtbAppointment:
    """End a co-HTB appointment; the person loses the capacity at their next request."""
    enterprise = _lock_enterprise(appointment.enterprise)
    if not permissions.is_htb_or_co_htb(actor, enterprise):
        raise ServiceError(
            _("Enkel de (co-)hoofdtoegangsbeheerder kan Co-hoofdtoegangsbeheerders verwijderen.")
        )
    appointment = CoHtbAppointment.objects.select_for_update().get(pk=appointment.pk)
    return _end_appointment(
        actor=actor, appointment=appointment, action="co_htb.remove", enterprise_kbo=enterprise.kbo
    )


# --- Access managers per hoedanigheid (manual 3.4.2, 3.4.3): the screen "Beheer van de gebruikers" ---


def _announce_local_administrator(administrator: LocalAdministrator) -> None:
    """The mail (to the E-mailadres entered, in the person's language) and the structured message."""
    person, activation = administrator.person, administrator.activation
    enterprise = activation.enterprise
    with translation.override(person.language):
        kind = str(administrator.get_kind_display())
        context = {
            "person": person,
            "administrator": administrator,
            "kind": kind,
            "hoedanigheid": activation.hoedanigheid.name,
            "enterprise": enterprise,
        }
        mail_enqueue_template(
            to=administrator.email,
            template="local_administrator_appointed",
            context=context,
            language=person.language,
            person=person,
        )
        message_send(
            recipient=person,
            category="appointment",
            subject=_("U bent aangesteld als %(kind)s van %(hoedanigheid)s")
            % {"kind": kind, "hoedanigheid": activation.hoedanigheid.name},
            body=_(
                "U bent aangesteld als %(kind)s van de hoedanigheid %(hoedanigheid)s van %(name)s (%(kbo)s). "
                "U beheert voortaan de toegangen van de toepassingen van deze hoedanigheid."
            )
            % {
                "kind": kind,
                "hoedanigheid": activation.hoedanigheid.name,
                "name": enterprise.name,
                "kbo": enterprise.kbo_display,
            },
        )


@transaction.atomic
def local_administrator_appoint(
    *,
    actor,
    activation: HoedanigheidActivation,
    person,
    kind: str,
    email: str,
    local_email: str = "",
) -> LocalAdministrator:
    """Appoint the lokale beheerder (replacing the current one, kept in the history) or add a
    co-lokale beheerder: "Bevestigen" on "Een lokale beheerder aanmaken" / "Een Co-Lokale Beheerder
    aanmaken" (manual 3.4.2, 3.4.3).

    Checks every answer again (the actor is HTB or co-HTB, the person is in the register, the e-mail
    addresses are plain addresses, the person is not yet LB or co-LB of the hoedanigheid, not even as
    the HTB who is Lokale Beheerder until another one is appointed) and announces the appointment by
    mail and by a structured message, all in one transaction."""
    enterprise = _lock_enterprise(activation.enterprise)
    permissions.require_local_administrators_leader(actor, enterprise)
    if person is None or not person.is_active:
        raise ServiceError(
            _("Deze persoon is niet gekend in het rijksregister."), field="insz", code="unknown_person"
        )
    require_same_world(person, enterprise, field="insz")
    email = mail_address_clean(email, field="email")
    local_email = mail_address_clean(local_email, field="local_email", required=False)
    if kind not in AdministratorKind.values:
        raise ServiceError(_("Onbekend type beheerder."), field="kind")
    duplicate = ServiceError(
        _("Deze persoon is al Lokale Beheerder of Co-Lokale Beheerder van deze hoedanigheid."),
        field="insz",
        code="duplicate",
    )
    if permissions.local_administrator_role_of(activation, person) is not None:
        raise duplicate
    current = LocalAdministrator.objects.current().filter(activation=activation)
    previous = current.filter(kind=AdministratorKind.LB).first() if kind == AdministratorKind.LB else None
    now = clock.now()
    if previous is not None:
        previous.ended_at = now
        previous.save(update_fields=["ended_at"])
    try:
        with transaction.atomic():
            administrator = LocalAdministrator.objects.create(
                activation=activation,
                person=person,
                kind=kind,
                email=email,
                local_email=local_email,
                appointed_by=actor,
                started_at=now,
            )
    except IntegrityError:  # a simultaneous "Bevestigen" won the race
        raise duplicate from None
    audit_record(
        actor=actor,
        action="local_administrator.appoint",
        target=administrator,
        enterprise_kbo=enterprise.kbo,
        before=audit_snapshot(previous),
        after=audit_snapshot(administrator),
    )
    _announce_local_administrator(administrator)
    return administrator


@transaction.atomic
def local_administrator_remove(*, actor, administrator: LocalAdministrator) -> LocalAdministrator:
    """ "Verwijderen gebruiker(s)": end a co-LB appointment; the person loses access to the
    hoedanigheid at their next request. The Lokale Beheerder is never removed, only replaced
    ("Van lokale beheerder veranderen"). Removing an appointment that already ended changes nothing."""
    enterprise = _lock_enterprise(administrator.activation.enterprise)
    permissions.require_local_administrators_leader(actor, enterprise)
    administrator = (
        LocalAdministrator.objects.select_for_update()
        .select_related("person", "activation__hoedanigheid")
        .get(pk=administrator.pk)
    )
    if administrator.kind == AdministratorKind.LB:
        raise ServiceError(str(LB_NOT_REMOVABLE), code="lb_not_removable")
    if administrator.ended_at is not None:
        return administrator
    _end_appointment(
        actor=actor,
        appointment=administrator,
        action="local_administrator.remove",
        enterprise_kbo=enterprise.kbo,
    )
    person = administrator.person
    with translation.override(person.language):
        message_send(
            recipient=person,
            category="appointment",
            subject=_("U bent geen Co-Lokale Beheerder meer van %(hoedanigheid)s")
            % {"hoedanigheid": administrator.activation.hoedanigheid.name},
            body=_("%(actor)s heeft u verwijderd als Co-Lokale Beheerder van %(hoedanigheid)s van %(name)s.")
            % {
                "actor": actor.full_name,
                "hoedanigheid": administrator.activation.hoedanigheid.name,
                "name": enterprise.name,
            },
        )
    return administrator


@transaction.atomic
def local_administrators_remove(
    *, actor, activation: HoedanigheidActivation, administrators
) -> list[LocalAdministrator]:
    """Remove several co-LBs of one hoedanigheid at once: all of them or, when one is refused, none."""
    removed = []
    for administrator in administrators:
        if administrator.activation_id != activation.pk:
            raise ServiceError(_("Deze gebruiker is geen beheerder van deze hoedanigheid."), code="foreign")
        removed.append(local_administrator_remove(actor=actor, administrator=administrator))
    return removed
