""" "Uw verantwoordelijken" (the top bar of chapter 4 step 2): for each capacity of the person, who
manages them, up the chain: subafdelingsbeheerder → LB / co-LB (or the HTB as LB) → HTB / co-HTBs →
legal representatives."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from administrators.models import AdministratorKind
from administrators.services import hoedanigheid_activate, local_administrator_appoint
from enterprises import services as enterprises
from tests.factories import PersonFactory
from users import services as users
from users.selectors import responsibles_of

pytestmark = pytest.mark.django_db

URL = "/toegangsbeheer/uw-verantwoordelijken/"


def names(level) -> list[str]:
    return [person.name for person in level.people]


def test_a_users_chain_goes_up_to_the_legal_representatives(world):
    main = world.main
    (capacity,) = responsibles_of(main.user_person)
    assert capacity.kind == "USER" and capacity.subafdeling == main.subafdeling
    sb, lb, htb, wv = capacity.levels
    assert (sb.kind, names(sb)) == ("SB", [main.sb.full_name])
    assert (lb.kind, names(lb), lb.htb_as_lb) == ("LB", [main.tb.full_name], False)
    assert lb.people[0].email == main.tb.email  # the address the enterprise holds for the appointment
    assert htb.kind == "HTB" and names(htb) == [main.htb.full_name, main.co_htb.full_name]
    assert (wv.kind, names(wv)) == ("WV", [main.legal_rep.full_name])


def test_the_htb_stands_in_for_a_missing_lokale_beheerder_and_co_lbs_follow(world, catalogue):
    main = world.main
    jeugdhulp = hoedanigheid_activate(
        actor=main.htb, enterprise=main.enterprise, hoedanigheid=catalogue["hoedanigheden"]["jeugdhulp"]
    )
    local_administrator_appoint(
        actor=main.htb,
        activation=jeugdhulp,
        person=main.employee,
        kind=AdministratorKind.CO_LB,
        email="co@hoofdzorg.be",
    )
    (capacity,) = responsibles_of(main.employee)
    assert capacity.kind == "CO_LB" and [level.kind for level in capacity.levels] == ["HTB", "WV"]
    (sb_capacity,) = responsibles_of(main.sb)
    assert sb_capacity.kind == "SB" and [level.kind for level in sb_capacity.levels] == ["LB", "HTB", "WV"]


def test_the_htb_and_the_lb_see_their_own_levels(world):
    main = world.main
    (htb,) = responsibles_of(main.htb)
    assert htb.kind == "HTB" and [level.kind for level in htb.levels] == ["WV"]
    (lb,) = responsibles_of(main.tb)
    assert lb.kind == "LB" and [level.kind for level in lb.levels] == ["HTB", "WV"]
    assert responsibles_of(world.nobody) == []


def test_the_page_has_the_manuals_title_and_never_shows_another_enterprise(client, world):
    client.force_login(world.main.user_person)
    page = client.get(URL).text
    assert "<h1>Uw verantwoordelijken</h1>" in page
    for person in (world.main.sb, world.main.tb, world.main.htb, world.main.co_htb, world.main.legal_rep):
        assert person.full_name in page
    assert world.outsider.htb.full_name not in page and world.outsider.legal_rep.full_name not in page
    client.force_login(world.nobody)
    assert "u hebt geen verantwoordelijken" in client.get(URL).text


def test_the_number_of_queries_does_not_grow_with_the_capacities(client, world, catalogue):
    main = world.main
    person = PersonFactory()
    enterprises.employment_add(enterprise=main.enterprise, person=person, start_date=date(2020, 1, 1))
    client.force_login(person)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    users.user_add(
        actor=main.sb, subafdeling=main.subafdeling, person=person, email="p@x.be", applications=[]
    )
    few = count()
    users.user_add(
        actor=world.outsider.sb,
        subafdeling=world.outsider.subafdeling,
        person=person,
        email="p@y.be",
        applications=[],
    )
    local_administrator_appoint(
        actor=main.htb,
        activation=main.activation,
        person=person,
        kind=AdministratorKind.CO_LB,
        email="p@x.be",
    )
    assert count() == few <= 15
