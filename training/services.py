"""Training: classrooms of sandboxes, their people, their clocks, their reset; the demo world's reset.

A sandbox is built through the same services as the real chain (KBO, mandates, employment, CoBRHA,
and for the chapter-4 scenario the HTB and the hoedanigheid), so a trainee's world obeys every rule.
"""

import random
import secrets
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accessportal import clock
from accessportal.audit import audit_record
from accessportal.identifiers import insz_clean, kbo_clean
from accessportal.models import Propagation
from accessportal.propagation import next_pending_effect, propagations_apply_due
from accessportal.services import ServiceError
from administrators import services as administrators
from administrators.models import (
    CoHtbAppointment,
    EnterpriseHoedanigheid,
    HtbAppointment,
    HtbDraft,
    LocalAdministrator,
)
from enterprises import services as enterprises
from enterprises.models import Enterprise, Facility, Hoedanigheid, SubdivisionType
from identity.models import Person
from subdivisions.models import Subafdeling, SubafdelingAdministrator
from training.models import MAX_TRAINEES, Classroom, Part, Sandbox, SandboxPerson, Scenario

TRAINER_GROUP = "Opleiders"
FIRST_NAMES = [
    "An",
    "Bart",
    "Charlotte",
    "Dirk",
    "Eva",
    "Frank",
    "Griet",
    "Hans",
    "Ilse",
    "Jonas",
    "Karen",
    "Lieven",
    "Mieke",
    "Niels",
    "Olga",
    "Pieter",
    "Ruth",
    "Stijn",
    "Tine",
    "Wim",
]
LAST_NAMES = [
    "Aerts",
    "Bogaert",
    "Claes",
    "De Backer",
    "Dewaele",
    "Goossens",
    "Hermans",
    "Jacobs",
    "Lemmens",
    "Maes",
    "Mertens",
    "Peeters",
    "Renders",
    "Smets",
    "Van Damme",
    "Verbeke",
    "Willems",
    "Wouters",
]
PLACES = [
    "AALST",
    "BRUGGE",
    "GEEL",
    "HASSELT",
    "IEPER",
    "KORTRIJK",
    "LIER",
    "MECHELEN",
    "OOSTENDE",
    "TIELT",
    "TURNHOUT",
    "WAREGEM",
]
EMPLOYEES = 4  # the future HTB (in 3.2.3), TB, subafdelingsbeheerder and user
TRAINING_START = date(2015, 1, 1)


@transaction.atomic
def trainer_register(
    *, first_name: str, last_name: str, username: str, password: str, email: str = ""
) -> Person:
    """A trainer's account (``manage.py createtrainer``): a person with a fresh valid INSZ, signing in
    with username and password, in the group "Opleiders" (adding someone to it in the admin does the
    same)."""
    from identity import services as identity

    trainer = identity.person_register(
        insz=_new_insz(random.Random(secrets.randbits(64)), set()),
        first_name=first_name,
        last_name=last_name,
        email=email.strip(),
        username=username,
        password=password,
    )
    group, _created = Group.objects.get_or_create(name=TRAINER_GROUP)
    trainer.groups.add(group)
    audit_record(actor=None, action="training.trainer_create", target=trainer, after={"group": group.name})
    return trainer


def is_trainer(person) -> bool:
    return bool(person and person.is_authenticated) and (
        person.is_superuser or person.groups.filter(name=TRAINER_GROUP).exists()
    )


# --- Numbers: valid, and new in the simulated registers ----------------------------------------


def _new_kbo(rng: random.Random) -> str:
    while True:
        base = f"0{rng.randint(2_000_000, 9_999_999)}"
        number = kbo_clean(f"{base}{97 - int(base) % 97:02d}")
        if not Enterprise.objects.filter(kbo=number).exists():
            return number


def _new_insz(rng: random.Random, taken: set[str]) -> str:
    while True:
        born = date(rng.randint(1960, 1999), rng.randint(1, 12), rng.randint(1, 28))
        base = f"{born:%y%m%d}{rng.randint(1, 997):03d}"
        number = insz_clean(f"{base}{97 - int(base) % 97:02d}")
        if number not in taken and not Person.objects.filter(insz=number).exists():
            taken.add(number)
            return number


def _new_hco(rng: random.Random, taken: set[str]) -> str:
    while True:
        number = str(rng.randint(700_000, 799_999))
        if number not in taken and not Facility.objects.filter(hco_number=number).exists():
            taken.add(number)
            return number


# --- Classrooms and sandboxes -------------------------------------------------------------------


@transaction.atomic
def classroom_create(*, trainer, name: str, size: int, scenario: str) -> Classroom:
    """Register a classroom; ``classroom_build`` makes its sandboxes (a Celery task shows progress)."""
    if not is_trainer(trainer):
        raise ServiceError(_("Alleen een opleider kan een klas aanmaken."))
    if not name.strip():
        raise ServiceError(_("Geef de klas een naam."), field="name")
    if not 1 <= size <= MAX_TRAINEES:
        raise ServiceError(_("Een klas telt 1 tot %(max)s cursisten.") % {"max": MAX_TRAINEES}, field="size")
    if scenario not in Scenario.values:
        raise ServiceError(_("Kies een scenario uit de lijst."), field="scenario")
    classroom = Classroom.objects.create(trainer=trainer, name=name.strip(), size=size, scenario=scenario)
    audit_record(actor=trainer, action="training.classroom_create", target=classroom, after={"size": size})
    return classroom


def classroom_build(*, classroom_id: int) -> int:
    """Build the sandboxes a classroom still lacks, each in its own transaction, so progress shows
    while it runs and a second run (a lost task retried) only adds what is missing."""
    classroom = Classroom.objects.get(pk=classroom_id)
    built = 0
    for number in range(1, classroom.size + 1):
        with transaction.atomic():
            locked = Classroom.objects.select_for_update().get(pk=classroom.pk)
            if locked.sandboxes.filter(number=number).exists():
                continue
            sandbox_build(classroom=locked, number=number)
            built += 1
    Classroom.objects.filter(pk=classroom.pk, built_at=None).update(built_at=clock.now())
    return built


@transaction.atomic
def sandbox_build(*, classroom: Classroom, number: int) -> Sandbox:
    """A fresh enterprise in the simulated KBO with a legal representative and employees (all with
    the sandbox's PIN), three CoBRHA facilities, and the scenario's starting point."""
    rng = random.Random(secrets.randbits(64))
    place = rng.choice(PLACES)
    trainer = classroom.trainer
    world = f"zandbak-{secrets.token_hex(8)}"  # its enterprise and people only ever find each other
    enterprise = enterprises.enterprise_register(
        actor=trainer,
        kbo=_new_kbo(rng),
        name=f"VZW OEFENZORG {place} {classroom.pk}-{number}",
        legal_form="VZW",
        city=place.title(),
        founded_on=TRAINING_START,
        world=world,
    )
    pin = f"{rng.randint(0, 9999):04d}"
    sandbox = Sandbox.objects.create(classroom=classroom, number=number, enterprise=enterprise, pin=pin)
    pin_hash = make_password(pin, hasher="pbkdf2_sandbox_pin")
    taken: set[str] = set()
    last_names = rng.sample(LAST_NAMES, EMPLOYEES + 1)
    first_names = rng.sample(FIRST_NAMES, EMPLOYEES + 1)
    for order, (first, last) in enumerate(zip(first_names, last_names, strict=True)):
        person = Person.objects.create_user(
            _new_insz(rng, taken),
            first_name=first,
            last_name=last,
            email=f"{first}.{last}.{enterprise.kbo}@oefenzorg.test".lower().replace(" ", ""),
            language="nl",
            world=world,
        )
        person.pin = pin_hash
        person.save(update_fields=["pin"])
        part = Part.LEGAL_REPRESENTATIVE if order == 0 else Part.EMPLOYEE
        SandboxPerson.objects.create(sandbox=sandbox, person=person, part=part, sort_order=order)
        if part == Part.LEGAL_REPRESENTATIVE:
            enterprises.legal_mandate_add(
                actor=trainer,
                enterprise=enterprise,
                person=person,
                function="Bestuurder",
                start_date=TRAINING_START,
            )
        else:
            enterprises.employment_add(
                actor=trainer, enterprise=enterprise, person=person, start_date=TRAINING_START
            )
    types = {t.code: t for t in SubdivisionType.objects.all()}
    hcos: set[str] = set()
    facilities = [
        (f"HUIZE {place}", ["gezondheidszorg"]),
        (f"WZC {place}", ["residentiele-zorginstelling", "gezondheidszorg"]),
        (f"DAGCENTRUM {place}", ["thuiszorg"]),
    ]
    for name, type_codes in facilities:
        hco = _new_hco(rng, hcos)
        enterprises.facility_register(
            actor=trainer,
            enterprise=enterprise,
            hco_number=hco,
            name=name,
            listings={types[code]: f"{name} ({hco})" for code in type_codes if code in types},
        )
    _scenario_start(sandbox)
    audit_record(
        actor=trainer, action="training.sandbox_build", target=sandbox, enterprise_kbo=enterprise.kbo
    )
    return sandbox


def legal_representative_of(sandbox: Sandbox) -> Person:
    return sandbox.people.select_related("person").get(part=Part.LEGAL_REPRESENTATIVE).person


def _scenario_start(sandbox: Sandbox) -> None:
    """Chapter 4 starts with an enterprise registered in CSAM (the legal representative is HTB) and
    the hoedanigheid eHealth Gezondheidszorg active; 3.2.2 / 3.2.3 start with nothing in CSAM."""
    if sandbox.classroom.scenario != Scenario.PRAKTIJK:
        return
    representative = legal_representative_of(sandbox)
    administrators.htb_appoint(
        actor=representative,
        enterprise=sandbox.enterprise,
        person=representative,
        email=representative.email,
        phone="02 123 45 67",
    )
    administrators.hoedanigheid_activate(
        actor=representative,
        enterprise=sandbox.enterprise,
        hoedanigheid=Hoedanigheid.objects.get(code="ehealth-gezondheidszorg"),
    )


def enterprise_clear(enterprise: Enterprise) -> None:
    """Take an enterprise back to before CSAM: no HTB, co-HTBs, hoedanigheden, administrators,
    subafdelingen, users, rights, roles or pending changes. What the KBO and CoBRHA say stays."""
    subafdelingen = Subafdeling.objects.filter(hoedanigheid__enterprise=enterprise)
    SubafdelingAdministrator.objects.filter(subafdeling__in=subafdelingen).delete()
    subafdelingen.delete()  # their authorisations, users, rights and roles go with them
    LocalAdministrator.objects.filter(hoedanigheid__enterprise=enterprise).delete()
    EnterpriseHoedanigheid.objects.filter(enterprise=enterprise).delete()
    CoHtbAppointment.objects.filter(enterprise=enterprise).delete()
    HtbDraft.objects.filter(enterprise=enterprise).delete()
    HtbAppointment.objects.filter(enterprise=enterprise).delete()
    Propagation.objects.filter(enterprise_kbo=enterprise.kbo, applied_at=None).delete()


@transaction.atomic
def sandbox_reset(*, actor, sandbox: Sandbox) -> Sandbox:
    """Back to the scenario's start: the trainee's work in CSAM is undone; the people, their cards,
    the facilities and the sandbox's clock (forward only) stay."""
    sandbox = Sandbox.objects.select_for_update().select_related("classroom", "enterprise").get(pk=sandbox.pk)
    with clock.simulated(sandbox_now(sandbox)):
        enterprise_clear(sandbox.enterprise)
        for part in sandbox.people.select_related("person"):
            part.person.failed_pin_attempts = 0
            part.person.card_blocked_at = None
            part.person.save(update_fields=["failed_pin_attempts", "card_blocked_at"])
        _scenario_start(sandbox)
        sandbox.last_error, sandbox.last_error_at = "", None
        sandbox.save(update_fields=["last_error", "last_error_at"])
        audit_record(
            actor=actor,
            action="training.sandbox_reset",
            target=sandbox,
            enterprise_kbo=sandbox.enterprise.kbo,
        )
    return sandbox


# --- The sandbox's clock ------------------------------------------------------------------------


def sandbox_now(sandbox: Sandbox) -> datetime:
    return timezone.now() + sandbox.clock_offset


@transaction.atomic
def sandbox_clock_advance(
    *,
    actor,
    sandbox: Sandbox,
    by: timedelta | None = None,
    to: date | None = None,
    to_next_effect: bool = False,
) -> datetime:
    """Move a sandbox's clock forward (by a duration, to a date, or to the next pending change) and
    apply its changes that are due by then. Real time and other sandboxes are untouched."""
    sandbox = Sandbox.objects.select_for_update().select_related("enterprise").get(pk=sandbox.pk)
    now = sandbox_now(sandbox)
    if to_next_effect:
        target = next_pending_effect(enterprise_kbo=sandbox.enterprise.kbo)
        if target is None:
            raise ServiceError(_("Er wacht geen enkele wijziging in deze zandbak."), code="nothing_pending")
        target = max(target, now)  # already due on this clock: apply it, the clock stays
    elif to is not None:
        target = timezone.make_aware(datetime.combine(to, timezone.localtime(now).time()))
    elif by is not None:
        target = now + by
    else:
        raise ServiceError(_("Kies hoe ver de klok vooruit moet."))
    if target < now:
        raise ServiceError(_("De klok gaat enkel vooruit."), field="to", code="backwards")
    sandbox.clock_offset += target - now
    sandbox.save(update_fields=["clock_offset"])
    with clock.simulated(target):
        propagations_apply_due(enterprise_kbo=sandbox.enterprise.kbo)
        audit_record(
            actor=actor,
            action="training.clock_advance",
            target=sandbox,
            enterprise_kbo=sandbox.enterprise.kbo,
            before={"now": now.isoformat()},
            after={"now": target.isoformat()},
        )
    return target


def sandbox_error_note(*, sandbox_id: int, message: str) -> None:
    """Keep the last error message a trainee saw, for the trainer's dashboard."""
    Sandbox.objects.filter(pk=sandbox_id).update(last_error=message[:1000], last_error_at=clock.now())


# --- Personas -----------------------------------------------------------------------------------


def persona_of(sandbox: Sandbox, person_id) -> Person | None:
    """A person of this sandbox; None for anyone else (the switch never leaves the sandbox)."""
    part = sandbox.people.select_related("person").filter(person_id=person_id).first()
    return part.person if part else None


@transaction.atomic
def persona_switch(*, actor, sandbox: Sandbox, person_id) -> Person | None:
    """The trainee continues as another person of the sandbox, without a PIN (a simulation): audited
    as that person's sign-in, which is what the scenarios look for."""
    person = persona_of(sandbox, person_id)
    if person is not None:
        audit_record(
            actor=person,
            action="signin.success",
            target=person,
            enterprise_kbo=sandbox.enterprise.kbo,
            after={"key": "persona", "previous": getattr(actor, "pk", None)},
        )
    return person


# --- The demo world of `make run` ---------------------------------------------------------------


@transaction.atomic
def demo_world_reset(*, actor) -> dict:
    """Delete the demo world (its enterprises with everything in them, and its people) and load it
    again, as DESIGN.md describes it."""
    from training.demo import DEMO_KBOS, PEOPLE, demo_world_load

    kbos = [kbo_clean(kbo) for kbo in DEMO_KBOS]
    for enterprise in Enterprise.objects.filter(kbo__in=kbos):
        enterprise_clear(enterprise)
        Subafdeling.objects.filter(facility__enterprise=enterprise).delete()
        Propagation.objects.filter(enterprise_kbo=enterprise.kbo).delete()
        enterprise.delete()  # mandates, employment and facilities go with it
    Person.objects.filter(insz__in=[insz_clean(p.insz) for p in PEOPLE]).delete()
    people = demo_world_load()
    audit_record(actor=actor, action="training.demo_reset", target=None)
    return people
