"""Shared fixtures: the catalogue, the persona world with an outsider enterprise, the clock."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from zoneinfo import ZoneInfo

import factory.random
import pytest
from django.utils import translation

from accessportal import clock
from accessportal.celery import app as celery_app
from accessportal.fragments import fragments_clear
from administrators import services as administrators
from administrators.models import AdministratorKind, HoedanigheidActivation
from enterprises import services as enterprises
from enterprises.models import Application, Enterprise, Hoedanigheid, SubdivisionType
from identity.models import Person
from roles.models import Role
from subdivisions import services as subdivisions
from subdivisions.models import Subafdeling
from tests.factories import EnterpriseFactory, PersonFactory
from users import services as users
from users.models import SubafdelingUser
from worlds.catalogue import catalogue_ensure

# Tasks run inline in tests (after the transaction commits); the worker test turns this off.
celery_app.conf.task_always_eager = True

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def catalogue(db):
    catalogue_ensure()
    return {
        "types": {t.code: t for t in SubdivisionType.objects.all()},
        "hoedanigheden": {h.code: h for h in Hoedanigheid.objects.all()},
        "applications": {a.code: a for a in Application.objects.all()},
        "roles": {r.name: r for r in Role.objects.all()},
    }


@dataclass
class Side:
    """One enterprise with a person at every level of the chain."""

    enterprise: Enterprise
    legal_rep: Person
    htb: Person
    co_htb: Person
    tb: Person
    sb: Person
    user_person: Person
    employee: Person
    activation: HoedanigheidActivation
    subafdeling: Subafdeling
    user: SubafdelingUser


def trainer_create(name: str) -> Person:
    from django.contrib.auth.models import Group

    from training.services import TRAINER_GROUP

    trainer = PersonFactory(first_name=name)
    trainer.groups.add(Group.objects.get_or_create(name=TRAINER_GROUP)[0])
    return trainer


def classroom_with_sandbox(name: str):
    """A trainer's classroom of one sandbox (built when first asked for: most tests never do)."""
    from training import services as training

    trainer = trainer_create(name)
    classroom = training.classroom_create(trainer=trainer, name=f"Klas {name}", size=1, scenario="htb")
    training.classroom_build(classroom_id=classroom.pk)
    sandbox = classroom.sandboxes.get()
    return trainer, classroom, sandbox, training.legal_representative_of(sandbox)


@dataclass
class World:
    main: Side
    outsider: Side
    nobody: Person

    @cached_property
    def training(self):
        """(trainer, classroom, sandbox, trainee) of the main classroom."""
        return classroom_with_sandbox("Opleider")

    @cached_property
    def outsider_training(self):
        return classroom_with_sandbox("Buitenstaander")

    def persona(self, level: str) -> Person | None:
        """anonymous, nobody, and each level of the main side or, prefixed outsider_, the other side;
        trainer / trainee of the main classroom or of another one."""
        if level == "anonymous":
            return None
        if level == "nobody":
            return self.nobody
        if level in ("trainer", "trainee"):
            trainer, _classroom, _sandbox, trainee = self.training
            return trainer if level == "trainer" else trainee
        if level in ("outsider_trainer", "outsider_trainee"):
            trainer, _classroom, _sandbox, trainee = self.outsider_training
            return trainer if level == "outsider_trainer" else trainee
        if level.startswith("outsider_"):
            return getattr(self.outsider, level.removeprefix("outsider_"))
        return getattr(self.main, level)


def build_side(catalogue, name: str, hco: str) -> Side:
    enterprise = EnterpriseFactory(name=name)
    legal_rep, htb, co_htb, tb, sb, user_person, employee = PersonFactory.create_batch(7)
    start = date(2015, 1, 1)
    enterprises.legal_mandate_add(
        enterprise=enterprise, person=legal_rep, function="Bestuurder", start_date=start
    )
    for person in (htb, co_htb, tb, sb, user_person, employee):
        enterprises.employment_add(enterprise=enterprise, person=person, start_date=start)
    gz = catalogue["types"]["gezondheidszorg"]
    facility = enterprises.facility_register(
        enterprise=enterprise, hco_number=hco, name=f"{name} ZORG", listings={gz: f"{name} ZORG ({hco})"}
    )
    administrators.htb_appoint(
        actor=legal_rep, enterprise=enterprise, person=htb, email=htb.email, phone="02"
    )
    administrators.co_htb_appoint(actor=htb, enterprise=enterprise, person=co_htb)
    activation = administrators.hoedanigheid_activate(
        actor=htb, enterprise=enterprise, hoedanigheid=catalogue["hoedanigheden"]["ehealth-gezondheidszorg"]
    )
    administrators.local_administrator_appoint(
        actor=htb, activation=activation, person=tb, kind=AdministratorKind.LB, email=tb.email
    )
    apps = catalogue["applications"]
    subafdeling = subdivisions.subafdeling_activate(
        actor=tb,
        activation=activation,
        facility=facility,
        subdivision_type=gz,
        email=f"sub{hco}@example.be",
        applications=[apps["e-loket-departement-zorg"], apps["vipa"]],
        administrator=sb,
    )
    user = users.user_add(
        actor=sb,
        subafdeling=subafdeling,
        person=user_person,
        email=user_person.email,
        applications=[apps["e-loket-departement-zorg"]],
    )
    return Side(
        enterprise, legal_rep, htb, co_htb, tb, sb, user_person, employee, activation, subafdeling, user
    )


@pytest.fixture
def world(catalogue) -> World:
    return World(
        main=build_side(catalogue, "VZW HOOFDZORG", "800001"),
        outsider=build_side(catalogue, "VZW BUITENSTAANDER", "800002"),
        nobody=PersonFactory(),
    )


@pytest.fixture
def frozen_clock():
    """A simulated clock at a fixed moment; advance it with ``frozen_clock.advance(minutes=20)``."""
    with clock.simulated(datetime(2026, 3, 2, 10, 0, tzinfo=BRUSSELS)) as simulated:
        yield simulated


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PINs and passwords are hashed with PBKDF2 in production; tests need not pay for it."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "training.hashers.SandboxPinHasher",
    ]


@pytest.fixture(autouse=True)
def _dutch_after_each_test():
    """A request in another language leaves it active in the worker's thread; reset it."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _same_fake_names_every_run():
    """Factories draw names from Faker: the same ones for a test whatever runs before it."""
    factory.random.reseed_random("accessportal")


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Each test gets a cache of its own (locmem): sign-in throttles and once-only flags count from
    zero, and parallel workers never see each other's keys (a shared Redis or folder would)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }


@pytest.fixture(autouse=True)
def _no_kept_fragments():
    """No rendered fragment ({% keep %}) outlives its test: a test's settings (URLs, static files,
    languages) may differ from the last one's."""
    fragments_clear()
    yield
    fragments_clear()


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    """Uploaded files (the contact center's attachments) go to the test's own folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
