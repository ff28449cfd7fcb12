"""`manage.py seed_demo` loads exactly the demo world of DESIGN.md, once."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from accessportal.identifiers import insz_compact
from accessportal.models import AuditEvent
from administrators.models import CoHtbAppointment, HoedanigheidActivation, HtbAppointment, LocalAdministrator
from administrators.permissions import can_manage_activation
from administrators.selectors import current_htb
from enterprises.models import Application, Enterprise, Facility, Hoedanigheid
from identity.models import Person
from roles.access import ALLOWED, access_decide
from roles.models import Role, RoleAssignment, SimulatedApplication
from subdivisions.models import Subafdeling
from users.models import SubafdelingUser

pytestmark = pytest.mark.django_db


def person(insz: str) -> Person:
    return Person.objects.get(insz=insz_compact(insz))


@pytest.fixture
def demo():
    call_command("seed_demo")


def test_people_sign_in_with_pin_1234(demo):
    assert Person.objects.count() == 9
    for p in Person.objects.all():
        assert p.check_pin("1234")
        assert not p.check_pin("0000")
    assert person("75.03.12-033.39").full_name == "Marc Vermeulen"
    assert person("82.09.21-124.61").title == "MEVROUW"


def test_de_linde_is_in_the_kbo_but_not_in_csam(demo):
    de_linde = Enterprise.objects.get(kbo="0812345603")
    assert de_linde.name == "VZW ZORGNETWERK DE LINDE"
    assert current_htb(de_linde) is None
    assert de_linde.legal_mandates.get().person == person("75.03.12-033.39")
    assert de_linde.employments.get().person == person("82.09.21-124.61")
    assert sorted(de_linde.facilities.values_list("name", flat=True)) == [
        "DAGCENTRUM DE LINDE",
        "WZC DE LINDE",
    ]


def test_broeders_van_liefde(demo):
    broeders = Enterprise.objects.get(kbo="0406633304")
    luc = person("68.01.05-057.64")
    assert current_htb(broeders).person == luc
    assert set(
        HoedanigheidActivation.objects.filter(enterprise=broeders).values_list(
            "hoedanigheid__name", flat=True
        )
    ) == {"Behandelingscentrum", "Economie", "eHealth Gezondheidszorg"}
    ehealth = HoedanigheidActivation.objects.get(
        enterprise=broeders, hoedanigheid__code="ehealth-gezondheidszorg"
    )
    assert ehealth.created_at.date() == date(2009, 2, 5)  # the manual's Creatiedatum 05/02/2009
    assert can_manage_activation(luc, ehealth)
    (subafdeling,) = Subafdeling.objects.filter(activation__enterprise=broeders)
    assert subafdeling.name == (
        "RESIDENTIEEL KORTDUREND JONGERENPROGRAMMA-GENT (Overeenkomst - 773 - revalidatie van verslaafden)"
    )
    assert subafdeling.hco_number == "30001"
    assert subafdeling.subdivision_type.name == "Gezondheidszorg"
    not_active = Facility.objects.filter(enterprise=broeders, subafdelingen__isnull=True)
    assert sorted(not_active.values_list("hco_number", "name")) == [
        ("201870", "HUIZE TERLOO"),
        ("201871", "DE OASE"),
        ("201872", "GASTHUIS SINT-JOZEF"),
        ("201873", "KLIMOP"),
    ]


def test_st_barbara(demo):
    barbara = Enterprise.objects.get(kbo="0422152314")
    assert current_htb(barbara).person == person("79.02.28-135.19")
    rows = Subafdeling.objects.filter(activation__enterprise=barbara).values_list(
        "activation__hoedanigheid__name", "subdivision_type__name", "name", "facility__hco_number"
    )
    assert sorted(rows) == sorted(
        [
            ("eHealth Gezondheidszorg", "Gezondheidszorg", "T SUSTERHUYIS (4085)", "4085"),
            ("eHealth Gezondheidszorg", "Gezondheidszorg", "SINT-BARBARA (19555)", "19555"),
            ("eHealth Gezondheidszorg", "Gezondheidszorg", "SINT-BARBARA (3634)", "3634"),
            ("eHealth Gezondheidszorg", "Thuiszorg", "JACOBUSHUIS", "7166"),
            (
                "Residentiële zorginstelling",
                "Residentiële zorginstelling",
                "SINT-BARBARA-HERSELT (Woonzorgcentrum, Rust- en verzorgingstehuis)",
                "3634",
            ),
            (
                "Residentiële zorginstelling",
                "Residentiële zorginstelling",
                "SINT-BARBARA-HERSELT (Centrum voor Kortverblijf, Oriënterend kortverblijf)",
                "19555",
            ),
        ]
    )
    lb = LocalAdministrator.objects.current().get(activation__enterprise=barbara)
    assert (
        lb.person == person("93.07.17-078.56")
        and lb.activation.hoedanigheid.code == "residentiele-zorginstelling"
    )
    for subafdeling in Subafdeling.objects.all():  # every application of its hoedanigheid authorised
        assert set(subafdeling.applications.all()) == set(
            subafdeling.activation.hoedanigheid.applications.all()
        )


def test_freddy_and_lotte(demo):
    freddy = SubafdelingUser.objects.get(person=person("87.11.30-091.40"))
    assert freddy.subafdeling.hco_number == "19555"
    assert freddy.subafdeling.activation.hoedanigheid.code == "residentiele-zorginstelling"
    assert list(freddy.rights.values_list("application__name", flat=True)) == ["E-loket Departement Zorg"]
    (role,) = RoleAssignment.objects.filter(user=freddy)
    assert role.role.name == "BelRAI VL - zorgverlener met certificaat"
    assert role.start_date == date(2022, 9, 29) and role.end_date is None
    lotte = SubafdelingUser.objects.get(person=person("01.12.03-046.95"))
    assert lotte.subafdeling == freddy.subafdeling
    assert list(lotte.rights.values_list("application__name", flat=True)) == ["E-loket Departement Zorg"]
    assert not RoleAssignment.objects.filter(user=lotte).exists()


def test_emma_is_linked_to_nothing(demo):
    emma = person("02.04.15-022.15")
    assert not emma.legal_mandates.exists() and not emma.employments.exists()
    assert not SubafdelingUser.objects.filter(person=emma).exists()


def test_catalogue(demo):
    assert Hoedanigheid.objects.count() == 6
    assert Application.objects.count() == 11
    assert Role.objects.count() == 16
    assert set(Role.objects.values_list("application__code", flat=True)) == {"e-loket-departement-zorg"}
    for code in ("ehealth-gezondheidszorg", "residentiele-zorginstelling", "jeugdhulp"):
        assert Hoedanigheid.objects.get(code=code).applications.count() == 11


def test_the_history_is_in_the_audit_trail(demo):
    assert AuditEvent.objects.filter(action="htb.appoint").count() == 2
    assert AuditEvent.objects.filter(action="role.assign").count() == 1
    assert not CoHtbAppointment.objects.exists()
    assert HtbAppointment.objects.count() == 2


def test_idempotent(demo):
    counts = {
        model: model.objects.count()
        for model in (Person, Enterprise, Subafdeling, AuditEvent, RoleAssignment)
    }
    call_command("seed_demo")
    assert counts == {model: model.objects.count() for model in counts}


def test_a_partial_world_is_refused_and_nothing_is_written(catalogue):
    Person.objects.create_user("75.03.12-033.39", last_name="Vermeulen", first_name="Marc")
    with pytest.raises(CommandError, match="deel van de demowereld"):
        call_command("seed_demo")
    assert Person.objects.count() == 1
    assert not Enterprise.objects.exists()


def test_the_past_rights_and_roles_are_in_effect_and_belrai_knows_it(demo):
    belrai = SimulatedApplication.objects.get(slug="belrai")
    freddy, lotte = person("87.11.30-091.40"), person("01.12.03-046.95")
    assert access_decide(person=freddy, app=belrai, hco="19555").status == ALLOWED
    refusal = access_decide(person=lotte, app=belrai, hco="19555")
    assert refusal.broken.key == "role"  # her E-loket right is in effect; a BelRAI role is missing
    assert [link.status for link in refusal.links[:-1]] == ["ok"] * (len(refusal.links) - 1)
    assert sorted(SimulatedApplication.objects.values_list("slug", flat=True)) == [
        "belrai",
        "eloket",
        "evipa",
    ]
