"""``manage.py seed_scale``: a small scale world loads, is valid, and refuses to load twice."""

import itertools
import random
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F

from accessportal import clock
from accessportal.identifiers import insz_clean, kbo_clean
from accessportal.models import AuditEvent
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
from roles.models import Role, RoleAssignment, SimulatedApplication
from subdivisions.models import Subafdeling, SubafdelingAdministrator, SubafdelingAuthorisation
from tests.users.test_user_total import counted as users_counted
from tests.users.test_user_total import kept as users_totals_kept
from users.models import ApplicationRight, SubafdelingUser
from worlds import scale
from worlds.catalogue import HOEDANIGHEDEN, SIMULATED_APPLICATIONS
from worlds.numbers import INSZ, generate_insz_numbers, generate_kbo_numbers, reserved

pytestmark = pytest.mark.django_db

BORN = (scale.BIRTH_FIRST, scale.BIRTH_LAST)
SMALL = {"enterprises": 5, "subafdelingen": 20, "users": 300, "roles": 600}


def seed(**options):
    out = StringIO()
    call_command("seed_scale", **{**SMALL, "seed": 7, **options}, stdout=out)
    return out.getvalue()


def counts():
    return {model._meta.label: model._base_manager.count() for model in [*scale.MODELS, Application, Role]}


def test_small_world_loads_with_the_asked_counts():
    output = seed()

    enterprises = scale.scale_enterprises()
    assert enterprises.count() == 5
    assert scale.scale_people().count() == 5 + 300
    assert LegalMandate.objects.filter(enterprise__in=enterprises).count() == 5
    assert HtbAppointment.objects.current().filter(enterprise__in=enterprises).count() == 5
    assert HoedanigheidActivation.objects.filter(enterprise__in=enterprises).count() == 5
    assert LocalAdministrator.objects.filter(activation__enterprise__in=enterprises).count() == 2
    for enterprise in enterprises:
        (representative,) = (
            LegalMandate.objects.current().filter(enterprise=enterprise).values_list("person", flat=True)
        )
        assert enterprise.htb_appointments.current().get().person_id == representative
        assert Employment.objects.current().filter(enterprise=enterprise).exists()
    assert Employment.objects.filter(enterprise__in=enterprises).count() == 300
    facilities = Facility.objects.filter(enterprise__in=enterprises)
    assert facilities.count() == 20
    assert FacilityListing.objects.filter(facility__in=facilities).count() == 20
    assert all(int(hco) >= scale.HCO_START for hco in facilities.values_list("hco_number", flat=True))
    subafdelingen = Subafdeling.objects.filter(activation__enterprise__in=enterprises)
    assert subafdelingen.count() == 20
    assert SubafdelingAdministrator.objects.filter(subafdeling__in=subafdelingen).count() == 20
    assert SubafdelingUser.objects.filter(subafdeling__in=subafdelingen).count() == 300
    assert RoleAssignment.objects.filter(user__subafdeling__in=subafdelingen).count() == 600
    rights = ApplicationRight.objects.filter(user__subafdeling__in=subafdelingen).count()
    assert 300 <= rights <= 900

    per_subafdeling = subafdelingen.annotate(n=Count("authorisations")).values_list("n", flat=True)
    assert all(2 <= n <= 4 for n in per_subafdeling)
    eloket = Application.objects.get(code=scale.ELOKET_CODE)
    assert (
        SubafdelingAuthorisation.objects.filter(subafdeling__in=subafdelingen, application=eloket).count()
        == 20
    )

    # One subafdeling holds a tenth of the users (20,000 of 200,000 in the full world).
    big = Subafdeling.objects.get(name=scale.BIG_SUBAFDELING_NAME)
    assert big.users.count() == 30
    assert users_totals_kept() == users_counted()  # the triggers counted the COPY's rows too
    assert subafdelingen.annotate(n=Count("users")).order_by("-n").values_list("n", flat=True)[1] < 30

    # The report: elapsed time and a count per model.
    assert "Scale world loaded in" in output
    assert "roles.RoleAssignment" in output and "600" in output
    assert "identity.Person" in output and "305" in output


def test_every_identifier_is_valid_and_unique():
    seed()
    numbers = list(scale.scale_people().values_list("insz", flat=True))
    assert len(set(numbers)) == len(numbers) == 305
    for number in numbers:
        assert insz_clean(number) == number
    for person in scale.scale_people().only("insz", "birth_date", "title"):
        assert date(1940, 1, 1) <= person.birth_date <= date(2004, 12, 31)
        assert person.title == ("DE_HEER" if int(person.insz[6:9]) % 2 else "MEVROUW")
    kbos = list(scale.scale_enterprises().values_list("kbo", flat=True))
    assert len(set(kbos)) == 5
    for number in kbos:
        assert kbo_clean(number) == number


def test_identifier_generators_on_a_large_sample():
    rng = random.Random(3)
    numbers = generate_insz_numbers(rng, 20_000, taken=set(), born=BORN)
    assert len(set(numbers)) == 20_000
    assert any(number.startswith(("00", "01", "02", "03", "04")) for number in numbers)  # born 2000+
    for number in numbers:
        assert insz_clean(number) == number
        assert number[6:9] not in {"000", "999"}
    for number in generate_kbo_numbers(rng, 5_000, taken=set()):
        assert kbo_clean(number) == number
    assert not set(numbers) & reserved(INSZ)  # never a demo person's


def test_identifiers_already_taken_are_skipped():
    rng = random.Random(7)
    first = generate_insz_numbers(random.Random(7), 50, taken=set(), born=BORN)
    again = generate_insz_numbers(rng, 50, taken=set(first[:10]), born=BORN)
    assert not set(again) & set(first[:10])
    assert len(set(again)) == 50


def test_people_sign_in_with_the_shared_pin_and_no_password():
    seed()
    person = scale.scale_people().first()
    assert person.check_pin("1234")
    assert not person.has_usable_password()
    assert scale.scale_people().values("pin").distinct().count() == 1


def test_composite_foreign_key_invariants_hold():
    seed()
    authorised = set(SubafdelingAuthorisation.objects.values_list("subafdeling_id", "application_id"))
    rights = list(ApplicationRight.objects.values_list("user_id", "subafdeling_id", "application_id"))
    user_subafdeling = dict(SubafdelingUser.objects.values_list("id", "subafdeling_id"))
    for user, subafdeling, application in rights:
        assert user_subafdeling[user] == subafdeling
        assert (subafdeling, application) in authorised
    assert (
        ApplicationRight.objects.values("user", "application").annotate(n=Count("id")).filter(n__gt=1).count()
        == 0
    )

    held = {(user, application) for user, _subafdeling, application in rights}
    eloket = Application.objects.get(code=scale.ELOKET_CODE)
    assert not RoleAssignment.objects.exclude(application=F("role__application")).exists()
    today = clock.today()
    for user, application, start, end in RoleAssignment.objects.values_list(
        "user_id", "application_id", "start_date", "end_date"
    ):
        assert application == eloket.pk
        assert (user, application) in held
        assert start < today
        assert end is None or end >= start
    assert RoleAssignment.objects.filter(end_date__isnull=False).exists()


def fingerprint():
    """The world without its ids, which depend on what the database held before."""
    return (
        sorted(scale.scale_people().values_list("insz", "first_name", "last_name", "email", "birth_date")),
        sorted(scale.scale_enterprises().values_list("kbo", "name", "city")),
        sorted(Subafdeling.objects.values_list("name", "facility__hco_number", "subdivision_type__code")),
        sorted(ApplicationRight.objects.values_list("user__person__insz", "application__code")),
        sorted(
            RoleAssignment.objects.values_list("user__person__insz", "role__name", "start_date", "end_date")
        ),
    )


def test_same_seed_same_world():
    seed()
    first = fingerprint()
    seed(replace=True)
    assert fingerprint() == first
    seed(replace=True, seed=8)
    assert fingerprint()[0] != first[0]


def test_replace_when_a_number_moves_to_another_row():
    """On PostgreSQL the people's rows are rewritten in place: a row still holding a number that
    another row gets must let go of it first."""
    seed()
    first = fingerprint()
    one, two = scale.scale_people().order_by("pk")[:2]
    Person.objects.filter(pk=one.pk).update(insz="R0000000000")
    Person.objects.filter(pk=two.pk).update(insz=one.insz)
    Person.objects.filter(pk=one.pk).update(insz=two.insz)

    seed(replace=True)

    assert fingerprint() == first


def test_loading_twice_refuses_and_writes_nothing():
    seed()
    before = counts()
    with pytest.raises(CommandError, match="already"):
        seed()
    with pytest.raises(CommandError, match="--replace"):
        seed(enterprises=1, subafdelingen=1, users=1, roles=0)
    assert counts() == before


def test_replace_reloads_and_leaves_other_rows_alone():
    other = Person.objects.create_user(
        "85.07.30-033.28", first_name="Marc", last_name="Demo", email="m@demo.test"
    )
    demo = Enterprise.objects.create(kbo="0406.633.304", name="ORGANISATIE BROEDERS VAN LIEFDE VZW")
    seed()
    # Rows a benchmark adds to the scale world go with it; rows merely pointing at it survive.
    big = Subafdeling.objects.get(name=scale.BIG_SUBAFDELING_NAME)
    added = SubafdelingUser.objects.create(subafdeling=big, person=other, email="m@demo.test")
    event = AuditEvent.objects.create(action="bench", actor=scale.scale_people().first())
    Employment.objects.create(
        person=scale.scale_people().first(), enterprise=demo, start_date=date(2020, 1, 1)
    )

    output = seed(replace=True, users=200, roles=400)

    assert "Scale world loaded" in output
    assert scale.scale_enterprises().count() == 5
    assert scale.scale_people().count() == 205
    assert SubafdelingUser.objects.count() == 200
    assert RoleAssignment.objects.count() == 400
    assert Facility.objects.count() == 20
    assert not SubafdelingUser.objects.filter(pk=added.pk).exists()
    assert users_totals_kept() == users_counted()  # the set-based deletes too
    assert not Employment.objects.filter(enterprise=demo).exists()
    assert Person.objects.filter(pk=other.pk).exists()
    event.refresh_from_db()
    assert event.actor is None
    assert Enterprise.objects.filter(pk=demo.pk).exists()


def test_reuses_an_existing_catalogue():
    hoedanigheid = Hoedanigheid.objects.create(code=scale.HOEDANIGHEID_CODE, name="eHealth Gezondheidszorg")
    eloket = Application.objects.create(code=scale.ELOKET_CODE, name="E-loket Departement Zorg")
    vipa = Application.objects.create(
        code=scale.VIPA_CODE, name="Vlaams Infrastructuurfonds voor Persoonsgebonden Aangelegenheden"
    )
    hoedanigheid.applications.add(eloket, vipa)
    hoedanigheid.subdivision_types.add(
        SubdivisionType.objects.create(code="gezondheidszorg", name="Gezondheidszorg")
    )
    Role.objects.create(name="BelRAI VL - admin", application=eloket)

    seed()

    assert Hoedanigheid.objects.filter(code=scale.HOEDANIGHEID_CODE).count() == 1
    assert set(hoedanigheid.applications.all()) == {eloket, vipa}  # its own list, untouched
    assert Role.objects.filter(name="BelRAI VL - admin").count() == 1
    used = set(SubafdelingAuthorisation.objects.values_list("application_id", flat=True))
    assert used == {eloket.pk, vipa.pk}


def test_the_catalogue_when_none_exists():
    seed()
    hoedanigheid = Hoedanigheid.objects.get(code=scale.HOEDANIGHEID_CODE)
    assert hoedanigheid.name == "eHealth Gezondheidszorg"
    assert hoedanigheid.applications.count() == 11
    assert set(hoedanigheid.subdivision_types.values_list("code", flat=True)) == {
        "gezondheidszorg",
        "thuiszorg",
    }
    assert Role.objects.count() == 16
    assert not Role.objects.exclude(application__code=scale.ELOKET_CODE).exists()
    assert Application.objects.filter(code=scale.VIPA_CODE).exists()
    # the one loader's catalogue, the demo world's: every hoedanigheid and simulated application
    assert set(Hoedanigheid.objects.values_list("code", flat=True)) == {code for code, *_ in HOEDANIGHEDEN}
    assert SimulatedApplication.objects.count() == len(SIMULATED_APPLICATIONS)


def test_bad_options_are_refused():
    with pytest.raises(CommandError):
        seed(enterprises=0)
    with pytest.raises(CommandError):
        seed(users=0, roles=10)


def test_users_carry_their_persons_names():
    """The users list sorts and searches the copy of the names on the user (users migration 0010)."""
    seed()
    assert SubafdelingUser.objects.exists()
    assert not SubafdelingUser.objects.exclude(last_name=F("person__last_name")).exists()
    assert not SubafdelingUser.objects.exclude(first_name=F("person__first_name")).exists()


def test_a_holder_with_more_roles_than_e_loket_has_holds_each_one_for_periods_apart():
    """Roles migration 0004 refuses a role twice for overlapping periods (on PostgreSQL the COPY would
    fail): a holder who draws a role again gets periods that do not touch."""
    seed(users=20, roles=600)
    assert RoleAssignment.objects.count() == 600
    periods = {}
    for user, role, start, end in RoleAssignment.objects.order_by("start_date").values_list(
        "user_id", "role_id", "start_date", "end_date"
    ):
        periods.setdefault((user, role), []).append((start, end))
    assert max(len(held) for held in periods.values()) > 1
    for held in periods.values():
        for (_start, end), (next_start, _end) in itertools.pairwise(held):
            assert end is not None and end < next_start
