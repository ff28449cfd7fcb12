"""Training: classrooms of sandboxes, their people, their clocks, their reset; the demo world's reset.

A sandbox is built through the same services as the real chain (KBO, mandates, employment, CoBRHA,
and for the chapter-4 scenario the HTB and the hoedanigheid), so a trainee's world obeys every rule.
"""

import logging
import random
import secrets
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accessportal import clock
from accessportal.audit import audit_record
from accessportal.models import Propagation
from accessportal.propagation import next_pending_effect, propagations_apply_due
from accessportal.services import ServiceError
from administrators import services as administrators
from administrators.models import (
    CoHtbAppointment,
    HoedanigheidActivation,
    HtbAppointment,
    HtbDraft,
    LocalAdministrator,
)
from enterprises import services as enterprises
from enterprises.models import Employment, Enterprise, Facility, Hoedanigheid, LegalMandate, SubdivisionType
from identity.models import ItsmeCodeOrigin, Person
from identity.tokens import itsme_code
from subdivisions.models import Subafdeling, SubafdelingAdministrator
from training.models import (
    MAX_AHEAD,
    MAX_TRAINEES,
    Classroom,
    DemoWorld,
    Part,
    ReloadState,
    Sandbox,
    SandboxPerson,
    Scenario,
    SimulatedWorld,
)
from worlds import numbers

logger = logging.getLogger(__name__)

TRAINER_GROUP = "Opleiders"
# First names with their sex: an INSZ's serial is odd for a man, even for a woman (worlds.numbers).
MEN = ["Bart", "Dirk", "Frank", "Hans", "Jonas", "Lieven", "Niels", "Pieter", "Stijn", "Wim"]
WOMEN = ["An", "Charlotte", "Eva", "Griet", "Ilse", "Karen", "Mieke", "Olga", "Ruth", "Tine"]
FIRST_NAMES = [(name, True) for name in MEN] + [(name, False) for name in WOMEN]
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
# A sandbox's CoBRHA facilities: (kind, subdivisie types); each is named "<kind> <place>" and listed
# under that name (CoBRHA's listing carries no HCO number: the screens show it beside the name).
SCENARIO_FACILITY = "HUIZE"  # the one chapter 4 activates as a subafdeling
FACILITIES = [
    (SCENARIO_FACILITY, ["gezondheidszorg"]),
    ("WZC", ["residentiele-zorginstelling", "gezondheidszorg"]),
    ("DAGCENTRUM", ["thuiszorg"]),
]
EMPLOYEES = 4  # the future HTB (in 3.2.3), TB, subafdelingsbeheerder and user
TRAINING_START = date(2015, 1, 1)
DEMO_RELOAD_STEPS = 6  # demo_world_reset's steps: the deletion and demo_world_load's five (LOAD_STEPS)


@transaction.atomic
def trainer_register(
    *, first_name: str, last_name: str, username: str, password: str, email: str = ""
) -> Person:
    """A trainer's account (``manage.py createtrainer``): a person with a fresh valid INSZ, signing in
    with username and password, in the group "Opleiders" (adding someone to it in the admin does the
    same). The INSZ's sex follows the first name when it is one of ours, else it is drawn."""
    from identity import services as identity

    rng = random.Random(secrets.randbits(64))
    known = dict(FIRST_NAMES)
    male = known.get(first_name.strip(), rng.random() < 0.5)
    trainer = identity.person_register(
        insz=numbers.insz_issue(rng, male=male),
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


def is_classroom_trainer(person, classroom: Classroom) -> bool:
    """The classroom's own trainer, or a superuser: who may act on its trainees' sandboxes."""
    return bool(person and person.is_authenticated) and (
        person.is_superuser or classroom.trainer_id == person.pk
    )


# --- Classrooms and sandboxes -------------------------------------------------------------------


@transaction.atomic
def classroom_create(
    *, trainer, name: str, size: int, scenario: str, token: uuid.UUID | None = None
) -> Classroom:
    """Register a classroom; ``classroom_build`` makes its sandboxes (a Celery task shows progress).
    ``token``: the form's one-time token; the same form sent again (a double click, back and send
    again) returns the classroom it created, and creates nothing."""
    if not is_trainer(trainer):
        raise ServiceError(_("Alleen een opleider kan een klas aanmaken."))
    if token is not None:
        existing = Classroom.objects.filter(creation_token=token, trainer=trainer).first()
        if existing is not None:
            return existing
    if not name.strip():
        raise ServiceError(_("Geef de klas een naam."), field="name")
    if not 1 <= size <= MAX_TRAINEES:
        raise ServiceError(_("Een klas telt 1 tot %(max)s cursisten.") % {"max": MAX_TRAINEES}, field="size")
    if scenario not in Scenario.values:
        raise ServiceError(_("Kies een scenario uit de lijst."), field="scenario")
    try:
        with transaction.atomic():
            classroom = Classroom.objects.create(
                trainer=trainer, name=name.strip(), size=size, scenario=scenario, creation_token=token
            )
    except IntegrityError:  # the same form, sent twice at once: the other request created it
        existing = Classroom.objects.filter(creation_token=token, trainer=trainer).first()
        if existing is None:
            raise ServiceError(_("Dit formulier werd al gebruikt. Vul het opnieuw in.")) from None
        return existing
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
    the sandbox's PIN, and each with an itsme phone and code for the card), three CoBRHA facilities,
    and the scenario's starting point."""
    rng = random.Random(secrets.randbits(64))
    place = rng.choice(PLACES)
    trainer = classroom.trainer
    world = f"zandbak-{secrets.token_hex(8)}"  # its enterprise and people only ever find each other
    enterprise = enterprises.enterprise_register(
        actor=trainer,
        kbo=numbers.kbo_issue(rng),
        name=f"VZW OEFENZORG {place} {classroom.pk}-{number}",
        legal_form="VZW",
        city=place.title(),
        founded_on=TRAINING_START,
        world=world,
    )
    pin = f"{rng.randint(0, 9999):04d}"
    sandbox = Sandbox.objects.create(classroom=classroom, number=number, enterprise=enterprise, pin=pin)
    _sandbox_people_ensure(sandbox, actor=trainer, rng=rng)
    _sandbox_facilities_ensure(sandbox, actor=trainer, rng=rng)
    _scenario_start(sandbox)
    audit_record(
        actor=trainer, action="training.sandbox_build", target=sandbox, enterprise_kbo=enterprise.kbo
    )
    return sandbox


def _sandbox_person_add(sandbox: Sandbox, *, rng: random.Random, part: str, order: int, taken: set[str]):
    """A new person of the sandbox with the sandbox's PIN: a first name and an INSZ of the same sex."""
    first, male = rng.choice([(name, male) for name, male in FIRST_NAMES if name not in taken])
    last = rng.choice([name for name in LAST_NAMES if name not in taken] or LAST_NAMES)
    taken.update({first, last})
    person = Person.objects.create_user(
        numbers.insz_issue(rng, male=male),
        first_name=first,
        last_name=last,
        email=f"{first}.{last}.{sandbox.enterprise.kbo}@oefenzorg.test".lower().replace(" ", ""),
        language="nl",
        itsme_phone=numbers.itsme_phone_issue(rng),
        world=sandbox.enterprise.world,  # found only by look-ups of its own sandbox
    )
    person.pin = make_password(sandbox.pin, hasher="pbkdf2_sandbox_pin")
    person.set_itsme_code(itsme_code(person.insz), origin=ItsmeCodeOrigin.SIMULATED)
    person.save(update_fields=["pin", "itsme_code", "itsme_code_origin"])
    SandboxPerson.objects.create(sandbox=sandbox, person=person, part=part, sort_order=order)
    return person


def _sandbox_people_ensure(sandbox: Sandbox, *, actor, rng: random.Random) -> None:
    """A legal representative (a mandate in the KBO, now) and ``EMPLOYEES`` employees (employed now):
    whoever is missing is made anew, a mandate or employment that ended is added again."""
    enterprise = sandbox.enterprise
    parts = list(sandbox.people.select_related("person"))
    taken = {name for part in parts for name in (part.person.first_name, part.person.last_name)}
    order = max((part.sort_order for part in parts), default=-1) + 1
    people = [part.person for part in parts if part.part == Part.LEGAL_REPRESENTATIVE][:1]
    if not people:
        people.append(
            _sandbox_person_add(sandbox, rng=rng, part=Part.LEGAL_REPRESENTATIVE, order=order, taken=taken)
        )
        order += 1
    representative = people[0]
    employees = [part.person for part in parts if part.part == Part.EMPLOYEE]
    while len(employees) < EMPLOYEES:
        employees.append(_sandbox_person_add(sandbox, rng=rng, part=Part.EMPLOYEE, order=order, taken=taken))
        order += 1
    if not LegalMandate.objects.current().filter(enterprise=enterprise, person=representative).exists():
        enterprises.legal_mandate_add(
            actor=actor,
            enterprise=enterprise,
            person=representative,
            function="Bestuurder",
            start_date=TRAINING_START,
        )
    employed = set(
        Employment.objects.current().filter(enterprise=enterprise).values_list("person_id", flat=True)
    )
    for employee in employees:
        if employee.pk not in employed:
            enterprises.employment_add(
                actor=actor, enterprise=enterprise, person=employee, start_date=TRAINING_START
            )


def _sandbox_facilities_ensure(sandbox: Sandbox, *, actor, rng: random.Random) -> None:
    """The sandbox's three CoBRHA facilities (HUIZE, WZC, DAGCENTRUM of its place), each with a new
    HCO number; one that is missing is registered anew."""
    enterprise = sandbox.enterprise
    place = enterprise.city.upper()
    types = {t.code: t for t in SubdivisionType.objects.all()}
    present = list(Facility.objects.filter(enterprise=enterprise).values_list("name", flat=True))
    for kind, type_codes in FACILITIES:
        if any(name.startswith(f"{kind} ") for name in present):
            continue
        name = f"{kind} {place}"
        enterprises.facility_register(
            actor=actor,
            enterprise=enterprise,
            hco_number=numbers.hco_issue(rng),
            name=name,
            listings={types[code]: name for code in type_codes if code in types},
        )


def legal_representative_of(sandbox: Sandbox) -> Person | None:
    part = sandbox.people.select_related("person").filter(part=Part.LEGAL_REPRESENTATIVE).first()
    return part.person if part else None


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
    subafdelingen = Subafdeling.objects.filter(activation__enterprise=enterprise)
    SubafdelingAdministrator.objects.filter(subafdeling__in=subafdelingen).delete()
    subafdelingen.delete()  # their authorisations, users, rights and roles go with them
    LocalAdministrator.objects.filter(activation__enterprise=enterprise).delete()
    HoedanigheidActivation.objects.filter(enterprise=enterprise).delete()
    CoHtbAppointment.objects.filter(enterprise=enterprise).delete()
    HtbDraft.objects.filter(enterprise=enterprise).delete()
    HtbAppointment.objects.filter(enterprise=enterprise).delete()
    Propagation.objects.filter(enterprise_kbo=enterprise.kbo, applied_at=None).delete()


@transaction.atomic
def sandbox_reset(*, actor, sandbox: Sandbox) -> Sandbox:
    """ "Opnieuw beginnen": back to the scenario's start, whatever state the sandbox is in. The
    trainee's work in CSAM is undone, the clock is back at real time, every card is unblocked, and
    what the scenario needs is there again (a legal representative with a mandate, four employees,
    three facilities). The people, their PIN-code and the enterprise stay."""
    sandbox = Sandbox.objects.select_for_update().select_related("classroom", "enterprise").get(pk=sandbox.pk)
    sandbox.clock_offset = timedelta(0)
    sandbox.last_error, sandbox.last_error_at = "", None
    sandbox.save(update_fields=["clock_offset", "last_error", "last_error_at"])
    from identity import services as identity

    with clock.simulated(sandbox.now()):
        enterprise_clear(sandbox.enterprise)
        rng = random.Random(secrets.randbits(64))
        _sandbox_people_ensure(sandbox, actor=actor, rng=rng)
        _sandbox_facilities_ensure(sandbox, actor=actor, rng=rng)
        for part in sandbox.people.select_related("person"):  # every digital key works again
            identity.card_unblock(actor=actor, person=part.person)
        _scenario_start(sandbox)
        event = audit_record(
            actor=actor,
            action="training.sandbox_reset",
            target=sandbox,
            enterprise_kbo=sandbox.enterprise.kbo,
        )
    # What the trainee did before this reset no longer counts as progress (the audit trail stays).
    sandbox.audit_floor = event.pk
    sandbox.save(update_fields=["audit_floor"])
    return sandbox


# --- Cards ----------------------------------------------------------------------------------------


@transaction.atomic
def sandbox_card_unblock(*, actor, sandbox: Sandbox, person_id) -> Person:
    """ "Kaart deblokkeren" on the dashboard: the eID card of a person of the sandbox, blocked after
    three wrong PIN-codes, works again. Only the classroom's trainer (or a superuser) may."""
    from identity import services as identity

    if not is_classroom_trainer(actor, sandbox.classroom):
        raise ServiceError(_("Enkel de opleider van deze klas kan een kaart deblokkeren."), code="forbidden")
    person = persona_of(sandbox, person_id)
    if person is None:
        raise ServiceError(_("Deze persoon hoort niet bij deze zandbak."), code="not_in_sandbox")
    return identity.card_unblock(actor=actor, person=person)


@transaction.atomic
def demo_card_unblock(*, actor, person_id) -> Person:
    """A trainer unblocks the eID card of a person of the demo world (from /opleiding/)."""
    from identity import services as identity
    from worlds.demo import demo_inszs

    if not is_trainer(actor):
        raise ServiceError(_("Enkel een opleider kan een kaart deblokkeren."), code="forbidden")
    person = Person.objects.filter(pk=person_id, insz__in=demo_inszs()).first()
    if person is None:
        raise ServiceError(_("Deze persoon hoort niet bij de demowereld."), code="not_in_demo")
    return identity.card_unblock(actor=actor, person=person)


# --- The clock of a simulated world (a sandbox, the demo world) ------------------------------------


def demo_world() -> DemoWorld:
    return DemoWorld.objects.get_or_create(pk=1)[0]


@transaction.atomic
def world_clock_advance(
    *,
    actor,
    world: SimulatedWorld,
    by: timedelta | None = None,
    to: date | None = None,
    to_next_effect: bool = False,
) -> datetime:
    """Move a world's clock forward (by a duration, to a date, or to the next pending change of its
    enterprises), at most ``MAX_AHEAD`` ahead of real time, and apply its enterprises' changes that
    are due by then. Real time and the other worlds are untouched."""
    model = type(world)
    world = model.objects.select_for_update().get(pk=world.pk)
    real = clock.wall_now()
    now = real + world.ahead
    limit = real + MAX_AHEAD
    kbos = world.enterprise_kbos()
    if to_next_effect:
        target = next_pending_effect(enterprise_kbos=kbos)
        if target is None:
            raise ServiceError(_("Er wacht geen enkele wijziging in deze zandbak."), code="nothing_pending")
        target = max(target, now)  # already due on this clock: apply it, the clock stays
    elif to is not None:
        if to > timezone.localdate(limit):
            raise ServiceError(
                _("De klok gaat hoogstens vijf jaar vooruit: kies een datum tot %(date)s.")
                % {"date": f"{timezone.localdate(limit):%d-%m-%Y}"},
                field="to",
                code="too_far",
            )
        target = timezone.make_aware(datetime.combine(to, timezone.localtime(now).time()))
    elif by is not None:
        target = now + by
    else:
        raise ServiceError(_("Kies hoe ver de klok vooruit moet."))
    if target < now:
        raise ServiceError(_("De klok gaat enkel vooruit."), field="to", code="backwards")
    if target > limit:
        raise ServiceError(
            _("De klok gaat hoogstens vijf jaar vooruit op de echte tijd."), field="to", code="too_far"
        )
    world.clock_offset = max(target - real, timedelta(0))
    world.save(update_fields=["clock_offset"])
    with clock.simulated(target):
        propagations_apply_due(enterprise_kbos=kbos)
        audit_record(
            actor=actor,
            action="training.clock_advance",
            target=world,
            enterprise_kbo=kbos[0] if len(kbos) == 1 else "",
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

# A reload that ran this long without finishing lost its worker: it may be asked for again.
RELOAD_STALE = timedelta(minutes=10)


def demo_world_reset(*, actor, progress: Callable[[str], None] | None = None) -> dict:
    """Delete the demo world (its enterprises with everything in them, and its people) and load it
    again, as DESIGN.md describes it; its clock runs at real time again. Each step is a transaction
    of its own, so ``progress`` (called with each step's label) can be seen by another process; a
    reload that failed half-way is repaired by the next one."""
    from worlds.demo import demo_inszs, demo_kbos, demo_world_load

    say = progress or (lambda label: None)
    say(gettext_noop("De demowereld verwijderen"))
    with transaction.atomic():
        for enterprise in Enterprise.objects.filter(kbo__in=demo_kbos()):
            enterprise_clear(enterprise)
            Subafdeling.objects.filter(facility__enterprise=enterprise).delete()
            enterprise.delete()  # mandates, employment and facilities go with it
        Propagation.objects.filter(enterprise_kbo__in=demo_kbos()).delete()
        Person.objects.filter(insz__in=demo_inszs()).delete()
        DemoWorld.objects.update_or_create(pk=1, defaults={"clock_offset": timedelta(0)})
    people = demo_world_load(progress=say)
    with transaction.atomic():
        audit_record(actor=actor, action="training.demo_reset", target=None)
    return people


@transaction.atomic
def demo_reload_request(*, actor) -> DemoWorld:
    """ "De demowereld herladen": queue the reload for a Celery worker (``demo_reload_run``); refused
    while one is queued or running."""
    if not is_trainer(actor):
        raise ServiceError(_("Enkel een opleider kan de demowereld herladen."), code="forbidden")
    demo_world()
    world = DemoWorld.objects.select_for_update().get(pk=1)
    busy = world.reload_state in (ReloadState.QUEUED, ReloadState.RUNNING)
    if busy and world.reload_requested_at and clock.now() - world.reload_requested_at < RELOAD_STALE:
        raise ServiceError(_("De demowereld wordt al herladen. Wacht tot dat klaar is."), code="busy")
    world.reload_state = ReloadState.QUEUED
    world.reload_step, world.reload_steps, world.reload_step_label = 0, DEMO_RELOAD_STEPS, ""
    world.reload_requested_by = actor
    world.reload_requested_at = clock.now()
    world.reload_finished_at = None
    world.reload_error = ""
    world.save()
    audit_record(actor=actor, action="training.demo_reload_request", target=world)
    return world


def demo_reload_run() -> bool:
    """Run the queued reload (the Celery task, or inline when the broker is unreachable): claim it
    (one worker only), reload, and keep the progress and the outcome on the DemoWorld row."""
    claimed = DemoWorld.objects.filter(pk=1, reload_state=ReloadState.QUEUED).update(
        reload_state=ReloadState.RUNNING
    )
    if not claimed:
        return False
    world = DemoWorld.objects.select_related("reload_requested_by").get(pk=1)

    def progress(label: str) -> None:
        DemoWorld.objects.filter(pk=1).update(reload_step=F("reload_step") + 1, reload_step_label=label)

    try:
        demo_world_reset(actor=world.reload_requested_by, progress=progress)
    except Exception as error:
        logger.exception("Reloading the demo world failed.")
        DemoWorld.objects.filter(pk=1).update(
            reload_state=ReloadState.FAILED,
            reload_error="; ".join(getattr(error, "messages", [str(error)]))[:2000],
            reload_finished_at=clock.now(),
        )
        return False
    DemoWorld.objects.filter(pk=1).update(
        reload_state=ReloadState.IDLE, reload_finished_at=clock.now(), reload_step=F("reload_steps")
    )
    return True
