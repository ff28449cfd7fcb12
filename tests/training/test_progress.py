"""One definition of progress: the dashboard's columns, the scenario panel and the stappenplan read the
same steps (roles/progress.py); a finished trainee's row is complete; the dashboard reads a whole
classroom in one query."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accessportal import clock
from accessportal.services import ServiceError
from identity import services as identity
from roles import progress
from roles.selectors import enterprise_progress, stappenplan
from tests.conftest import trainer_create
from tests.training.sandboxes import built, praktijk_with_user
from training import selectors
from training import services as training
from training.models import Part
from training.scenarios import scenario_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(catalogue):
    return trainer_create("Tine")


def finished_chapter_4(client, trainer):
    """A chapter-4 trainee who did everything: HUIZE active, a user with the VIPA right (in effect at
    once), and that user signed in to eVIPA."""
    sandbox, user = praktijk_with_user(trainer)
    client.force_login(user.person)
    assert client.get("/toepassingen/evipa/aan-de-slag/").status_code == 200
    client.logout()
    return sandbox


def test_the_dashboard_the_stappenplan_and_the_panel_agree(client, trainer):
    sandbox = finished_chapter_4(client, trainer)
    row = selectors.sandbox_progress(sandbox)
    with clock.simulated(sandbox.now()):
        done = enterprise_progress(sandbox.enterprise)
    assert {key: getattr(row, key) for key in progress.KEYS} == done
    steps = {step.manual: step.done for step in stappenplan(sandbox.enterprise, done)}
    for step in progress.STEPS:
        assert steps[step.manual] == done[step.key]
    # The HTB is lokale beheerder while none is appointed: TB done on both, as the manual says.
    assert done["tb"] and steps["2.1.2"]
    assert scenario_panel(sandbox)["finished"]


def test_a_finished_chapter_4_trainees_row_is_complete(client, trainer):
    sandbox = finished_chapter_4(client, trainer)
    client.force_login(trainer)
    page = client.get(reverse("training:classroom", kwargs={"classroom_id": sandbox.classroom_id})).text
    row = re.search(r'<tr id="cursist-1"([^>]*)>(.*?)</tr>', page, re.S)
    assert 'class="finished"' in row.group(1)
    marks = re.findall(r'class="step (done|todo|optional)"', row.group(2))
    assert "todo" not in marks  # only the optional role is not done
    assert marks == ["done", "done", "done", "done", "done", "optional", "done"]
    assert "voltooid" in row.group(2)
    assert "1/1 voltooid" in page


def test_the_stappenplan_counts_the_htb_as_lokale_beheerder(client, trainer):
    sandbox = built(trainer, size=1, scenario="praktijk").sandboxes.get()
    htb = training.legal_representative_of(sandbox)
    client.force_login(htb)
    page = client.get(reverse("roles:stappenplan", kwargs={"kbo": sandbox.enterprise.kbo})).text
    assert re.search(
        r'<li class="done">\s*<a[^>]*>Aanstelling lokale toegangsbeheerder|'
        r'<li class="done">\s*Aanstelling lokale toegangsbeheerder',
        page,
    )


def test_an_application_sign_in_before_a_reset_no_longer_counts(client, trainer):
    sandbox = finished_chapter_4(client, trainer)
    assert selectors.sandbox_progress(sandbox).signed_in
    training.sandbox_reset(actor=trainer, sandbox=sandbox)
    sandbox.refresh_from_db()
    row = selectors.sandbox_progress(sandbox)
    assert not row.signed_in and not row.subafdeling and not row.right
    assert not scenario_panel(sandbox)["finished"]


def test_the_dashboard_reads_1_and_40_sandboxes_in_one_query(trainer):
    one, forty = built(trainer, size=1, name="Een"), built(trainer, size=40, name="Veertig")
    sandbox = forty.sandboxes.get(number=7)
    blocked = sandbox.people.filter(part=Part.EMPLOYEE).first().person
    for _attempt in range(3):
        with pytest.raises(ServiceError):
            identity.eid_sign_in(insz=blocked.insz, pin="0000" if sandbox.pin != "0000" else "1111")
    for classroom, size in ((one, 1), (forty, 40)):
        with CaptureQueriesContext(connection) as queries:
            rows = selectors.classroom_progress(classroom)
            # everything the dashboard shows of a row is read by then
            shown = [
                (r.enterprise.name, r.classroom.scenario, r.blocked_first_name, r.facility_name) for r in rows
            ]
        assert len(shown) == size and len(queries) == 1
    row = next(row for row in selectors.classroom_progress(forty) if row.number == 7)
    assert row.blocked_person_id == blocked.pk and row.blocked_cards == 1


def test_the_dashboard_page_runs_as_many_queries_for_40_as_for_1(client, trainer):
    one, forty = built(trainer, size=1, name="Een"), built(trainer, size=40, name="Veertig")
    client.force_login(trainer)

    def count(classroom, **headers):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                reverse("training:classroom", kwargs={"classroom_id": classroom.pk}), **headers
            )
        assert response.status_code == 200
        return len(queries)

    assert count(one) == count(forty) <= 10
    assert count(one, HTTP_HX_REQUEST="true") == count(forty, HTTP_HX_REQUEST="true") <= 10
