"""The demo world of DESIGN.md, built through the same services the screens use, so that it obeys
every rule of the chain and leaves an audit trail like a real history would."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_noop

from accessportal import clock
from accessportal.identifiers import insz_compact, kbo_compact
from accessportal.propagation import propagations_apply_due
from administrators import services as administrators
from administrators.models import AdministratorKind
from enterprises import services as enterprises
from enterprises.models import Application, Enterprise, Hoedanigheid, SubdivisionType
from identity import services as identity
from identity.models import ItsmeCodeOrigin, Person
from identity.tokens import DEMO_ITSME_CODE
from roles import services as roles
from roles.models import Role
from subdivisions import services as subdivisions
from users import services as users
from worlds import catalogue

DEMO_PIN = "1234"
BRUSSELS = ZoneInfo("Europe/Brussels")


@dataclass(frozen=True)
class DemoPerson:
    key: str
    insz: str
    first_name: str
    last_name: str
    email: str
    phone: str


PEOPLE = [
    DemoPerson(
        "marc", "75.03.12-033.39", "Marc", "Vermeulen", "marc.vermeulen@delinde.be", "+32 3 450 12 10"
    ),
    DemoPerson("els", "82.09.21-124.61", "Els", "Janssens", "els.janssens@delinde.be", "+32 3 450 12 11"),
    DemoPerson(
        "luc", "68.01.05-057.64", "Luc", "De Smet", "luc.desmet@broedersvanliefde.be", "+32 9 221 45 00"
    ),
    DemoPerson("sarah", "90.06.14-212.39", "Sarah", "Maes", "sarah.maes@huizeterloo.be", "+32 9 221 45 17"),
    DemoPerson("jan", "79.02.28-135.19", "Jan", "Claes", "jan.claes@stbarbara.be", "+32 14 54 12 00"),
    DemoPerson("nina", "93.07.17-078.56", "Nina", "Peeters", "nina.peeters@stbarbara.be", "+32 14 54 12 01"),
    DemoPerson(
        "freddy",
        "87.11.30-091.40",
        "Freddy",
        "Quintelier",
        "freddy.quintelier@stbarbara.be",
        "+32 14 54 12 02",
    ),
    DemoPerson(
        "lotte", "01.12.03-046.95", "Lotte", "Willems", "lotte.willems@stbarbara.be", "+32 14 54 12 03"
    ),
    DemoPerson("emma", "02.04.15-022.15", "Emma", "Dubois", "emma.dubois@example.be", "+32 2 555 01 01"),
]

DE_LINDE = "0812.345.603"
BROEDERS = "0406.633.304"
ST_BARBARA = "0422.152.314"
DEMO_KBOS = [DE_LINDE, BROEDERS, ST_BARBARA]
# The CoBRHA numbers of the demo's facilities (demo_world_load registers exactly these).
DEMO_HCOS = [
    "210001",
    "210002",
    "30001",
    "201870",
    "201871",
    "201872",
    "201873",
    "4085",
    "19555",
    "3634",
    "7166",
]


def demo_kbos() -> list[str]:
    return [kbo_compact(kbo) for kbo in DEMO_KBOS]


def demo_inszs() -> list[str]:
    return [insz_compact(person.insz) for person in PEOPLE]


DEMO_INSZS = frozenset(demo_inszs())


class DemoWorldError(RuntimeError):
    pass


def _at(year, month, day, hour=9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=BRUSSELS)


def demo_world_state() -> str:
    """'absent', 'complete' or 'partial'."""
    present = Enterprise.objects.filter(kbo__in=demo_kbos()).count()
    people = Person.objects.filter(insz__in=demo_inszs()).count()
    if present == 0 and people == 0:
        return "absent"
    if present == len(DEMO_KBOS) and people == len(PEOPLE):
        return "complete"
    return "partial"


def _people() -> dict[str, Person]:
    people = {}
    for p in PEOPLE:
        people[p.key] = identity.person_register(
            insz=p.insz,
            first_name=p.first_name,
            last_name=p.last_name,
            email=p.email,
            phone=p.phone,
            pin=DEMO_PIN,
            itsme_phone=p.phone,
            itsme_code=DEMO_ITSME_CODE,
            itsme_code_origin=ItsmeCodeOrigin.DEMO,
            username=f"{p.first_name}.{p.last_name}".lower().replace(" ", ""),
        )
    return people


def _itsme_codes_ensure() -> None:
    """A demo world loaded before itsme asked a code gets the documented one."""
    people = Person.objects.filter(insz__in=[insz_compact(p.insz) for p in PEOPLE], itsme_code="")
    for person in people:
        person.set_itsme_code(DEMO_ITSME_CODE, origin=ItsmeCodeOrigin.DEMO)
        person.save(update_fields=["itsme_code", "itsme_code_origin"])


def _enterprise(kbo, name, street, postal_code, city, email, founded_on) -> Enterprise:
    return enterprises.enterprise_register(
        kbo=kbo,
        name=name,
        legal_form="VZW",
        street=street,
        postal_code=postal_code,
        city=city,
        email=email,
        founded_on=founded_on,
    )


@transaction.atomic
def _propagation_delay_passes(simulated: clock.SimulatedClock) -> None:
    """Rights and roles of the demo's past are in effect, as they were 20 minutes after they were saved."""
    simulated.advance(settings.PROPAGATION_DELAY)
    propagations_apply_due()


# The steps of demo_world_load, as its ``progress`` callback names them (Dutch msgids: the page that
# shows a reload's progress translates them).
LOAD_STEPS = [
    gettext_noop("Personen, ondernemingen en voorzieningen"),
    gettext_noop("Broeders van Liefde: hoofdtoegangsbeheerder, hoedanigheden en subafdeling"),
    gettext_noop("St Barbara: hoofdtoegangsbeheerder, hoedanigheden, beheerders en subafdelingen"),
    gettext_noop("Freddy Quintelier: gebruiker met recht en rol"),
    gettext_noop("Lotte Willems: gebruiker met recht"),
]


def demo_world_load(progress: Callable[[str], None] | None = None) -> dict[str, Person]:
    """Load the demo world. Idempotent: a complete demo world is left as it is. ``progress`` is
    called with each of ``LOAD_STEPS`` as it starts."""
    say = progress or (lambda label: None)
    state = demo_world_state()
    if state == "complete":
        _itsme_codes_ensure()
        return {}
    if state == "partial":
        raise DemoWorldError(
            "Een deel van de demowereld bestaat al (personen of ondernemingen met dezelfde nummers): "
            "verwijder die eerst in /admin/."
        )
    catalogue.catalogue_ensure()
    types = {t.code: t for t in SubdivisionType.objects.all()}
    hoedanigheden = {h.code: h for h in Hoedanigheid.objects.all()}
    all_apps = list(Application.objects.all())
    eloket = Application.objects.get(code="e-loket-departement-zorg")

    say(LOAD_STEPS[0])
    with clock.simulated(_at(2005, 1, 10)):
        people = _people()
        de_linde = _enterprise(
            DE_LINDE,
            "VZW ZORGNETWERK DE LINDE",
            "Lindelaan 12",
            "2000",
            "Antwerpen",
            "directie@delinde.be",
            date(2004, 3, 1),
        )
        broeders = _enterprise(
            BROEDERS,
            "ORGANISATIE BROEDERS VAN LIEFDE VZW",
            "Stropstraat 119",
            "9000",
            "Gent",
            "personeelsdienst.noviciaat@broedersvanliefde.be",
            date(1971, 1, 1),
        )
        st_barbara = _enterprise(
            ST_BARBARA,
            "VZW ST BARBARA RUST EN VERZORGINGSTEHUIS",
            "Sint-Barbarastraat 10",
            "3200",
            "Herselt",
            "directie@stbarbara.be",
            date(1982, 6, 1),
        )
        start = date(2005, 1, 1)
        for person, enterprise in (("marc", de_linde), ("luc", broeders), ("jan", st_barbara)):
            enterprises.legal_mandate_add(
                enterprise=enterprise, person=people[person], function="Bestuurder", start_date=start
            )
        for person, enterprise in (
            ("els", de_linde),
            ("sarah", broeders),
            ("nina", st_barbara),
            ("freddy", st_barbara),
            ("lotte", st_barbara),
        ):
            enterprises.employment_add(enterprise=enterprise, person=people[person], start_date=start)

        gz, tz, rz = types["gezondheidszorg"], types["thuiszorg"], types["residentiele-zorginstelling"]
        facilities = {}
        for enterprise, hco, name, listings in (
            (de_linde, "210001", "WZC DE LINDE", {rz: "WZC DE LINDE"}),
            (de_linde, "210002", "DAGCENTRUM DE LINDE", {gz: "DAGCENTRUM DE LINDE"}),
            (
                broeders,
                "30001",
                "RESIDENTIEEL KORTDUREND JONGERENPROGRAMMA-GENT",
                {
                    gz: "RESIDENTIEEL KORTDUREND JONGERENPROGRAMMA-GENT (Overeenkomst - 773 - revalidatie van verslaafden)"
                },
            ),
            (broeders, "201870", "HUIZE TERLOO", {gz: "HUIZE TERLOO"}),
            (broeders, "201871", "DE OASE", {gz: "DE OASE"}),
            (broeders, "201872", "GASTHUIS SINT-JOZEF", {gz: "GASTHUIS SINT-JOZEF"}),
            (broeders, "201873", "KLIMOP", {gz: "KLIMOP"}),
            (st_barbara, "4085", "T SUSTERHUYIS", {gz: "T SUSTERHUYIS (4085)"}),
            (
                st_barbara,
                "19555",
                "SINT-BARBARA",
                {
                    gz: "SINT-BARBARA (19555)",
                    rz: "SINT-BARBARA-HERSELT (Centrum voor Kortverblijf, Oriënterend kortverblijf)",
                },
            ),
            (
                st_barbara,
                "3634",
                "SINT-BARBARA",
                {
                    gz: "SINT-BARBARA (3634)",
                    rz: "SINT-BARBARA-HERSELT (Woonzorgcentrum, Rust- en verzorgingstehuis)",
                },
            ),
            (st_barbara, "7166", "JACOBUSHUIS", {tz: "JACOBUSHUIS"}),
        ):
            facilities[hco] = enterprises.facility_register(
                enterprise=enterprise, hco_number=hco, name=name, listings=listings
            )

    luc, jan, nina = people["luc"], people["jan"], people["nina"]
    say(LOAD_STEPS[1])
    with clock.simulated(_at(2009, 2, 5)):
        administrators.htb_appoint(
            actor=luc,
            enterprise=broeders,
            person=luc,
            email=broeders.email,
            phone="+32 9 221 45 00",
            requester_email=luc.email,
            requester_phone=luc.phone,
        )
        broeders_activations = {
            code: administrators.hoedanigheid_activate(
                actor=luc, enterprise=broeders, hoedanigheid=hoedanigheden[code]
            )
            for code in ("behandelingscentrum", "economie", "ehealth-gezondheidszorg")
        }
    with clock.simulated(_at(2012, 2, 13)):
        subdivisions.subafdeling_activate(
            actor=luc,
            activation=broeders_activations["ehealth-gezondheidszorg"],
            facility=facilities["30001"],
            subdivision_type=gz,
            email="rkj.gent@broedersvanliefde.be",
            applications=all_apps,
        )

    say(LOAD_STEPS[2])
    with clock.simulated(_at(2015, 9, 1)):
        administrators.htb_appoint(
            actor=jan,
            enterprise=st_barbara,
            person=jan,
            email=st_barbara.email,
            phone="+32 14 54 12 00",
            requester_email=jan.email,
            requester_phone=jan.phone,
        )
        ehealth = administrators.hoedanigheid_activate(
            actor=jan, enterprise=st_barbara, hoedanigheid=hoedanigheden["ehealth-gezondheidszorg"]
        )
        residentieel = administrators.hoedanigheid_activate(
            actor=jan, enterprise=st_barbara, hoedanigheid=hoedanigheden["residentiele-zorginstelling"]
        )
        administrators.local_administrator_appoint(
            actor=jan, activation=residentieel, person=nina, kind=AdministratorKind.LB, email=nina.email
        )
        for hco, subdivision_type in (("4085", gz), ("19555", gz), ("3634", gz), ("7166", tz)):
            subdivisions.subafdeling_activate(
                actor=jan,
                activation=ehealth,
                facility=facilities[hco],
                subdivision_type=subdivision_type,
                email=f"hco{hco}@stbarbara.be",
                applications=all_apps,
            )
        for hco in ("3634", "19555"):
            subdivisions.subafdeling_activate(
                actor=nina,
                activation=residentieel,
                facility=facilities[hco],
                subdivision_type=rz,
                email=f"residentieel{hco}@stbarbara.be",
                applications=all_apps,
            )

    kortverblijf = residentieel.subafdelingen.get(facility=facilities["19555"])
    say(LOAD_STEPS[3])
    with clock.simulated(_at(2022, 9, 29)) as simulated:
        freddy = users.user_add(
            actor=nina,
            subafdeling=kortverblijf,
            person=people["freddy"],
            email=people["freddy"].email,
            applications=[eloket],
        )
        roles.role_assign(
            actor=nina,
            user=freddy,
            role=Role.objects.get(name="BelRAI VL - zorgverlener met certificaat"),
            start_date=date(2022, 9, 29),
        )
        _propagation_delay_passes(simulated)
    say(LOAD_STEPS[4])
    with clock.simulated(_at(2024, 3, 4)) as simulated:
        users.user_add(
            actor=nina,
            subafdeling=kortverblijf,
            person=people["lotte"],
            email=people["lotte"].email,
            applications=[eloket],
        )
        _propagation_delay_passes(simulated)
    return people
