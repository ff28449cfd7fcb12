"""The access diagnosis and the access decision API "as of a date": the same decision (roles.access),
read from history's stored periods (history.state.PastChainState). A right holds from its save, a role
from the propagation delay after its save (and a removal likewise), so "as of" a moment between a role's
save and its effect says not yet in effect; the past decision agrees with the live one taken then."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse

from accessportal.propagation import propagations_apply_due
from history.models import Period, PeriodKind
from history.state import PastChainState
from roles import access
from roles import services as roles
from roles.models import SimulatedApplication
from roles.services import application_token_rotate
from tests.conftest import BRUSSELS
from users import services as users

pytestmark = pytest.mark.django_db

ADMIN = "BelRAI VL - admin"
HCO = "800001"
URL = "/api/toegang/"


def at(hour, minute):
    return datetime(2026, 3, 2, hour, minute, tzinfo=BRUSSELS)


def belrai():
    return SimulatedApplication.objects.get(slug="belrai")


def keys(decision):
    return [(link.key, link.status) for link in decision.links]


def decide(person, moment=None, hco=HCO):
    state = PastChainState(moment) if moment else None
    return access.access_decide(person=person, app=belrai(), hco=hco, state=state)


@pytest.fixture
def story(frozen_clock, world, catalogue):
    """10:00 the world; 10:20 a BelRAI role saved (in effect 10:40); 11:00 it is removed (gone at 11:20);
    11:30 the E-loket right withdrawn (at once). Returns the live decisions taken along the way."""
    main = world.main
    live = {}
    frozen_clock.move_to(at(10, 20))
    propagations_apply_due()
    live[at(10, 10)] = keys(decide(main.user_person))
    assignment = roles.role_assign(
        actor=main.sb, user=main.user, role=catalogue["roles"][ADMIN], start_date=date(2026, 3, 2)
    )
    frozen_clock.move_to(at(10, 30))
    live[at(10, 30)] = keys(decide(main.user_person))
    frozen_clock.move_to(at(10, 40))
    propagations_apply_due()
    frozen_clock.move_to(at(10, 50))
    live[at(10, 50)] = keys(decide(main.user_person))
    frozen_clock.move_to(at(11, 0))
    roles.role_remove(actor=main.sb, assignment=assignment)
    frozen_clock.move_to(at(11, 10))
    live[at(11, 10)] = keys(decide(main.user_person))
    frozen_clock.move_to(at(11, 20))
    propagations_apply_due()
    frozen_clock.move_to(at(11, 25))
    live[at(11, 25)] = keys(decide(main.user_person))
    frozen_clock.move_to(at(11, 30))
    users.user_update(
        actor=main.sb,
        user=main.user,
        email=main.user.email,
        local_email=main.user.local_email,
        language=main.user.language,
        applications=[],
    )
    frozen_clock.move_to(at(11, 31))
    live[at(11, 31)] = keys(decide(main.user_person))
    frozen_clock.move_to(at(12, 0))
    return live


def test_the_diagnosis_as_of_follows_a_role_change_and_a_right_removal(story, world):
    person = world.main.user_person
    before = decide(person, at(10, 10))
    assert before.status == access.REFUSED and keys(before)[-1] == ("role", "missing")
    saved = decide(person, at(10, 30))
    assert saved.status == access.PENDING and keys(saved)[-1] == ("role", "pending")
    assert saved.effective_at == at(10, 40)  # saved, not yet in effect: the propagation delay
    assert "wordt van kracht om" in saved.broken.message
    in_effect = decide(person, at(10, 50))
    assert in_effect.status == access.ALLOWED and in_effect.roles == [ADMIN]
    assert decide(person, at(11, 10)).status == access.ALLOWED  # the removal not yet in effect
    removed = decide(person, at(11, 25))
    assert removed.status == access.REFUSED and keys(removed)[-1] == ("role", "missing")
    right_gone = decide(person, at(11, 31))
    assert right_gone.broken.key == "right" and right_gone.status == access.REFUSED  # a right: at once
    assert keys(decide(person, at(11, 29)))[-2] == ("right", "ok")
    for moment, live in story.items():
        assert keys(decide(person, moment)) == live, moment
    # a past decision says what held then; it names nobody who could fix it now
    assert all(link.fixers == [] for link in removed.links)
    assert decide(person).broken.fixers  # the live one does


def test_another_enterprise_gives_nothing_as_of(story, world):
    outsider = world.outsider
    here = decide(outsider.user_person, at(10, 50))
    assert here.status == access.REFUSED and here.broken.key == "user"
    there = decide(world.main.user_person, at(10, 50), hco="800002")
    assert there.status == access.REFUSED and there.user is None


@pytest.fixture
def tokens(catalogue):
    return {
        app.slug: application_token_rotate(actor=None, app=app) for app in SimulatedApplication.objects.all()
    }


def ask(client, token, **params):
    return client.get(URL, params, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_api_answers_as_of_a_moment(story, world, tokens, client):
    params = {"insz": world.main.user_person.insz, "toepassing": "belrai", "hco": HCO}
    saved = ask(client, tokens["belrai"], moment="2026-03-02T10:30", **params).json()
    assert saved["beslissing"] == "IN_AFWACHTING" and saved["moment"].startswith("2026-03-02T10:30")
    assert saved["van_kracht_vanaf"] == "2026-03-02T10:40:00+01:00"
    assert (
        ask(client, tokens["belrai"], moment="2026-03-02T10:50", **params).json()["beslissing"]
        == "TOEGESTAAN"
    )
    assert (
        ask(client, tokens["belrai"], moment="2026-03-02T11:10", **params).json()["beslissing"]
        == "TOEGESTAAN"
    )
    removed = ask(client, tokens["belrai"], moment="2026-03-02T11:25", **params).json()
    assert removed["beslissing"] == "GEWEIGERD" and removed["diagnose"][-1]["schakel"] == "role"
    gone = ask(client, tokens["belrai"], moment="2026-03-02T11:31", **params).json()
    assert gone["diagnose"][-1]["schakel"] == "right" and gone["diagnose"][-1]["status"] == "ontbreekt"
    now = ask(client, tokens["belrai"], **params).json()
    assert now["moment"] is None and now["diagnose"][-1]["schakel"] == "right"
    assert world.main.user_person.last_name not in str(saved) + str(removed)  # never the person's name
    a_day = ask(client, tokens["belrai"], moment="2026-03-01", **params).json()
    assert a_day["moment"].startswith("2026-03-01T23:59:59") and a_day["beslissing"] == "GEWEIGERD"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("gisteren", "jjjj-mm-dd"),
        ("2026-02-30", "jjjj-mm-dd"),
        ("2026-03-03", "toekomst"),
        ("2027-01-01T10:00", "toekomst"),
    ],
)
def test_a_bad_or_future_moment_is_a_400_in_dutch(story, world, tokens, client, value, words):
    params = {"insz": world.main.user_person.insz, "toepassing": "belrai", "hco": HCO}
    response = ask(client, tokens["belrai"], moment=value, HTTP_ACCEPT_LANGUAGE="fr", **params)
    assert response.status_code == 400
    assert words in response.json()["parameters"]["moment"]


def test_another_enterprises_person_gets_nothing_from_the_api_as_of(story, world, tokens, client):
    params = {"insz": world.outsider.user_person.insz, "toepassing": "belrai", "hco": HCO}
    body = ask(client, tokens["belrai"], moment="2026-03-02T10:50", **params).json()
    assert body["beslissing"] == "GEWEIGERD" and body["rollen"] == []
    assert world.outsider.user_person.last_name not in str(body)


def _history(world, count):
    """``count`` closed role periods of the user, long before (a long history of changes)."""
    main = world.main
    start = datetime(2020, 1, 1, tzinfo=BRUSSELS)
    Period.objects.bulk_create(
        Period(
            kind=PeriodKind.ROLE,
            object_id=900000 + i,
            enterprise_kbo=main.enterprise.kbo,
            activation_id=main.activation.pk,
            subafdeling_id=main.subafdeling.pk,
            user_id=main.user.pk,
            person=main.user_person,
            application_code="e-loket-departement-zorg",
            data={"role": ADMIN, "role_id": 0, "start_date": "2020-01-01", "end_date": ""},
            started_at=start + timedelta(hours=i),
            ended_at=start + timedelta(hours=i, minutes=30),
        )
        for i in range(count)
    )


def test_the_api_as_of_takes_the_same_queries_for_10_and_1000_changes(
    story, world, tokens, client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    params = {
        "insz": world.main.user_person.insz,
        "toepassing": "belrai",
        "hco": HCO,
        "moment": "2026-03-02T10:50",
    }
    counts = []
    for total in (10, 1000):
        _history(world, total - Period.objects.filter(object_id__gte=900000).count())
        with CaptureQueriesContext(connection) as queries:
            assert ask(client, tokens["belrai"], **params).json()["beslissing"] == "TOEGESTAAN"
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 14, counts


def test_the_toegang_tab_as_of_a_date(story, world, client):
    main = world.main
    client.force_login(main.sb)
    url = reverse("roles:person", kwargs={"subafdeling_id": main.subafdeling.pk, "user_id": main.user.pk})
    live = client.get(url, {"tab": "toegang"})
    assert 'name="op"' in live.content.decode() and 'name="tab" value="toegang"' in live.content.decode()
    page = client.get(url, {"tab": "toegang", "op": "2026-03-02T10:30"})
    text = page.content.decode()
    assert page.status_code == 200 and "Toestand op" in text and "Alleen lezen" in text
    statuses = {app.slug: decision.status for app, decision in page.context["checks"]}
    assert statuses["belrai"] == access.PENDING and statuses["eloket"] == access.ALLOWED
    assert '<form method="post"' not in text and "Wie kan dit in orde brengen" not in text
    later = client.get(url, {"tab": "toegang", "op": "2026-03-02T11:31"})
    assert {app.slug: d.status for app, d in later.context["checks"]}["eloket"] == access.REFUSED
    bad = client.get(url, {"tab": "toegang", "op": "morgen"})
    assert "jjjj-mm-dd" in bad.content.decode()
    client.force_login(world.outsider.htb)
    assert client.get(url, {"tab": "toegang", "op": "2026-03-02"}).status_code == 404


@pytest.mark.parametrize(
    "name", ["users:list", "subdivisions:list", "administrators:managers", "roles:person"]
)
def test_the_live_list_pages_offer_the_date_field(world, client, name):
    main = world.main
    client.force_login(main.htb)
    kwargs = {
        "users:list": {"subafdeling_id": main.subafdeling.pk},
        "subdivisions:list": {"hoedanigheid_id": main.activation.pk},
        "administrators:managers": {"hoedanigheid_id": main.activation.pk},
        "roles:person": {"subafdeling_id": main.subafdeling.pk, "user_id": main.user.pk},
    }[name]
    text = client.get(reverse(name, kwargs=kwargs)).content.decode()
    assert 'type="date" name="op"' in text and "Toestand op datum" in text
    elsewhere = client.get(reverse("history:map", kwargs={"kbo": main.enterprise.kbo})).content.decode()
    assert elsewhere.count('name="op"') == 1  # the map has its own, not a second one


def test_the_applications_refusal_as_of_a_date(story, world, client):
    from accessportal.models import AuditEvent

    main = world.main
    client.force_login(main.user_person)
    url = reverse("roles:application-work", kwargs={"slug": "belrai"})
    refusal = client.get(url)
    assert refusal.status_code == 403 and 'name="op"' in refusal.content.decode()
    events = AuditEvent.objects.count()
    saved = client.get(url, {"op": "2026-03-02T10:30"})
    text = saved.content.decode()
    assert saved.status_code == 200 and saved.context["decision"].status == access.PENDING
    assert "Alleen lezen" in text and "10:40" in text
    assert client.get(url, {"op": "2026-03-02T10:50"}).context["decision"].status == access.ALLOWED
    bad = client.get(url, {"op": "2027-01-01"})
    assert bad.status_code == 400 and "toekomst" in bad.content.decode()
    assert client.get(url, {"op": ""}).status_code == 400
    assert AuditEvent.objects.count() == events  # looking back is no sign-in attempt
