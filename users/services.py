from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accessportal import clock
from accessportal.audit import audit_record
from accessportal.mail_addresses import mail_address_clean
from accessportal.outbox import mail_enqueue_template
from accessportal.propagation import propagations_cancel
from accessportal.services import ServiceError
from enterprises.models import Application
from enterprises.services import require_same_world
from identity.services import password_reset_start
from subdivisions.models import Subafdeling
from subdivisions.permissions import require_subafdeling_manager
from users.certificates import certificate_parse
from users.models import ApplicationRight, PortalCertificate, SubafdelingUser
from users.permissions import require_account, require_user_manager


def _lock(subafdeling: Subafdeling) -> Subafdeling:
    return (
        Subafdeling.objects.select_for_update(of=("self",))
        .select_related("facility__enterprise", "activation", "subdivision_type")  # the audit's str(user)
        .get(pk=subafdeling.pk)
    )


def _rights_grant(user: SubafdelingUser, applications) -> None:
    """New rights take effect at once: after "Bevestigen" the user "heeft nu toegang" (manual 3.6.1,
    chapter 4 step 10)."""
    ApplicationRight.objects.bulk_create(
        ApplicationRight(user=user, subafdeling=user.subafdeling, application=app) for app in applications
    )


def _rights_withdraw(user: SubafdelingUser, rights: list[ApplicationRight]) -> list[str]:
    """Withdrawn rights end at once, and the roles of their applications with them (roles migration
    0002 cascades); the roles' changes still waiting for the propagation delay are withdrawn too.
    Returns the names of the roles that ended, for the audit trail."""
    if not rights:
        return []
    roles = list(  # through the reverse relation: roles depend on users, not the other way round
        user.role_assignments.filter(
            application_id__in=[right.application_id for right in rights]
        ).select_related("role")
    )
    for assignment in roles:
        propagations_cancel(target=assignment)
    ApplicationRight.objects.filter(pk__in=[right.pk for right in rights]).delete()
    return sorted({assignment.role.name for assignment in roles})


def _require_authorised(subafdeling: Subafdeling, applications: list[Application]) -> None:
    authorised = set(subafdeling.authorisations.values_list("application_id", flat=True))
    refused = [app.name for app in applications if app.pk not in authorised]
    if refused:
        raise ServiceError(
            _("Deze toepassingen zijn niet geautoriseerd op de subafdeling: %(names)s.")
            % {"names": ", ".join(refused)},
            field="applications",
            code="not_authorised",
        )


@transaction.atomic
def user_add(
    *,
    actor,
    subafdeling: Subafdeling,
    person,
    email: str,
    applications: list[Application] = (),
    local_email: str = "",
    language: str | None = None,
    title: str = "",
) -> SubafdelingUser:
    """Register a person as a user of a subafdeling with rights on authorised applications, in
    effect at once (manual 3.6.1). Language and title default to the person's. The subafdeling's row
    lock makes two "Bevestigen" at once queue: the second finds the user added."""
    subafdeling = _lock(subafdeling)
    require_subafdeling_manager(actor, subafdeling)
    require_same_world(person, subafdeling.facility.enterprise, field="person")
    email = mail_address_clean(email, field="email")
    local_email = mail_address_clean(local_email, field="local_email", required=False)
    if SubafdelingUser.objects.filter(subafdeling=subafdeling, person=person).exists():
        raise ServiceError(
            _("Deze persoon is al gebruiker van deze subafdeling."), field="person", code="duplicate"
        )
    applications = list(applications)
    _require_authorised(subafdeling, applications)
    user = SubafdelingUser.objects.create(
        subafdeling=subafdeling,
        person=person,
        email=email,
        local_email=local_email,
        language=language or person.language,
        title=title or person.title,
    )
    _rights_grant(user, applications)
    audit_record(
        actor=actor,
        action="user.add",
        target=user,
        enterprise_kbo=subafdeling.facility.enterprise.kbo,
        after={
            "person": person.insz,
            "email": email,
            "title": user.title,
            "applications": sorted(app.code for app in applications),
        },
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor,
    user: SubafdelingUser,
    email: str,
    local_email: str,
    language: str,
    applications: list[Application],
    title: str = "",
) -> SubafdelingUser:
    """Change a user's account data and make their rights match the checked applications (only
    applications authorised on the subafdeling). Rights are granted and withdrawn at once; a right
    that goes takes the roles of its application with it (the database cascades, see roles
    migration 0002)."""
    user = (
        SubafdelingUser.objects.select_for_update()
        .select_related("subafdeling__facility__enterprise")
        .get(pk=user.pk)
    )
    subafdeling = user.subafdeling
    require_user_manager(actor, user)
    email = mail_address_clean(email, field="email")
    local_email = mail_address_clean(local_email, field="local_email", required=False)
    applications = list(applications)
    _require_authorised(subafdeling, applications)
    current = {right.application_id: right for right in user.rights.select_related("application")}
    wanted = {app.pk: app for app in applications}
    before = {
        "email": user.email,
        "local_email": user.local_email,
        "language": user.language,
        "title": user.title,
        "applications": sorted(right.application.code for right in current.values()),
    }
    user.email, user.local_email, user.language = email, local_email, language
    user.title = title or user.title
    user.modified_at = clock.now()
    user.save(update_fields=["email", "local_email", "language", "title", "modified_at"])
    ended_roles = _rights_withdraw(user, [right for pk, right in current.items() if pk not in wanted])
    _rights_grant(user, [app for pk, app in wanted.items() if pk not in current])
    if ended_roles:
        before["roles"] = ended_roles
    audit_record(
        actor=actor,
        action="user.update",
        target=user,
        enterprise_kbo=subafdeling.facility.enterprise.kbo,
        before=before,
        after={
            "email": email,
            "local_email": local_email,
            "language": language,
            "title": user.title,
            "applications": sorted(app.code for app in applications),
        },
    )
    return user


@transaction.atomic
def users_remove(*, actor, subafdeling: Subafdeling, users) -> list[SubafdelingUser]:
    """Remove users from a subafdeling; their rights and roles go with them (cascade). Refused when
    none of them is (still) a user of this subafdeling."""
    require_subafdeling_manager(actor, subafdeling)
    ids = [user.pk for user in users]
    chosen = list(
        SubafdelingUser.objects.select_for_update()
        .filter(subafdeling=subafdeling, pk__in=ids)
        .select_related("person")
        .prefetch_related("rights__application")
    )
    if not chosen or len(chosen) != len(set(ids)):
        raise ServiceError(
            _("De geselecteerde personen zijn geen gebruiker meer van deze subafdeling."), code="gone"
        )
    before = [
        {
            "person": user.person.insz,
            "email": user.email,
            "applications": sorted(right.application.code for right in user.rights.all()),
        }
        for user in chosen
    ]
    SubafdelingUser.objects.filter(pk__in=[user.pk for user in chosen]).delete()
    audit_record(
        actor=actor,
        action="users.remove",
        target=subafdeling,
        enterprise_kbo=subafdeling.facility.enterprise.kbo,
        before={"users": before},
        after={"users": []},
    )
    return chosen


# --- "Beheer van de wachtwoorden": a toegangsbeheerder resets a user's password ---------------------


@transaction.atomic
def user_password_reset(*, actor, user: SubafdelingUser, site_url: str) -> SubafdelingUser:
    """ "Beheer van de wachtwoorden": the toegangsbeheerder resets the password of a user of a
    subafdeling they manage. The user's password stops working at once (eID and itsme still sign in);
    the user gets a mail, at the E-mailadres of their account in this subafdeling and in its Taalkeuze,
    with a one-time link valid for 24 hours where they choose a new password
    (identity.services.password_reset_start / password_reset_complete). Nobody resets their own
    password here: that is "Mijn wachtwoord wijzigen". Audited, in one transaction with the mail."""
    user = SubafdelingUser.objects.select_related(
        "person", "subafdeling__activation__enterprise", "subafdeling__activation__hoedanigheid"
    ).get(pk=user.pk)
    subafdeling = user.subafdeling
    require_user_manager(actor, user)
    person = user.person
    if person.pk == actor.pk:
        raise ServiceError(
            _('Uw eigen wachtwoord wijzigt u met "Mijn wachtwoord wijzigen".'), code="own_password"
        )
    if not person.is_active:
        raise ServiceError(_("Deze gebruiker is niet actief."), code="inactive")
    enterprise = subafdeling.activation.enterprise
    uidb64, token = password_reset_start(actor=actor, person=person, enterprise_kbo=enterprise.kbo)
    link = site_url.rstrip("/") + reverse(
        "identity:password-reset", kwargs={"uidb64": uidb64, "token": token}
    )
    mail_enqueue_template(
        to=user.email,
        template="password_reset",
        context={
            "person": person,
            "actor": actor,
            "enterprise": enterprise,
            "link": link,
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
        language=user.language,
        person=person,
    )
    return user


# --- "Beheer van het certificaat te gebruiken op het portaal van de sociale zekerheid" --------------

CERTIFICATE_FIELDS = ["subject", "issuer", "serial_number", "not_before", "not_after", "fingerprint"]


def _certificate_snapshot(certificate: PortalCertificate | None) -> dict | None:
    if certificate is None:
        return None
    return {name: str(getattr(certificate, name)) for name in CERTIFICATE_FIELDS}


@transaction.atomic
def certificate_register(*, actor, enterprise, data: bytes) -> PortalCertificate:
    """Register the X.509 certificate in ``data`` (PEM or DER, users.certificates) for the actor's own
    account in ``enterprise``, replacing the one registered before. A refused file changes nothing."""
    require_account(actor, enterprise)
    parsed = certificate_parse(data)
    previous = (
        PortalCertificate.objects.select_for_update().filter(person=actor, enterprise=enterprise).first()
    )
    before = _certificate_snapshot(previous)
    values = {name: getattr(parsed, name) for name in (*CERTIFICATE_FIELDS, "der")}
    if previous is None:
        certificate = PortalCertificate.objects.create(person=actor, enterprise=enterprise, **values)
    else:
        for name, value in values.items():
            setattr(previous, name, value)
        previous.uploaded_at = clock.now()
        previous.save()
        certificate = previous
    audit_record(
        actor=actor,
        action="certificate.register",
        target=certificate,
        enterprise_kbo=enterprise.kbo,
        before=before,
        after=_certificate_snapshot(certificate),
    )
    return certificate


@transaction.atomic
def certificate_remove(*, actor, enterprise) -> None:
    """Remove the actor's certificate for ``enterprise``; removing none changes nothing."""
    require_account(actor, enterprise)
    certificate = (
        PortalCertificate.objects.select_for_update().filter(person=actor, enterprise=enterprise).first()
    )
    if certificate is None:
        return
    before = _certificate_snapshot(certificate)
    audit_record(
        actor=actor,
        action="certificate.remove",
        target=certificate,
        enterprise_kbo=enterprise.kbo,
        before=before,
    )
    certificate.delete()
