"""The scale world: a large generated world for benchmarks (``manage.py seed_scale``).

By default 1,000 enterprises (valid, unique KBO numbers), each with a legal representative who is
its current HTB, its employees, the hoedanigheid eHealth Gezondheidszorg and, for every third one,
a lokale beheerder; 10,000 CoBRHA facilities (HCO numbers from 5,000,000 up, far above the demo
world's) each listed once and activated as a subafdeling with 2 to 4 authorised applications
(always E-loket Departement Zorg) and a subafdelingsbeheerder; 200,000 users, each a distinct
person with a valid INSZ born 1940-2004, with 1 to 3 application rights of their subafdeling;
500,000 role assignments of E-loket roles for the users holding the E-loket right. One subafdeling
(``BIG_SUBAFDELING_NAME``) holds 20,000 of the users (a tenth of them in a smaller world); the
others are spread at random over the remaining subafdelingen.

It is a bulk generator, not a service call: rows are written with PostgreSQL's COPY (psycopg 3)
or, on other databases, with ``bulk_create`` in large batches, and **no audit events are written**
for them. Every constraint of the schema stays in force while loading, the composite foreign keys
of rights and role assignments included; ids are reserved up front (the tables are locked on
PostgreSQL while the world loads) so that the rows can refer to each other without reading them
back.

The world is recognised by its enterprises' name prefix ``SCALE `` and its people's mail domain
(``MAIL_DOMAIN``). The generator refuses to load it twice; ``replace=True`` first deletes the
previous one with set-based SQL that follows every foreign key to the deleted rows (CASCADE and
PROTECT alike are deleted, SET_NULL is cleared), so rows a benchmark added to it go as well. On
PostgreSQL the previous world's people are not deleted but rewritten in place as the new world's:
deleting them would cost a minute of foreign-key checks.

The catalogue is reused when present and completed otherwise by ``worlds.catalogue.catalogue_ensure``
(the one loader, the demo world's too), so both worlds can live in one database.
Every person signs in with eID and PIN ``1234``; the password is unusable.
The world is the same for the same seed (ids apart), unless other rows hold some of its numbers.
"""

import functools
import itertools
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import Max, Value
from django.db.models.functions import Cast, Concat, LPad
from psycopg import sql

from accessportal import clock
from accessportal.identifiers import insz_birth_date
from administrators.models import HoedanigheidActivation, HtbAppointment, LocalAdministrator
from enterprises.models import (
    Application,
    Employment,
    Enterprise,
    Facility,
    FacilityListing,
    Hoedanigheid,
    LegalMandate,
    SubdivisionType,
)
from identity.models import Person
from roles.models import Role, RoleAssignment
from subdivisions.models import Subafdeling, SubafdelingAdministrator, SubafdelingAuthorisation
from users.models import ApplicationRight, SubafdelingUser
from worlds import catalogue
from worlds.numbers import generate_insz_numbers, generate_kbo_numbers

ENTERPRISE_PREFIX = "SCALE "
MAIL_DOMAIN = "scale.accessportal.test"
HCO_START = 5_000_000
BIG_SUBAFDELING_USERS = 20_000
BIG_SUBAFDELING_NAME = f"{ENTERPRISE_PREFIX}GROTE CAMPUS"
PIN = "1234"
RECYCLED_PREFIX = "R"  # the INSZ placeholder of a person row waiting to be rewritten
BATCH_SIZE = 5_000

HOEDANIGHEID_CODE = "ehealth-gezondheidszorg"
ELOKET_CODE = "e-loket-departement-zorg"
VIPA_CODE = "vipa"
SUBDIVISION_TYPE_CODES = ("gezondheidszorg", "thuiszorg")

BIRTH_FIRST = date(1940, 1, 1)
BIRTH_LAST = date(2004, 12, 31)

# The models in the order they are written (parents first), for the report.
MODELS = [
    Person,
    Enterprise,
    LegalMandate,
    Employment,
    HtbAppointment,
    HoedanigheidActivation,
    LocalAdministrator,
    Facility,
    FacilityListing,
    Subafdeling,
    SubafdelingAuthorisation,
    SubafdelingAdministrator,
    SubafdelingUser,
    ApplicationRight,
    RoleAssignment,
]

FIRST_NAMES_MALE = [
    "Jan", "Luc", "Marc", "Peter", "Tom", "Bart", "Koen", "Wim", "Dirk", "Geert", "Johan", "Kris",
    "Stijn", "Pieter", "Jeroen", "Thomas", "Lucas", "Arne", "Wout", "Jonas", "Senne", "Milan",
    "Louis", "Noah", "Robbe", "Lars", "Freddy", "Erik", "Filip", "Hans", "Rudi", "Guy", "Yves",
    "Mohamed", "Karim", "Pierre", "Jean", "Michel", "Andreas", "Stefan",
]  # fmt: skip
FIRST_NAMES_FEMALE = [
    "Els", "An", "Sarah", "Nina", "Lotte", "Emma", "Marie", "Sofie", "Katrien", "Inge", "Veerle",
    "Griet", "Liesbeth", "Hilde", "Ann", "Eva", "Lore", "Julie", "Hanne", "Laura", "Fien", "Lien",
    "Elise", "Noor", "Louise", "Mila", "Nathalie", "Martine", "Rita", "Monique", "Fatima", "Amina",
    "Sophie", "Claire", "Isabelle", "Nele", "Tine", "Ilse", "Kim", "Joke",
]  # fmt: skip
LAST_NAMES = [
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
    "De Smet", "Dubois", "Lambert", "Dupont", "Vermeulen", "Hermans", "Aerts", "Pauwels", "Martens",
    "Michiels", "Desmet", "Leclercq", "Van Damme", "Declercq", "De Clercq", "Verstraete", "Smets",
    "Van den Broeck", "Wuyts", "Coppens", "Segers", "Stevens", "Van de Velde", "De Backer", "Lemmens",
    "Bogaert", "Verhoeven", "Cools", "Van Dyck", "De Vos", "Verbeke", "Hendrickx", "Verlinden",
    "Thys", "Vandenberghe", "Devos", "Claeys", "Renard", "Van Acker", "Mahieu", "Huysmans",
    "Quintelier", "Vanhove", "De Wilde", "Baert", "Geerts", "Moens", "Schepers", "Van Hoof",
    "Vos", "De Cock", "Nijs", "Wijns", "Van Looy", "Engelen", "Daems", "Cornelis", "Bosmans",
    "Hoste", "Roels", "Timmermans", "El Amrani", "Benali", "Nowak", "Rossi", "Yilmaz",
]  # fmt: skip
PLACES = [
    ("9000", "Gent"), ("2000", "Antwerpen"), ("3000", "Leuven"), ("8000", "Brugge"),
    ("3500", "Hasselt"), ("2800", "Mechelen"), ("9300", "Aalst"), ("8500", "Kortrijk"),
    ("2300", "Turnhout"), ("3200", "Aarschot"), ("2200", "Herentals"), ("2230", "Herselt"),
    ("9100", "Sint-Niklaas"), ("8800", "Roeselare"), ("3600", "Genk"), ("1800", "Vilvoorde"),
    ("8400", "Oostende"), ("9200", "Dendermonde"), ("2500", "Lier"), ("3800", "Sint-Truiden"),
]  # fmt: skip
STREETS = [
    "Kerkstraat", "Stationsstraat", "Dorpsstraat", "Molenstraat", "Schoolstraat", "Nieuwstraat",
    "Kapelstraat", "Beekstraat", "Lindelaan", "Ziekenhuislaan", "Zorgplein", "Kasteeldreef",
]  # fmt: skip
FACILITY_KINDS = [
    "WOONZORGCENTRUM", "DAGCENTRUM", "CENTRUM VOOR KORTVERBLIJF", "PSYCHIATRISCH VERZORGINGSTEHUIS",
    "DIENST THUISVERPLEGING", "DIENST GEZINSZORG", "REVALIDATIECENTRUM", "ASSISTENTIEWONINGEN",
    "HUISARTSENPRAKTIJK", "WIJKGEZONDHEIDSCENTRUM",
]  # fmt: skip
LANGUAGES = ["nl"] * 85 + ["fr"] * 10 + ["de"] * 2 + ["en"] * 3


class ScaleWorldExists(Exception):
    """A scale world is loaded already and ``replace`` was not asked for."""


@dataclass(frozen=True)
class ScaleOptions:
    enterprises: int = 1_000
    subafdelingen: int = 10_000
    users: int = 200_000
    roles: int = 500_000
    seed: int = 1

    def __post_init__(self):
        if self.enterprises < 1 or self.subafdelingen < 1:
            raise ValueError("A scale world needs at least one enterprise and one subafdeling.")
        if self.users < 0 or self.roles < 0:
            raise ValueError("The numbers of users and roles cannot be negative.")
        if self.roles and not self.users:
            raise ValueError("Role assignments need users.")

    @property
    def big_subafdeling_users(self) -> int:
        """The size of the one large subafdeling: 20,000 users, or a tenth of a smaller world."""
        if self.subafdelingen == 1:
            return self.users
        return min(BIG_SUBAFDELING_USERS, self.users // 10)


@dataclass
class ScaleReport:
    seed: int
    counts: dict[type[models.Model], int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    steps: list[tuple[str, float]] = field(default_factory=list)
    big_subafdeling_id: int | None = None
    big_subafdeling_hco: str = ""
    big_subafdeling_users: int = 0
    big_subafdeling_htb_insz: str = ""


# --- writing -----------------------------------------------------------------------------------


class _Writer:
    """Writes generated rows with explicit ids: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, use_copy: bool | None = None):
        self.vendor = connection.vendor
        self.use_copy = self.vendor == "postgresql" if use_copy is None else use_copy
        if self.use_copy and self.vendor != "postgresql":
            raise ValueError("COPY needs PostgreSQL.")
        self.counts: dict[type[models.Model], int] = {}
        self.seconds: dict[type[models.Model], float] = {}

    def lock(self, tables: Iterable[type[models.Model]]) -> None:
        """Keep other writers out of the tables while the ids reserved here are in use."""
        if self.vendor != "postgresql":
            return  # SQLite: the transaction holds the database's only write lock already
        names = sql.SQL(", ").join(sql.Identifier(model._meta.db_table) for model in tables)
        with self._raw_cursor() as cursor:
            cursor.execute(sql.SQL("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE").format(names))

    def reserve(self, model: type[models.Model], count: int) -> int:
        """The first of ``count`` consecutive free ids of the model's table."""
        if count < 1:
            return 0
        table = model._meta.db_table
        pk = model._meta.pk.column
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
                sequence = cursor.fetchone()[0]
                cursor.execute("SELECT nextval(%s)", [sequence])
                first = cursor.fetchone()[0]
                if count > 1:
                    cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
                return first
            highest = model._base_manager.aggregate(highest=Max("pk"))["highest"] or 0
            if self.vendor == "sqlite":
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                highest = max(highest, row[0] if row else 0)
            return highest + 1

    @staticmethod
    def _complete(model, names: list[str], rows: Iterable[tuple]) -> tuple[list, Iterable[tuple]]:
        """The fields of ``names`` (attnames, the pk first) and every other concrete field with its
        default, and the rows completed with those defaults."""
        fields = [model._meta.get_field(name) for name in names]
        given = {f.attname for f in fields}
        rest = [f for f in model._meta.concrete_fields if f.attname not in given]
        constants = tuple(f.get_default() for f in rest)
        for f, value in zip(rest, constants, strict=True):
            if f.unique and value is not None:
                raise ValueError(f"{model.__name__}.{f.name} is unique: the generator must fill it.")
        if constants:
            rows = (row + constants for row in rows)
        return fields + rest, rows

    def write(self, model: type[models.Model], names: list[str], rows: Iterable[tuple]) -> int:
        """Insert rows whose values follow ``names``; every other field takes its default."""
        fields, rows = self._complete(model, names, rows)
        started = time.perf_counter()
        copy = self.use_copy
        count = (
            self._copy(model._meta.db_table, fields, rows) if copy else self._bulk_create(model, fields, rows)
        )
        self._account(model, count, started)
        return count

    def overwrite(self, model: type[models.Model], names: list[str], rows: Iterable[tuple]) -> int:
        """Give existing rows (by pk) these values, every other field its default (COPY only).

        Rewriting a row keeps its id, so no foreign key pointing at the table is checked again,
        where deleting it checks every one of them, row by row."""
        fields, rows = self._complete(model, names, rows)
        started = time.perf_counter()
        table, pk = sql.Identifier(model._meta.db_table), sql.Identifier(model._meta.pk.column)
        scratch = f"scale_overwrite_{model._meta.db_table}"
        columns = [sql.Identifier(f.column) for f in fields if not f.primary_key]
        update = sql.SQL(
            "UPDATE {table} SET {assignments} FROM {scratch} new WHERE {table}.{pk} = new.{pk}"
        ).format(
            table=table,
            assignments=sql.SQL(", ").join(sql.SQL("{0} = new.{0}").format(column) for column in columns),
            scratch=sql.Identifier(scratch),
            pk=pk,
        )
        with self._raw_cursor() as cursor:
            cursor.execute(
                sql.SQL("CREATE TEMPORARY TABLE {} (LIKE {}) ON COMMIT DROP").format(
                    sql.Identifier(scratch), table
                )
            )
            count = self._copy(scratch, fields, rows)
            cursor.execute(update)
            if cursor.rowcount != count:
                raise RuntimeError(
                    f"{cursor.rowcount} of {count} {model.__name__} rows to rewrite were found."
                )
            cursor.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(scratch)))
        self._account(model, count, started)
        return count

    def _account(self, model, count: int, started: float) -> None:
        self.counts[model] = self.counts.get(model, 0) + count
        self.seconds[model] = self.seconds.get(model, 0.0) + time.perf_counter() - started

    @staticmethod
    def _raw_cursor():
        """A psycopg cursor on Django's connection, in its transaction (PostgreSQL only)."""
        connection.ensure_connection()
        return connection.connection.cursor()

    def _copy(self, table: str, fields, rows) -> int:
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(f.column) for f in fields)
        )
        count = 0
        with self._raw_cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count

    def _bulk_create(self, model, fields, rows) -> int:
        names = [f.attname for f in fields]
        manager = model._base_manager
        count = 0
        for batch in itertools.batched(
            (model(**dict(zip(names, row, strict=True))) for row in rows), BATCH_SIZE
        ):
            manager.bulk_create(batch, batch_size=BATCH_SIZE)
            count += len(batch)
        return count

    def analyze(self) -> None:
        if self.vendor != "postgresql":
            return
        with self._raw_cursor() as cursor:
            for model in self.counts:
                cursor.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(model._meta.db_table)))


# --- detecting and deleting --------------------------------------------------------------------


def scale_enterprises() -> models.QuerySet:
    return Enterprise.objects.filter(name__startswith=ENTERPRISE_PREFIX)


def scale_people() -> models.QuerySet:
    return Person.objects.filter(email__endswith=f"@{MAIL_DOMAIN}")


def scale_world_loaded() -> bool:
    return scale_enterprises().exists() or scale_people().exists()


def _delete_sql(queryset: models.QuerySet) -> tuple[str, list]:
    model = queryset.model
    quote = connection.ops.quote_name
    subquery, params = queryset.values_list("pk").query.sql_with_params()
    # The names are the model's own, quoted; the values are parameters of the compiled subquery.
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    return f"DELETE FROM {table} WHERE {pk} IN ({subquery})", params  # noqa: S608


_DELETED_WITH_PARENT = (models.CASCADE, models.PROTECT, models.RESTRICT)


def _reverse_relations(model: type[models.Model]) -> list:
    return [
        relation
        for relation in model._meta.get_fields(include_hidden=True)
        if relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)
    ]


@functools.cache
def _dependents(model: type[models.Model], depth: int = 0) -> frozenset:
    """The models whose rows go when rows of ``model`` go."""
    if depth > 12:
        raise RuntimeError("The foreign keys to the scale world nest too deep to follow.")
    found = set()
    for relation in _reverse_relations(model):
        if relation.on_delete in _DELETED_WITH_PARENT and relation.related_model is not model:
            found |= {relation.related_model, *_dependents(relation.related_model, depth + 1)}
    return frozenset(found)


def _purge_order(relation) -> tuple[int, int]:
    """Children with the most dependents first; among equals the one written last (the composite
    foreign keys, which Django does not see, point from later models to earlier ones), so that the
    database's own ON DELETE CASCADE of those keys finds nothing left to do."""
    child = relation.related_model
    rank = MODELS.index(child) if child in MODELS else -1
    return (-len(_dependents(child)), -rank)


def _purge(queryset: models.QuerySet, deleted: dict[str, int], depth: int = 0, keep: bool = False) -> None:
    """Delete the rows of ``queryset`` (unless ``keep``) and, first, everything that refers to them,
    in SQL: rows whose foreign key is CASCADE or PROTECT go as well, SET_NULL keys are cleared."""
    if depth > 12:
        raise RuntimeError("The foreign keys to the scale world nest too deep to follow.")
    model = queryset.model
    for relation in sorted(_reverse_relations(model), key=_purge_order):
        child, fk = relation.related_model, relation.field
        children = child._base_manager.filter(**{f"{fk.name}__in": queryset.values("pk")})
        if relation.on_delete is models.DO_NOTHING:
            continue
        if relation.on_delete is models.SET_NULL:
            children.update(**{fk.name: None})
        elif relation.on_delete is models.SET_DEFAULT:
            children.update(**{fk.attname: fk.get_default()})
        elif relation.on_delete in _DELETED_WITH_PARENT:
            _purge(children, deleted, depth + 1)
        else:
            raise RuntimeError(
                f"{child.__name__}.{fk.name}: this on_delete is not supported by the scale purge."
            )
    if keep:
        return
    statement, params = _delete_sql(queryset)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        if cursor.rowcount:
            label = model._meta.label
            deleted[label] = deleted.get(label, 0) + cursor.rowcount


def _clear_for_reuse(deleted: dict[str, int]) -> dict[int, str]:
    """Delete the scale world except its people's rows, which the next world rewrites: deleting
    200,000 people costs a minute on PostgreSQL, as 20 foreign keys point at them and each is
    checked for each deleted row. Whatever refers to them goes or is cleared. Returns their INSZ
    numbers by id, in id order."""
    _purge(scale_enterprises(), deleted)
    people = scale_people()
    _purge(people, deleted, keep=True)
    return dict(people.order_by("pk").values_list("pk", "insz"))


def _park(people: models.QuerySet) -> None:
    """Give people a placeholder INSZ, freeing their number for another row."""
    people.update(insz=Concat(Value(RECYCLED_PREFIX), LPad(Cast("pk", models.CharField()), 10, Value("0"))))


# --- the catalogue -----------------------------------------------------------------------------


@dataclass
class _Catalogue:
    hoedanigheid: Hoedanigheid
    subdivision_types: list[int]  # Gezondheidszorg first
    eloket: int
    vipa: int | None
    other_applications: list[int]  # the hoedanigheid's applications except E-loket
    roles: list[int]  # the roles of E-loket


def ensure_catalogue() -> _Catalogue:
    """The catalogue rows the world uses, created first where missing (``catalogue.catalogue_ensure``,
    the demo world's codes and names)."""
    catalogue.catalogue_ensure()
    subdivision_types = list(SubdivisionType.objects.filter(code__in=SUBDIVISION_TYPE_CODES))
    subdivision_types.sort(key=lambda t: SUBDIVISION_TYPE_CODES.index(t.code))
    hoedanigheid = Hoedanigheid.objects.get(code=HOEDANIGHEID_CODE)
    applications = {a.code: a for a in Application.objects.filter(code__in=(ELOKET_CODE, VIPA_CODE))}
    eloket = applications[ELOKET_CODE]
    # An existing hoedanigheid keeps its own list of applications; the world needs E-loket and the
    # two subdivision types in it, which add() only adds when they are missing.
    hoedanigheid.applications.add(eloket)
    hoedanigheid.subdivision_types.add(*subdivision_types)
    # Ordered by code and name, not by id or sort order: the same seed gives the same world whatever
    # order the catalogue was created in.
    offered = list(hoedanigheid.applications.order_by("code").values_list("pk", flat=True))
    return _Catalogue(
        hoedanigheid=hoedanigheid,
        subdivision_types=[t.pk for t in subdivision_types],
        eloket=eloket.pk,
        vipa=applications[VIPA_CODE].pk,
        other_applications=[pk for pk in offered if pk != eloket.pk],
        roles=list(Role.objects.filter(application=eloket).order_by("name").values_list("pk", flat=True)),
    )


# --- the generator -----------------------------------------------------------------------------


class _Generator:
    def __init__(
        self,
        options: ScaleOptions,
        writer: _Writer,
        cat: _Catalogue,
        report: ScaleReport,
        recycled: dict[int, str],
    ):
        self.o = options
        self.previous = recycled  # the previous world's people: INSZ by id
        self.recycled = list(recycled)[: options.enterprises + options.users]
        self.w = writer
        self.cat = cat
        self.report = report
        self.rng = random.Random(options.seed)
        self.now = clock.now()
        self.today = clock.today()
        self.pin = make_password(PIN, salt=f"scaleworldpin{options.seed}")
        self.ids = {model: writer.reserve(model, self._count(model)) for model in MODELS}

    def _count(self, model) -> int:
        o = self.o
        return {
            Person: o.enterprises + o.users - len(self.recycled),
            Enterprise: o.enterprises,
            LegalMandate: o.enterprises,
            Employment: o.users,
            HtbAppointment: o.enterprises,
            HoedanigheidActivation: o.enterprises,
            LocalAdministrator: (o.enterprises + 2) // 3,
            Facility: o.subafdelingen,
            FacilityListing: o.subafdelingen,
            Subafdeling: o.subafdelingen,
            SubafdelingAuthorisation: 4 * o.subafdelingen,  # at most (ids may stay unused at the end)
            SubafdelingAdministrator: o.subafdelingen,
            SubafdelingUser: o.users,
            ApplicationRight: 3 * o.users,  # at most
            RoleAssignment: o.roles,
        }[model]

    def _past(self, low_days: int, high_days: int) -> datetime:
        return self.now - timedelta(
            days=self.rng.randrange(low_days, high_days), minutes=self.rng.randrange(1440)
        )

    def run(self) -> None:
        steps = [
            self.people,
            self.enterprises,
            self.facilities,
            self.subafdelingen,
            self.users,
            self.rights,
            self.role_assignments,
        ]
        for step in steps:
            step()

    # people --------------------------------------------------------------------------------------

    def people(self) -> None:
        o, rng = self.o, self.rng
        # The identifiers draw from their own random streams: what is taken already does not change
        # the rest of the world.
        taken = set(Person.objects.values_list("insz", flat=True)) - set(self.previous.values())
        numbers = generate_insz_numbers(
            random.Random(f"insz-{o.seed}"), o.enterprises + o.users, taken, born=(BIRTH_FIRST, BIRTH_LAST)
        )
        first_id = self.ids[Person]
        person_ids = self.recycled + list(range(first_id, first_id + len(numbers) - len(self.recycled)))
        self.rep_ids = person_ids[: o.enterprises]
        self.user_person_ids = person_ids[o.enterprises :]
        self.rep_insz = numbers[: o.enterprises]
        pin, now = self.pin, self.now

        self.person_titles: dict[int, str] = {}
        self.person_names: dict[int, tuple[str, str]] = {}  # the users' copy (SubafdelingUser.last_name)

        def rows() -> Iterator[tuple]:
            for offset, number in enumerate(numbers):
                male = int(number[6:9]) % 2 == 1
                self.person_titles[person_ids[offset]] = "DE_HEER" if male else "MEVROUW"
                first = rng.choice(FIRST_NAMES_MALE if male else FIRST_NAMES_FEMALE)
                last = rng.choice(LAST_NAMES)
                self.person_names[person_ids[offset]] = (last, first)
                local = f"{first}.{last}".lower().replace(" ", "")
                yield (
                    person_ids[offset],
                    number,
                    last,
                    first,
                    "DE_HEER" if male else "MEVROUW",
                    insz_birth_date(number),
                    rng.choice(LANGUAGES),
                    f"{local}.{offset + 1}@{MAIL_DOMAIN}",
                    f"+32 4{rng.randrange(70, 100)} {rng.randrange(100):02d} {rng.randrange(100):02d} "
                    f"{rng.randrange(100):02d}",
                    f"!{rng.getrandbits(160):040x}",  # an unusable password, as set_unusable_password()
                    pin,
                    now,
                )

        names = ["id", "insz", "last_name", "first_name", "title", "birth_date", "language", "email", "phone"]
        names += ["password", "pin", "date_joined"]
        generated = rows()
        if self.recycled:
            # A previous row still holding a number that another row gets is parked first, so
            # that no two rows ever hold one number (the unique index checks row by row).
            reused = dict(zip(self.recycled, numbers, strict=False))
            wanted = set(numbers)
            parked = [pk for pk, old in self.previous.items() if old in wanted and reused.get(pk) != old]
            if parked:
                _park(Person.objects.filter(pk__in=parked))
            self.w.overwrite(Person, names, itertools.islice(generated, len(self.recycled)))
            if len(self.previous) > len(self.recycled):  # a smaller world: no new rows then
                _purge(scale_people().filter(pk__gt=self.recycled[-1]), self.report.deleted)
        self.w.write(Person, names, generated)

    # enterprises ---------------------------------------------------------------------------------

    def enterprises(self) -> None:
        o, rng = self.o, self.rng
        taken = set(Enterprise.objects.values_list("kbo", flat=True))
        kbos = generate_kbo_numbers(random.Random(f"kbo-{o.seed}"), o.enterprises, taken)
        first = self.ids[Enterprise]
        self.enterprise_ids = list(range(first, first + o.enterprises))
        width = max(4, len(str(o.enterprises)))
        founded = [date(rng.randrange(1950, 2016), rng.randrange(1, 13), rng.randrange(1, 29)) for _ in kbos]

        def enterprise_rows():
            for i, kbo in enumerate(kbos):
                postal_code, city = rng.choice(PLACES)
                yield (
                    first + i,
                    kbo,
                    f"{ENTERPRISE_PREFIX}ZORGGROEP {city.upper()} {i + 1:0{width}d} VZW",
                    "VZW",
                    f"{rng.choice(STREETS)} {rng.randrange(1, 200)}",
                    postal_code,
                    city,
                    f"info.{kbo}@{MAIL_DOMAIN}",
                    founded[i],
                )

        self.w.write(
            Enterprise,
            ["id", "kbo", "name", "legal_form", "street", "postal_code", "city", "email", "founded_on"],
            enterprise_rows(),
        )
        mandates = (
            (self.ids[LegalMandate] + i, self.rep_ids[i], enterprise, "Bestuurder", founded[i], None)
            for i, enterprise in enumerate(self.enterprise_ids)
        )
        self.w.write(
            LegalMandate, ["id", "person_id", "enterprise_id", "function", "start_date", "end_date"], mandates
        )

        def htb_rows():
            for i, enterprise in enumerate(self.enterprise_ids):
                rep = self.rep_ids[i]
                yield (
                    self.ids[HtbAppointment] + i,
                    rep,
                    rep,  # the legal representative appointed themselves
                    self._past(2500, 3000),
                    enterprise,
                    f"htb.{i + 1}@{MAIL_DOMAIN}",
                    f"+32 4{rng.randrange(70, 100)} {rng.randrange(100):02d} {rng.randrange(100):02d} 00",
                )

        self.w.write(
            HtbAppointment,
            ["id", "person_id", "appointed_by_id", "started_at", "enterprise_id", "email", "phone"],
            htb_rows(),
        )
        self.activation_ids = [self.ids[HoedanigheidActivation] + i for i in range(o.enterprises)]
        activations = (
            (
                self.activation_ids[i],
                enterprise,
                self.cat.hoedanigheid.pk,
                f"ehealth.{i + 1}@{MAIL_DOMAIN}",
                self._past(2000, 2500),
                self.rep_ids[i],
            )
            for i, enterprise in enumerate(self.enterprise_ids)
        )
        self.w.write(
            HoedanigheidActivation,
            ["id", "enterprise_id", "hoedanigheid_id", "email", "created_at", "activated_by_id"],
            activations,
        )

    # facilities and subafdelingen ----------------------------------------------------------------

    def facilities(self) -> None:
        o, rng = self.o, self.rng
        first = self.ids[Facility]
        # Subafdeling i belongs to enterprise i % E; subafdeling 0 is the big one.
        self.sub_enterprise = [i % o.enterprises for i in range(o.subafdelingen)]
        self.sub_type = [
            self.cat.subdivision_types[0 if i == 0 or rng.random() < 0.75 else 1]
            for i in range(o.subafdelingen)
        ]
        self.sub_names = []
        for i in range(o.subafdelingen):
            if i == 0:
                self.sub_names.append(BIG_SUBAFDELING_NAME)
            else:
                kind = rng.choice(FACILITY_KINDS)
                self.sub_names.append(f"{ENTERPRISE_PREFIX}{kind} {rng.choice(LAST_NAMES).upper()} {i:05d}")
        self.facility_ids = list(range(first, first + o.subafdelingen))
        rows = (
            (
                self.facility_ids[i],
                str(HCO_START + i),
                self.enterprise_ids[self.sub_enterprise[i]],
                self.sub_names[i],
            )
            for i in range(o.subafdelingen)
        )
        self.w.write(Facility, ["id", "hco_number", "enterprise_id", "name"], rows)
        listings = (
            (self.ids[FacilityListing] + i, self.facility_ids[i], self.sub_type[i], self.sub_names[i])
            for i in range(o.subafdelingen)
        )
        self.w.write(FacilityListing, ["id", "facility_id", "subdivision_type_id", "name"], listings)

    def subafdelingen(self) -> None:
        o, rng, cat = self.o, self.rng, self.cat
        first = self.ids[Subafdeling]
        self.sub_ids = list(range(first, first + o.subafdelingen))
        self.sub_created = created = [self._past(1500, 2000) for _ in range(o.subafdelingen)]
        rows = (
            (
                self.sub_ids[i],
                self.activation_ids[self.sub_enterprise[i]],
                self.facility_ids[i],
                self.sub_type[i],
                self.sub_names[i],
                f"subafdeling.{HCO_START + i}@{MAIL_DOMAIN}",
                "ACTIEF",
                created[i],
                self.rep_ids[self.sub_enterprise[i]],
            )
            for i in range(o.subafdelingen)
        )
        self.w.write(
            Subafdeling,
            [
                *("id", "activation_id", "facility_id", "subdivision_type_id", "name", "email", "status"),
                *("created_at", "created_by_id"),
            ],
            rows,
        )
        # 2 to 4 authorised applications, always E-loket; the big one has VIPA too and four in all.
        others = cat.other_applications
        self.sub_apps: list[list[int]] = []
        for i in range(o.subafdelingen):
            if i == 0:
                preferred = [cat.vipa] if cat.vipa in others else []
                rest = [a for a in others if a not in preferred]
                extra = preferred + rng.sample(rest, min(len(rest), 3 - len(preferred)))
            else:
                extra = rng.sample(others, min(len(others), rng.randrange(1, 4)))
            self.sub_apps.append([cat.eloket, *extra])
        next_id = itertools.count(self.ids[SubafdelingAuthorisation])
        authorisations = (
            (next(next_id), self.sub_ids[i], application, created[i])
            for i in range(o.subafdelingen)
            for application in self.sub_apps[i]
        )
        self.w.write(
            SubafdelingAuthorisation, ["id", "subafdeling_id", "application_id", "created_at"], authorisations
        )

    # users, rights, roles ------------------------------------------------------------------------

    def users(self) -> None:
        o, rng = self.o, self.rng
        big = o.big_subafdeling_users
        spread = o.users - big
        self.user_sub = [0] * big + (
            [rng.randrange(1, o.subafdelingen) for _ in range(spread)]
            if o.subafdelingen > 1
            else [0] * spread
        )
        rng.shuffle(self.user_sub)
        first = self.ids[SubafdelingUser]
        self.user_ids = list(range(first, first + o.users))
        self.report.big_subafdeling_users = big

        def rows():
            for u in range(o.users):
                person = self.user_person_ids[u]
                yield (
                    self.user_ids[u],
                    self.sub_ids[self.user_sub[u]],
                    person,
                    f"gebruiker.{u + 1}@{MAIL_DOMAIN}",
                    rng.choice(LANGUAGES),
                    self.person_titles.get(person, "DE_HEER"),
                    "ACTIEF" if rng.random() < 0.97 else "INACTIEF",
                    self._past(1, 1500),
                    *self.person_names[person],
                )

        self.w.write(
            SubafdelingUser,
            [
                *("id", "subafdeling_id", "person_id", "email", "language", "title", "status", "created_at"),
                *("last_name", "first_name"),
            ],
            rows(),
        )
        employment = (
            (
                self.ids[Employment] + u,
                self.user_person_ids[u],
                self.enterprise_ids[self.sub_enterprise[self.user_sub[u]]],
                self.today - timedelta(days=rng.randrange(30, 9000)),
            )
            for u in range(o.users)
        )
        self.w.write(Employment, ["id", "person_id", "enterprise_id", "start_date"], employment)
        # Administrators: a user of the subafdeling (or else the HTB); the lokale beheerder of every
        # third enterprise is one of its employees (or else the HTB, who is TB by default anyway).
        first_user: dict[int, int] = {}
        for u, sub in enumerate(self.user_sub):
            first_user.setdefault(sub, u)
        sub_admins = []
        for i in range(o.subafdelingen):
            htb = self.rep_ids[self.sub_enterprise[i]]
            person = self.user_person_ids[first_user[i]] if i in first_user else htb
            started = self.sub_created[i] + timedelta(minutes=5)
            sub_admins.append((self.ids[SubafdelingAdministrator] + i, person, htb, started, self.sub_ids[i]))
        self.w.write(
            SubafdelingAdministrator,
            ["id", "person_id", "appointed_by_id", "started_at", "subafdeling_id"],
            sub_admins,
        )
        employee_of = {}
        for sub in range(min(o.subafdelingen, o.enterprises)):
            if sub in first_user:
                employee_of[self.sub_enterprise[sub]] = self.user_person_ids[first_user[sub]]
        local_admins = []
        for e in range(0, o.enterprises, 3):
            person = employee_of.get(e, self.rep_ids[e])
            local_admins.append(
                (
                    self.ids[LocalAdministrator] + len(local_admins),
                    person,
                    self.rep_ids[e],
                    self._past(1, 2000),
                    self.activation_ids[e],
                    "LB",
                    f"lb.{e + 1}@{MAIL_DOMAIN}",
                )
            )
        self.w.write(
            LocalAdministrator,
            ["id", "person_id", "appointed_by_id", "started_at", "activation_id", "kind", "email"],
            local_admins,
        )

    def rights(self) -> None:
        o, rng, cat = self.o, self.rng, self.cat
        self.eloket_holders: list[int] = []
        next_id = itertools.count(self.ids[ApplicationRight])
        now = self.now

        def rows():
            for u in range(o.users):
                sub = self.user_sub[u]
                apps = self.sub_apps[sub]
                others = apps[1:]
                wanted = rng.randrange(1, 4)
                if rng.random() < 0.8:
                    chosen = [cat.eloket, *rng.sample(others, min(len(others), wanted - 1))]
                    self.eloket_holders.append(u)
                else:
                    chosen = rng.sample(others, min(len(others), wanted))
                for application in chosen:
                    yield (next(next_id), self.user_ids[u], self.sub_ids[sub], application, now)

        self.w.write(
            ApplicationRight,
            ["id", "user_id", "subafdeling_id", "application_id", "created_at"],
            rows(),
        )

    def role_assignments(self) -> None:
        o, rng, cat = self.o, self.rng, self.cat
        if not o.roles:
            return
        if not self.eloket_holders or not cat.roles:
            raise ValueError("No user holds the E-loket right (or E-loket has no roles): no roles to assign.")
        holders = self.eloket_holders
        per_holder = [0] * len(holders)
        for index in rng.choices(range(len(holders)), k=o.roles):
            per_holder[index] += 1
        days = [self.today - timedelta(days=n) for n in range(1, 1400)]
        roles, eloket, now = cat.roles, cat.eloket, self.now
        next_id = itertools.count(self.ids[RoleAssignment])

        def last_period(start):
            end = start + timedelta(days=rng.randrange(0, 1500)) if rng.random() < 0.25 else None
            return start, end

        def periods(times: int):
            """``times`` periods of one role of one user, none overlapping another (roles migration
            0004): distinct starts, each but the last ending before the next one starts."""
            if times == 1:
                return [last_period(rng.choice(days))]
            starts = sorted(rng.sample(days, times))
            earlier = [
                (start, start + timedelta(days=rng.randrange((following - start).days)))
                for start, following in itertools.pairwise(starts)
            ]
            return [*earlier, last_period(starts[-1])]

        def rows():
            for holder, count in zip(holders, per_holder, strict=True):
                if not count:
                    continue
                picked = rng.sample(roles, min(count, len(roles)))
                if count > len(roles):
                    picked += rng.choices(roles, k=count - len(roles))
                user = self.user_ids[holder]
                draws: dict[int, int] = {}  # role: times drawn, in the order of their first draw
                for role in picked:
                    draws[role] = draws.get(role, 0) + 1
                for role, times in draws.items():
                    for start, end in periods(times):
                        yield (next(next_id), user, role, eloket, start, end, start, end, now)

        self.w.write(
            RoleAssignment,
            [
                "id",
                "user_id",
                "role_id",
                "application_id",
                "start_date",
                "end_date",
                "effective_start_date",
                "effective_end_date",
                "created_at",
            ],
            rows(),
        )


def load_scale_world(
    options: ScaleOptions | None = None,
    *,
    replace: bool = False,
    use_copy: bool | None = None,
    progress: Callable[[str], None] | None = None,
) -> ScaleReport:
    """Load the scale world in one transaction; refuse (``ScaleWorldExists``) when one is there,
    unless ``replace``, which deletes it first."""
    options = options or ScaleOptions()
    report = ScaleReport(seed=options.seed)
    started = time.perf_counter()
    say = progress or (lambda message: None)
    recycled: dict[int, str] = {}
    with transaction.atomic():
        writer = _Writer(use_copy=use_copy)
        writer.lock(MODELS)
        if scale_world_loaded():
            if not replace:
                raise ScaleWorldExists(
                    f"A scale world is loaded already ({scale_enterprises().count()} enterprises named "
                    f"'{ENTERPRISE_PREFIX}...', {scale_people().count()} people @{MAIL_DOMAIN}). "
                    "Use --replace to delete it and load a new one."
                )
            step = time.perf_counter()
            if writer.use_copy:
                recycled = _clear_for_reuse(report.deleted)
            else:
                _purge(scale_enterprises(), report.deleted)
                _purge(scale_people(), report.deleted)
            report.steps.append(("delete previous world", time.perf_counter() - step))
            say(
                f"Previous scale world deleted ({sum(report.deleted.values()):,} rows"
                + (f"; {len(recycled):,} person rows are rewritten" if recycled else "")
                + ")."
            )
        step = time.perf_counter()
        cat = ensure_catalogue()
        generator = _Generator(options, writer, cat, report, recycled)
        report.steps.append(("catalogue and ids", time.perf_counter() - step))
        generator.run()
        report.steps += [(f"write {model._meta.label}", writer.seconds.get(model, 0.0)) for model in MODELS]
        step = time.perf_counter()
        writer.analyze()
        report.steps.append(("analyze", time.perf_counter() - step))
        step = time.perf_counter()
    report.steps.append(("commit", time.perf_counter() - step))
    report.counts = {model: writer.counts.get(model, 0) for model in MODELS}
    big = generator.sub_ids[0]
    report.big_subafdeling_id = big
    report.big_subafdeling_hco = str(HCO_START)
    report.big_subafdeling_htb_insz = generator.rep_insz[0]
    report.seconds = time.perf_counter() - started
    return report
