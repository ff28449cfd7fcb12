"""The access decision and its diagnosis: one test per link of the chain, in the manual's order."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from accessportal.propagation import propagations_apply_due
from administrators import services as administrators
from enterprises import services as enterprises
from roles import access, chain_state
from roles import services as roles
from roles.chain_state import CurrentChainState
from roles.models import SimulatedApplication
from subdivisions import services as subdivisions
from tests.conftest import BRUSSELS
from tests.factories import (
    EnterpriseFactory,
    FacilityListingFactory,
    PersonFactory,
    SimulatedApplicationFactory,
)
from users import services as users
from users.models import UserStatus

pytestmark = pytest.mark.django_db

HCO = "800001"  # the main side's facility in conftest.py
ADMIN = "BelRAI VL - admin"


@pytest.fixture
def main(frozen_clock, world):
    """The main side at 10:20, its user's E-loket right in effect."""
    frozen_clock.advance(minutes=20)
    propagations_apply_due()
    return world.main


def app(slug: str) -> SimulatedApplication:
    return SimulatedApplication.objects.get(slug=slug)


class PerMethodState(CurrentChainState):
    """The current state read method by method, as a source without ``preload`` is."""

    preload = None


def decide(person, slug: str, hco: str = HCO) -> access.Decision:
    """The decision of the one-statement read (the default), checked against the same decision read
    method by method: the two reads of the current chain must never differ."""
    decision = access.access_decide(person=person, app=app(slug), hco=hco)
    per_method = access.access_decide(person=person, app=app(slug), hco=hco, state=PerMethodState())
    assert decision == per_method
    return decision


def keys(decision) -> list[tuple[str, str]]:
    return [(link.key, link.status) for link in decision.links]


def names(fixers) -> list[str]:
    return [f"{fixer.name} ({fixer.capacity})" for fixer in fixers]


def test_every_link_holds_for_a_user_with_the_right(main):
    decision = decide(main.user_person, "eloket")
    assert decision.status == access.ALLOWED and decision.broken is None
    assert keys(decision) == [
        ("enterprise", "ok"),
        ("hoedanigheid", "ok"),
        ("subafdeling", "ok"),
        ("authorisation", "ok"),
        ("user", "ok"),
        ("right", "ok"),
    ]
    assert decision.subafdeling == main.subafdeling and decision.user == main.user


def test_an_unknown_hco_number(main):
    decision = decide(main.user_person, "eloket", hco="999999")
    assert decision.status == access.REFUSED
    assert keys(decision) == [("facility", "missing")]
    assert "999999" in decision.broken.message


def test_enterprise_not_registered_in_csam_names_its_legal_representatives(main, catalogue):
    enterprise = EnterpriseFactory(name="VZW ZONDER HTB")
    rep = PersonFactory(first_name="Rita", last_name="Wouters")
    enterprises.legal_mandate_add(
        enterprise=enterprise, person=rep, function="Bestuurder", start_date=date(2020, 1, 1)
    )
    enterprises.facility_register(
        enterprise=enterprise,
        hco_number="900001",
        name="WZC ZONDER HTB",
        listings={catalogue["types"]["gezondheidszorg"]: "WZC ZONDER HTB"},
    )
    decision = decide(main.user_person, "eloket", hco="900001")
    assert keys(decision) == [("enterprise", "missing")]
    assert "VZW ZONDER HTB" in decision.broken.message and decision.broken.manual == "3.2"
    assert names(decision.broken.fixers) == ["Rita Wouters (Wettelijk vertegenwoordiger)"]


def test_no_active_hoedanigheid_names_the_htb(main, catalogue):
    enterprise = EnterpriseFactory(name="VZW ZONDER HOEDANIGHEID")
    rep = PersonFactory()
    enterprises.legal_mandate_add(
        enterprise=enterprise, person=rep, function="Bestuurder", start_date=date(2020, 1, 1)
    )
    administrators.htb_appoint(actor=rep, enterprise=enterprise, person=rep, email=rep.email, phone="02")
    enterprises.facility_register(
        enterprise=enterprise,
        hco_number="900002",
        name="WZC",
        listings={catalogue["types"]["gezondheidszorg"]: "WZC"},
    )
    decision = decide(main.user_person, "eloket", hco="900002")
    assert keys(decision) == [("enterprise", "ok"), ("hoedanigheid", "missing")]
    assert "eHealth Gezondheidszorg" in decision.broken.message and decision.broken.manual == "3.3"
    assert names(decision.broken.fixers) == [f"{rep.full_name} (Hoofdtoegangsbeheerder)"]


def test_facility_not_activated_as_subafdeling_names_the_lokale_beheerder(main, catalogue):
    enterprises.facility_register(
        enterprise=main.enterprise,
        hco_number="800009",
        name="DAGCENTRUM",
        listings={catalogue["types"]["gezondheidszorg"]: "DAGCENTRUM"},
    )
    decision = decide(main.user_person, "eloket", hco="800009")
    assert keys(decision)[-1] == ("subafdeling", "missing")
    assert "DAGCENTRUM" in decision.broken.message and decision.broken.manual == "3.5"
    assert names(decision.broken.fixers) == [f"{main.tb.full_name} (Lokale Beheerder)"]


def test_a_blocked_subafdeling_refuses(main):
    subdivisions.subafdeling_block(actor=main.tb, subafdeling=main.subafdeling)
    decision = decide(main.user_person, "eloket")
    assert decision.status == access.REFUSED
    assert keys(decision)[-1] == ("subafdeling", "missing")
    assert "geblokkeerd" in decision.broken.message
    assert names(decision.broken.fixers) == [f"{main.tb.full_name} (Lokale Beheerder)"]


def test_application_not_authorised_on_the_subafdeling(main, catalogue):
    ehealthbox = SimulatedApplicationFactory(
        slug="ehealthbox", application=catalogue["applications"]["ehealthbox"]
    )
    decision = access.access_decide(person=main.user_person, app=ehealthbox, hco=HCO)
    assert keys(decision)[-1] == ("authorisation", "missing")
    assert "eHealthBox" in decision.broken.message and decision.broken.manual == "3.5.1"
    assert names(decision.broken.fixers) == [f"{main.tb.full_name} (Lokale Beheerder)"]


def test_a_person_who_is_no_user_there_is_sent_to_the_subafdelingsbeheerder(main):
    decision = decide(main.employee, "eloket")
    assert keys(decision)[-1] == ("user", "missing")
    assert main.employee.full_name in decision.broken.message and decision.broken.manual == "3.6.1"
    assert names(decision.broken.fixers) == [f"{main.sb.full_name} (Subafdelingsbeheerder)"]


def test_an_inactive_user_is_refused(main):
    main.user.status = UserStatus.INACTIEF
    main.user.save(update_fields=["status"])
    decision = decide(main.user_person, "eloket")
    assert keys(decision)[-1] == ("user", "missing") and "niet actief" in decision.broken.message


def test_a_person_unknown_in_the_register(main):
    decision = decide(None, "eloket")
    assert keys(decision)[-1] == ("user", "missing")


def test_no_right_on_the_application(main):
    decision = decide(main.user_person, "evipa")  # VIPA is authorised, the user has no right on it
    assert keys(decision)[-1] == ("right", "missing")
    assert "Vlaams Infrastructuurfonds" in decision.broken.message
    assert names(decision.broken.fixers) == [f"{main.sb.full_name} (Subafdelingsbeheerder)"]


def test_a_new_right_lets_the_user_in_at_once(frozen_clock, main):
    """Manual 3.6.1: after "Bevestigen" the user "heeft nu toegang tot eVIPA"; no clock moves."""
    users.user_add(
        actor=main.sb,
        subafdeling=main.subafdeling,
        person=main.employee,
        email=main.employee.email,
        applications=[app("evipa").application],
    )
    decision = decide(main.employee, "evipa")
    assert decision.status == access.ALLOWED and decision.effective_at is None
    assert keys(decision)[-1] == ("right", "ok")


def test_belrai_needs_a_belrai_role(main):
    decision = decide(main.user_person, "belrai")
    assert keys(decision)[-1] == ("role", "missing")
    assert ADMIN in decision.broken.message and decision.broken.manual == "3.6.2"
    assert names(decision.broken.fixers) == [f"{main.sb.full_name} (Subafdelingsbeheerder)"]


def test_a_role_of_another_application_does_not_count(main, catalogue):
    roles.role_assign(
        actor=main.sb, user=main.user, role=catalogue["roles"]["Moduleerder"], start_date=date(2026, 3, 2)
    )
    assert decide(main.user_person, "belrai").broken.key == "role"


def test_a_role_is_pending_for_twenty_minutes_then_lets_the_user_in(frozen_clock, main, catalogue):
    roles.role_assign(
        actor=main.sb, user=main.user, role=catalogue["roles"][ADMIN], start_date=date(2026, 3, 2)
    )
    decision = decide(main.user_person, "belrai")
    assert decision.status == access.PENDING and keys(decision)[-1] == ("role", "pending")
    assert decision.effective_at == frozen_clock.moment + timedelta(minutes=20)
    frozen_clock.advance(minutes=19, seconds=59)
    propagations_apply_due()
    assert decide(main.user_person, "belrai").status == access.PENDING
    frozen_clock.advance(seconds=1)
    propagations_apply_due()
    decision = decide(main.user_person, "belrai")
    assert decision.status == access.ALLOWED and decision.roles == [ADMIN]


def test_a_role_that_starts_later_is_pending_until_its_start_date(frozen_clock, main, catalogue):
    roles.role_assign(
        actor=main.sb, user=main.user, role=catalogue["roles"][ADMIN], start_date=date(2026, 3, 5)
    )
    frozen_clock.advance(minutes=20)
    propagations_apply_due()
    decision = decide(main.user_person, "belrai")
    assert decision.status == access.PENDING
    assert decision.effective_at == datetime(2026, 3, 5, tzinfo=BRUSSELS)
    assert "05/03/2026" in decision.broken.message
    frozen_clock.move_to(datetime(2026, 3, 5, 0, 0, tzinfo=BRUSSELS))
    assert decide(main.user_person, "belrai").status == access.ALLOWED


def test_a_role_past_its_end_date_is_ended(frozen_clock, main, catalogue):
    roles.role_assign(
        actor=main.sb,
        user=main.user,
        role=catalogue["roles"][ADMIN],
        start_date=date(2026, 3, 2),
        end_date=date(2026, 3, 2),
    )
    frozen_clock.advance(minutes=20)
    propagations_apply_due()
    assert decide(main.user_person, "belrai").status == access.ALLOWED
    frozen_clock.move_to(datetime(2026, 3, 3, 0, 0, tzinfo=BRUSSELS))
    decision = decide(main.user_person, "belrai")
    assert decision.status == access.REFUSED and "beëindigd op 02/03/2026" in decision.broken.message


def test_a_removed_role_keeps_working_until_the_removal_takes_effect(frozen_clock, main, catalogue):
    assignment = roles.role_assign(
        actor=main.sb, user=main.user, role=catalogue["roles"][ADMIN], start_date=date(2026, 3, 2)
    )
    frozen_clock.advance(minutes=20)
    propagations_apply_due()
    roles.role_remove(actor=main.sb, assignment=assignment)
    assert decide(main.user_person, "belrai").status == access.ALLOWED
    frozen_clock.advance(minutes=20)
    propagations_apply_due()
    assert decide(main.user_person, "belrai").broken.key == "role"


def test_the_facility_with_the_users_subafdeling_is_diagnosed(main, catalogue):
    """A facility can hold several subafdelingen; the diagnosis follows the one the person got furthest in."""
    residentieel = administrators.hoedanigheid_activate(
        actor=main.htb,
        enterprise=main.enterprise,
        hoedanigheid=catalogue["hoedanigheden"]["residentiele-zorginstelling"],
    )
    FacilityListingFactory(
        facility=main.subafdeling.facility,
        subdivision_type=catalogue["types"]["residentiele-zorginstelling"],
        name="WZC HOOFDZORG",
    )
    subdivisions.subafdeling_activate(
        actor=main.htb,
        activation=residentieel,
        facility=main.subafdeling.facility,
        subdivision_type=catalogue["types"]["residentiele-zorginstelling"],
        email="wzc@example.be",
        applications=[],
    )
    decision = decide(main.user_person, "eloket")
    assert decision.status == access.ALLOWED and decision.subafdeling == main.subafdeling


def test_someone_who_is_a_user_nowhere_is_sent_to_the_htb_of_their_employer(main):
    decision = access.unregistered_decision(person=main.employee, app=app("eloket"))
    assert decision.status == access.REFUSED and decision.broken.key == "user"
    assert f"{main.htb.full_name} (Hoofdtoegangsbeheerder)" in names(decision.broken.fixers)


def test_facilities_of_a_person(main):
    assert [f.hco_number for f in access.facilities_of(main.user_person)] == [HCO]
    assert list(access.facilities_of(main.employee)) == []


def test_the_decision_reads_a_bounded_number_of_queries(main, django_assert_max_num_queries, catalogue):
    roles.role_assign(
        actor=main.sb, user=main.user, role=catalogue["roles"][ADMIN], start_date=date(2026, 3, 2)
    )
    belrai = app("belrai")
    # the application and its roles (not prefetched here), then the chain in one statement
    with django_assert_max_num_queries(3):
        access.access_decide(person=main.user_person, app=belrai, hco=HCO)


def test_a_chain_read_along_answers_only_its_own_question(main, django_assert_num_queries):
    """A caller that read the chain in its own statement (the access API, with the token) hands it to
    the state: the decision then reads nothing more. For another question (person, facility) that
    chain would be wrong: the state reads that one itself."""
    eloket = (
        SimulatedApplication.objects.select_related("application")
        .prefetch_related("roles")
        .get(slug="eloket")
    )
    person = main.user_person
    chain = chain_state._chain_read(hco=HCO, app=eloket, person=person, roles=[])
    key = CurrentChainState.read_key(
        hco=HCO, application_id=eloket.application_id, person_id=person.pk, role_ids=[]
    )
    with django_assert_num_queries(0):
        decision = access.access_decide(
            person=person, app=eloket, hco=HCO, state=CurrentChainState(read=(key, chain))
        )
    assert decision == access.access_decide(person=person, app=eloket, hco=HCO, state=PerMethodState())
    assert decision.status == access.ALLOWED
    # another person, another facility: read for them
    other = access.access_decide(
        person=main.employee, app=eloket, hco=HCO, state=CurrentChainState(read=(key, chain))
    )
    assert other == access.access_decide(person=main.employee, app=eloket, hco=HCO, state=PerMethodState())
    assert keys(other)[-1] == ("user", "missing")
    elsewhere = access.access_decide(
        person=person, app=eloket, hco="999999", state=CurrentChainState(read=(key, chain))
    )
    assert keys(elsewhere) == [("facility", "missing")]


def test_moments_today_show_the_time_only(frozen_clock):
    assert access._moment(frozen_clock.moment + timedelta(minutes=20)) == "10:20"
    tomorrow = timezone.make_aware(datetime(2026, 3, 3, 0, 0))
    assert access._moment(tomorrow) == "03/03/2026 00:00"
