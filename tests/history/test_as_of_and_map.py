"""Toestand op datum before and after a role change and a removal, the map's nodes and red flags,
nothing of another enterprise, and query counts flat in the size of the history."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accessportal import clock
from accessportal.models import AuditEvent
from administrators import services as administrators
from administrators.models import HtbAppointment
from enterprises.models import LegalMandate
from history.models import EventScope, Period, PeriodKind
from roles import services as roles
from subdivisions import services as subdivisions
from tests.conftest import BRUSSELS
from users import services as users

pytestmark = pytest.mark.django_db


def at(year, month, day):
    return datetime(year, month, day, 10, 0, tzinfo=BRUSSELS)


def test_roles_as_of_before_and_after_a_change_and_a_removal(world, catalogue, client):
    main = world.main
    role = catalogue["roles"]["BelRAI VL - zorgverlener met certificaat"]
    with clock.simulated(at(2030, 1, 1)):
        assignment = roles.role_assign(actor=main.sb, user=main.user, role=role, start_date=date(2030, 1, 1))
    with clock.simulated(at(2030, 2, 1)):
        roles.role_update(
            actor=main.sb, assignment=assignment, start_date=date(2030, 1, 1), end_date=date(2030, 12, 31)
        )
    with clock.simulated(at(2030, 3, 1)):
        roles.role_remove(actor=main.sb, assignment=assignment)
    with clock.simulated(at(2030, 4, 1)):
        users.users_remove(actor=main.sb, subafdeling=main.subafdeling, users=[main.user])
    client.force_login(main.sb)
    kwargs = {"subafdeling_id": main.subafdeling.pk, "user_id": main.user.pk}
    roles_url = reverse("roles:person", kwargs=kwargs)
    users_url = reverse("users:list", kwargs={"subafdeling_id": main.subafdeling.pk})
    with clock.simulated(at(2030, 5, 1)):
        before_role = client.get(roles_url, {"op": "2029-12-31"})
        first = client.get(roles_url, {"op": "2030-01-15"})
        changed = client.get(roles_url, {"op": "2030-02-15"})
        removed = client.get(roles_url, {"op": "2030-03-15"})
        gone = client.get(roles_url, {"op": "2030-04-15"})
        users_then = client.get(users_url, {"op": "2030-03-15"})
        users_after = client.get(users_url, {"op": "2030-04-15"})
    assert before_role.context["rows"] == []
    assert [(r.data["role"], r.data["end_date"]) for r in first.context["rows"]] == [(role.name, "")]
    assert [r.data["end_date"] for r in changed.context["rows"]] == ["2030-12-31"]
    assert removed.context["rows"] == [] and removed.context["was_user"]
    assert not gone.context["was_user"]
    assert "was op deze datum geen gebruiker" in gone.content.decode()
    assert [row.person for row in users_then.context["rows"]] == [main.user_person]
    assert users_then.context["rows"][0].rights == ["E-loket Departement Zorg"]
    assert list(users_after.context["rows"]) == []
    for response in (first, users_then):
        page = response.content.decode()
        assert "Toestand op" in page and "Alleen lezen" in page
        assert '<form method="post"' not in page  # no action of the live screens


def test_past_views_refuse_another_enterprise(world, client):
    client.force_login(world.outsider.htb)
    main = world.main
    for url in (
        reverse("users:list", kwargs={"subafdeling_id": main.subafdeling.pk}),
        reverse("subdivisions:list", kwargs={"hoedanigheid_id": main.activation.pk}),
        reverse("administrators:managers", kwargs={"hoedanigheid_id": main.activation.pk}),
        reverse("roles:person", kwargs={"subafdeling_id": main.subafdeling.pk, "user_id": main.user.pk}),
        reverse("history:map", kwargs={"kbo": main.enterprise.kbo}),
    ):
        assert client.get(url, {"op": "2020-01-01"}).status_code == 404, url


def test_subafdelingen_and_managers_as_of(world, client):
    main = world.main
    with clock.simulated(at(2030, 1, 1)):
        subdivisions.subafdeling_block(actor=main.tb, subafdeling=main.subafdeling)
    client.force_login(main.htb)
    with clock.simulated(at(2030, 2, 1)):
        then = client.get(
            reverse("subdivisions:list", kwargs={"hoedanigheid_id": main.activation.pk}),
            {"op": "2029-12-31"},
        )
        later = client.get(
            reverse("subdivisions:list", kwargs={"hoedanigheid_id": main.activation.pk}),
            {"op": "2030-01-15"},
        )
        managers = client.get(
            reverse("administrators:managers", kwargs={"hoedanigheid_id": main.activation.pk}),
            {"op": "2030-01-15"},
        )
    assert [row.blocked_then for row in then.context["rows"]] == [False]
    assert [row.blocked_then for row in later.context["rows"]] == [True]
    assert [row.person for row in managers.context["rows"]] == [main.tb]


def test_the_map_draws_the_chain_and_flags_each_broken_link(world, catalogue, client):
    main = world.main
    client.force_login(main.htb)
    url = reverse("history:map", kwargs={"kbo": main.enterprise.kbo})
    healthy = client.get(url)
    page = healthy.content.decode()
    for person in (main.legal_rep, main.htb, main.co_htb, main.tb, main.sb, main.user_person):
        assert person.full_name in page
    assert healthy.context["chain"].flags == []
    assert f'href="{reverse("users:list", kwargs={"subafdeling_id": main.subafdeling.pk})}"' in page
    assert "bereikt E-loket" in page

    with clock.simulated(at(2030, 1, 1)):
        second = administrators.hoedanigheid_activate(
            actor=main.htb, enterprise=main.enterprise, hoedanigheid=catalogue["hoedanigheden"]["jeugdhulp"]
        )
        subdivisions.subafdeling_block(actor=main.tb, subafdeling=main.subafdeling)
        # A role without its right: a stored state from before rights took effect at once.
        Period.objects.create(
            kind=PeriodKind.ROLE,
            object_id=999999,
            enterprise_kbo=main.enterprise.kbo,
            activation_id=main.activation.pk,
            subafdeling_id=main.subafdeling.pk,
            user_id=main.user.pk,
            person=main.user_person,
            application_code="vipa",
            data={"role": "VIPA - gebruiker", "start_date": "2030-01-01", "end_date": ""},
            started_at=clock.now(),
        )
        LegalMandate.objects.filter(person=main.legal_rep).update(end_date=date(2030, 1, 1))
    with clock.simulated(at(2030, 1, 20)):
        broken = client.get(url, {"op": "2030-01-15"})
        flags = broken.context["chain"].flags
    with clock.simulated(at(2030, 2, 1)):
        HtbAppointment.objects.filter(enterprise=main.enterprise).update(ended_at=clock.now())
        co = main.enterprise.co_htb_appointments.get()
        co.ended_at = clock.now()
        co.save()
    with clock.simulated(at(2030, 3, 1)):
        after = client.get(reverse("history:map", kwargs={"kbo": main.enterprise.kbo}))
    assert any("is geblokkeerd" in flag and "1 gebruiker kan er niet werken" in flag for flag in flags)
    assert any("die niet meer gekend is als wettelijk vertegenwoordiger" in flag for flag in flags)
    assert any("heeft de rol VIPA - gebruiker, maar geen recht op" in flag for flag in flags)
    assert 'stroke="#b00020"' in broken.content.decode()
    assert after.status_code == 404  # no longer HTB: the map of today is not theirs
    from history.chainmap import chain_map

    with clock.simulated(at(2030, 3, 1)):
        today = chain_map(main.enterprise)
    assert any("Jeugdhulp heeft niemand die haar kan beheren" in flag for flag in today.flags)
    assert any("is nog niet geregistreerd in CSAM" in flag for flag in today.flags)
    assert second.pk


def _events(world, count):
    main = world.main
    events = AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=main.sb,
            action="user.update",
            target_type="users.SubafdelingUser",
            target_id=str(main.user.pk),
            enterprise_kbo=main.enterprise.kbo,
            before={"applications": ["vipa"]},
            after={"applications": ["e-loket-departement-zorg"]},
            occurred_at=clock.now() - timedelta(minutes=i),
        )
        for i in range(count)
    )
    if connection.features.can_return_rows_from_bulk_insert:
        ids = [e.pk for e in events]
    else:
        ids = list(AuditEvent.objects.order_by("-pk").values_list("pk", flat=True)[:count])
    EventScope.objects.bulk_create(
        EventScope(
            event_id=pk,
            activation_id=main.activation.pk,
            subafdeling_id=main.subafdeling.pk,
            user_id=main.user.pk,
            person=main.user_person,
        )
        for pk in ids
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_flat_for_10_and_1000_events(world, client):
    main = world.main
    client.force_login(main.htb)
    urls = [
        reverse("history:enterprise", kwargs={"kbo": main.enterprise.kbo}),
        reverse("history:hoedanigheid", kwargs={"hoedanigheid_id": main.activation.pk}),
        reverse("history:subafdeling", kwargs={"subafdeling_id": main.subafdeling.pk}),
        reverse("history:user", kwargs={"subafdeling_id": main.subafdeling.pk, "user_id": main.user.pk}),
        reverse("history:map", kwargs={"kbo": main.enterprise.kbo}),
    ]
    _events(world, 10)
    few = [_queries(client, url) for url in urls]
    _events(world, 990)
    many = [_queries(client, url) for url in urls]
    assert few == many
    assert max(many) <= 25, many
